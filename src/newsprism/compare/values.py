"""Typed values in sentences: the raw material of conflict detection across outlets.

:func:`extract_values` finds counts, durations, money, percents, measured quantities, dates,
weekdays, clock times, ages and ordinals in a sentence and normalises each into a
:class:`~newsprism.model.Value` with an exact span; :func:`values_disagree` says whether two such
values can both be true.

Why a hand-written parser rather than a library (each was considered):

* ``quantulum3`` needs its classifier retrained before it loads, reads "90 minutes" as minutes of
  arc, knows no casualty counts ("killed at least 12") and gives no head word;
* ``word2number`` / ``number-parser`` turn whole strings into numbers but give no spans, and
  neither reads hyphenated compounds such as "two-and-a-half-hour" or "an hour and a half";
* ``price-parser`` reads one price out of a short string (no spans, no "$4-5 million" ranges);
* ``dateparser`` is ~1 ms per call and, given a sentence, finds dates inside ordinary words; the
  date shapes news prose uses ("March 3", "3 March 2024", "on Tuesday", "in 2016") are fixed, the
  regexes below already isolate day, month and year, and turning those into a date is one
  ``datetime.date`` call. What needs care is the *resolution* against the publication date,
  which is written out (and tested) here.

So one regex tokenizer with character offsets feeds a small grammar over tokens; numbers, units
and qualifiers are table lookups. Pure Python: about 15k sentences/s on one core with or without
a ``doc`` (``bench/values.py`` on BASIL); the parse that makes the ``doc`` costs far more.

Decisions worth knowing (tests pin each):

* A four-digit year is a DATE of year precision (``date="2016"``) only after a preposition
  ("in 2016", "since 2016"); used as a name ("the 2016 election") it yields nothing, and it is
  never a count.
* "on Tuesday" is a WEEKDAY resolved to the most recent Tuesday on or before the publication date,
  or to the next one on or after it when the clause says future ("will", "is expected to",
  "scheduled", "next"). "last Tuesday" (the most recent Tuesday before publication),
  "next Tuesday", "yesterday" and "tomorrow" are DATEs. A year-less "March 3" takes the
  publication year, or the year before when that would put it more than 60 days after
  publication ("on Dec. 28" in a March article); with future wording, the next March 3 on or
  after publication. "last week", "two years ago", "this month" are no values.
* Identifiers yield nothing: "Article 5", "No. 3", "Route 66", "COVID-19", "F-35", "9/11",
  scores "5-4", phone numbers, street addresses, photo counters and numbers inside short quoted
  titles ("“13 Reasons Why”").
* A count needs a counted noun ("12 people", "three Israeli soldiers", "12 of the victims") or a
  casualty context ("killed at least 12", "11 dead", "the death toll rose to 15"), which counts
  people. Vague amounts ("dozens", "hundreds of") are not values.
* ``low``/``high`` hold only the bounds the wording states ("at least 12": low=12; "nearly 50":
  high=50; "between 10 and 12": both, with ``number`` the midpoint). How loose "about" is belongs
  to :func:`values_disagree`, not to the extracted record.
* ``unit`` for counts is the counted noun's singular ("person" becomes "people"), computed by the
  same rules with and without a parse so two outlets' values compare whatever path made them.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from newsprism.compare.words import word_list, word_map, word_set, word_table
from newsprism.model import Span, Value, ValueKind

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_values"]

# ---------------------------------------------------------------------------------------------
# Tokens

# Numbers keep their thousands separators and decimals; words keep inner apostrophes
# ("o'clock") but not a possessive "'s", so "Tuesday's" yields the token "Tuesday".
_TOKEN = re.compile(
    r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9,][0-9])"
    r"|[0-9]+(?:\.[0-9]+)?"
    r"|[^\W\d_]+(?:['’](?![sS]\b)[^\W\d_]+)*"
    r"|\S"
)


@dataclass(slots=True)  # not frozen: building frozen instances costs a third of the run time
class _Tok:
    text: str
    low: str
    start: int
    end: int
    num: bool  # digits
    word: bool  # letters


def _tokenize(text: str, start: int, end: int) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text, start, end):
        s = m.group()
        c = s[0]
        out.append(_Tok(s, s.lower(), m.start(), m.end(), "0" <= c <= "9", c.isalpha()))
    return out


def _attached(a: _Tok, b: _Tok) -> bool:
    return a.end == b.start


# ---------------------------------------------------------------------------------------------
# Vocabulary

# The word tables live in data/words/*.json (one table a file, each saying what it is for);
# the grammar below reads them. Numbers: word -> value.
_UNITS_W = word_map("number_words", int)
_TENS_W = word_map("number_tens", int)
_BIG = word_map("number_scales", float)
# Abbreviated scales: unambiguous ones anywhere, "m"/"k"/"b" only after a currency sign.
_SCALE_ABBR = word_map("scale_abbreviations", float)
_SCALE_ABBR_MONEY = {**word_map("money_scale_abbreviations", float), **_SCALE_ABBR}
_VULGAR = word_map("vulgar_fractions", float)

_ORDINAL_W = word_map("ordinal_words", int)
_ORD_SUFFIX = word_set("ordinal_suffixes")
_ORD_DETS = word_set("ordinal_determiners")

_MONTHS = word_map("months", int)
_MONTH_ABBR = word_map("month_abbreviations", int)
_WEEKDAYS = word_map("weekdays", int)
# Words before a bare month or a year that make it a date ("in March", "since 2016").
_DATE_PREPS = word_set("date_prepositions")
_DATE_QUAL = word_map("date_qualifiers", str)
_FUTURE = re.compile(
    r"\b(?:will|shall|'ll|next|upcoming|coming|(?:is|are|was|were)\s+(?:scheduled|expected|set|"
    r"due|slated|going|poised)\s+to|plans?\s+to|planned\s+to|scheduled|slated)\b",
    re.IGNORECASE,
)

_DURATION = word_map("duration_units", int)

# Measured quantities: token sequence -> (unit as stated, family, factor to the family's base).
# The unit is kept as stated ("mi", "km"); values_disagree converts within a family.
_QTY: dict[tuple[str, ...], tuple[str, str, float]] = {
    tuple(form.split()): (str(u["unit"]), str(u["family"]), float(u["factor"]))
    for u in word_table("quantity_units")["units"]
    for form in u["forms"]
}
_QTY_MAXLEN = max(len(k) for k in _QTY)
_FAMILY = {u: (fam, f) for (u, fam, f) in _QTY.values()}
# Attached single letters that are units only right after digits ("100m", "5g").
_QTY_ATTACHED = {a: (u, *_FAMILY[u]) for a, u in word_map("attached_units", str).items()}

_CURRENCY_SIGN = word_map("currency_signs", str)
_DOLLAR_PREFIX = word_map("dollar_prefixes", str)
_CURRENCY_WORD = word_map("currency_words", str)
_DOLLAR_ADJ = word_map("dollar_adjectives", str)
_ISO_BEFORE = word_set("currency_iso_codes")

_TZ = word_map("time_zones", str)
_AMPM = re.compile(r"\s?([aApP])\.?\s?[mM]\b\.?")
_TZ_AFTER = re.compile(r"\s*\(?([A-Za-z]{2,4})\b\)?")
_TIME_PREPS = word_set("time_prepositions")

# Qualifiers right before a value, mapped to one canonical wording.
_QUALS: dict[tuple[str, ...], str] = {
    tuple(form.split()): canon
    for canon, forms in word_map("qualifiers", list).items()
    for form in forms
}
_QUAL_SUFFIX = {tuple(k.split()): v for k, v in word_map("qualifier_suffixes", str).items()}

# Function words: a capitalised one before a number does not make the number an identifier.
_STOP = word_set("value_function_words")
# Identifiers: a number right after one of these names something ("Section 230", "No. 3").
_ID_WORDS = word_set("identifier_words")
_AUX = word_set("head_auxiliaries")
_CASUALTY = word_map("casualty_words", str)
_CASUALTY_AFTER = word_set("casualty_after")
_CASUALTY_BEFORE = word_set("casualty_before")
_IRREGULAR_PLURAL = word_map("irregular_plurals", str)
_NOT_PLURAL = word_set("not_plural")
_COUNT_MODIFIERS = word_set("count_modifiers")
_IRREGULAR_VERB = word_map("irregular_verbs", str)


# ---------------------------------------------------------------------------------------------
# Lemmas without a parse (units of counts always; heads when no Doc is given)


def _noun_lemma(w: str) -> str:
    w = w.lower().replace("’", "'")
    if w in _IRREGULAR_PLURAL:
        return _IRREGULAR_PLURAL[w]
    if len(w) > 3 and w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return w[:-2]
    if len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


_NO_E_STEMS = word_list("verb_stems_no_e")
_E_STEMS = word_list("verb_stems_e")


def _verb_lemma(w: str) -> str:
    w = w.lower()
    if w in _IRREGULAR_VERB:
        return _IRREGULAR_VERB[w]
    if len(w) > 4 and w.endswith("ied"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("ed"):
        stem = w[:-2]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
            return stem[:-1]  # "stopped" -> "stop", but "killed" -> "kill"
        if stem.endswith(_NO_E_STEMS):
            return stem  # "treated", "cleared", "avoided"
        if stem.endswith(_E_STEMS):
            return stem + "e"  # "injured", "arrived", "charged", "caused", "forced", "stated"
        return stem
    return _noun_lemma(w)


def _is_plural(t: _Tok) -> bool:
    w = t.low
    if w in _IRREGULAR_PLURAL:
        return w not in ("person",)
    if t.text[0].isupper() and w.endswith("as"):
        return False  # "Texas", "Kansas", "Dallas"
    return (
        len(w) > 2
        and w.endswith("s")
        and not w.endswith(("ss", "us", "is", "'s"))
        and w not in _NOT_PLURAL
        and w not in _STOP
    )


# ---------------------------------------------------------------------------------------------
# Numbers


@dataclass(slots=True)
class _Num:
    value: float
    i: int  # first token
    j: int  # one past the last token
    digits: bool
    article: bool = False  # "a"/"an" read as one: only valid before a unit
    year_like: bool = False
    scaled: bool = False
    clock: tuple[int, int] | None = None  # "3:30"

    def __post_init__(self) -> None:
        self.value = float(self.value)


def _and_a_half(toks: list[_Tok], j: int) -> tuple[float, int]:
    n = len(toks)
    # "-and-a-half" inside a hyphenated compound
    if (
        j + 5 < n
        and toks[j].text == "-"
        and toks[j + 1].low == "and"
        and toks[j + 2].text == "-"
        and toks[j + 3].low in ("a", "one")
        and toks[j + 4].text == "-"
        and toks[j + 5].low == "half"
    ):
        return 0.5, j + 6
    if j + 2 < n and toks[j].low == "and" and toks[j + 1].low in ("a", "one"):
        k = j + 2
        if toks[k].text == "-" and k + 1 < n:
            k += 1
        if toks[k].low == "half":
            return 0.5, k + 1
        if toks[k].low == "quarter":
            return 0.25, k + 1
    return 0.0, j


def _scale(toks: list[_Tok], j: int, money: bool) -> tuple[float, int]:
    if j >= len(toks):
        return 1.0, j
    t = toks[j]
    if t.low in _BIG:
        return _BIG[t.low], j + 1
    if t.word and _attached(toks[j - 1], t):
        table = _SCALE_ABBR_MONEY if money else _SCALE_ABBR
        if t.low in table:
            return table[t.low], j + 1
    elif (money and t.low in _SCALE_ABBR_MONEY and t.low not in ("m", "k", "b")) or (
        money and t.low in ("m", "bn")
    ):
        return _SCALE_ABBR_MONEY[t.low], j + 1
    return 1.0, j


def _words_number(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    n = len(toks)
    total = 0.0
    cur = 0.0
    last = ""
    j = i
    seen = False
    while j < n:
        w = toks[j].low
        if w in _UNITS_W:
            if last in ("unit",) or (last == "tens" and _UNITS_W[w] >= 10):
                break
            cur += _UNITS_W[w]
            last = "unit"
        elif w in _TENS_W:
            if last in ("unit", "tens"):
                break
            cur += _TENS_W[w]
            last = "tens"
        elif w == "hundred" and seen and last in ("unit", "tens"):
            cur = cur * 100
            last = "hundred"
        elif w in _BIG and seen and last in ("unit", "tens", "hundred"):
            total += cur * _BIG[w]
            cur = 0.0
            last = "big"
        elif (
            w == "-"
            and last == "tens"
            and j + 1 < n
            and toks[j + 1].low in _UNITS_W
            and _attached(toks[j - 1], toks[j])
            and _attached(toks[j], toks[j + 1])
        ) or (
            w == "and"
            and last in ("hundred", "big")
            and j + 1 < n
            and (toks[j + 1].low in _UNITS_W or toks[j + 1].low in _TENS_W)
        ):
            j += 1
            continue
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None
    # a trailing "-" or "and" was not consumed: j already points after the last number word
    return total + cur, j


def _parse_number(toks: list[_Tok], i: int, money: bool = False) -> _Num | None:
    n = len(toks)
    t = toks[i]
    if t.num:
        v = float(t.text.replace(",", ""))
        if not math.isfinite(v) or len(t.text) > 18:
            return None
        num = _Num(v, i, i + 1, True)
        num.year_like = len(t.text) == 4 and t.text.isdigit() and 1800 <= v <= 2100
        j = i + 1
        if j < n and toks[j].text in _VULGAR and _attached(t, toks[j]):
            num.value += _VULGAR[toks[j].text]
            j += 1
        elif j + 1 < n and toks[j].text in (":", ".") and _attached(t, toks[j]):
            nxt = toks[j + 1]
            if toks[j].text == ":" and nxt.num and len(nxt.text) == 2 and _attached(toks[j], nxt):
                if j + 2 < n and toks[j + 2].text == ":" and _attached(nxt, toks[j + 2]):
                    return None  # "2:03:45": a race time, not a clock
                h, m = int(v) if v.is_integer() else -1, int(nxt.text)
                if not (0 <= h <= 24 and m < 60):
                    return None
                num.clock = (h, m)
                num.value = h + m / 60
                j += 2
        elif j + 1 < n and toks[j].text == "/" and _attached(t, toks[j]):
            den = toks[j + 1]
            if (
                den.num
                and _attached(toks[j], den)
                and den.text in ("2", "3", "4", "8")
                and v < float(den.text)
                and not (j + 2 < n and toks[j + 2].text == "/")
            ):
                num.value = v / float(den.text)
                j += 2
            else:
                return None  # "9/11", "24/7", "3/4/2024": names or ambiguous dates
        elif (
            j + 2 < n
            and toks[j].num
            and toks[j + 1].text == "/"
            and toks[j + 2].num
            and toks[j + 2].text in ("2", "3", "4", "8")
            and _attached(toks[j], toks[j + 1])
            and _attached(toks[j + 1], toks[j + 2])
            and float(toks[j].text) < float(toks[j + 2].text)
        ):
            num.value += float(toks[j].text) / float(toks[j + 2].text)  # "2 1/2"
            j += 3
        half, j = _and_a_half(toks, j)
        num.value += half
        if v.is_integer() and v < 100 and j < n and toks[j].low == "dozen":
            num.value *= 12
            j += 1
        sc, j2 = _scale(toks, j, money)
        if j2 != j:
            num.value *= sc
            num.scaled = True
            num.year_like = False
            j = j2
        num.j = j
        return num
    w = t.low
    if t.text in _VULGAR:
        return _Num(_VULGAR[t.text], i, i + 1, False)
    if w in ("a", "an"):
        if i + 1 >= n:
            return None
        nx = toks[i + 1].low
        if nx == "dozen":
            return _Num(12, i, i + 2, False)
        if nx in _BIG or nx == "hundred":
            val = 100.0 if nx == "hundred" else _BIG[nx]
            half, j = _and_a_half(toks, i + 2)
            return _Num(val * (1 + half), i, j, False, scaled=nx != "hundred")
        if nx == "half" and i + 2 < n and toks[i + 2].low == "dozen":
            return _Num(6, i, i + 3, False)
        if nx == "half" and i + 3 < n and toks[i + 2].text == "-" and toks[i + 3].low == "dozen":
            return _Num(6, i, i + 4, False)
        if nx == "half":
            j = i + 2
            if j + 1 < n and toks[j].text == "-" and _attached(toks[j - 1], toks[j]):
                j += 1  # "a half-hour"
            return _Num(0.5, i, j, False, article=True)
        return _Num(1, i, i + 1, False, article=True)
    if w == "half" and i + 2 < n and toks[i + 1].low in ("a", "an"):
        nx = toks[i + 2].low
        if nx == "dozen":
            return _Num(6, i, i + 3, False)
        if nx in _BIG:
            return _Num(0.5 * _BIG[nx], i, i + 3, False, scaled=True)
        return _Num(0.5, i, i + 2, False, article=True)
    if w in _UNITS_W or w in _TENS_W:
        got = _words_number(toks, i)
        if got is None:
            return None
        v, j = got
        num = _Num(v, i, j, False)
        half, j = _and_a_half(toks, j)
        num.value += half
        if j < n and toks[j].low == "dozen":
            num.value *= 12
            j += 1
        sc, j2 = _scale(toks, j, money)
        if j2 != j and toks[j].low in _BIG:
            num.value *= sc
            num.scaled = True
            j = j2
        num.j = j
        return num
    return None


def _is_number_start(t: _Tok) -> bool:
    return (
        t.num
        or t.low in _UNITS_W
        or t.low in _TENS_W
        or t.low in ("a", "an", "half")
        or t.text in _VULGAR
    )


# ---------------------------------------------------------------------------------------------
# Hits: what the grammar found, before heads are attached


@dataclass(slots=True)
class _Hit:
    kind: ValueKind
    s: int
    e: int
    number: float | None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    date: str | None = None
    adjectival: bool = False  # "a 3-hour meeting": the head is the noun after the value
    head: str | None = None  # already known (casualty word, ordinal noun)
    first: int = 0  # token range of the whole value, for the window heuristic
    last: int = 0


@dataclass(frozen=True, slots=True)
class _Ctx:
    text: str
    toks: list[_Tok]
    published: date | None
    start: int
    masked: frozenset[int]


def _qualifier_before(toks: list[_Tok], i: int) -> tuple[str | None, int]:
    for k in (3, 2, 1):
        if i - k < 0:
            continue
        key = tuple(t.low for t in toks[i - k : i])
        q = _QUALS.get(key)
        if q is not None:
            # "just" and "only" are emphasis unless right before the number
            return q, i - k
    return None, i


def _qualifier_after(toks: list[_Tok], j: int) -> tuple[str | None, int]:
    n = len(toks)
    if j < n and toks[j].low == "plus" and (toks[j - 1].num or toks[j].text == "plus"):
        return "at least", j + 1
    if j < n and toks[j].text == "-" and j + 1 < n and toks[j + 1].low == "plus":
        return "at least", j + 2
    if j + 1 < n:
        q = _QUAL_SUFFIX.get((toks[j].low, toks[j + 1].low))
        if q is not None:
            return q, j + 2
    return None, j


def _identifier_before(toks: list[_Tok], i: int) -> bool:
    """True when the number at ``i`` names something ("Article 5", "COVID-19", "No. 3")."""
    if i == 0:
        return False
    p = toks[i - 1]
    t = toks[i]
    if _attached(p, t):
        if p.word or p.text in ("#", "/", ".", "-", "_", "+", ":", "№"):
            if p.text == "-" and i >= 2 and not _attached(toks[i - 2], p):
                return False  # a dash used as punctuation
            if p.text == "." and i >= 2 and toks[i - 2].low in ("no", "nos"):
                return True
            return p.text != "-" or (i >= 2 and (toks[i - 2].word or toks[i - 2].num))
        return False
    if p.text == "." and i >= 2 and toks[i - 2].low in ("no", "nos", "vol", "art", "sec"):
        return True
    if p.text in ("#", "№"):
        return True
    if p.word:
        if p.low in _ID_WORDS:
            return True
        if p.text[0].isupper() and p.low not in _STOP and p.low not in _QUALS_FIRST:
            return not (p.low in _MONTHS or p.low in _MONTH_ABBR or p.low in _WEEKDAYS)
    return False


_QUALS_FIRST = frozenset(k[0] for k in _QUALS) | word_set("qualifier_starts")
_QUAL_WORDS = frozenset(w for k in _QUALS for w in k)


# ---------------------------------------------------------------------------------------------
# Dates


def _iso_year_month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


#: How far after publication a year-less date may fall and still take the publication year.
_AHEAD_DAYS = 60


def _infer_year(
    pub: date | None, month: int, day: int | None, prev: str, future: bool
) -> int | None:
    """The year of a year-less "March 3" / "in March", read against the publication date."""
    if pub is None:
        return None
    y = pub.year
    md = (month, day or 1)
    here = (pub.month, pub.day if day else 1)
    if prev == "this":
        return y
    if prev == "next" or future:
        return y + 1 if md < here else y  # the next one on or after publication
    if prev == "last":
        return y - 1 if md > here else y
    # Past by default: a date more than two months after publication is last year's
    # ("on Dec. 28" in a March article); one just after it is usually an upcoming event.
    d = _safe_date(y, md[0], md[1])
    if d is not None and (d - pub).days > _AHEAD_DAYS:
        y -= 1
    return y


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_at(t: _Tok) -> int | None:
    if not t.word or not t.text[0].isupper():
        return None
    return _MONTHS.get(t.low) or _MONTH_ABBR.get(t.low)


def _day_at(toks: list[_Tok], j: int) -> tuple[int, int] | None:
    """A day of the month at ``j`` ("3", "3rd"), and the index after it."""
    if j >= len(toks) or not toks[j].num or not toks[j].text.isdigit() or len(toks[j].text) > 2:
        return None
    d = int(toks[j].text)
    if not 1 <= d <= 31:
        return None
    k = j + 1
    if k < len(toks) and toks[k].low in _ORD_SUFFIX and _attached(toks[j], toks[k]):
        k += 1
    return d, k


def _year_at(toks: list[_Tok], j: int) -> int | None:
    if j < len(toks) and toks[j].num and toks[j].text.isdigit() and len(toks[j].text) == 4:
        y = int(toks[j].text)
        if 1800 <= y <= 2100:
            return y
    return None


def _date_qualifier(toks: list[_Tok], i: int) -> tuple[str | None, int]:
    if i > 0 and toks[i - 1].low in _DATE_QUAL:
        return _DATE_QUAL[toks[i - 1].low], i - 1
    return None, i


def _make_date(y: int | None, m: int, d: int | None) -> str | None:
    if y is None:
        return None
    if d is None:
        return _iso_year_month(y, m)
    try:
        return date(y, m, d).isoformat()
    except ValueError:  # "February 30": the prose is wrong, the value is unusable
        return None


# What ends the reach of a future cue before the date: a clause break, a relative or
# subordinate clause, or a verb in the past ("the bill will become law after voting ... to
# override Wednesday afternoon"; "is set to vote on a bill for families of those killed in the
# Sept. 11 attacks"). A participle after "be" is passive future ("will be decided Tuesday").
_FUTURE_BREAK = re.compile(
    r"[,;:()\u2014]|\b(?:after|before|when|while|since|because|which|who|whose|where|of)\b|"
    r"(?<!\bbe )(?<!\bbeen )\b[a-z]{3,}ed\b",
    re.IGNORECASE,
)


def _future(ctx: _Ctx, pos: int) -> bool:
    """Does the clause before ``pos`` speak of the future ("will meet on Tuesday")?"""
    last = None
    for m in _FUTURE.finditer(ctx.text, max(ctx.start, pos - 120), pos):
        last = m
    return last is not None and _FUTURE_BREAK.search(ctx.text, last.end(), pos) is None


#: Words that make the weekday after them part of a name (holidays, shows, campaign days).
_DAY_NAME_WORDS = word_set("weekday_name_words")


def _try_date(ctx: _Ctx, i: int) -> tuple[list[_Hit], int] | None:
    toks = ctx.toks
    n = len(toks)
    t = toks[i]
    prev = toks[i - 1].low if i > 0 else ""
    pub = ctx.published

    # "Tuesday", "last Tuesday", "Tuesday, March 3" -- but not a weekday inside a name: "Super
    # Tuesday", "Good Friday", "Fox News Sunday", or one a quote mark closes. A capitalised word
    # before a weekday is far more often a name that did something that day ("President Obama
    # Monday", "at the Democratic National Convention Wednesday"), so only the closed list of
    # words that make a weekday into a name counts.
    in_name = (
        i > 0
        and toks[i - 1].word
        and toks[i - 1].text[0].isupper()
        and (
            toks[i - 1].low in _DAY_NAME_WORDS
            or (
                i + 1 < n
                and toks[i + 1].text in ('"', "\u201d", "'", "\u2019")
                and not (i + 2 < n and toks[i + 2].low == "s")  # "Tuesday's arguments"
            )
        )
    )
    if t.word and t.low in _WEEKDAYS and t.text[0].isupper() and not in_name:
        wd = _WEEKDAYS[t.low]
        j = i + 1
        if j < n and toks[j].text == "," and j + 1 < n and _month_at(toks[j + 1]):
            got = _try_date(ctx, j + 1)
            if got and got[0] and got[0][0].kind is ValueKind.DATE:
                h = got[0][0]
                h.s, h.first = t.start, i
                return [h], got[1]
        if prev in ("last", "next"):
            s_i = i - 1
            if pub is None:
                hit = _Hit(ValueKind.WEEKDAY, toks[s_i].start, t.end, wd, first=s_i, last=i + 1)
                return [hit], i + 1
            if prev == "last":
                delta = (pub.weekday() - wd) % 7 or 7
                d = pub - timedelta(days=delta)
            else:
                delta = (wd - pub.weekday()) % 7 or 7
                d = pub + timedelta(days=delta)
            return [
                _Hit(ValueKind.DATE, toks[s_i].start, t.end, None, date=d.isoformat(),
                     first=s_i, last=i + 1)
            ], i + 1  # fmt: skip
        q, s_i = _date_qualifier(toks, i)
        resolved = None
        if pub is not None:
            if _future(ctx, t.start):
                d = pub + timedelta(days=(wd - pub.weekday()) % 7)
            else:
                d = pub - timedelta(days=(pub.weekday() - wd) % 7)
            resolved = d.isoformat()
        hit = _Hit(ValueKind.WEEKDAY, t.start, t.end, wd, qualifier=q, date=resolved,
                   first=i, last=i + 1)  # fmt: skip
        return [hit], i + 1

    # "March 3", "March 3, 2024", "March 2024", "in March", "mid-March"
    month = _month_at(t)
    if month is not None:
        j = i + 1
        if j < n and toks[j].text == "." and t.low in _MONTH_ABBR and _attached(t, toks[j]):
            j += 1
        if prev == "-" and i >= 2 and toks[i - 2].low == "mid":
            prev = "mid"
        q, s_i = _date_qualifier(toks, i)
        day = _day_at(toks, j)
        if day is not None and not (day[1] < n and toks[day[1]].text == ":"):
            dom, k = day
            y = None
            end_k = k
            if k + 1 < n and toks[k].text == "," and _year_at(toks, k + 1):
                y, end_k = _year_at(toks, k + 1), k + 2
            elif _year_at(toks, k) and not _attached(toks[k - 1], toks[k]):
                y, end_k = _year_at(toks, k), k + 1
            if y is None:
                y = _infer_year(pub, month, dom, prev, _future(ctx, t.start))
            iso = _make_date(y, month, dom)
            e = toks[end_k - 1].end
            return [
                _Hit(ValueKind.DATE, toks[s_i].start if q else t.start, e, None, qualifier=q,
                     date=iso, first=s_i if q else i, last=end_k)
            ], end_k  # fmt: skip
        y = _year_at(toks, j)
        if y is not None:
            return [
                _Hit(ValueKind.DATE, toks[s_i].start if q else t.start, toks[j].end, None,
                     qualifier=q, date=_iso_year_month(y, month), first=s_i if q else i,
                     last=j + 1)
            ], j + 1  # fmt: skip
        if t.low in _MONTHS and prev in _DATE_PREPS and t.low != "may":
            y2 = _infer_year(pub, month, None, prev, _future(ctx, t.start))
            iso = _iso_year_month(y2, month) if y2 is not None else None
            return [
                _Hit(ValueKind.DATE, toks[s_i].start if q else t.start, t.end, None,
                     qualifier=q, date=iso, first=s_i if q else i, last=i + 1)
            ], i + 1  # fmt: skip
        return None

    # "3 March 2024", "3 March"
    if t.num and i + 1 < n and not _attached(t, toks[i + 1]):
        day = _day_at(toks, i)
        m2 = _month_at(toks[i + 1]) if day else None
        after = i + 3 if i + 2 < n and toks[i + 2].text == "." else i + 2
        if day and m2 and day[1] == i + 1 and _day_at(toks, after) is None:
            j = i + 2
            if j < n and toks[j].text == "." and _attached(toks[i + 1], toks[j]):
                j += 1
            y = _year_at(toks, j)
            end_k = j + 1 if y else i + 2
            if y is None:
                y = _infer_year(pub, m2, day[0], prev, _future(ctx, t.start))
            q, s_i = _date_qualifier(toks, i)
            return [
                _Hit(ValueKind.DATE, toks[s_i].start if q else t.start, toks[end_k - 1].end,
                     None, qualifier=q, date=_make_date(y, m2, day[0]), first=s_i if q else i,
                     last=end_k)
            ], end_k  # fmt: skip

    # ISO "2024-03-03"
    if (
        t.num
        and len(t.text) == 4
        and i + 4 < n
        and toks[i + 1].text == "-"
        and toks[i + 2].num
        and toks[i + 3].text == "-"
        and toks[i + 4].num
        and all(_attached(toks[k], toks[k + 1]) for k in range(i, i + 4))
        and len(toks[i + 2].text) == 2
        and len(toks[i + 4].text) == 2
    ):
        iso = _make_date(int(t.text), int(toks[i + 2].text), int(toks[i + 4].text))
        if iso:
            return [_Hit(ValueKind.DATE, t.start, toks[i + 4].end, None, date=iso, first=i,
                         last=i + 5)], i + 5  # fmt: skip
        return [], i + 5

    # "in 2016": a year after a preposition; "the 2016 election" is a name
    if t.num and t.text.isdigit() and len(t.text) == 4 and prev in _DATE_PREPS:
        y = _year_at(toks, i)
        nxt = toks[i + 1] if i + 1 < n else None
        if (
            y is not None
            and prev not in ("this", "the", "last", "next")
            and not (nxt is not None and (_attached(t, nxt) and nxt.text not in ".,;:)"))
            and not (nxt is not None and (nxt.low in _DURATION or _is_plural(nxt)))
        ):
            q, s_i = _date_qualifier(toks, i)
            return [_Hit(ValueKind.DATE, toks[s_i].start if q else t.start, t.end, float(y),
                         qualifier=q, date=f"{y:04d}", first=s_i if q else i,
                         last=i + 1)], i + 1  # fmt: skip

    if t.low in ("yesterday", "tomorrow") and pub is not None:
        d = pub + timedelta(days=-1 if t.low == "yesterday" else 1)
        return [_Hit(ValueKind.DATE, t.start, t.end, None, date=d.isoformat(), first=i,
                     last=i + 1)], i + 1  # fmt: skip
    return None


# ---------------------------------------------------------------------------------------------
# Values with numbers


@dataclass(slots=True)
class _Unit:
    kind: ValueKind
    unit: str | None
    factor: float  # multiply the stated number by this
    j: int  # index after the unit
    adjectival: bool = False
    extra: float = 0.0  # added after the factor ("three hours and 20 minutes")
    head: str | None = None
    offset: float = 0.0  # am/pm: hours to add


def _match_qty(toks: list[_Tok], j: int) -> tuple[tuple[str, str, float], int] | None:
    n = len(toks)
    for k in range(min(_QTY_MAXLEN, n - j), 0, -1):
        key = tuple(t.low for t in toks[j : j + k])
        got = _QTY.get(key)
        if got is not None:
            return got, j + k
    return None


def _duration_more(toks: list[_Tok], j: int, cap: float) -> tuple[float, int]:
    """'... and 20 minutes' after a duration: seconds to add, index after."""
    n = len(toks)
    k = j
    if k < n and toks[k].low in ("and", ","):
        k += 1
    if k < n and toks[k].num:
        nm = _parse_number(toks, k)
        if nm is not None and nm.j < n and toks[nm.j].low in _DURATION:
            f = _DURATION[toks[nm.j].low]
            if f < cap:
                return nm.value * f, nm.j + 1
    return 0.0, j


def _unit_after(toks: list[_Tok], num: _Num, money: str | None) -> _Unit | None:
    """The unit that follows the number ending at ``num.j``; None if there is none."""
    n = len(toks)
    j = num.j
    if money is not None:
        return _Unit(ValueKind.MONEY, money, 1.0, j)
    if j >= n:
        return None
    t = toks[j]
    hyph = False
    if t.text == "-" and j + 1 < n and _attached(toks[j - 1], t) and _attached(t, toks[j + 1]):
        hyph = True
        j += 1
        t = toks[j]
    elif (
        # letters glued to digits must be a known suffix, or the whole thing is a code ("5G")
        t.word
        and _attached(toks[j - 1], t)
        and (
            t.low not in _DURATION
            and t.low not in _QTY_ATTACHED
            and (t.low,) not in _QTY
            and t.low not in _ORD_SUFFIX
            and t.low not in ("am", "pm", "a", "p")
            and t.low not in _CURRENCY_WORD
        )
    ):
        return None
    w = t.low

    # ages: "45-year-old", "45 years old", "six-month-old"
    if w in ("year", "years", "month", "months", "week", "weeks", "day", "days"):
        k = j + 1
        if hyph and k + 1 < n and toks[k].text == "-" and toks[k + 1].low == "old":
            per = {"y": 1.0, "m": 1 / 12, "w": 7 / 365.25, "d": 1 / 365.25}[w[0]]
            return _Unit(ValueKind.AGE, "year", per, k + 2, adjectival=True)
        if not hyph and k < n and toks[k].low == "old":
            per = {"y": 1.0, "m": 1 / 12, "w": 7 / 365.25, "d": 1 / 365.25}[w[0]]
            return _Unit(ValueKind.AGE, "year", per, k + 1)
    if w in ("%", "percent", "pct") or (w == "per" and j + 1 < n and toks[j + 1].low == "cent"):
        k = j + 2 if w == "per" else j + 1
        return _Unit(ValueKind.PERCENT, "%", 1.0, k, adjectival=hyph)
    if w == "percentage" and j + 1 < n and toks[j + 1].low in ("point", "points"):
        return _Unit(ValueKind.PERCENT, "pp", 1.0, j + 2, adjectival=hyph)
    if num.article and num.value == 1 and w not in _DURATION:
        return None  # "a foot in the door": only "a day", "an hour" read "a" as one
    if w in _DURATION:
        if num.article and w in ("second", "sec"):
            return None  # "a second attack" is an ordinal
        k = j + 1
        f = _DURATION[w]
        extra = 0.0
        if k < n and toks[k].text == "-" and k + 1 < n and toks[k + 1].low == "long":
            k += 2
            hyph = True
        half, k2 = _and_a_half(toks, k)
        if half and not hyph:
            extra += half * f
            k = k2
        elif not hyph:
            more, k = _duration_more(toks, k, f)
            extra += more
        if k < n and toks[k].low == "ago":
            return None  # a point in time relative to an unknown "now"
        return _Unit(ValueKind.DURATION, "s", f, k, adjectival=hyph, extra=extra)
    if w in _CURRENCY_WORD and not hyph:
        return _Unit(ValueKind.MONEY, _CURRENCY_WORD[w], 1.0, j + 1)
    if w in _DOLLAR_ADJ and j + 1 < n and toks[j + 1].low in ("dollar", "dollars"):
        return _Unit(ValueKind.MONEY, _DOLLAR_ADJ[w], 1.0, j + 2)
    if w in ("cent", "cents") and not hyph:
        return _Unit(ValueKind.MONEY, "USD", 0.01, j + 1)
    if w in ("pound", "pounds") and not hyph:
        sterling = j + 1 < n and toks[j + 1].low == "sterling"
        if sterling or num.scaled:
            return _Unit(ValueKind.MONEY, "GBP", 1.0, j + 2 if sterling else j + 1)
    if w in _QTY_ATTACHED and t.text == w and _attached(toks[j - 1], t) and not hyph and num.digits:
        return _Unit(ValueKind.QUANTITY, _QTY_ATTACHED[w][0], 1.0, j + 1)
    if not num.article or w not in _QTY_ATTACHED:
        got = _match_qty(toks, j)
        if got is not None:
            u, k = got[0][0], got[1]
            if k < n and toks[k].text == "-" and k + 1 < n and toks[k + 1].low == "long":
                k += 2
                hyph = True
            return _Unit(ValueKind.QUANTITY, u, 1.0, k, adjectival=hyph)
    return None


def _clock_after(ctx: _Ctx, num: _Num) -> _Unit | None:
    """am/pm, o'clock, or a 24-hour clock after a preposition."""
    toks = ctx.toks
    n = len(toks)
    if not num.digits and num.value not in range(1, 13):
        return None
    end_char = toks[num.j - 1].end
    limit = toks[-1].end
    m = _AMPM.match(ctx.text, end_char, limit)
    hours = num.clock[0] + num.clock[1] / 60 if num.clock else num.value
    if num.clock is None and not float(hours).is_integer():
        # "3.30pm": British style
        frac = round((hours - int(hours)) * 100)
        if frac >= 60:
            return None
        hours = int(hours) + frac / 60
    if m is not None and 1 <= int(hours) <= 12 and (num.digits or num.article is False):
        pm = m.group(1).lower() == "p"
        h = int(hours) % 12 + (12 if pm else 0)
        base = h * 60 + round((hours - int(hours)) * 60)
        e = m.end()
        tz, e = _tz_after(ctx.text, e, limit)
        k = num.j
        while k < n and toks[k].start < e:
            k += 1
        return _Unit(ValueKind.TIME, tz, 0.0, k, extra=float(base))
    if num.j < n and toks[num.j].low == "o'clock" and 1 <= hours <= 12:
        tz, e = _tz_after(ctx.text, toks[num.j].end, limit)
        k = num.j + 1
        while k < n and toks[k].start < e:
            k += 1
        return _Unit(ValueKind.TIME, tz, 0.0, k, extra=float(hours) * 60)
    if num.clock is not None:
        prev = toks[num.i - 1].low if num.i > 0 else ""
        tz, e = _tz_after(ctx.text, toks[num.j - 1].end, limit)
        if prev in _TIME_PREPS or tz:
            k = num.j
            while k < n and toks[k].start < e:
                k += 1
            h, mi = num.clock
            return _Unit(ValueKind.TIME, tz, 0.0, k, extra=float(h * 60 + mi))
    return None


