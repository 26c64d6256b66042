"""The second planted-edit generator (bench/planted_edits.py) on short texts written for these
tests: each phrasing is found and edited, edits apply where they say, a value an article states
twice is never edited there, the partner span holds the original, and a seed fixes the output."""

from __future__ import annotations

import re

import pytest
from bench.planted_edits import PlantedEdit, _vowel_sound, generate

pytestmark = pytest.mark.slow  # spaCy parses the texts

# Sentences about other things, so that the event has enough sentences for the words shared by
# the two statements of a value to weigh something.
FILLER_A = (
    "The weather stayed mild across the valley. Local schools reopened after the holiday. "
    "Farmers worried about the price of feed. A new bakery drew long lines downtown. "
)
FILLER_B = (
    "Traffic slowed near the stadium during the evening. The library extended its hours. "
    "Residents debated the color of the new benches. A choir performed in the park. "
)


def event(a: str, b: str) -> list[tuple[str, str]]:
    return [("a", FILLER_A + a), ("b", FILLER_B + b)]


def edits_of(docs: list[tuple[str, str]], seed: int = 1) -> list[PlantedEdit]:
    return generate("ev", docs, seed=seed, per_event=20)


def one(docs: list[tuple[str, str]], phrasing: str) -> PlantedEdit:
    """The first edit of ``phrasing`` over a few seeds (a seed picks which article is edited)."""
    found = [e for seed in range(4) for e in edits_of(docs, seed) if e.phrasing == phrasing]
    assert found, f"no {phrasing} edit"
    return found[0]


def one_seeded(docs: list[tuple[str, str]], seed: int, phrasing: str) -> PlantedEdit:
    found = [e for e in edits_of(docs, seed) if e.phrasing == phrasing]
    assert found, f"no {phrasing} edit with seed {seed}"
    return found[0]


def check_spans(edit: PlantedEdit, docs: list[tuple[str, str]]) -> tuple[str, str]:
    """The edit's old text is where it says, the new text lands at ``new_range``; returns the
    edited article's text after the edit and the partner's span."""
    texts = dict(docs)
    assert edit.doc != edit.partner
    assert texts[edit.doc][edit.start : edit.end] == edit.old
    after = edit.apply(texts[edit.doc])
    s, e = edit.new_range
    assert after[s:e] == edit.new
    assert after[:s] == texts[edit.doc][: edit.start]
    assert after[e:] == texts[edit.doc][edit.end :]
    return after, texts[edit.partner][edit.partner_start : edit.partner_end]


def number(text: str) -> float:
    return float(re.search(r"\d[\d,]*(?:\.\d+)?", text).group(0).replace(",", ""))  # type: ignore[union-attr]


def test_digits_count() -> None:
    docs = event(
        "Police said 23 people were injured in the warehouse fire in Dayton.",
        "The warehouse fire in Dayton injured 23 people, police said.",
    )
    edit = one(docs, "digits")
    after, partner = check_spans(edit, docs)
    assert (edit.kind, edit.old, partner) == ("count", "23", "23")
    new = number(edit.new)
    assert abs(new - 23) >= 0.25 * 23 and new % 10 != 0  # not a rounding of 23
    assert re.search(rf"\b{edit.new} people\b", after)


def test_number_words_stay_words() -> None:
    docs = event(
        "Officials said twelve firefighters battled the warehouse blaze overnight.",
        "The warehouse blaze was fought overnight by twelve firefighters, officials said.",
    )
    edit = one(docs, "words")
    _, partner = check_spans(edit, docs)
    assert (edit.kind, edit.old, partner) == ("count", "twelve", "twelve")
    assert re.fullmatch(r"[a-z]+(?:-[a-z]+)?", edit.new) and edit.new != "twelve"


def test_hyphenated_adjective_and_its_article() -> None:
    docs = event(
        "The judge held an 8-hour hearing on the pipeline permit in Casper.",
        "After an 8-hour hearing on the pipeline permit in Casper, the judge adjourned.",
    )
    edit = one(docs, "hyphen-adj")
    after, partner = check_spans(edit, docs)
    assert edit.kind == "duration" and partner == "8-hour"
    m = re.search(r"\b(a|an) (\d+)-hour hearing", after)
    assert m and m.group(2) != "8"
    assert (m.group(1) == "an") == _vowel_sound(m.group(2))  # "a 12-hour", "an 11-hour"


