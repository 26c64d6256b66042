"""Front matter: headline, byline, date line and dateline at the head of the body become metadata.

Runs after both the HTML and the plain-text path. It only ever removes whole blocks that are
*shaped* like front matter (a repeat of the title, a "By ..." line, a line made only of date
words) and, from the first paragraph, a dateline prefix ("WASHINGTON —"); the rest of that
paragraph stays. Each recogniser is deliberately strict: a missed byline costs one stray line in
the body, an eaten sentence costs a fact.

The recognisers are hand-written regular expressions: no library recognises news bylines and
datelines (dateparser reads dates but happily finds one in any sentence with a number in it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from newsprism.clean.parts import CleanedParts
from newsprism.model import Dropped

__all__ = [
    "date_line",
    "is_byline",
    "same_headline",
    "split_dateline",
    "split_front_matter",
]

# How many blocks at the head of the body may be front matter: a title, a byline, a date line
# and perhaps a second date ("Updated ...") — more than that and we are in the article.
_MAX_HEAD_BLOCKS = 5

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]
_WEEKDAYS = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
]
# Words that may stand in a line that is nothing but a publication date and time.
_DATE_WORDS = frozenset(
    [
        *_MONTHS,
        *_WEEKDAYS,
        *[
            "am",
            "pm",
            "a.m.",
            "p.m.",
            "noon",
            "midnight",
            "et",
            "est",
            "edt",
            "ct",
            "cst",
            "cdt",
            "mt",
            "mst",
            "mdt",
            "pt",
            "pst",
            "pdt",
            "gmt",
            "utc",
            "bst",
            "cet",
            "cest",
            "ist",
            "jst",
            "aest",
            "aedt",
            "z",
        ],
        *[
            "published",
            "updated",
            "posted",
            "modified",
            "last",
            "first",
            "on",
            "at",
            "date",
            "time",
            "of",
            "the",
            "st",
            "nd",
            "rd",
            "th",
        ],
    ]
)
_DATE_PREFIX = re.compile(
    r"^\s*(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)(?:\s+(?:on|at))?|date)\s*:?\s*",
    re.IGNORECASE,
)
_HAS_YEAR_OR_MONTH = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(?:"
    + "|".join(_MONTHS)
    + r")\b\.?",
    re.IGNORECASE,
)

_BYLINE = re.compile(r"^(?:by|BY|By)\s*:?\s+(?P<rest>[A-Z].*)$", re.DOTALL)
_SENTENCE_END = re.compile(r"[.!?]['\"”’)]*$")
_ABBREV_END = re.compile(r"\b(?:[A-Z]|Jr|Sr|Inc|Co|Ltd|Corp|a\.m|p\.m)\.$")

_DATELINE = re.compile(
    r"""^(?P<dl>
        (?:
          [A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}            # WASHINGTON, NEW YORK, ST. LOUIS
          (?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})?      # , Calif. / , England
          |
          [A-Z][a-z.'’-]+(?:\s+[A-Z][a-z.'’-]+){0,2}            # Washington (only before an agency)
          (?=(?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})?\s*\()
          (?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})?
        )
        (?:,\s*(?:"""
    + "|".join(m.capitalize() for m in _MONTHS)
    + r""")\.?\s+\d{1,2})?                                   # , March 3
        \s*(?:\([A-Za-z][\w .&'’-]{0,30}\))?                    # (AP) / (Reuters)
        \s*(?:—|–|--|-|_)                                       # the dash (old wire: _)
    )\s+(?=["“'‘]?[A-Z0-9])""",
    re.VERBOSE,
)
_WORD = re.compile(r"[\w']+")


def _norm_words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def same_headline(block: str, title: str | None) -> bool:
    """True when ``block`` is the title again (case, punctuation and spacing aside)."""
    if not title:
        return False
    a, b = _norm_words(block), _norm_words(title)
    return bool(a) and a == b


def is_byline(block: str) -> str | None:
    """The author part of a byline block ("By Jane Smith and John Doe"), or None.

    A byline names people: after "By" the words up to the first comma or "and" must all be
    capitalised, the first must not be a weekday or month ("By Tuesday, ..." opens a sentence),
    and the line must be short and not end like a sentence.
    """
    block = block.strip()
    m = _BYLINE.match(block)
    if not m or len(block.split()) > 20 or "\n" in block:
        return None
    if _SENTENCE_END.search(block) and not _ABBREV_END.search(block):
        return None
    rest = m.group("rest").strip()
    head = re.split(r",|\band\b|&|\||\s[—–-]\s|@|\d", rest, maxsplit=1)[0].split()
    if not head or len(head) > 5:
        return None
    if head[0].casefold().rstrip(".") in _MONTHS or head[0].casefold() in _WEEKDAYS:
        return None
    # Names are capitalised; short particles ("de", "van", "bin") may stand between them.
    if not head[0][0].isupper() or not all(
        w[0].isupper() or (w.isalpha() and w.islower() and len(w) <= 3) for w in head
    ):
        return None
    return rest


def date_line(block: str) -> str | None:
    """The date of a block that is only a publication date ("Published March 3, 2019 5:30 PM
    ET"), without its "Published"/"Updated" label; None if the block says anything else."""
    block = block.strip()
    if not block or len(block) > 80 or not _HAS_YEAR_OR_MONTH.search(block):
        return None
    for word in re.findall(r"[^\W\d_]+\.?(?:[^\W\d_]\.)*", block):
        w = word.casefold()
        if w not in _DATE_WORDS and w.rstrip(".") not in _DATE_WORDS:
            return None
    value = _DATE_PREFIX.sub("", block).strip(" |,-–—·")
    return value or None


def split_dateline(block: str) -> tuple[str, str] | None:
    """``(dateline, rest)`` when ``block`` opens with a dateline ("LONDON (Reuters) - ...")."""
    m = _DATELINE.match(block)
    if not m:
        return None
    dateline = m.group("dl").rstrip(" —–-_").strip()
    rest = block[m.end() :]
    # A dateline is a place: at least one word of three or more letters ("U.S. -" is not one).
    if not re.search(r"[A-Za-z]{3}", dateline) or not rest.strip():
        return None
    # Two dateline shapes in a row is not a dateline but a sentence we do not understand; cutting
    # it would also make cleaning a cleaned text cut again.
    if _DATELINE.match(rest):
        return None
    return dateline, rest


def split_front_matter(parts: CleanedParts) -> CleanedParts:
    """Move a repeated headline, byline, date line and dateline from the body to metadata."""
    blocks = list(parts.blocks)
    dropped = list(parts.dropped)
    byline, published, dateline = parts.byline, parts.published, parts.dateline
    # Keep at least one block: front matter never empties an article.
    while len(blocks) > 1 and len(dropped) - len(parts.dropped) < _MAX_HEAD_BLOCKS:
        head = blocks[0]
        if same_headline(head, parts.title):
            reason = "headline"
        elif (author := is_byline(head)) is not None:
            byline = byline or author
            reason = "byline"
        elif (date := date_line(head)) is not None:
            published = published or date
            reason = "date"
        else:
            break
        dropped.append(Dropped(head, reason))
        blocks.pop(0)
    if blocks and (split := split_dateline(blocks[0])) is not None:
        place, rest = split
        dateline = dateline or place
        dropped.append(Dropped(blocks[0][: len(blocks[0]) - len(rest)], "dateline"))
        blocks[0] = rest
    return replace(
        parts,
        blocks=tuple(blocks),
        dropped=tuple(dropped),
        byline=byline,
        published=published,
        dateline=dateline,
        outlet=parts.outlet
        or infer_outlet(dateline, byline, dropped, url=parts.url, title=parts.title),
    )


# "CARVERTON, Ohio (Lakeshore Wire) —": the agency in a dateline's parentheses.
_DATELINE_AGENCY = re.compile(r"\((?P<name>[A-Z][\w&.' -]{1,40}?)\)\s*$")
# "© 2026 Ohio Valley Public Radio. All rights reserved." at the foot of a scraped page, and the
# old wire's "c.1999 N.Y. Times News Service" under the byline.
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright|c\.(?=\s?\d{4}))\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s+)?"
    # The name ends at a comma, a full stop after a word (not an initial: "N.Y. Times"), or
    # "All rights reserved".
    r"(?P<name>[A-Z][\w&.' -]{1,60}?)(?:(?<=[a-z]{2})\.|,|\s+all rights reserved|$)",
    re.IGNORECASE,
)
_BYLINE_OUTLET = re.compile(r",\s*(?P<name>[A-Z][\w&.' -]{1,40})$")
# "Headline | Site Name", "Headline – Site": the page title a scraper saves as the first line.
_TITLE_SUFFIX = re.compile(r"\s(?:\||–|—|-|::|»)\s(?P<name>[^|–—»]{2,40})$")
_SITE_WORDS = 6
_HEAD_LINES = 3  # how far from the top of the page a title line stands


def infer_outlet(
    dateline: str | None,
    byline: str | None,
    dropped: Sequence[Dropped],
    *,
    url: str | None = None,
    title: str | None = None,
) -> str | None:
    """An outlet name for plain text that came without one, from evidence on the page: the host
    of its URL, the copyright line, the site name the page title adds to the headline, the agency
    in the dateline, or the outlet after the byline's name."""
    if url and (host := urlsplit(url if "//" in url else f"//{url}").hostname):
        return host.removeprefix("www.")
    for d in dropped:
        if (m := _COPYRIGHT.match(d.text.strip())) and len(m.group("name").split()) <= _SITE_WORDS:
            return m.group("name").strip(" .")
    if title:
        for d in dropped[:_HEAD_LINES]:
            text = " ".join(d.text.split())
            m = _TITLE_SUFFIX.search(text)
            if m and same_headline(text[: m.start()], title):
                name = m.group("name").strip()
                if len(name.split()) <= _SITE_WORDS:
                    return name
    if dateline and (m := _DATELINE_AGENCY.search(dateline)):
        return m.group("name").strip()
    if byline and (m := _BYLINE_OUTLET.search(byline)) and " and " not in m.group("name"):
        return m.group("name").strip()
    return None