def _tz_after(text: str, pos: int, limit: int) -> tuple[str | None, int]:
    m = _TZ_AFTER.match(text, pos, limit)
    if m is not None and m.group(1).lower() in _TZ and m.group(1).isupper():
        return _TZ[m.group(1).lower()], m.end()
    return None, pos


# "one way or another", "one day": "one" that counts nothing
_ONE_IDIOMS = word_set("one_idioms")


def _count_noun(toks: list[_Tok], j: int, value: float) -> int | None:
    """Index of the counted noun after a number ("12 Palestinian civilians"), if any."""
    n = len(toks)
    k = j
    if k + 3 < n and toks[k].low in ("more", "other", "others") and toks[k + 1].low == "of":
        k += 1  # "seven more of the explosive devices"
    if (
        k + 2 < n
        and toks[k].low == "of"
        and toks[k + 1].low in ("the", "those", "these", "its", "his", "her", "their", "our")
    ):
        k += 2  # "12 of the victims"
    if value != 1:
        after = _name_chain_end(toks, k)
        if after > k and after < n:
            t = toks[after]
            w = t.low
            if (
                t.word
                and t.text == w
                and _is_plural(t)
                and w not in _STOP
                and w not in _ID_WORDS
                and w not in _UNIT_WORDS
            ):
                return after  # "seven U.S. Capitol Police officers", "36 “yea” votes"
    mods = 0
    while k < n and mods <= 2:
        t = toks[k]
        if not t.word:
            return None
        w = t.low
        if w in _COUNT_MODIFIERS:
            k += 1
            mods += 1
            continue
        if w in _STOP or w in _ID_WORDS or w in _UNIT_WORDS or w == "times":
            return None
        if value != 1 and _is_plural(t):
            return k
        if value == 1:
            # no parse to tell "one adviser said" from "one warned": take a word that ends
            # its phrase, and nothing that looks like a verb, adverb, superlative or ordinal
            if (
                t.text[0].isupper()
                or w.endswith(("ly", "est", "ed"))
                or w in _ONE_IDIOMS
                or w in _ORDINAL_W
            ):
                return None
            nxt = toks[k + 1] if k + 1 < n else None
            if nxt is not None and nxt.word and nxt.low not in _STOP and mods < 2:
                k += 1
                mods += 1
                continue
            return k
        if (
            k + 2 < n
            and toks[k + 1].text == "-"
            and _attached(t, toks[k + 1])
            and _attached(toks[k + 1], toks[k + 2])
            and toks[k + 2].word
        ):
            k += 2  # "active-duty troops", "Russian-backed rebels", "fund-raisers"
            if _is_plural(toks[k]):
                return k
        # any other word may modify the noun: "Palestinian civilians", "border crossings"
        k += 1
        mods += 1
    return None