def test_scaled_money() -> None:
    docs = event(
        "The council approved $3.6 billion for the harbor bridge repairs.",
        "The harbor bridge repairs will cost $3.6 billion, the council said.",
    )
    edit = one(docs, "scale")
    _, partner = check_spans(edit, docs)
    assert (edit.kind, edit.old, partner) == ("money", "$3.6 billion", "$3.6 billion")
    assert re.fullmatch(r"\$\d\.\d billion", edit.new)
    assert round(number(edit.new)) != 4  # 3.6 and 4.4 would both round to 4


def test_bounds_move_away_from_their_side() -> None:
    docs = event(
        "More than 40 protesters gathered outside the refinery gates in Bayonne. "
        "Nearly 30 trucks were stuck at the ferry terminal in Hoboken.",
        "In Bayonne, more than 40 protesters blocked the refinery gates. "
        "At the ferry terminal in Hoboken nearly 30 trucks were stuck.",
    )
    edits = [e for seed in range(8) for e in edits_of(docs, seed) if e.phrasing == "bound"]
    lower = [e for e in edits if "40" in e.old]
    upper = [e for e in edits if "30" in e.old]
    assert lower and upper
    for e in edits:
        check_spans(e, docs)
    assert all(e.new.lower().startswith("more than ") and number(e.new) >= 50 for e in lower)
    assert all(e.new.lower().startswith("nearly ") and number(e.new) <= 22 for e in upper)


def test_range_moves_clear_of_itself() -> None:
    docs = event(
        "The landslide destroyed between 30 and 40 homes in the canyon village.",
        "Between 30 and 40 homes in the canyon village were destroyed by the landslide.",
    )
    edit = one(docs, "range")
    _, partner = check_spans(edit, docs)
    assert partner.lower() == "between 30 and 40"
    lo, hi = (int(x) for x in re.findall(r"\d+", edit.new))
    assert lo < hi and (lo > 40 or hi < 30)


def test_percent() -> None:
    docs = event(
        "Turnout reached 40 percent in the mayoral runoff election in Tulsa.",
        "The mayoral runoff election in Tulsa drew a turnout of 40 percent.",
    )
    edit = one(docs, "digits")
    _, partner = check_spans(edit, docs)
    assert (edit.kind, partner) == ("percent", "40 percent")
    assert edit.new.endswith(" percent") and abs(number(edit.new) - 40) >= 10


def test_duration_in_words() -> None:
    docs = event(
        "Firefighters needed three hours to contain the refinery blaze near Tulsa.",
        "The refinery blaze near Tulsa took firefighters three hours to contain.",
    )
    edit = one(docs, "words")
    _, partner = check_spans(edit, docs)
    assert (edit.kind, edit.old, partner) == ("duration", "three", "three")


@pytest.mark.parametrize(
    ("written", "phrasing"),
    [
        ("Jan. 14", "date-md"),
        ("January 14, 2019", "date-mdy"),
        ("14 January 2019", "date-dmy"),
        ("2019-01-14", "date-iso-ish"),
    ],
)
def test_dates_in_several_formats(written: str, phrasing: str) -> None:
    docs = event(
        f"The senator announced the pipeline inquiry in Denver on {written}.",
        "The pipeline inquiry was announced in Denver by the senator on Jan. 14, 2019.",
    )
    edit = one(docs, phrasing)
    _, partner = check_spans(edit, docs)
    assert (edit.kind, edit.doc, edit.old, partner) == ("date", "a", written, "Jan. 14, 2019")
    day = int(re.findall(r"\d+", edit.new)[0 if phrasing != "date-iso-ish" else 2])
    assert day != 14 and len(edit.new) == len(written)
    assert day < 14  # announced: a past event moves back


def test_weekday_respects_the_tense() -> None:
    docs = event(
        "The mayor announced on Tuesday that the harbor bridge in Duluth would close.",
        "The harbor bridge in Duluth will close, the mayor announced Tuesday.",
    )
    edit = one(docs, "weekday")
    _, partner = check_spans(edit, docs)
    assert (edit.old, partner) == ("Tuesday", "Tuesday")
    assert edit.new in ("Sunday", "Saturday")  # "announced": before Tuesday


