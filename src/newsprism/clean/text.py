"""Debris removal for scraped plain text: keep the article's paragraphs, drop the page around them.

A page saved as text keeps everything a browser showed: menus, share buttons, photo captions and
credits, teasers for other stories, cookie and newsletter prompts, footers. No phrase list can
cover every outlet, so the rules here read only the *shape* of each line and its position:

* the article body is one contiguous run of prose: lines of several words that end like sentences;
  debris comes as runs of short lines without sentence punctuation (menus, widgets, tag lists);
* the body is found as the best-scoring run of lines, prose counting for it by its length and
  every other line against it (a maximum-sum segment, the idea behind boilerpipe's and jusText's
  density rules). What a line costs depends on its shape: a *link-shaped* line (three words or
  fewer, or title case; no figures, no run of commas) costs most when it stands in a run of such lines (menus,
  share bars, tag clouds), less alone between content lines (a list's subheading, an ad slot);
  list items and table rows (lowercase words or figures) cost nothing, so an article that is
  half table or list stays one run;
* a short line with a date or time ("Jane on March 3, 2019 at 5:23 pm said:") costs as much as a
  paragraph brings: comment threads and story lists carry one per entry, article bodies none;
  a lone paragraph right after a link-shaped line counts half (a teaser's blurb);
* the attribution that closes an embedded social post ("— Jane Doe (@jdoe) May 3, 2019") is part
  of the body, not a stamp; nor is a numbered list item that mentions a time ("10) Kit, 1:24");
  a long line without any punctuation is a tag cloud, not prose;
* of the runs, the first that scores at least half the best is the body (comments and teasers
  come after the article and can outweigh a short one); runs that open an entry of a stamped
  series (the page repeats the stamp's shape, "X on DATE said:", three or more times) do not set
  the bar; a lone paragraph the run reached across links at its end ("Read more", teaser titles,
  the cookie notice) is cut off; short sentences at its edges, a list that its last line
  announces ("Tour dates:"), an enumerated list under a heading ("June 9 – Tampa, FL", items
  opening alike with a figure or a label and colon) and end notes in brackets ("(Reporting by
  Jane Doe; Editing by Tom Roe)") are taken in; the items of an enumerated list count for the
  body like short sentences, so a page that is a calendar or a list of results keeps it;
* inside the body everything is kept except credits ("Photo: Jane Doe/Reuters"), captions that
  end in one, stamps, tag lists, site strings (lines also found outside the body), labels the
  page repeats ("Advertisement"; a subheading of several words stays once), one-word capitalised
  labels and runs of three or more link-shaped lines: when in doubt a line stays, since a lost
  sentence costs more than a kept widget;
* the headline is the line nearest before the body that looks like one (or the title we were
  given), passing over a photo caption (a line its credit follows), credits, bylines with the
  affiliation line under them ("Associated Press Writer") and date lines, which become metadata
  or front matter; a caption that opens the body, its credit next, goes too;
* at the foot of the body, sentences that are page furniture (a comment notice, an invitation to
  discuss the story elsewhere, a newsletter prompt) are trimmed by a fitted line model
  (:mod:`.furniture`), stopping at the first line it doubts;
* text hard-wrapped at a fixed column (old wire copy) is joined back into paragraphs; copy set
  all in capitals is prose; a long paragraph ending in an editor's tag is not a caption;
* when no run of prose stands out, every sentence-shaped line is kept and the article is
  flagged ``no-body-found``: losing an article costs more than keeping furniture.

Every line is either kept or returned as a :class:`Dropped` with a short reason code, so a
reader can audit what was cut and no text goes unaccounted (tests/property checks this). Kept
blocks are the source lines verbatim.

This is hand-written rather than taken from a library: jusText and boilerpipe need the HTML tree
(link density, tags) and trafilatura's text mode does no boilerplate removal on plain text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from newsprism.clean.front import date_line, is_byline
from newsprism.clean.furniture import furniture_tail, lexicon_score, load_weights
from newsprism.clean.parts import CleanedParts
from newsprism.model import Dropped

__all__ = ["body_lines", "classify_line", "clean_plain_text", "parse_lines"]

# A sentence ends with . ! ? or … maybe followed by closing quotes or brackets; a colon ends a
# lead-in sentence ("He said:") that is article text too.
# Blogs close sentences with a tilde or an emoji too ("... the scent of fall~", "... 🙂").
_SENTENCE_END = re.compile(
    r"(?:[.!?…:。！？：~]['\"”’»)\]」』]*|\w[ ]?[\U0001F300-\U0001FAFF\u2600-\u27BF]+)$"
)
# Scripts written without spaces between words: a word is about two of their characters.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")
_WS = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")

# "Name/Agency", "REUTERS/Jane Doe", "Photo: ..." and "(AP Photo/Evan Vucci)": the shape of a
# photo or agency credit. A slash between two capitalised words is rare in prose.
_SLASH_CREDIT = re.compile(r"[A-Z][\w.'’-]*\s?/\s?[A-Z][\w.'’&-]*")
_CREDIT_LABEL = re.compile(
    r"^\(?\s*(?:photo(?:graph)?s?|images?|pictures?|illustrations?|credits?|videos?|"
    r"source|graphics?)\b\s*(?:by|:|credit|courtesy|©)",
    re.IGNORECASE,
)
_PAREN_CREDIT = re.compile(r"\((?=[^()]*(?:/|\bphoto|\bimage|\bcredit))[^()]{2,80}\)\s*$", re.I)
_TRAILING_CREDIT = re.compile(
    r"(?:(?:photo(?:graph)?|image|picture)\s*(?:by|:|credit)[^.!?]{2,60}|"
    r"\b[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*)?\s?/\s?[A-Z][\w.'’&-]*(?:\s[A-Z][\w.'’&-]*){0,3})\s*$",
    re.IGNORECASE,
)
# A time of day or a month and day: the stamp of a comment or a teaser ("Jane on March 3, 2019 at
# 5:23 pm said:", "November 19, 2019 at 6:34 am"). Article bodies do not carry stamps between their
# paragraphs; comment threads and story lists carry one per entry.
_STAMP = re.compile(
    r"\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\b\.?)?|\b\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b",
    re.IGNORECASE,
)
# The attribution line of an embedded social post ("— Jane Doe (@jdoe) November 18, 2019"): a
# dash, a name, a handle in brackets, a date. It closes a quoted post inside the article, so it is
# part of the body, not a stamp that separates entries of a list.
_EMBED_ATTRIBUTION = re.compile(r"^[—–―-]\s*\S.{0,100}\(@\w{1,40}\)")
# "10) Model kit, scale 1:24": an item of a numbered list mentioning a time or a ratio is content,
# not the stamp of a comment or a teaser.
_ENUMERATED = re.compile(r"^\(?\d{1,3}\)\s")
# "Getty Images", "AFP Photo": a name and a picture word, nothing else.
_PICTURE_CREDIT = re.compile(
    r"^[A-Z][\w.&'’-]*(?:\s[A-Z][\w.&'’-]*){0,3}\s(?:Images|Photos?|Pictures|Imagery)$"
)
# A web address: its slashes are not a credit's ("pic.twitter.com/x1Yz" closes a quoted post).
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*", re.IGNORECASE)
# A caption glued to its credit: sentences, then a capitalised name without a full stop
# ("The road to retiring early isn't easy.Kathrin Ziegler/Getty").
_GLUED_CAPTION = re.compile(r"^(.*[.!?])\s*[A-Z][^.!?]*$")
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|copyright\b|c\.\s?(?:19|20)\d\d\b)", re.IGNORECASE)
_INNER_PUNCT = re.compile(r"[,.;:!?()\"“”«»—–、，。；：]")
_BRACKETED = re.compile(r"^(?:\([^()]+\)|\[[^\[\]]+\])$")
_NOTE_MIN_WORDS = 3  # "[CNN]" after a quoted paragraph names a source: a label, not a note
_LIST_SEPARATORS = re.compile(r"\s[|•·/]\s|,\s")

# Body scoring: a prose line counts for the body by its length in characters (capped, so one
# giant footer paragraph cannot pull the body towards it); any other line costs a fixed amount.
_PROSE_CAP = 400
_OTHER_COST = 60  # a link or a widget: menus are made of these
_CONTENT_COST = 0  # a list item or table row: articles hold runs of these
_MENU_RUN = 3
_GAP_LINES = 4  # a share bar or an ad block inside the body
_LONE_LABEL_COST = 40  # one link between list items: a subheading or an ad slot
_TEASER_FACTOR = 0.5  # a blurb under a headline link counts half: it may be a teaser
_STAMP_COST = 400  # about one paragraph: a stamp splits runs that a few widget lines would not
_LIST_MIN_ITEMS = 3
_LIST_ITEM_MAX_WORDS = 15
_ITEM_WEIGHT = 40.0  # the body score of a list item: a short sentence's worth (20-80 alike)
_FRAME_MIN = 2  # "():" is an item's frame; one comma or a dash is any title
_LIST_REACH = 5  # lines from a list item to the paragraphs around it
_LIST_ITEM_MIN_WORDS = 3  # "1", "2", "3" is a pager; "%165 votes" a poll widget
_SERIES_MIN = 3  # stamps of one shape: a comment thread or a story list
_NEAR_COST = 10  # a short sentence: could be either
_PROSE_MIN_WORDS = 10
_PROSE_LONG_WORDS = 25  # this long is prose even without a full stop at the end
_NEAR_MIN_WORDS = 4
_HEADLINE_WINDOW = 8
# A caption is a sentence or two; a longer line that ends in a bracketed credit-like tag is a
# paragraph with an editor's end tag ("... led from the courtroom. (ks/jm)"), not a caption.
_CAPTION_MAX_WORDS = 40
_AFFILIATION_WORDS = 5  # "Associated Press Writer" under a byline
# A sentence that reports ("..., police said.") is a paragraph, not a picture's caption.
_REPORTED = re.compile(r"\b(?:said|says|told|according to)\b", re.IGNORECASE)
_EARLY_FRACTION = 0.5
# A hard-wrapped paragraph is cut near a fixed column; a longer line is a block of its own.
_WRAP_MIN = 40
_WRAP_MAX = 100
_WRAP_MIN_LINES = 4
_WRAP_SHARE = 0.6  # a wrapped line fills at least this much of the column...
_WRAP_MOST = 0.6  # ...and most lines of a wrapped text do


@dataclass(frozen=True, slots=True)
class _Line:
    text: str  # verbatim (stripped)
    norm: str  # collapsed whitespace, for features and repeat counting
    kind: str  # prose | near | credit | caption | stamp | embed | tag-list | short


def _normalise(line: str) -> str:
    return _WS.sub(" ", _INVISIBLE.sub("", line)).strip()


def classify_line(line: str) -> str:
    """The shape of one line: ``prose``, ``near`` (a short sentence), ``credit``, ``caption``,
    ``stamp`` (a short line with a date or time), ``embed`` (the attribution closing an embedded
    social post), ``tag-list`` or ``short`` (short and without sentence punctuation)."""
    norm = _normalise(line)
    words = norm.split()
    n = len(words) + len(_UNSPACED.findall(norm)) // 2
    ends = bool(_SENTENCE_END.search(norm))
    # Only scripts with letter case can show a title-case run.
    cased = [w for w in words if w[0].isupper() or w[0].islower()]
    lower = sum(1 for w in cased if w[0].islower())
    if n <= 14 and (_CREDIT_LABEL.match(norm) or _COPYRIGHT.match(norm)):
        return "credit"
    bare = _URL.sub("", norm).strip()
    if (
        n <= 8
        and not ends
        and (_SLASH_CREDIT.search(bare) or _PICTURE_CREDIT.match(bare))
        and bare.count(", ") < 2  # "Path C: Norway, Serbia, Israel/Hungary" lists names
    ):
        return "credit"
    if bare.startswith("(") and bare.endswith(")") and n <= 10 and _PAREN_CREDIT.search(bare):
        return "credit"
    if n <= 16 and _EMBED_ATTRIBUTION.match(norm):
        return "embed"
    if (
        n <= 16
        and _STAMP.search(norm)
        and (not ends or norm.endswith((":", "m.", "M.")))
        and not _ENUMERATED.match(norm)
    ):
        return "stamp"
    if 4 <= n <= _CAPTION_MAX_WORDS and (
        _PAREN_CREDIT.search(bare) or (not ends and _TRAILING_CREDIT.search(bare))
    ):
        return "caption"
    # Title-case runs ("Home News Sport Business ...") are menus however long they are: prose has
    # lowercase function words. Copy set all in capitals (old wire copy, a shouted notice) is
    # prose when it is long and ends like a sentence.
    capitals = sum(1 for w in cased if w.isupper())
    shouted = n >= _PROSE_MIN_WORDS and ends and capitals > 0.75 * len(cased)
    titlecase = len(cased) >= 4 and lower < 0.25 * len(cased) and not shouted
    # A long line with no punctuation at all is a tag cloud or a keyword list: prose that long
    # has commas or full stops somewhere.
    punctuated = ends or bool(_INNER_PUNCT.search(norm))
    if not titlecase and (
        (n >= _PROSE_MIN_WORDS and ends) or (n >= _PROSE_LONG_WORDS and punctuated)
    ):
        return "prose"
    if n >= 3 and not ends and len(_LIST_SEPARATORS.findall(norm)) >= 3 and titlecase:
        return "tag-list"
    if ends and n >= _NEAR_MIN_WORDS and not titlecase:
        return "near"
    return "short"


def _lines(content: str) -> list[str]:
    """Split into lines; join a hard-wrapped paragraph (a long line without sentence end,
    followed in the same blank-line-separated group by a line starting in lowercase, or by any
    line when the whole text is wrapped at a fixed column)."""
    raw = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    width = _wrap_width(raw)
    out: list[str] = []
    joinable = False
    for line in raw:
        stripped = line.strip()
        if not stripped:
            joinable = False
            continue
        # In wrapped text a last word alone on its line ("Tuesday.") goes on the sentence too.
        continues = _continues(stripped) or (width > 0 and bool(_SENTENCE_END.search(stripped)))
        if joinable and out and (width or stripped[0].islower()) and continues:
            out[-1] = out[-1] + " " + stripped
        else:
            out.append(stripped)
        last = _normalise(out[-1])
        if width:
            # In wrapped text a line that ends mid-sentence goes on in the next one.
            tail = _normalise(stripped)
            joinable = len(tail) >= _WRAP_SHARE * width and not _SENTENCE_END.search(tail)
        else:
            joinable = _WRAP_MIN <= len(last) <= _WRAP_MAX and not _SENTENCE_END.search(last)
    return out


def _wrap_width(raw: list[str]) -> int:
    """The column at which the text was hard-wrapped, or 0 when it was not.

    Text wrapped at a fixed column (old wire copy, e-mail, a terminal dump) has most of its
    lines nearly as long as the longest, which is at most about 100 characters; a page's text
    has lines of every length, paragraphs far longer than that.
    """
    lengths = [len(_normalise(x)) for x in raw if x.strip()]
    if len(lengths) < _WRAP_MIN_LINES:
        return 0
    width = max(lengths)
    if not _WRAP_MIN <= width <= _WRAP_MAX:
        return 0
    near = sum(1 for n in lengths if n >= _WRAP_SHARE * width)
    return width if near >= _WRAP_MOST * len(lengths) else 0


def _continues(line: str) -> bool:
    """A wrapped paragraph goes on with words; a URL or a lone token is a line of its own."""
    return " " in line and "://" not in line and not line.startswith("www.")


def _best_run(weights: list[float], lo: int = 0, hi: int | None = None) -> tuple[float, int, int]:
    """The maximum-sum contiguous run of ``weights[lo:hi]`` as ``(score, start, end)`` (Kadane)."""
    hi = len(weights) if hi is None else hi
    best, best_run = 0.0, (lo, lo)
    total, start = 0.0, lo
    for i in range(lo, hi):
        if total <= 0:
            total, start = 0.0, i
        total += weights[i]
        if total > best:
            best, best_run = total, (start, i + 1)
    return best, *best_run


def _runs(weights: list[float]) -> list[tuple[float, int, int]]:
    """Disjoint best runs in text order: the best run, then recursively those left and right."""
    out: list[tuple[float, int, int]] = []
    todo = [(0, len(weights))]
    while todo:
        lo, hi = todo.pop()
        score, start, end = _best_run(weights, lo, hi)
        if score <= 0:
            continue
        out.append((score, start, end))
        todo += [(lo, start), (end, hi)]
    return sorted(out, key=lambda r: r[1])


def _body(weights: list[float], entries: frozenset[int] = frozenset()) -> tuple[int, int]:
    """The body: the first run that scores at least half of the best one.

    Pages put the article first and comments, story teasers and footers after it; these can
    outweigh a short article, so position breaks near-ties in favour of the earlier run. Runs
    that open an entry of a stamped series (``entries``: a comment under "Jane on May 3, 2019 at
    5:23 pm said:") do not set the bar: ten comments are not ten articles.
    """
    runs = _runs(weights)
    if not runs:
        return 0, 0
    standalone = [score for score, start, _ in runs if start not in entries]
    best = max(standalone or [score for score, _, _ in runs])
    first = next(k for k, (score, _, _) in enumerate(runs) if score >= _EARLY_FRACTION * best)
    _, start, end = runs[first]
    # A share bar or an ad block can split the body: the next run goes on with it when only a
    # few lines, none a stamp, stand between them.
    for _, nstart, nend in runs[first + 1 :]:
        gap = weights[end:nstart]
        if len(gap) > _GAP_LINES or any(w <= -_STAMP_COST for w in gap):
            break
        end = nend
    return start, end


def _stamp_shape(norm: str) -> str:
    """A stamp line without its names and its date: "Jane Doe on May 3, 2019 at 5:23 pm said:"
    and "Bob (Admin) on June 1, 2019 at 9:02 am said:" both read "on # said:"."""
    tokens = _STAMP.sub(" # ", norm).split()
    return " ".join(t for t in tokens if t == "#" or t[0].islower() or not t[0].isalnum())


def _entries(lines: list[_Line]) -> frozenset[int]:
    """Lines that open an entry of a stamped series: the line after a stamp whose shape the page
    repeats three or more times. The first of them is spared when no stamp comes before it: it
    may be the article's own date line, with the comments' stamps shaped like it."""
    shapes = {i: _stamp_shape(ln.norm) for i, ln in enumerate(lines) if ln.kind == "stamp"}
    counts = Counter(shapes.values())
    out: set[int] = set()
    for i, shape in shapes.items():
        if counts[shape] >= _SERIES_MIN and i != min(shapes):
            out.add(i + 1)
    return frozenset(out)


def _label(line: _Line) -> bool:
    """A line shaped like a link or a widget name ("Share", "Most Popular", "Black Friday Deals
    On Apple Devices"): very short, or in title case, and without figures. List items and table
    rows inside an article carry lowercase words or numbers."""
    if line.kind not in ("short", "tag-list", "credit"):
        return False
    words = line.norm.split()
    if any(c.isdigit() for c in line.norm):
        return False
    n = len(words) + len(_UNSPACED.findall(line.norm)) // 2
    if n <= 3:
        return True
    if line.kind == "short" and line.norm.count(", ") >= 2:
        # "SpaceX, Hawthorne, California": a link's text is a name, not a phrase with commas;
        # these are the items of a list in the article.
        return False
    cased = [w for w in words if w[0].isupper() or w[0].islower()]
    return len(cased) >= 4 and sum(1 for w in cased if w[0].islower()) < 0.25 * len(cased)


def _weights(lines: list[_Line], labels: list[bool]) -> list[float]:
    out: list[float] = []
    for i, line in enumerate(lines):
        if line.kind == "prose":
            out.append(float(min(len(line.norm), _PROSE_CAP)))
        elif line.kind == "near":
            out.append(-_NEAR_COST)
        elif line.kind == "stamp":
            out.append(-_STAMP_COST)
        elif labels[i] and ((i > 0 and labels[i - 1]) or (i + 1 < len(lines) and labels[i + 1])):
            # Menus, share bars and tag clouds come as runs of links.
            out.append(-_OTHER_COST)
        elif labels[i]:
            # One label between content lines: a list's subheading, an "Advertisement" slot.
            out.append(-_LONE_LABEL_COST)
        else:
            out.append(-_CONTENT_COST)
    return out


def _headline_like(line: _Line) -> bool:
    words = line.norm.split()
    return (
        3 <= len(words) <= 30
        and line.kind in ("short", "near")
        and not line.norm.endswith(".")
        and any(w[:1].isupper() for w in words)
        and is_byline(line.norm) is None
        and date_line(line.norm) is None
    )


@dataclass(frozen=True, slots=True)
class _Selection:
    kept: list[int]
    reasons: dict[int, str]
    title: str | None
    byline: str | None
    published: str | None


def parse_lines(content: str) -> list[_Line]:
    """The text's non-blank lines (hard-wrapped paragraphs joined), each with its shape."""
    return [_Line(t, n, classify_line(n)) for t in _lines(content) if (n := _normalise(t))]


def body_lines(
    lines: list[_Line], title_hint: str | None = None, *, furniture: bool = False
) -> list[int]:
    """Indices of the body's lines (see :func:`clean_plain_text`); ``furniture`` trims the foot."""
    return _body_lines(lines, title_hint, furniture=furniture)[0]


def _body_lines(
    lines: list[_Line], title_hint: str | None, *, furniture: bool
) -> tuple[list[int], dict[int, str], _Selection]:
    first = _select(lines, title_hint)
    reasons = dict(first.reasons)
    kept = list(first.kept)
    # Selection depends on neighbours, and dropping lines changes them: select again on what was
    # kept (and trim furniture from its foot) until nothing more goes, so that cleaning the
    # cleaned text keeps all of it. Every round drops at least one line, so this ends.
    while kept:
        changed = False
        again = _select([lines[i] for i in kept], None)
        if len(again.kept) != len(kept):
            reasons.update({kept[k]: r for k, r in again.reasons.items()})
            kept = [kept[k] for k in again.kept]
            changed = True
        if furniture and kept:
            cut = furniture_tail(
                [lines[i].norm for i in kept], [lines[i].kind == "prose" for i in kept]
            )
            if cut:
                reasons.update({i: "furniture" for i in kept[-cut:]})
                kept = kept[:-cut]
                changed = True
        if not changed:
            break
    return kept, reasons, first


def clean_plain_text(content: str, *, title_hint: str | None) -> CleanedParts:
    """Body paragraphs of a scraped page saved as text, with the headline and what was dropped.

    Every line of the input ends up either in the body or in ``dropped`` with a reason.
    """
    lines = parse_lines(content)
    if not lines:
        return CleanedParts(blocks=(), title=title_hint)
    kept, reasons, first = _body_lines(lines, title_hint, furniture=True)
    title = first.title
    flags: tuple[str, ...] = ()
    if not any(lines[i].kind in ("prose", "near") for i in kept):
        # No run of prose stood out (a page that is all list, a text of odd shape): losing the
        # article would cost more than keeping some furniture, so keep every line that could
        # be text, in order, and say so. Only a page of nothing but labels yields nothing.
        rescue = [
            i
            for i, ln in enumerate(lines)
            if reasons.get(i) != "headline"
            and (
                ln.kind in ("prose", "near")
                or (
                    ln.kind == "short"
                    and len(ln.norm.split()) >= _NEAR_MIN_WORDS
                    and not _label(ln)
                )
            )
        ]
        if rescue:
            kept = sorted(set(kept) | set(rescue))
            flags = ("no-body-found",)
            # The rescued lines may hold a body of their own (the page's only paragraphs were
            # a sentence shown twice, each copy a site string of the other): keep what cleaning
            # them finds, so that cleaning the result again keeps the same text.
            sub, sub_reasons, found = _body_lines([lines[i] for i in kept], None, furniture=True)
            if any(lines[kept[k]].kind in ("prose", "near") for k in sub):
                reasons.update({kept[k]: r for k, r in sub_reasons.items()})
                kept = [kept[k] for k in sub]
                # A headline it found is filed as the title, as a second cleaning would.
                title = first.title or found.title
    kept_set = set(kept)
    return CleanedParts(
        blocks=tuple(lines[i].text for i in kept),
        dropped=tuple(
            Dropped(lines[i].text, reasons.get(i, "outside-body"))
            for i in range(len(lines))
            if i not in kept_set
        ),
        title=title,
        byline=first.byline,
        published=first.published,
        flags=flags,
    )


def _trim_tail(lines: list[_Line], labels: list[bool], start: int, end: int) -> int:
    """Cut a lone paragraph that the run reached across links ("Read more", two teaser titles,
    then the cookie notice): an article's last paragraph does not stand behind a link."""
    while True:
        tail = end
        while tail > start and lines[tail - 1].kind not in ("prose", "near"):
            tail -= 1
        last = tail - 1  # the last sentence line of the run
        gap_end = last
        while gap_end > start and lines[gap_end - 1].kind in ("prose", "near"):
            gap_end -= 1
        if gap_end != last:
            return end  # the run ends on two or more sentence lines in a row
        gap_start = gap_end
        while gap_start > start and lines[gap_start - 1].kind not in ("prose", "near"):
            gap_start -= 1
        gap = range(gap_start, gap_end)
        if gap_start <= start or len(gap) < 2 or not any(labels[i] for i in gap):
            return end
        end = gap_start


def _extend(lines: list[_Line], start: int, end: int, labels: list[bool]) -> tuple[int, int]:
    """Widen the body run over what belongs to it but scores against it: short sentences at
    its edges ("He was 54.") and a list that a lead-in line announces ("Tour dates:")."""
    while 0 < start < end and lines[start - 1].kind == "near":
        start -= 1
    while start < end < len(lines):
        if lines[end].kind in ("near", "embed") or _end_note(lines[end]):
            end += 1
        elif end + 1 < len(lines) and lines[end + 1].kind == "embed" and not labels[end]:
            # An embedded post closing the article: its text, then "— Name (@handle) date".
            end += 2
        elif (
            (lines[end - 1].norm.endswith(":") or lines[end].norm.endswith(":"))
            and not labels[end]
            and lines[end].kind != "stamp"
        ):
            # The items of an announced list: anything but links and widgets, up to the first.
            while end < len(lines) and not labels[end] and lines[end].kind != "stamp":
                end += 1
        elif (items := _enumerated_run(lines, end + labels[end])) >= _LIST_MIN_ITEMS:
            # A list under its own heading ("Tour Dates", then "June 9 – Tampa, FL"): items that
            # open alike with a figure are dates, ranks or steps the article gives.
            end += labels[end] + items
        else:
            break
    return start, end


def _end_note(line: _Line) -> bool:
    """A note in brackets under the last paragraph: who reported and edited the story
    ("(Reporting by Jane Doe; Editing by Tom Roe)"), the source of a quotation ("[Book, p. 41]").
    Only words in brackets: a link, a widget or a photo credit is not written that way."""
    return (
        line.kind in ("short", "near")
        and len(line.norm.split()) >= _NOTE_MIN_WORDS
        and bool(_BRACKETED.match(line.norm))
    )


def _lead_shape(norm: str) -> str:
    """How a list item opens: its first two tokens, figures as 0 and words as A or a."""
    out = []
    for token in norm.split()[:2]:
        shape = re.sub(r"\d+", "0", token)
        shape = re.sub(r"[^\W\d_]+", lambda m: "A" if m.group()[0].isupper() else "a", shape)
        out.append(shape)
    return " ".join(out)


def _frame(norm: str) -> str:
    """The punctuation a line is built on, in order ("Spain (Group F): 11th" -> "():")."""
    return "".join(c for c in norm if c in "():;,–—|/[]")


def _enumerated_run(lines: list[_Line], i: int) -> int:
    """How many lines from ``i`` on are items of one enumerated list: short lines of a few words,
    not stamps, all opening with the same shape holding a figure ("June 9 –", "3a etapa:") or
    a label and a colon ("Path A:", "Path B:"), or all built on the same frame of punctuation
    ("England (Group A): 10th appearance").

    An item may read as a caption alone ("2a etapa: 8 de abril – Curitiba / Alternativa" ends
    like a photo credit), and one opening with a label as a credit or a tag line ("Path A:
    Iceland, Bulgaria/Israel"); the shared opening says they are items of one list."""
    if i >= len(lines):
        return 0
    shape = _lead_shape(lines[i].norm)
    frame = _frame(lines[i].norm)
    labelled = shape.endswith(":")
    by_shape = "0" in shape or labelled
    if not by_shape and len(frame) < _FRAME_MIN:
        return 0
    kinds: tuple[str, ...] = ("short", "near")
    if by_shape:
        kinds += ("caption", "credit", "tag-list") if labelled else ("caption",)
    k = i
    while (
        k < len(lines)
        and lines[k].kind in kinds
        and _LIST_ITEM_MIN_WORDS <= len(lines[k].norm.split()) <= _LIST_ITEM_MAX_WORDS
        and (_lead_shape(lines[k].norm) == shape if by_shape else _frame(lines[k].norm) == frame)
    ):
        k += 1
    return k - i


def _list_items(lines: list[_Line]) -> frozenset[int]:
    """The lines that are items of an enumerated list (see :func:`_enumerated_run`)."""
    out: set[int] = set()
    i = 0
    while i < len(lines):
        run = _enumerated_run(lines, i)
        if run >= _LIST_MIN_ITEMS:
            out.update(range(i, i + run))
            i += run
        else:
            i += 1
    return frozenset(out)


def _select(lines: list[_Line], title_hint: str | None) -> _Selection:
    """Which lines are the body (indices, in order) and why each other line was dropped."""
    counts = Counter(ln.norm.casefold() for ln in lines)
    labels = [_label(ln) for ln in lines]
    weights = _weights(lines, labels)
    for i in range(1, len(lines) - 1):
        # A lone paragraph after a headline link is a teaser's blurb: story lists alternate link
        # and blurb, an article puts its paragraphs next to each other.
        if (
            lines[i].kind == "prose"
            and labels[i - 1]
            and lines[i + 1].kind not in ("prose", "near")
        ):
            weights[i] *= _TEASER_FACTOR
    items = _list_items(lines)
    for i in items:
        # The items of an enumerated list are the article's (a page that is a race calendar or a
        # list of results has little else): each counts as much as a short sentence.
        weights[i] = max(weights[i], _ITEM_WEIGHT)
    start, end = _body(weights, _entries(lines))
    end = _trim_tail(lines, labels, start, end)
    start, end = _extend(lines, start, end, labels)

    title = title_hint
    byline: str | None = None
    published: str | None = None
    reasons: dict[int, str] = {}

    # The headline: the given title, else the nearest headline-shaped line before the body that
    # is not a caption (a line its photo credit follows), a credit, a byline (or the affiliation
    # line under one: "Associated Press Writer") or a date line. Those become front matter.
    front: dict[int, str] = {}
    head_index: int | None = None
    for i in range(start - 1, max(-1, start - 1 - _HEADLINE_WINDOW), -1):
        ln = lines[i]
        if title_hint is not None and ln.norm.casefold() == title_hint.strip().casefold():
            head_index = i
            break
        role = _front_role(lines, i, start)
        if role is not None:
            front[i] = role
            continue
        if title_hint is None and _headline_like(ln) and counts[ln.norm.casefold()] <= 2:
            head_index = i
            title = ln.norm
            break
    if head_index is not None:
        reasons[head_index] = "headline"
        for i in range(head_index + 1, start):
            role = front.get(i)
            if role == "byline":
                author = is_byline(lines[i].norm)
                byline = byline or author
                reasons[i] = "byline" if author else "byline-affiliation"
            elif role == "date":
                published = published or date_line(lines[i].norm)
                reasons[i] = "date"
            elif role is not None:
                reasons[i] = role
    # A photo caption at the head of the body: the first line, when its credit comes next.
    if (
        end - start >= 3
        and lines[start + 1].kind == "credit"
        and lines[start].kind in ("prose", "near", "short")
        and len(lines[start].norm.split()) <= _CAPTION_MAX_WORDS
        and not _REPORTED.search(lines[start].norm)
    ):
        reasons[start] = "caption"

    outside = Counter(ln.norm.casefold() for ln in lines[:start] + lines[end:])
    seen: set[str] = set()
    for i, ln in enumerate(lines):
        key = ln.norm.casefold()
        if i in reasons:
            continue
        if not start <= i < end:
            reasons[i] = "outside-body"
        elif (
            ln.kind in ("credit", "caption", "tag-list", "stamp")
            and i not in items
            and not _listed(lines, i, start, end)
        ):
            reasons[i] = ln.kind
        elif ln.kind == "near" and (_bare_credit(lines, i - 1) or _bare_credit(lines, i + 1)):
            # A short sentence next to a photo credit is the photo's caption, unless the credit
            # carries a caption of its own (then this is the article's sentence).
            reasons[i] = "caption"
        elif outside[key] or (key in seen and ln.kind in ("prose", "near")):
            # A site string (also in the menus or the footer) or a pull quote shown again.
            reasons[i] = "repeated"
        elif (
            ln.kind == "short"
            and labels[i]
            and counts[key] > 1
            and (key in seen or len(ln.norm.split()) == 1)
        ):
            # "Advertisement" between every other paragraph: a label the page repeats. A
            # subheading of several words that each section repeats ("Pre-Workout Meal") is
            # kept once: it may be the only place the article says it.
            reasons[i] = "repeated"
        elif (
            len(ln.norm.split()) == 1
            and ln.norm.isupper()
            and lexicon_score(ln.norm, load_weights().lexicon) > 0
        ):
            # "ADVERTISEMENT", "VIDEO": a one-word label in capitals is page furniture when its
            # word is one that furniture uses (the fitted lexicon of :mod:`.furniture`); a
            # subheading in capitals ("TL;DR", "HL7", "INTIMIDATING") is the article's.
            reasons[i] = "widget"
        elif labels[i] and _label_run(labels, i) >= _MENU_RUN and i not in items:
            # Share bars and link lists inside the article's frame.
            reasons[i] = "menu"
        seen.add(key)
    kept = [i for i in range(len(lines)) if i not in reasons]
    return _Selection(kept, reasons, title, byline, published)


def _listed(lines: list[_Line], i: int, start: int, end: int) -> bool:
    """A list of names between the body's paragraphs ("Path B: Slovakia, Ireland, Norway"):
    a line with a run of commas and prose close on both sides is the article's list, not a
    tag line (those come after the article)."""
    if lines[i].norm.count(", ") < 2 or lines[i].kind == "stamp":
        return False
    before = any(lines[k].kind == "prose" for k in range(max(start, i - _LIST_REACH), i))
    after = any(lines[k].kind == "prose" for k in range(i + 1, min(end, i + 1 + _LIST_REACH)))
    return before and after


def _front_role(lines: list[_Line], i: int, start: int) -> str | None:
    """What a line above the body is when it is not the headline: ``byline`` (a "By ..." line,
    or the short affiliation line under one), ``date``, ``credit`` or ``caption`` (a line that a
    credit follows: a picture's description), else None."""
    ln = lines[i]
    if is_byline(ln.norm) is not None:
        return "byline"
    if date_line(ln.norm) is not None:
        return "date"
    if ln.kind == "credit":
        return "credit"
    if i + 1 < len(lines) and lines[i + 1].kind == "credit" and i + 1 <= start:
        return "caption"
    if (
        i > 0
        and is_byline(lines[i - 1].norm) is not None
        and len(ln.norm.split()) <= _AFFILIATION_WORDS
        and not _SENTENCE_END.search(ln.norm)
    ):
        return "byline"
    return None


def _label_run(labels: list[bool], i: int) -> int:
    lo = i
    while lo > 0 and labels[lo - 1]:
        lo -= 1
    hi = i
    while hi + 1 < len(labels) and labels[hi + 1]:
        hi += 1
    return hi - lo + 1


def _bare_credit(lines: list[_Line], i: int) -> bool:
    """Whether line ``i`` is a photo credit without its picture's caption. A picture has one
    caption: a credit glued to its caption ("The road to retiring early isn't easy.Kathrin
    Ziegler/Getty", a sentence before the name) has it already, so a short sentence next to such
    a credit is the article's own, not a second caption."""
    if not 0 <= i < len(lines) or lines[i].kind != "credit":
        return False
    glued = _GLUED_CAPTION.match(lines[i].norm)
    # Words of two letters or more: "Photo by J. R. Smith/AP" has initials, not a caption.
    words = glued.group(1).split() if glued else []
    return sum(1 for w in words if sum(c.isalpha() for c in w) >= 2) < _NEAR_MIN_WORDS