_NAME_CHAIN_GLUE = word_set("name_chain_glue")
_NAME_CHAIN_MAX = 10


def _event_day(toks: list[_Tok], k: int, j: int) -> bool:
    """A day of the month at ``j`` right after a month name that the chain from ``k`` holds."""
    if j <= k or _day_at(toks, j) is None:
        return False
    prev = j - 2 if toks[j - 1].text == "." and j - 2 >= k else j - 1
    return _month_at(toks[prev]) is not None


def _name_chain_end(toks: list[_Tok], k: int) -> int:
    """Index after a name or quoted word that modifies a counted noun ("700,000 Deferred Action
    for Childhood Arrivals (DACA) recipients", "seven U.S. Capitol Police officers", "36 “yea”
    votes"), or ``k`` when none starts at ``k``. The word window of ``_count_noun`` takes at most
    two modifiers, and such names are longer."""
    n = len(toks)
    j = k
    names = 0
    while j < n and j - k < _NAME_CHAIN_MAX:
        t = toks[j]
        if t.word and t.text[0].isupper():
            names += 1
        elif t.text == "." and j > k and toks[j - 1].word and len(toks[j - 1].text) == 1:
            pass  # "U.S."
        elif t.text == "." and j > k and _month_at(toks[j - 1]):
            pass  # "Sept." in "the 19 Sept. 11 hijackers"
        elif _event_day(toks, k, j):
            pass  # a date naming an event: "the 19 Sept. 11 hijackers", "two Jan. 6 defendants"
        elif t.text in ("(", ")") or (t.word and t.low in _NAME_CHAIN_GLUE and names):
            pass
        elif t.text in ('"', "\u201c", "\u201d") and j + 2 < n:
            # one or two quoted words: “yea”
            close = next(
                (m for m in range(j + 1, min(n, j + 4)) if toks[m].text in ('"', "\u201d")), None
            )
            if close is None or not all(toks[m].word for m in range(j + 1, close)):
                break
            names += 1
            j = close
        else:
            break
        j += 1
    while (
        j > k
        and not (toks[j - 1].word and toks[j - 1].text[0].isupper())
        and toks[j - 1].text not in (")", '"', "\u201d", ".")
        and not _event_day(toks, k, j - 1)
    ):
        j -= 1  # glue words do not end a chain
    return j if names else k