def test_title_name_gets_a_new_surname() -> None:
    docs = event(
        "Sen. John Whitfield criticized the pipeline permit during the hearing in Casper.",
        "Senator John Whitfield said the pipeline permit was flawed.",
    )
    edit = one(docs, "title-name")
    _, partner = check_spans(edit, docs)
    assert (edit.kind, edit.old, partner) == ("name", "John Whitfield", "John Whitfield")
    first, surname = edit.new.split()
    assert first == "John" and surname != "Whitfield"
    assert all(surname.lower() not in text.lower() for _, text in docs)


def test_quote_speaker_becomes_another_person_of_the_article() -> None:
    quote = "“We will not approve this permit without a full review of the river,”"
    docs = event(
        f"Mayor Laura Chen opened the meeting in Casper. {quote} Mr. Whitfield said.",
        f"{quote} Mr. Whitfield said on Monday after the meeting.",
    )
    seen = set()
    for seed in range(6):
        edit = one_seeded(docs, seed, "quote-speaker")
        _, partner = check_spans(edit, docs)
        assert (edit.kind, edit.old, partner) == ("speaker", "Mr. Whitfield", "Mr. Whitfield")
        if edit.doc == "a":
            assert edit.new == "Laura Chen"  # the other person article a names
        else:  # article b names nobody else: a new name, found nowhere in the event
            honorific, surname = edit.new.split()
            assert honorific == "Mr." and all(surname not in text for _, text in docs)
        seen.add(edit.doc)
    assert seen == {"a", "b"}


def test_a_value_stated_twice_is_not_edited_there() -> None:
    docs = event(
        "Police said 23 people were injured in the warehouse fire in Dayton. "
        "Hospitals in Dayton treated 23 people overnight. "
        "Crews spent $3.6 billion on the harbor bridge repairs.",
        "The warehouse fire in Dayton injured 23 people, police said. "
        "The harbor bridge repairs cost $3.6 billion.",
    )
    edits = [e for seed in range(8) for e in edits_of(docs, seed)]
    assert any(e.old == "$3.6 billion" for e in edits)  # the event does yield edits
    assert any("23" in e.old for e in edits)  # article b's 23, stated once, can be edited
    assert not [e for e in edits if e.doc == "a" and "23" in e.old]


def test_no_pair_without_shared_context() -> None:
    docs = event(
        "Police said 23 people were injured in the warehouse fire in Dayton. "
        "The council approved $3.6 billion for the harbor bridge repairs.",
        "Voters in Ohio elected 23 people to the school board. "
        "The harbor bridge repairs will cost $3.6 billion, the council said.",
    )
    edits = edits_of(docs)
    assert any(e.kind == "money" for e in edits)
    assert not [e for e in edits if "23" in e.old]


def test_same_seed_same_edits() -> None:
    docs = event(
        "Police said 23 people were injured in the warehouse fire in Dayton on Tuesday. "
        "The council approved $3.6 billion for the harbor bridge repairs.",
        "The warehouse fire in Dayton injured 23 people on Tuesday, police said. "
        "The harbor bridge repairs will cost $3.6 billion, the council said.",
    )
    first = generate("ev", docs, seed=5, per_event=2)
    assert first and first == generate("ev", docs, seed=5, per_event=2)
    assert len(first) == 2
    many = {tuple(generate("ev", docs, seed=s)) for s in range(8)}
    assert len(many) > 1  # the seed does choose


def test_new_speaker_keeps_the_honorific_of_someone_the_article_calls_so() -> None:
    quote = "“We will not approve this permit without a full review of the river,”"
    docs = event(
        "Laura Chen and Peter Grant opened the meeting in Casper. Ms. Chen spoke first and "
        f"Mr. Grant spoke last. {quote} Mr. Whitfield said.",
        f"{quote} Mr. Whitfield said on Monday after the meeting.",
    )
    edits = [e for s in range(6) for e in edits_of(docs, s) if e.phrasing == "quote-speaker"]
    assert any(e.doc == "a" for e in edits)
    assert all(e.new == "Mr. Grant" for e in edits if e.doc == "a")


def test_a_scaled_figure_stays_under_a_thousand() -> None:
    docs = event(
        "The council took $600 million from the harbor reserve fund in Tacoma.",
        "In Tacoma, $600 million came from the harbor reserve fund, the council said.",
    )
    edits = [e for s in range(8) for e in edits_of(docs, s) if e.phrasing == "scale"]
    assert edits
    assert all(re.fullmatch(r"\$\d{2,3} million", e.new) for e in edits)
