"""Conflicts in words a reader understands: what is disputed, each side's value, why it was
flagged and how sure newsprism is.

The detector (:mod:`newsprism.compare.conflicts`) states a conflict for machines: a ``slot``
built from the parser's head word ("date: be", "amount: divert"), values normalised to one unit
("8.69625 weeks", "2.5e+09 USD") and a reason that names its features. This module renders those
fields for a person, from the :class:`~newsprism.model.Conflict` alone, so every format (the
page, Markdown, the CLI) says the same thing, and the detector can change how it works inside.
"""

from __future__ import annotations

import math
import re
from datetime import date

from newsprism.model import Conflict, ConflictKind, ConflictSide

_CURRENCIES = {
    "USD": ("dollar", "dollars"),
    "EUR": ("euro", "euros"),
    "GBP": ("pound", "pounds"),
    "JPY": ("yen", "yen"),
    "CAD": ("Canadian dollar", "Canadian dollars"),
    "AUD": ("Australian dollar", "Australian dollars"),
    "CHF": ("Swiss franc", "Swiss francs"),
    "CNY": ("yuan", "yuan"),
    "INR": ("rupee", "rupees"),
}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_DURATIONS = {
    "years": 86400 * 365,
    "weeks": 86400 * 7,
    "days": 86400,
    "hours": 3600,
    "minutes": 60,
    "seconds": 1,
    "s": 1,
}
_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[-+]?\d+)?"
_NUMBER_UNIT = re.compile(rf"(?P<num>{_NUMBER})\s*(?P<unit>[A-Za-z%]+)?", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DETERMINERS = r"(?:the|a|an|its|their|his|her|this|that|our|whose|each|every)"


def _plain(x: float, digits: int = 3) -> str:
    """A number as a person writes it: 1,200; 2.5; 0.75 (at most ``digits`` significant
    figures after the point for non-integers)."""
    if math.isclose(x, round(x), rel_tol=0, abs_tol=1e-9):
        return f"{round(x):,}"
    places = max(0, digits - 1 - math.floor(math.log10(abs(x)))) if x else 0
    text = f"{x:,.{places}f}".rstrip("0").rstrip(".")
    return text


def human_number(x: float) -> str:
    """1200 -> "1,200"; 2.5e9 -> "2.5 billion"; 3.6e9 -> "3.6 billion"."""
    for size, word in _SCALES:
        if abs(x) >= size:
            return f"{_plain(x / size)} {word}"
    return _plain(x)


def human_duration(seconds: float) -> str:
    """A length of time in the largest unit that states it cleanly: 10800 -> "3 hours",
    5259600 -> "about 8.7 weeks"."""
    for unit in ("years", "weeks", "days", "hours", "minutes"):
        v = seconds / _DURATIONS[unit]
        if v < 1:
            continue
        r = round(v, 1)
        if abs(v - r) <= 0.01 * v:
            about = "" if math.isclose(v, r, rel_tol=1e-9) else "about "
            word = unit[:-1] if r == 1 else unit
            return f"{about}{_plain(r)} {word}"
    return f"{_plain(seconds)} seconds"


def human_date(iso: str) -> str:
    """2026-11-17 -> "November 17, 2026" (other text unchanged)."""
    m = _ISO_DATE.fullmatch(iso.strip())
    if m is None:
        return iso
    try:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return iso
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def humanise(text: str) -> str:
    """Every machine-shaped value in ``text`` made readable: "2.5e+09 USD" -> "2.5 billion
    dollars", "8.69625 weeks" -> "about 8.7 weeks", "10800 s" -> "3 hours", "2026-11-17" ->
    "November 17, 2026"; words are left alone."""

    def value(m: re.Match[str]) -> str:
        raw, unit = m.group("num"), m.group("unit")
        try:
            x = float(raw.replace(",", ""))
        except ValueError:
            return m.group(0)
        if unit is None:
            if "e" in raw.lower() or ("." in raw and len(raw.split(".")[1]) > 2):
                return human_number(x)
            return m.group(0)
        key = unit.lower()
        if unit.upper() in _CURRENCIES:
            one, many = _CURRENCIES[unit.upper()]
            return f"{human_number(x)} {one if x == 1 else many}"
        if key in _DURATIONS:
            return human_duration(x * _DURATIONS[key])
        if unit == "%":
            return f"{_plain(x)}%"
        return f"{human_number(x)} {unit}"

    text = _ISO_DATE.sub(lambda m: human_date(m.group(0)), text)
    return _NUMBER_UNIT.sub(value, text)


_COUNTED = re.compile(rf"^(?P<lead>(?:[a-z]+ )*?)(?P<num>{_NUMBER}) (?P<noun>[a-z][a-z'’-]*)$")


def human_value(side: ConflictSide) -> str:
    """The side's value as compared, in words: the normalised form made readable. A count
    is normalised to the lemma of what it counts ("23 car"); the noun is given back as the
    sentence writes it ("23 cars")."""
    if not side.normalised:
        return side.value_text.strip()
    text = humanise(side.normalised)
    m = _COUNTED.match(text)
    if m is not None and m.group("num") not in ("1", "one"):
        noun = m.group("noun")
        written = re.search(rf"\b{re.escape(noun)}(?:s|es)\b", side.sentence_text, re.IGNORECASE)
        plural = written.group(0).lower() if written else noun
        return f"{m.group('lead')}{m.group('num')} {plural}"
    return text


# -- what is disputed -----------------------------------------------------------------------------

_KIND_WORDS = {
    ConflictKind.DURATION: "length",
    ConflictKind.MONEY: "amount",
    ConflictKind.PERCENT: "percentage",
    ConflictKind.QUANTITY: "quantity",
    ConflictKind.DATE: "date",
    ConflictKind.TIME: "time",
    ConflictKind.AGE: "age",
}


#: Words that never stand between a determiner and its noun ("the vote will be"): verbs that
#: help others, and the verbs most often taken as a value's head.
_NOT_NOUNS = frozenset(
    [
        "be",
        "is",
        "are",
        "was",
        "were",
        "been",
        "being",
        "am",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "having",
        "to",
        "not",
        "say",
        "said",
        "says",
        "make",
        "made",
        "take",
        "took",
        "get",
        "got",
        "go",
        "went",
    ]
)


def _is_noun(word: str, sentences: list[str]) -> bool:
    """Whether ``word`` is used as a noun in one of the sentences: preceded by a determiner
    (two words may come between, "the two-hour meeting", none of them a helping verb). A head
    word the parser took from a verb ("be", "divert") does not follow one."""
    if word.lower() in _NOT_NOUNS:
        return False
    pattern = re.compile(
        rf"\b{_DETERMINERS}\s+((?:[\w'’-]+\s+){{0,2}}){re.escape(word)}s?\b", re.IGNORECASE
    )
    for s in sentences:
        for m in pattern.finditer(s):
            if not set(m.group(1).lower().split()) & _NOT_NOUNS:
                return True
    return False


def _participle(word: str, sentences: list[str]) -> str | None:
    """The form of a verb head as the sentences write it after the value ("diverted")."""
    if len(word) < 3:
        return None
    pattern = re.compile(rf"\b{re.escape(word)}(?:ed|d)\b", re.IGNORECASE)
    for s in sentences:
        m = pattern.search(s)
        if m:
            return m.group(0).lower()
    return None


def _possessive(noun: str) -> str:
    return f"the {noun}’" if noun.endswith("s") else f"the {noun}’s"


def slot_label(conflict: Conflict) -> str:
    """What the sources disagree about, as a reader asks it: "the number of cars", "the
    meeting’s length", "the amount diverted", "who said “We are not leaving…”"."""
    slot = " ".join(conflict.slot.split())
    kind = conflict.kind
    sentences = [s.sentence_text for s in conflict.sides]
    if kind is ConflictKind.SPEAKER:
        return "who said " + slot.removeprefix("speaker of ").strip()
    if kind is ConflictKind.PLACE:
        return "where it happened"
    if kind is ConflictKind.NAME:
        if not slot or "," in slot:
            return "who is named"
        return (
            f"the name of {slot}"
            if slot.lower().startswith(("the ", "a "))
            else (f"the name of the {slot}")
        )
    if kind is ConflictKind.COUNT:
        noun = slot.removeprefix("number of ").strip()
        return f"the number of {noun}" if noun else "a number"
    if ":" not in slot and slot.lower() not in (kind.value, _KIND_WORDS.get(kind, "")):
        return slot  # a label in words already ("duration of the governor's meeting")
    what, _, head = slot.partition(":")
    head = head.strip()
    word = _KIND_WORDS.get(kind, what.strip() or kind.value)
    if not head:
        return f"the {word}"
    if _is_noun(head, sentences):
        if kind is ConflictKind.DATE:
            return f"the date of the {head}"
        if kind is ConflictKind.TIME:
            return f"the time of the {head}"
        return f"{_possessive(head)} {word}"
    verb = _participle(head, sentences)
    return f"the {word} {verb}" if verb else f"the {word}"


# -- why, and how sure ----------------------------------------------------------------------------

_PROBABILITY = re.compile(r"\(probability [0-9.]+:?\s*")
_SAME_SLOT = re.compile(r"^one slot \(probability [0-9.]+:?\s*(?P<why>[^)]*)\);.*$", re.DOTALL)
_HOURS = re.compile(r"\b(\d+) h\b")


def _list(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def why_flagged(conflict: Conflict, labels: list[str] | None = None) -> str:
    """Why the conflict is shown, in plain words: which source says what, and the evidence
    that they speak of the same thing (from the detector's reason, its numbers made readable)."""
    values = [human_value(s) for s in conflict.sides]
    said = [
        f"{label} says {value}" if label else value
        for label, value in zip(labels or [""] * len(values), values, strict=False)
    ]
    reason = " ".join(conflict.reason.split())
    if conflict.update:
        why = _HOURS.sub(
            lambda m: f"{m.group(1)} hour{'' if m.group(1) == '1' else 's'}", humanise(reason)
        )
        return f"{_list(said)}. An update, not a contradiction: {why}." if why else _list(said)
    m = _SAME_SLOT.match(reason)
    if m is not None:
        evidence = m.group("why").strip()
        tail = f" (evidence: {humanise(evidence)})" if evidence else ""
        return (
            f"{_list(said)}. They seem to describe the same thing{tail}, and the values "
            "cannot all be true."
        )
    # Other reasons: their parts in words, less those that only restate the values.
    parts = [
        humanise(_PROBABILITY.sub("(", part)).replace("()", "").strip()
        for part in reason.split(";")
        if " vs " not in part and "cannot all hold" not in part
    ]
    plain = "; ".join(p for p in parts if p)
    if not plain:
        return f"{_list(said)}: the values differ, and cannot all be true of one thing."
    return f"{_list(said)}. {plain[:1].upper() + plain[1:]}."


def confidence_text(conflict: Conflict) -> str:
    """How sure newsprism is that the sources disagree about one thing, in words, with the
    number: "very likely (0.95)", "possible (0.62): check before relying on it"."""
    c = conflict.confidence
    if conflict.update:
        return f"update, confidence {c:.2f}"
    if conflict.possible:
        return f"possible ({c:.2f}): check before relying on it"
    return f"{'very likely' if c >= 0.9 else 'likely'} ({c:.2f})"


def headline(conflict: Conflict) -> str:
    """One line: "Update: the number of people evacuated, 1,200 → 1,500" or "Conflict: the
    number of cars, 23 or 25"."""
    values = list(dict.fromkeys(human_value(s) for s in conflict.sides))
    label = slot_label(conflict)
    if conflict.update:
        return f"Update: {label}, " + " → ".join(values)
    lead = "Possible conflict" if conflict.possible else "Conflict"
    return f"{lead}: {label}, " + " or ".join(values)