def _casualty(toks: list[_Tok], first: int, j: int) -> str | None:
    """A casualty word that makes a bare number a count of people ("11 dead", "killed 12")."""
    n = len(toks)
    if j < n and toks[j].low in _CASUALTY_AFTER:
        return _verb_lemma(toks[j].low)
    k = j
    if k < n and toks[k].low in ("were", "was", "are", "have", "had", "has", "remain", "remained"):
        k += 1
        if k < n and toks[k].low in ("been", "now", "reported", "confirmed", "also"):
            k += 1
        if k < n and toks[k].low in _CASUALTY_AFTER:
            return _verb_lemma(toks[k].low)
    if first > 0 and toks[first - 1].low in _CASUALTY_BEFORE:
        return _verb_lemma(toks[first - 1].low)
    window = [t.low for t in toks[max(0, first - 4) : first]]
    if "toll" in window and (not window or window[-1] in ("to", "at", "of", "reached", "hit")):
        return "toll"
    return None


def _try_value(ctx: _Ctx, i: int) -> tuple[list[_Hit], int] | None:
    toks = ctx.toks
    n = len(toks)
    t = toks[i]
    money: str | None = None
    start_i = i
    ni = i

    # currency first: "$4.5 million", "US$3", "€20", "USD 5 million"
    if t.text in _CURRENCY_SIGN and i + 1 < n and toks[i + 1].num:
        money = _CURRENCY_SIGN[t.text]
        if t.text == "$" and i > 0 and _attached(toks[i - 1], t):
            code = _DOLLAR_PREFIX.get(toks[i - 1].low)
            if code is None:
                return None
            money, start_i = code, i - 1
        ni = i + 1
    elif t.word and t.text in _ISO_BEFORE and i + 1 < n and toks[i + 1].num:
        money, ni = _CURRENCY_WORD[t.low], i + 1
    elif t.low == "magnitude" and i + 1 < n:
        k = i + 1
        if toks[k].text == "-" and k + 1 < n:
            k += 1
        if toks[k].num:
            nm = _parse_number(toks, k)
            if nm is not None:
                q, qs = _qualifier_before(toks, i)
                return [_Hit(ValueKind.QUANTITY, toks[qs].start, toks[nm.j - 1].end, nm.value,
                             unit="magnitude", qualifier=q, first=qs, last=nm.j)], nm.j  # fmt: skip
        return None
    elif t.low in ("noon", "midnight"):
        prev = toks[i - 1].low if i > 0 else ""
        if prev in _TIME_PREPS:
            q, qs = (("about", i - 1) if prev in ("around", "about", "approximately", "roughly")
                     else (None, i))  # fmt: skip
            return [_Hit(ValueKind.TIME, toks[qs].start, t.end, 720.0 if t.low == "noon" else 0.0,
                         qualifier=q, first=qs, last=i + 1)], i + 1  # fmt: skip
        return None
    elif t.low in _ORDINAL_W:
        prev = toks[i - 1].low if i > 0 else ""
        if prev in _ORD_DETS and i + 1 < n:
            nt = toks[i + 1]
            if nt.word and nt.low not in _STOP and not nt.text[0].isupper():
                lem = _noun_lemma(nt.low)
                return [_Hit(ValueKind.ORDINAL, t.start, t.end, float(_ORDINAL_W[t.low]),
                             unit=lem, head=lem, first=i, last=i + 2)], i + 1  # fmt: skip
        return None

    if not _is_number_start(toks[ni]):
        return None
    if toks[ni].num and money is None and _identifier_before(toks, ni):
        return [], _skip_number(toks, ni)
    num = _parse_number(toks, ni, money=money is not None)
    if num is None:
        return ([], _skip_number(toks, ni)) if toks[ni].num else None
    if money is not None and not num.digits:
        return None
    if (
        num.article
        and i > 0
        and (
            toks[i - 1].low in ("per", "twice", "once", "thrice", "times", "every")
            or toks[i - 1].num
            or toks[i - 1].low in _DURATION
            or toks[i - 1].low in _BIG
            or toks[i - 1].low in _SCALE_ABBR_MONEY
            or toks[i - 1].low in _CURRENCY_WORD
            or toks[i - 1].low in ("%", "percent")
        )
    ):
        return None  # "$5 a day", "twice a week": a rate, not an amount
    if i > 0 and toks[i].low == "one" and toks[i - 1].low in ("no", "any", "every", "some"):
        return None
    if (
        not num.digits
        and toks[ni].word
        and toks[ni].text[0].isupper()
        and ni > 0
        and toks[ni - 1].word
        and toks[ni - 1].low not in _QUAL_WORDS
    ):
        return None  # a capitalised number word mid-sentence is a name: "the Group of Seven"

    # qualifier before the value (before the currency sign)
    qual, qs = _qualifier_before(toks, start_i)
    between = False
    if qual is None and start_i > 0 and toks[start_i - 1].low == "between":
        between, qs = True, start_i - 1
    from_ = start_i > 0 and toks[start_i - 1].low == "from"

    # ranges: "10 to 12", "10-12", "two or three", "between 10 and 12", "$4-5 million"
    second: _Num | None = None
    j = num.j
    connector = toks[j].low if j < n else ""
    if (
        not num.article
        and connector in ("to", "-", "–", "—", "or", "and")
        and j + 1 < n
        and (connector != "and" or between)
    ):
        k = j + 1
        if money is not None and k < n and toks[k].text in _CURRENCY_SIGN:
            k += 1
        if k < n and _is_number_start(toks[k]) and toks[k].low not in ("a", "an", "half"):
            cand = _parse_number(toks, k, money=money is not None)
            dash = connector in ("-", "–", "—")
            if cand is not None and (
                not dash or (num.digits and cand.digits and not _spaced_hyphen(toks, j))
            ):
                if num.year_like and cand.digits and dash:
                    return [], cand.j  # "2016-17": a season
                if cand.scaled and not num.scaled and num.value < cand.value:
                    num.value *= cand.value / _unscaled(toks, cand)
                if cand.value > num.value and not from_:
                    second = cand
                elif connector in ("-", "–", "to") and cand.value <= num.value and not from_:
                    return [], cand.j  # "5-4", "52-48": a score or a vote tally
    last_num = second or num
    # suffix qualifier between number and unit: "12 or more people"
    sq, after_q = _qualifier_after(toks, last_num.j)
    if sq is not None:
        last_num = _Num(last_num.value, last_num.i, after_q, last_num.digits,
                        article=last_num.article, scaled=last_num.scaled)  # fmt: skip

    unit = _clock_after(ctx, last_num) if money is None else None
    if unit is None:
        unit = _unit_after(toks, last_num, money)
    if unit is not None and money is not None and unit.j < n and toks[unit.j].low in _CURRENCY_WORD:
        unit.j += 1  # "$5 million dollars"
    if unit is None:
        # a count: a counted noun, or a casualty context
        if num.article or (num.year_like and not num.scaled) or num.clock is not None:
            return None
        if not last_num.value.is_integer() and not last_num.scaled:
            return None
        if money is None and not num.digits and num.value == 1 and not second:
            noun = _count_noun(toks, last_num.j, 1)
        else:
            noun = _count_noun(toks, last_num.j, last_num.value)
        adjectival = False
        k = last_num.j
        if (
            noun is None
            and k + 1 < n
            and toks[k].text == "-"
            and _attached(toks[k - 1], toks[k])
            and _attached(toks[k], toks[k + 1])
            and toks[k + 1].word
            and toks[k + 1].text.islower()
            and toks[k + 1].low not in _STOP
            and toks[k + 1].low not in _UNIT_WORDS
            and not (k + 2 < n and toks[k + 2].text == "-")
        ):
            noun, adjectival = k + 1, True  # "a 300-page report", "a 12-member panel"
        if noun is not None:
            lem = _noun_lemma(toks[noun].low)
            if (
                not adjectival
                and noun >= 2
                and toks[noun - 1].text == "-"
                and toks[noun - 2].word
                and _attached(toks[noun - 2], toks[noun - 1])
                and _attached(toks[noun - 1], toks[noun])
            ):
                lem = f"{toks[noun - 2].low}-{lem}"  # "fund-raisers"
            unit = _Unit(ValueKind.COUNT, lem, 1.0, noun + 1, adjectival=adjectival)
        else:
            cas = _casualty(toks, qs, last_num.j)
            if cas is None:
                if (
                    last_num.j < n
                    and toks[last_num.j].low in _ORD_SUFFIX
                    and _attached(toks[last_num.j - 1], toks[last_num.j])
                ):
                    return _ordinal(toks, num, i)
                return None
            unit = _Unit(ValueKind.COUNT, "people", 1.0, last_num.j, head=cas)
    if unit.kind is ValueKind.AGE and (second is not None or money is not None):
        return None

    k_end = unit.j
    if sq is None:
        sq, k_end2 = _qualifier_after(toks, unit.j)
        if sq is not None and unit.kind is not ValueKind.DATE:
            k_end = k_end2
    if qual is None and sq is not None:
        qual = sq
    if between and second is not None:
        qual = "between" if qual is None else qual
    elif between:
        qs = start_i  # "between" without "and": not ours
    # the span starts at the qualifier (or the currency sign), ends after the unit
    first_tok = qs if (qual is not None or between) else start_i
    if unit.kind is ValueKind.COUNT and unit.head is not None:
        k_end = max(k_end, last_num.j)
    s_char = toks[first_tok].start
    e_char = toks[k_end - 1].end
    # trailing punctuation never belongs to a value (the "." of "a.m." does)
    while (
        e_char > s_char
        and ctx.text[e_char - 1] in ".,;:"
        and not ctx.text[s_char:e_char].endswith((".m.", ".M."))
    ):
        e_char -= 1

    number: float | None
    lo = hi = None
    if unit.kind is ValueKind.TIME:
        number = unit.extra
        if second is not None:
            # "between 2 and 4 p.m.": both ends take the meridiem of the second
            shift = unit.extra - second.value * 60 if second.clock is None else 0.0
            lo = num.value * 60 + shift if num.clock is None else num.clock[0] * 60 + num.clock[1]
            hi = unit.extra
            number = (lo + hi) / 2
    elif second is not None:
        lo, hi = num.value * unit.factor, second.value * unit.factor + unit.extra
        number = (lo + hi) / 2
    else:
        number = num.value * unit.factor + unit.extra
    if qual in ("at least", "more than", "just over"):
        lo = number if lo is None else lo
    elif qual in ("less than", "at most", "up to", "nearly", "just under"):
        hi = number if hi is None else hi
    hits = [
        _Hit(unit.kind, s_char, e_char, number, low=lo, high=hi, unit=unit.unit, qualifier=qual,
             adjectival=unit.adjectival, head=unit.head, first=first_tok, last=k_end)
    ]  # fmt: skip
    if unit.kind is ValueKind.AGE:
        hits[0].unit = "year"
    return hits, max(k_end, i + 1)


