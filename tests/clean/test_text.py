"""Debris removal on scraped plain text, on hand-written scraped pages (tests/fixtures/scraped)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.clean import clean_document
from newsprism.clean.text import classify_line, clean_plain_text
from newsprism.config import load_settings
from newsprism.model import Article, RawDocument, SourceKind

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scraped"


def _clean(name: str) -> Article:
    content = (FIXTURES / name).read_bytes().decode("utf-8")  # keeps the \r\n
    article = clean_document(RawDocument(name, SourceKind.TEXT, content), load_settings())
    assert isinstance(article, Article)
    return article


def _reasons(article: Article) -> dict[str, str]:
    return {d.text.strip(): d.reason for d in article.dropped}


def test_bridge_keeps_every_sentence_and_drops_page_furniture() -> None:
    article = _clean("bridge_collapse.txt")
    assert article.title == "Bridge closed after river barge strikes support pier"
    assert article.byline == "Maria Lopez and Tom Reed"
    assert article.dateline == "RIVERTON, Ohio"
    assert article.published is not None and article.published.day == 3
    for sentence in (
        "The Harbor Street bridge was closed to all traffic on Sunday",
        "No one was injured in the collision",
        '"We are not going to take any chances',
        "Engineers from the state transportation department",
        "Detour signs were posted on Main Street",
        "The towboat's operator, Great Lakes Marine,",
    ):
        assert sentence in article.text
    assert article.text.startswith("The Harbor Street bridge")
    assert "What happens next" in article.text  # a subheading between paragraphs stays
    for debris in (
        "browser is not supported",
        "AP Photo",
        "Watch more",
        "Trending now",
        "Tags:",
        "Comments are closed",
        "newsletter",
        "©",
        "Share",
    ):
        assert debris not in article.text
    reasons = _reasons(article)
    assert reasons["By Maria Lopez and Tom Reed"] == "byline"
    assert reasons["Published March 3, 2019 5:30 PM ET"] == "date"
    assert reasons["Home"] == "outside-body"


def test_council_keeps_short_last_sentence_and_drops_credit_and_teasers() -> None:
    article = _clean("council_vote.txt")
    assert article.dateline == "LONDON (Reuters)"
    assert article.text.startswith("The city council approved")
    assert article.text.endswith("The budget takes effect on April 1.")
    assert "Jane Smith/Reuters" not in article.text
    assert "Photo: John Doe/Reuters" not in article.text
    assert "Read more" not in article.text
    assert "cookies" not in article.text
    assert "Libraries to cut opening hours" not in article.text


def test_wildfire_drops_credit_caption_label_and_stamped_teasers() -> None:
    article = _clean("wildfire.txt")
    assert article.byline == "JANE SMITH, Associated Press"
    assert article.dateline == "LOS ANGELES (AP)"
    assert "Forecasters expected the winds to ease" in article.text
    assert "Officials said about 2,500 homes" in article.text
    reasons = _reasons(article)
    assert reasons["Getty Images"] == "credit"
    assert reasons["Firefighters battle the blaze near Santa Clarita on Monday."] == "caption"
    assert reasons["ADVERTISEMENT"] == "widget"
    assert "Related Coverage" not in article.text
    assert "evacuation kit" not in article.text


def test_crlf_blank_line_separated_text() -> None:
    article = _clean("rates.txt")
    assert article.title == "Central bank holds rates steady, signals patience"
    assert article.dateline == "NEW YORK, March 3 (AP)"
    assert "\r" not in article.text
    assert len(article.paragraphs) == 4
    assert "LinkedIn" not in article.text


def test_every_dropped_line_has_a_reason_and_kept_blocks_are_verbatim() -> None:
    content = (FIXTURES / "bridge_collapse.txt").read_text(encoding="utf-8")
    parts = clean_plain_text(content, title_hint=None)
    source_lines = {line.strip() for line in content.splitlines()}
    assert all(block in source_lines for block in parts.blocks)
    assert all(d.reason for d in parts.dropped)
    # Every non-blank line is either kept or dropped: nothing disappears unaccounted.
    accounted = set(parts.blocks) | {d.text for d in parts.dropped}
    assert source_lines - {""} <= accounted


def test_title_hint_is_used_and_its_line_dropped() -> None:
    body = (
        "Officials said on Monday that the new rail line would open in the spring of next year.\n"
        "The project cost 2 billion dollars and took seven years to build, the agency said."
    )
    parts = clean_plain_text("Rail line to open\n" + body, title_hint="Rail line to open")
    assert parts.title == "Rail line to open"
    assert parts.blocks == tuple(body.split("\n"))


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = (
        "Officials said on Monday that the new rail line, which has been delayed\n"
        "several times, would open in the spring of next year after final tests.\n\n"
        "The project cost 2 billion dollars and took seven years to build, the agency said."
    )
    parts = clean_plain_text(text, title_hint=None)
    assert len(parts.blocks) == 2
    assert parts.blocks[0].endswith("after final tests.")


def test_empty_and_debris_only_inputs() -> None:
    assert clean_plain_text("", title_hint=None).blocks == ()
    parts = clean_plain_text("Home\nNews\nSports\nWatch more\n", title_hint="T")
    assert parts.blocks == ()
    assert parts.title == "T"
    assert {d.reason for d in parts.dropped} == {"outside-body"}


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("The council approved the budget after a session that lasted nine hours.", "prose"),
        ("He was 54 years old.", "near"),
        ("Trending now", "short"),
        ("Photo: John Doe/Reuters", "credit"),
        ("(AP Photo/Evan Vucci)", "credit"),
        ("Jane Smith/Getty", "credit"),
        ("President speaks at the White House on Monday. (AP Photo/Evan Vucci)", "caption"),
        ("Home News Sport Business Culture Travel Opinion Weather Video Podcasts", "short"),
        ("Politics, Congress, White House, Elections", "tag-list"),
        ("November 19, 2019 at 6:34 am", "stamp"),
        ("Catherine on September 13, 2018 at 5:23 pm said:", "stamp"),
        ("© 2019 Riverton Daily Press", "credit"),
        ("— Jane Doe (@janedoe) November 18, 2019", "embed"),
        ("10) Model of the DeLorean time machine, scale 1:24", "short"),
        ("The state spent half a million dollars on it: https://t.co/Nc0nKoXGBP", "short"),
        (" ".join(["adopt a pet water alert environment friendship service shooter"] * 4), "short"),
    ],
)
def test_classify_line(line: str, kind: str) -> None:
    assert classify_line(line) == kind


_PARA = (
    "Officials said on Monday that the new rail line would open in the spring of next year, "
    "after a final round of safety tests on the northern section."
)
_PARA2 = "The project cost 2 billion dollars and took seven years to build, the agency said."
_MENU = "Home\nNews\nSport\nBusiness\nCulture\n"


def test_list_inside_the_body_is_kept() -> None:
    # List items and table rows are not sentences but belong to the article.
    items = "1 Kyle Busch 5040 points\n2 Martin Truex Jr. 5035 points\n3 Kevin Harvick 5033 points"
    parts = clean_plain_text(f"{_MENU}{_PARA}\n{items}\n{_PARA2}\n{_MENU}", title_hint=None)
    assert parts.blocks == (_PARA, *items.split("\n"), _PARA2)


def test_list_announced_by_the_last_line_is_kept() -> None:
    lead = "The band will play these dates next summer:"
    items = "June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL\nJune 10 -- Arena, Tampa, FL"
    parts = clean_plain_text(f"{_MENU}{_PARA}\n{_PARA2}\n{lead}\n{items}\n{_MENU}", title_hint=None)
    assert parts.blocks[-3:] == (lead, *items.split("\n"))


def test_lone_paragraph_behind_links_at_the_end_is_cut() -> None:
    tail = (
        "Read more\nCouncil leader faces no-confidence motion\nLibraries to cut opening hours\n"
        "We use cookies to improve your experience. By continuing you agree to our policy."
    )
    parts = clean_plain_text(f"{_PARA}\n{_PARA2}\n{tail}", title_hint=None)
    assert parts.blocks == (_PARA, _PARA2)


def test_url_lines_are_not_joined_to_the_line_before() -> None:
    text = "1) Lego Star Wars 75188 Bombardiere della Resistenza\nhttp://amzn.to/2iJFhRj"
    parts = clean_plain_text(f"{_PARA}\n{text}\n{_PARA2}", title_hint=None)
    assert "http://amzn.to/2iJFhRj" in parts.blocks


def test_menu_run_and_repeated_label_inside_the_body_are_dropped() -> None:
    third = "Work on the southern section will start in the autumn, the transport minister said."
    fourth = "Tickets will cost the same as on the bus, and children under five will travel free."
    body = (
        f"{_PARA}\nAdvertisement\n{_PARA2}\nShare\nTweet\nEmail\n{third}\nAdvertisement\n{fourth}"
    )
    parts = clean_plain_text(body, title_hint=None)
    assert parts.blocks == (_PARA, _PARA2, third, fourth)
    reasons = {d.text: d.reason for d in parts.dropped}
    assert reasons["Advertisement"] == "repeated"
    assert reasons["Tweet"] == "menu"


def test_embedded_post_does_not_split_the_body() -> None:
    # A quoted tweet inside the article: its text, then "— Name (@handle) date". The date must
    # not read as the stamp of a comment, which would cut the body in two.
    tweet = "This is real and the state paid for it: https://t.co/Nc0nKoXGBP"
    attribution = "— Jane Doe (@janedoe) November 18, 2019"
    third = "Work on the southern section will start in the autumn, the transport minister said."
    body = f"{_MENU}{_PARA}\n{tweet}\n{attribution}\n{_PARA2}\n{third}\n{_MENU}"
    parts = clean_plain_text(body, title_hint=None)
    assert parts.blocks == (_PARA, tweet, attribution, _PARA2, third)


_COMMENT = (
    "I read your report and did not see any analysis of the cost of slower buses on the roads, "
    "which seems to me the main question here and one that deserves a full answer."
)


def test_a_long_comment_thread_does_not_outrank_a_short_article() -> None:
    stamps = [f"Reader {n} on September {n}, 2018 at 4:4{n} pm said:" for n in range(1, 5)]
    thread = "\n".join(f"{stamp}\n{_COMMENT}\n{_COMMENT} Thanks." for stamp in stamps)
    head = "September open thread\nSeptember 10, 2018 | by Catherine"
    page = f"{_MENU}{head}\n{_PARA}\nComments\n{thread}\n{_MENU}"
    parts = clean_plain_text(page, title_hint=None)
    assert parts.blocks == (_PARA,)


def test_enumerated_list_under_its_heading_after_the_body_is_kept() -> None:
    dates = (
        "June 9 – West Palm Beach, FL @ Coral Sky Amphitheatre\n"
        "June 10 – Tampa, FL @ MidFlorida Amphitheatre\n"
        "July 2 – Uncasville, CT @ Mohegan Sun Arena"
    )
    page = f"{_MENU}{_PARA}\n{_PARA2}\nThe Band Tour Dates\n{dates}\nAbout Us\n{_MENU}"
    parts = clean_plain_text(page, title_hint=None)
    assert parts.blocks == (_PARA, _PARA2, "The Band Tour Dates", *dates.split("\n"))
    # A pager is not such a list.
    pager = clean_plain_text(f"{_MENU}{_PARA}\n{_PARA2}\nPages\n1\n2\n3\n4", title_hint=None)
    assert pager.blocks == (_PARA, _PARA2)


_LAST = "Tickets will cost the same as on the bus, and children under five will travel free."


def test_repeated_subheading_is_kept_once_and_comma_items_are_not_a_menu() -> None:
    items = (
        "SpaceX, Hawthorne, California\nBlue Origin, Kent, Washington\n"
        "Tyvak Inc., Irvine, California"
    )
    body = (
        f"{_PARA}\nMorning Meal Plan\nOne cup of oats with milk and fruit\n{_PARA2}\n"
        f"Morning Meal Plan\nTwo eggs with toast and tomatoes\n{items}\n{_COMMENT}\n{_LAST}"
    )
    parts = clean_plain_text(body, title_hint=None)
    assert parts.blocks.count("Morning Meal Plan") == 1
    for item in items.split("\n"):
        assert item in parts.blocks


# --------------------------------------------------------------------------- issue #15 shapes

ARCHIVAL = FIXTURES.parent / "archival"
FRONT = FIXTURES.parent / "scraped_front"


def _clean_at(path: Path, url: str | None = None) -> Article:
    raw = RawDocument(path.name, SourceKind.TEXT, path.read_text(encoding="utf-8"), url=url)
    article = clean_document(raw, load_settings())
    assert isinstance(article, Article), article
    return article


@pytest.mark.parametrize("path", sorted(ARCHIVAL.glob("*.txt")), ids=lambda p: p.stem)
def test_archival_wire_copy_is_kept_whole(path: Path) -> None:
    from newsprism.clean.segment import split_sentences

    article = _clean_at(path)
    # Only slugs, headline, byline and dateline may be filed away...
    assert {d.reason for d in article.dropped} <= {
        "outside-body",
        "headline",
        "byline",
        "byline-affiliation",
        "credit",
        "dateline",
    }
    assert all(len(d.text.split()) <= 10 for d in article.dropped)
    # ...and every sentence of the rest is in the body.
    rest = path.read_text(encoding="utf-8")
    for d in article.dropped:
        rest = rest.replace(d.text, " ", 1)
    rest = " ".join(rest.split())
    body = " ".join(article.text.split())
    assert [s.text for s in split_sentences(rest) if s.text not in body] == []


def test_one_long_block_with_an_end_tag_is_an_article_not_a_caption() -> None:
    article = _clean_at(ARCHIVAL / "ap_one_block.txt")
    assert article.dateline == "DAR ES SALAAM, Tanzania (AP)"
    assert article.text.startswith("An Egyptian formally charged Monday")
    assert "``I have nothing to say,'' Amri told" in article.text
    assert article.outlet == "AP"


def test_all_capitals_wire_copy_is_prose() -> None:
    assert (
        classify_line(
            "THE PROGRAM LENDS MONEY TO FARMERS WHO CANNOT GET CREDIT ELSEWHERE, OFFICIALS SAID."
        )
        == "prose"
    )
    assert classify_line("HOME NEWS SPORT BUSINESS WEATHER OPINION") != "prose"
    assert "THE SENATE VOTED 61-38 TUESDAY" in _clean_at(ARCHIVAL / "ap_caps.txt").text


def test_a_short_item_is_kept_and_flagged() -> None:
    article = _clean_at(ARCHIVAL / "ap_short.txt")
    assert article.flags == ("short",)
    assert article.text.endswith("He was taken to a hospital with a broken arm.")


def test_slugs_byline_and_affiliation_are_front_matter() -> None:
    article = _clean_at(ARCHIVAL / "ap_slugs.txt")
    assert article.title == "Dockworkers end six-day strike at port"
    assert article.byline == "MARTHA ELLINGSON"
    assert _reasons(article)["Associated Press Writer"] == "byline-affiliation"
    assert article.text.startswith("Dockworkers voted Thursday")
    assert article.text.endswith("prices had begun to rise this week.")


def test_newspaper_service_line_gives_the_outlet() -> None:
    article = _clean_at(ARCHIVAL / "nyt_headline_block.txt")
    assert article.title == "STOCKS FALL AS RATE FEARS RETURN"
    assert article.byline == "DAVID R. OKAFOR"
    assert article.outlet == "N.Y. Times News Service"


def test_hard_wrapped_copy_is_joined_into_paragraphs() -> None:
    article = _clean_at(ARCHIVAL / "nyt_wrapped.txt")
    assert "closed its doors on Tuesday, more than 200 people lined up" in article.text
    assert article.text.endswith("did not return calls on Tuesday.")


@pytest.mark.parametrize("path", sorted(FRONT.glob("*.txt")), ids=lambda p: p.stem)
def test_headline_caption_credit_and_foot_furniture(path: Path) -> None:
    lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    headline, caption, credit, *body = lines
    article = _clean_at(path)
    reasons = _reasons(article)
    assert article.title == headline
    assert reasons[caption] == "caption"
    assert reasons[credit] == "credit"
    # The body: every paragraph up to the foot furniture, and nothing of the foot.
    paragraphs = [article.text[s:e] for s, e in article.paragraphs]
    assert paragraphs == body[: len(paragraphs)]
    foot = body[len(paragraphs) :]
    assert foot, "each page ends in furniture"
    for line in foot:
        assert line not in article.text
        assert reasons[line] in ("furniture", "outside-body", "tag-list")


def test_a_caption_without_a_full_stop_is_not_taken_for_the_headline() -> None:
    content = (
        "Bus drivers vote to strike over pay\n"
        "Drivers gather outside the depot in Eastfield on Monday\n"
        "Photo: Kim Lau/Valley Times\n"
        "Bus drivers in Eastfield voted on Monday to strike for three days next week, "
        "their union said, after talks on pay broke down.\n"
        "The city's transport authority said it would run a reduced service on two routes.\n"
    )
    article = clean_document(RawDocument("bus.txt", SourceKind.TEXT, content), load_settings())
    assert isinstance(article, Article)
    assert article.title == "Bus drivers vote to strike over pay"
    assert _reasons(article)["Drivers gather outside the depot in Eastfield on Monday"] == (
        "caption"
    )
    assert article.text.startswith("Bus drivers in Eastfield voted")


def test_article_ending_in_the_first_person_is_not_furniture() -> None:
    content = (
        "The council approved the new bridge on Tuesday after two years of debate, "
        "and work will start in the spring, the mayor said.\n"
        "The bridge will carry two lanes of traffic and a cycle path across the river.\n"
        '"We owe it to the people who cross this river every day," said the mayor, Ann Roe.\n'
        "We urge the state to pay its share of the cost before the work begins.\n"
    )
    article = clean_document(RawDocument("b.txt", SourceKind.TEXT, content), load_settings())
    assert isinstance(article, Article)
    assert article.text.endswith("pay its share of the cost before the work begins.")


def test_outlet_from_the_url_and_from_the_page_title() -> None:
    path = FRONT / "caption_credit_agency.txt"
    assert _clean_at(path, url="https://www.dailycourier.example/news/1").outlet == (
        "dailycourier.example"
    )
    content = "Mayor signs budget that adds 300 teachers | The Daily Courier\n" + path.read_text(
        encoding="utf-8"
    )
    article = clean_document(RawDocument("p.txt", SourceKind.TEXT, content), load_settings())
    assert isinstance(article, Article)
    assert article.outlet == "The Daily Courier"


def test_a_page_without_a_clear_body_keeps_its_sentences_and_says_so() -> None:
    content = "\n".join(
        [
            "Home",
            "News",
            "Tour dates",
            "The band plays Leeds on June 9 and Glasgow on June 11",
            "Tickets go on sale on Friday at noon",
            "Contact",
        ]
    )
    article = clean_document(RawDocument("t.txt", SourceKind.TEXT, content), load_settings())
    assert isinstance(article, Article)
    assert "no-body-found" in article.flags
    assert "The band plays Leeds on June 9" in article.text
    assert "Tickets go on sale on Friday at noon" in article.text


# ------------------------------------------------ issue #15: what the body's edges and lists hold


def test_a_bracketed_note_under_the_last_paragraph_is_kept() -> None:
    # Who reported and edited the story, the source of a quotation: the article's own end notes.
    note = "(Reporting by Ann Lee in Leeds; Editing by Tom Roe)"
    source = "[Town Records, vol. 2, p. 41]"
    page = f"{_MENU}{_PARA}\n{_PARA2}\n{note}\n{source}\nShare this:\nFacebook\nTwitter\n{_MENU}"
    parts = clean_plain_text(page, title_hint=None)
    assert parts.blocks == (_PARA, _PARA2, note, source)
    # A source tag of one or two words in brackets is a label, and a photo credit is a credit.
    for tail in ("[CNN]", "(AP Photo/Evan Vucci)"):
        parts = clean_plain_text(f"{_MENU}{_PARA}\n{_PARA2}\n{tail}\n{_MENU}", title_hint=None)
        assert parts.blocks == (_PARA, _PARA2)


def test_items_opening_with_one_label_and_colon_are_a_list_not_a_menu() -> None:
    # Title-case items with a slash or few commas read as credits, tag lines or menu links one
    # by one; opening alike ("Path A:", "Path B:") they are the article's list.
    items = (
        "Path A: Iceland, Bulgaria/Israel/Hungary/Romania\n"
        "Path B: Bosnia and Herzegovina, Slovakia, Republic of Ireland, Northern Ireland\n"
        "Path C: Scotland, Norway, Serbia, Bulgaria/Israel/Hungary/Romania\n"
        "Path D: Georgia, North Macedonia, Kosovo, Belarus"
    )
    page = f"{_MENU}{_PARA}\n{items}\n{_PARA2}\n{_LAST}\n{_MENU}"
    parts = clean_plain_text(page, title_hint=None)
    assert parts.blocks == (_PARA, *items.split("\n"), _PARA2, _LAST)


def test_a_page_that_is_an_enumerated_list_keeps_the_list() -> None:
    # A race calendar with no paragraph of its own, then a column of promotions in sentences:
    # the list is the article (the promotions outscored it before). One item reads as a caption
    # ("Curitiba / Alternativa") on its own.
    stages = "\n".join(
        f"{n}a etapa: {day} de {month} – {track}"
        for n, (day, month, track) in enumerate(
            [
                ("10", "março", "Interlagos"),
                ("8", "abril", "Curitiba / Alternativa"),
                ("22", "abril", "Velopark"),
                ("6", "maio", "Londrina"),
                ("20", "maio", "Santa Cruz do Sul"),
            ],
            start=1,
        )
    )
    promos = (
        "» Coluna de Adauto Silva\n"
        "Clique na foto do Adauto e veja as colunas sobre Formula 1, MotoGP e outras que ele "
        "escreve para o site!\n"
        "» Power Ranking\n"
        "Clique na imagem acima e veja como está o ranking dos pilotos nesta temporada da "
        "F1 no GP do Brasil."
    )
    page = f"{_MENU}Calendário da Stock Car 2018\n{stages}\nTags\nSobre\nContato\n{promos}\n"
    parts = clean_plain_text(page, title_hint=None)
    assert parts.blocks[:5] == tuple(stages.split("\n"))
    assert parts.title == "Calendário da Stock Car 2018"


def test_a_one_word_subheading_in_capitals_stays_and_a_furniture_label_goes() -> None:
    third = "Work on the southern section will start in the autumn, the transport minister said."
    body = f"{_MENU}{_PARA}\nVERDICT\n{_PARA2}\nADVERTISEMENT\n{third}\n{_LAST}\n{_MENU}"
    parts = clean_plain_text(body, title_hint=None)
    assert parts.blocks == (_PARA, "VERDICT", _PARA2, third, _LAST)
    assert {d.text: d.reason for d in parts.dropped}["ADVERTISEMENT"] == "widget"


def test_a_short_sentence_next_to_a_credit_with_its_own_caption_is_the_articles() -> None:
    # A picture has one caption: when the credit line carries it (glued to the name, as pages
    # saved as text often show it), the short sentence under it is the article's; next to a
    # bare credit the same sentence is the picture's caption.
    short = "The first trains will run in May."
    glued = "A crowd waits at the new station.Jane Doe/Getty"
    page = f"{_MENU}{_PARA}\n{glued}\n{short}\n{_PARA2}\n{_LAST}"
    parts = clean_plain_text(page, title_hint=None)
    assert parts.blocks == (_PARA, short, _PARA2, _LAST)
    assert {d.text: d.reason for d in parts.dropped}[glued] == "credit"
    bare = clean_plain_text(page.replace(glued, "Jane Doe/Getty"), title_hint=None)
    assert bare.blocks == (_PARA, _PARA2, _LAST)
    assert {d.text: d.reason for d in bare.dropped}[short] == "caption"


def test_a_page_with_no_body_keeps_a_repeated_sentence_once() -> None:
    # The sentence stands twice around a share bar, so each copy is a site string of the other
    # and no body stands out; the rescue keeps the text, once, as a body would (a pull quote
    # shown again), and cleaning the result again keeps the same.
    page = f"{_PARA}\nShare\nTweet\n{_PARA}"
    parts = clean_plain_text(page, title_hint=None)
    assert parts.flags == ("no-body-found",)
    assert parts.blocks == (_PARA,)
    again = clean_plain_text("\n".join(parts.blocks), title_hint=None)
    assert again.blocks == parts.blocks
