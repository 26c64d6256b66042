"""Whether two typed values can both be true: the tolerances of newsprism's comparisons.

Extraction (:mod:`newsprism.compare.values`) says what a sentence states; this module says when
two statements disagree. Kept apart because the tolerances are tuned on comparisons while the
extraction's output is cached per article.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date

from newsprism.compare.values import _CASUALTY, _DURATION, _FAMILY
from newsprism.model import Value, ValueKind

# ---------------------------------------------------------------------------------------------
# Comparison

#: Two exact figures agree when within this fraction of the larger: "1,200" vs "1,210" agree,
#: "$4 million" vs "$4.5 million" and "60%" vs "58%" do not; integers below 50 must be equal.
REL_TOL = 0.02
#: Looser when one side was converted ("40 miles" vs "64 km"): conversions are rounded in print.
REL_TOL_CONVERTED = 0.05
#: "about N" covers N +/- this fraction: "about 3 hours" agrees with 2h45 but not with 2.5 hours,
#: and "about 1,200" does not agree with "about 1,500" (reporters round to the figure they have).
ABOUT_TOL = 0.10
#: "nearly N" covers [N * (1 - NEARLY_TOL), N].
NEARLY_TOL = 0.15
#: Clock times: exact ones may differ by this many minutes, "about"/"around" ones by the second.
TIME_TOL_MIN = 5.0
TIME_ABOUT_MIN = 30.0

_INF = math.inf
_APPROX = frozenset(("about", "nearly", "just under", "just over"))


@dataclass(frozen=True, slots=True)
class _Iv:
    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False


def _interval(v: Value, n: float, scale: float, about: float, nearly: float) -> _Iv:
    """The set of true values the wording allows, in a common unit (``scale`` converts)."""
    q = v.qualifier
    lo = v.low * scale if v.low is not None else None
    hi = v.high * scale if v.high is not None else None
    if lo is not None and hi is not None:  # a range
        if q == "about":
            return _Iv(lo - about * abs(lo), hi + about * abs(hi))
        return _Iv(lo, hi)
    if q == "about":
        return _Iv(n - about * abs(n), n + about * abs(n))
    if q == "nearly":
        return _Iv(n - nearly * abs(n), n)
    if q == "just under":
        return _Iv(n - nearly / 3 * abs(n), n, hi_open=True)
    if q == "just over":
        return _Iv(n, n + nearly / 3 * abs(n), lo_open=True)
    if q == "at least":
        return _Iv(n, _INF)
    if q == "more than":
        return _Iv(n, _INF, lo_open=True)
    if q == "less than":
        return _Iv(-_INF, n, hi_open=True)
    if q in ("at most", "up to"):
        return _Iv(-_INF, n)
    return _Iv(n, n)


def _overlap(a: _Iv, b: _Iv, slack: float, open_slack: float = 0.0) -> bool:
    """Whether two intervals meet, closed ends widened by ``slack``; open ends ("more than")
    only by ``open_slack``, the rounding of a round figure."""

    def le(x: float, x_open: bool, y: float, y_open: bool) -> bool:
        if x_open or y_open:
            return x < y + open_slack
        return x <= y + slack

    return le(a.lo, a.lo_open, b.hi, b.hi_open) and le(b.lo, b.lo_open, a.hi, a.hi_open)


def _day_interval(v: Value) -> tuple[int, int] | None:
    d = v.date
    if not d:
        return None
    try:
        if len(d) == 4:
            y = int(d)
            return date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal()
        if len(d) == 7:
            y, m = int(d[:4]), int(d[5:7])
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return date(y, m, 1).toordinal(), nxt.toordinal() - 1
        one = date.fromisoformat(d).toordinal()
    except ValueError:
        return None
    return one, one


def _precision(v: Value) -> int:
    """10 for a day (or a weekday), 7 for a month, 4 for a year: the length of its ISO date."""
    if v.kind is ValueKind.WEEKDAY:
        return 10
    return len(v.date or "")


def _dates_disagree(a: Value, b: Value) -> bool | None:
    # A day and a year or month say different things: when something happened, and in which
    # period ("voted on Friday" vs "has led House Democrats since 2002"). A day is compared only
    # with a day; otherwise every day would "agree" with its year. (A month within its year
    # does agree: "founded in 2016" and "founded in March 2016".)
    if (_precision(a) == 10) != (_precision(b) == 10):
        return None
    # The same weekday in two reports of one story is the same day: reports published either
    # side of it resolve "Friday" to different weeks only because the publication day is known
    # to the day, not the hour.
    if a.kind is ValueKind.WEEKDAY and b.kind is ValueKind.WEEKDAY and a.number == b.number:
        return False
    ia, ib = _day_interval(a), _day_interval(b)
    if ia is None or ib is None:
        # an unresolved weekday still compares with another weekday or a full date
        wa = _weekday_of(a)
        wb = _weekday_of(b)
        if wa is None or wb is None:
            return None
        return wa != wb
    if a.qualifier is not None and a.qualifier == b.qualifier:
        # "has led House Democrats since 2003" vs "since 2002": the same bound on both sides
        # states the same point, and the points differ.
        return not (ia[0] <= ib[1] and ib[0] <= ia[1])
    if a.qualifier is not None or b.qualifier is not None:
        ea, eb = _open_dates(a, ia), _open_dates(b, ib)
        return not (ea[0] <= eb[1] and eb[0] <= ea[1])
    return not (ia[0] <= ib[1] and ib[0] <= ia[1])


def _weekday_of(v: Value) -> int | None:
    if v.kind is ValueKind.WEEKDAY and v.number is not None:
        return int(v.number)
    if v.date and len(v.date) == 10:
        try:
            return date.fromisoformat(v.date).weekday()
        except ValueError:
            return None
    return None


def _open_dates(v: Value, iv: tuple[int, int]) -> tuple[float, float]:
    q = v.qualifier
    if q == "before":
        return -_INF, iv[0] - 1
    if q in ("by", "until"):
        return -_INF, iv[1]
    if q == "after":
        return iv[1] + 1, _INF
    if q == "since":
        return iv[0], _INF
    return iv


def _casualty_class(head: str | None) -> str | None:
    return _CASUALTY.get(head) if head else None


def values_disagree(a: Value, b: Value) -> bool | None:
    """True when ``a`` and ``b`` cannot both be true, False when they agree, None when they do
    not measure the same kind of thing (kinds, units, currencies or casualty classes differ).

    Heads are not compared (except "killed" vs "injured"): deciding that two values measure the
    same event is the conflict detector's job. See the module constants for the tolerances.
    """
    date_kinds = (ValueKind.DATE, ValueKind.WEEKDAY)
    if a.kind in date_kinds and b.kind in date_kinds:
        return _dates_disagree(a, b)
    if a.kind is not b.kind or a.number is None or b.number is None:
        return None
    scale_a = scale_b = 1.0
    rel = REL_TOL
    if a.kind is ValueKind.QUANTITY:
        fa, fb = _FAMILY.get(a.unit or ""), _FAMILY.get(b.unit or "")
        if a.unit == b.unit:
            pass
        elif fa is None or fb is None or fa[0] != fb[0]:
            return None
        else:
            scale_a, scale_b, rel = fa[1], fb[1], REL_TOL_CONVERTED
    elif a.kind is ValueKind.TIME:
        if a.unit and b.unit and a.unit != b.unit:
            return None
    elif a.unit != b.unit:
        return None
    if a.kind is ValueKind.COUNT:
        ca, cb = _casualty_class(a.head), _casualty_class(b.head)
        if ca and cb and ca != cb:
            return None
    if a.kind is ValueKind.TIME:
        # Clock times wrap at midnight: 23:40 is 20 minutes from 00:00, not 23 hours.
        nb_time = b.number
        if abs(a.number - b.number) > 720:
            nb_time = b.number + (1440 if b.number < a.number else -1440)
        ia = _interval(a, a.number, 1.0, 0.0, 0.0)
        ib = _interval(replace(b, number=nb_time, low=None, high=None), nb_time, 1.0, 0.0, 0.0)
        widen = TIME_ABOUT_MIN if "about" in (a.qualifier, b.qualifier) else TIME_TOL_MIN
        return not _overlap(ia, ib, widen)
    na, nb = a.number * scale_a, b.number * scale_b
    if a.qualifier is not None and a.qualifier == b.qualifier and a.qualifier in _BOUNDS:
        # The same bound on different figures ("at least 865 women", "at least 544 store
        # managers") is two outlets stating different figures, though both bounds could hold:
        # compared as stated.
        return abs(na - nb) > rel * max(abs(na), abs(nb))
    ia = _interval(a, na, scale_a, ABOUT_TOL, NEARLY_TOL)
    ib = _interval(b, nb, scale_b, ABOUT_TOL, NEARLY_TOL)
    # rounding slack is for exact figures; "about" and "nearly" carry their own looseness
    loose = a.qualifier in _APPROX or b.qualifier in _APPROX
    slack = 0.0 if loose else rel * max(abs(na), abs(nb))
    # A round figure given as exact ("800,000 workers", "40 years") is a rounded one: it does not
    # contradict a bound on the same figure ("more than 800,000", "more than four decades").
    rounding = 0.0
    for x, nx, y in ((a, na, b), (b, nb, a)):
        if x.qualifier is None and y.qualifier in _BOUNDS:
            rounding = max(rounding, _round_slack(x, nx))
        if x.qualifier is None:
            slack = max(slack, _scale_slack(x, nx, y))
    return not _overlap(ia, ib, max(slack, rounding), rounding)


_BOUNDS = frozenset(("more than", "at least", "fewer than", "less than", "up to", "at most"))
_LEADING_INT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def _round_slack(v: Value, scaled: float) -> float:
    """Half the rounding unit of a figure written with trailing zeros, in ``scaled``'s unit.
    Small counts are taken as exact ("40 people" died), long spans and big figures as rounded
    ("40 years", "800,000 workers")."""
    if v.kind is ValueKind.DURATION and v.qualifier is None:
        # "a two-year investigation" is a whole number of years, rounded: it does not contradict
        # "more than two years of investigation" (but "three weeks" still contradicts "more than
        # a month").
        unit = _DURATION_UNIT.search(v.surface)
        if unit is not None:
            return _DURATION[unit.group(1).lower()] / 2
    m = _LEADING_INT.search(v.surface)
    if m is None or v.number is None or v.number == 0:
        return 0.0
    digits = m.group().replace(",", "")
    if int(digits) < 100 and v.kind is not ValueKind.DURATION:
        return 0.0
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0 or zeros >= len(digits):
        return 0.0
    raw = int(digits)
    return float(10**zeros) / 2 * abs(scaled) / raw


_DURATION_UNIT = re.compile(r"\b(minutes?|hours?|days?|weeks?|months?|years?|decades?)\b", re.I)
_SCALE_WORD = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:thousand|million|billion|trillion)\b", re.I)
_DIGITS = re.compile(r"\d")


def _scale_slack(v: Value, scaled: float, other: Value) -> float:
    """How far a figure written with a scale word ("$43 million", "$3.6 billion") may be from the
    exact figure it summarises. Half its last written digit, as rounding; a whole digit when the
    other figure is written out in full ("$43,885,310"): reporters shorten such figures by
    cutting digits as often as by rounding them."""
    m = _SCALE_WORD.search(v.surface)
    if m is None or v.number is None or v.number == 0:
        return 0.0
    written = m.group(1).replace(",", "")
    decimals = len(written.split(".")[1]) if "." in written else 0
    unit = abs(scaled) / abs(float(written)) * 10.0**-decimals  # one unit of the last digit
    mine = len(_DIGITS.findall(written.lstrip("0.")))
    theirs = len(_DIGITS.findall(other.surface))
    # (just under half: "$4 million" does not cover "$4.5 million", which rounds away from it)
    return unit if theirs >= mine + 4 and _SCALE_WORD.search(other.surface) is None else unit * 0.49