def _spaced_hyphen(toks: list[_Tok], j: int) -> bool:
    return toks[j].text == "-" and not (
        _attached(toks[j - 1], toks[j]) and _attached(toks[j], toks[j + 1])
    )


def _unscaled(toks: list[_Tok], num: _Num) -> float:
    t = toks[num.i]
    if t.num:
        return float(t.text.replace(",", ""))
    return num.value


def _skip_number(toks: list[_Tok], i: int) -> int:
    j = i + 1
    while j < len(toks) and _attached(toks[j - 1], toks[j]) and toks[j].text not in ",;":
        j += 1
    return j


def _ordinal(toks: list[_Tok], num: _Num, i: int) -> tuple[list[_Hit], int] | None:
    n = len(toks)
    k = num.j + 1
    v = num.value
    suffix = toks[num.j].low
    want = (
        {1: "st", 2: "nd", 3: "rd"}.get(int(v) % 10, "th")
        if int(v) % 100 not in (11, 12, 13)
        else "th"
    )
    if suffix != want or k >= n or not toks[k].word or toks[k].low in _STOP:
        return [], k
    lem = _noun_lemma(toks[k].low)
    return [
        _Hit(ValueKind.ORDINAL, toks[i].start, toks[num.j].end, v, unit=lem, head=lem, first=i,
             last=k + 1)
    ], k  # fmt: skip


def _try_age_apposition(ctx: _Ctx, i: int) -> tuple[list[_Hit], int] | None:
    """'John Smith, 45, of Springfield' and 'aged 45'."""
    toks = ctx.toks
    n = len(toks)
    t = toks[i]
    if not (t.num and t.text.isdigit() and len(t.text) <= 3):
        return None
    v = int(t.text)
    if not 1 <= v <= 115:
        return None
    prev = toks[i - 1] if i > 0 else None
    if prev is not None and prev.low in ("aged", "age", "ages"):
        nxt = toks[i + 1].low if i + 1 < n else ""
        if nxt not in _DURATION and nxt not in ("%", "percent"):
            return [_Hit(ValueKind.AGE, prev.start, t.end, float(v), unit="year", first=i - 1,
                         last=i + 1)], i + 1  # fmt: skip
    if (
        i >= 2
        and i + 1 < n
        and toks[i - 1].text == ","
        and toks[i + 1].text in (",", ")", ";")
        and toks[i - 2].word
        and toks[i - 2].text[0].isupper()
        and toks[i - 2].low not in _MONTHS
        and toks[i - 2].low not in _MONTH_ABBR
        and toks[i - 2].low not in _WEEKDAYS
        and toks[i - 2].low not in _STOP
    ):
        return [_Hit(ValueKind.AGE, t.start, t.end, float(v), unit="year", first=i,
                     last=i + 1)], i + 1  # fmt: skip
    return None


# ---------------------------------------------------------------------------------------------
# Regions that never hold values

_PHONE = re.compile(
    r"(?:\+\d{1,3}[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|\+\d{1,3}(?:[\s-]\d{2,5}){2,4}\b"
)
_ADDRESS = re.compile(
    r"\b\d{1,5}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\s+){1,3}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Place|Pl|Court|Ct|"
    r"Highway|Hwy|Parkway|Pkwy|Square|Sq|Terrace|Circle)\b\.?"
)
_DEBRIS = re.compile(
    r"(?i)\b(?:photos?|images?|slides?|pictures?|pages?|gallery)\s*:?\s*\d+\s*(?:of|/)\s*\d+\b"
)
_QUOTED = re.compile(r"[“\"]([^“”\"\n]{1,60})[”\"]")


def _title_like(s: str) -> bool:
    s = s.strip()
    if (
        not s
        or s[-1] in ",.?!:;"
        or (
            not any(c.isdigit() for c in s)
            and not any(w.lower() in _UNITS_W or w.lower() in _TENS_W for w in s.split())
        )
    ):
        return False
    words = [w for w in s.split() if any(c.isalpha() for c in w)]
    if not words or len(s.split()) > 8:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= max(1, round(0.6 * len(words)))


def _masked(text: str, start: int, end: int, toks: list[_Tok]) -> frozenset[int]:
    regions: list[tuple[int, int]] = []
    for rx in (_PHONE, _ADDRESS, _DEBRIS):
        regions.extend(m.span() for m in rx.finditer(text, start, end))
    for m in _QUOTED.finditer(text, start, end):
        if _title_like(m.group(1)):
            regions.append(m.span())
    if not regions:
        return frozenset()
    starts = [t.start for t in toks]
    out: set[int] = set()
    for s, e in regions:
        a = bisect.bisect_left(starts, s)
        b = bisect.bisect_left(starts, e)
        out.update(range(a, b))
    return frozenset(out)


# ---------------------------------------------------------------------------------------------
# Heads

_NOUNISH = ("NOUN", "PROPN")
_MEASURES = frozenset((ValueKind.DURATION, ValueKind.MONEY, ValueKind.PERCENT, ValueKind.QUANTITY))
_UNIT_WORDS = (
    frozenset(_DURATION)
    | frozenset(w for k in _QTY for w in k)
    | frozenset(_CURRENCY_WORD)
    | word_set("measure_words")
)


def _doc_head(sp: Any, hit: _Hit) -> str | None:
    """The head of a value from the parse; ``sp`` is the value's span of the spaCy doc."""
    doc = sp.doc
    root = sp.root

    def inside(tok: Any) -> bool:
        return bool(sp.start <= tok.i < sp.end)

    def lemma(tok: Any) -> str:
        return str(tok.lemma_ or tok.text).lower()

    if hit.adjectival:
        h = root.head
        if not inside(h) and h.pos_ in _NOUNISH:
            return lemma(h)
        for tok in doc[sp.end : min(len(doc), sp.end + 3)]:
            if tok.pos_ in _NOUNISH:
                return lemma(tok)
        return None
    if hit.kind in _MEASURES:
        # "60 percent of voters", "the four days of hearings", "$5 billion of funding": what
        # the share, the time or the sum is of
        for c in root.children:
            if c.dep_ == "prep" and c.lower_ == "of" and not inside(c):
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    return lemma(objs[0])
    h = root
    for _ in range(5):
        if h.head is h:
            break
        h = h.head
        if not inside(h) and h.pos_ not in ("ADP", "PART"):
            break
    if inside(h) or h.pos_ in ("ADP", "PART", "PUNCT"):
        subj = [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass") and not inside(c)]
        return lemma(subj[0]) if subj else None
    if hit.kind in _MEASURES and h.pos_ in ("VERB", "AUX"):
        # "the talks ran three hours": the subject says what was measured -- a thing, not a
        # person: in "Marsh met with officials for three hours" the meeting is measured
        for c in h.children:
            if (
                c.dep_ in ("nsubj", "nsubjpass")
                and not inside(c)
                and c.pos_ == "NOUN"
                and c.lower_ not in _UNIT_WORDS
            ):
                return lemma(c)
    return lemma(h)


_AGENT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def _governor(sp: Any) -> Any:
    """The verb a value's phrase hangs from (through prepositions and nouns): "announced" in
    "Brewer announced her decision on Wednesday"."""
    h = sp.root
    for _ in range(6):
        if h.pos_ in ("VERB", "AUX") and not (sp.start <= h.i < sp.end):
            return h
        if h.head is h:
            return None
        h = h.head
    return None


def _doc_agent(sp: Any) -> str | None:
    """The named subject of the verb governing a value (see ``Value.agent``); ``sp`` is the
    value's span of the spaCy doc."""
    doc = sp.doc
    verb = _governor(sp)
    subj: list[Any] = []
    for _ in range(4):
        if verb is None:
            break
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        if subj:
            break
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            # passive: the doer is the "by" phrase ("released Thursday by America Rising"); the
            # subject is who it happened to ("Strzok was fired"), no doer to compare
            subj = [
                o
                for c in verb.children
                if c.dep_ == "agent"
                for o in c.children
                if o.dep_ == "pobj"
            ]
            break
        # "Trump said he ... and urged": a conjoined or infinitive verb takes its head's subject;
        # "Brewer announced her decision to veto ... on Wednesday": so does a verb that completes
        # a noun, through the noun to the verb that governs it
        if verb.dep_ == "xcomp" and verb.head is not verb:
            # "requiring Gorsuch to garner 60 votes": the object of the governing verb does it
            obj = [c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i]
            verb = verb.head
            if obj:
                subj = obj
                break
        elif verb.dep_ == "conj" and verb.head is not verb:
            verb = verb.head
        elif verb.dep_ == "acl" and verb.head.dep_ in ("dobj", "pobj", "attr"):
            verb = verb.head.head if verb.head.head.pos_ in ("VERB", "AUX") else None
        else:
            verb = None
    if verb is None or not subj:
        return None
    tok = subj[0]
    if tok.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
        tok = verb.head  # "Schumer, who has held leadership posts since 2005"
    if tok.lower_ in ("he", "she"):
        tok = _reporter(verb) or tok
    elif tok.pos_ == "NOUN":
        # whose it is: "Bush's rate was ...", "Mr. Bush said his average tax rate was 36 percent"
        # (a person's; "the Senate's cloture rule requires 60 votes" names no doer)
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is not None and poss.lower_ in ("his", "her"):
            tok = _reporter(verb) or tok
        elif poss is not None and poss.ent_type_ == "PERSON":
            tok = poss
    ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
    if ent is None:
        # the small model misses some names as subjects ("Pelosi has led House Democrats")
        return tok.lower_ if tok.pos_ == "PROPN" and tok.is_alpha else None
    if ent.label_ not in _AGENT_LABELS or tok.i != ent.end - 1:
        return None  # "Grimm's attorney" is the attorney, not Grimm
    words: list[str] = [str(t.text) for t in ent if t.is_alpha]
    if not words:
        return None
    if ent.label_ == "PERSON":
        return words[-1].lower()
    return " ".join(words).lower().removeprefix("the ")


def _reporter(verb: Any) -> Any:
    """The named subject of the verb that reports a "he"/"she" clause ("Schumer added that he
    believed he had the 41 votes": he is Schumer), or None. Reported speech is the one place a
    pronoun's antecedent is this reliable without a coreference model."""
    h = verb
    for _ in range(3):
        if h.dep_ != "ccomp" or h.head is h:
            return None
        h = h.head
        subj = [c for c in h.children if c.dep_ == "nsubj"]
        if not subj:
            return None
        if subj[0].lower_ not in ("he", "she"):
            named = subj[0].pos_ == "PROPN" or subj[0].ent_type_ == "PERSON"
            return subj[0] if named else None
    return None


def _window_head(toks: list[_Tok], hit: _Hit, lo: int) -> str | None:
    """Without a parse: the nearest content word, to the right first for adjectival values
    and for a count's verb ("12 people died"), otherwise to the left ("the talks ran 3 hours")."""
    n = len(toks)

    def content(t: _Tok) -> bool:
        return (
            t.word
            and len(t.low) > 1
            and t.low not in _STOP
            and t.low not in _QUAL_WORDS
            and t.low not in _UNIT_WORDS
            and t.low not in _TZ
            and t.low not in _UNITS_W
            and t.low not in _TENS_W
        )

    if hit.adjectival:
        for t in toks[hit.last : hit.last + 3]:
            if content(t):
                return _noun_lemma(t.low)
        return None
    if hit.kind is ValueKind.COUNT:
        k = hit.last
        while k < n and toks[k].low in _AUX:
            k += 1
        if k < n and content(toks[k]) and not toks[k].text[0].isupper():
            return _verb_lemma(toks[k].low)
    for k in range(hit.first - 1, max(lo, hit.first - 5) - 1, -1):
        t = toks[k]
        if t.text in '.;:!?"“”':
            break
        if content(t):
            return _verb_lemma(t.low)
    for t in toks[hit.last : hit.last + 3]:
        if content(t):
            return _verb_lemma(t.low)
    return None


# Tokens where a value can start; every other token is skipped without trying the grammar.
_CANDIDATES = frozenset(
    [*_UNITS_W, *_TENS_W, *_ORDINAL_W, *_MONTHS, *_MONTH_ABBR, *_WEEKDAYS, *_VULGAR]
    + [c.lower() for c in _ISO_BEFORE]
    + list(word_list("value_start_words"))
)

# ---------------------------------------------------------------------------------------------
# Public API


def extract_values(
    text: str,
    source: str,
    *,
    published: datetime | None = None,
    doc: Doc | None = None,
    start: int = 0,
    end: int | None = None,
) -> tuple[Value, ...]:
    """The typed values stated in ``text[start:end]``, in text order, spans into ``text``.

    ``published`` resolves weekdays and year-less dates; ``doc`` (a spaCy ``Doc`` of the whole
    ``text``) makes ``head`` come from the dependency parse instead of a word window.
    """
    n_text = len(text)
    end = n_text if end is None else max(0, min(end, n_text))
    start = max(0, min(start, end))
    toks = _tokenize(text, start, end)
    if not toks:
        return ()
    pub = published.date() if published is not None else None
    ctx = _Ctx(text, toks, pub, start, _masked(text, start, end, toks))
    hits: list[_Hit] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if i in ctx.masked or not (t.num or t.low in _CANDIDATES or t.text in _CURRENCY_SIGN):
            i += 1
            continue
        got = _try_date(ctx, i) or _try_age_apposition(ctx, i) or _try_value(ctx, i)
        if got is None:
            i += 1
            continue
        new, nxt = got
        if any(k in ctx.masked for h in new for k in range(h.first, h.last)):
            new = []
        hits.extend(new)
        i = max(nxt, i + 1)
    out: list[Value] = []
    for h in hits:
        if h.e <= h.s:
            continue
        head = h.head
        # the value's tokens in the parse, found once for its head and its agent
        sp = None if doc is None else doc.char_span(h.s, h.e, alignment_mode="expand")
        parsed = sp is not None and len(sp) > 0
        if head is None and doc is None:
            head = _window_head(toks, h, 0)
        elif head is None and parsed:
            head = _doc_head(sp, h)
        agent = _doc_agent(sp) if parsed else None
        out.append(
            Value(
                kind=h.kind,
                span=Span(source, h.s, h.e),
                surface=text[h.s : h.e],
                number=h.number,
                low=h.low,
                high=h.high,
                unit=h.unit,
                qualifier=h.qualifier,
                date=h.date,
                head=head,
                agent=agent,
            )
        )
    return tuple(out)
