"""Conflicts in a reader's words: labels, values, why flagged, confidence."""

from __future__ import annotations

import pytest

from newsprism.formats.human import (
    confidence_text,
    headline,
    human_value,
    humanise,
    slot_label,
    why_flagged,
)
from newsprism.model import Conflict, ConflictKind, ConflictSide, Span

SPAN = Span("a", 0, 1)


def conflict(
    kind: ConflictKind,
    slot: str,
    sides: list[tuple[str, str]],
    *,
    update: bool = False,
    reason: str = "",
    confidence: float = 0.9,
) -> Conflict:
    return Conflict(
        "c1",
        kind,
        slot,
        tuple(ConflictSide(SPAN, sentence, SPAN, "x", norm) for sentence, norm in sides),
        update,
        reason,
        confidence,
    )


@pytest.mark.parametrize(
    ("machine", "reader"),
    [
        ("2.5e+09 USD", "2.5 billion dollars"),
        ("3.6e+09 USD", "3.6 billion dollars"),
        ("4,500,000 EUR", "4.5 million euros"),
        ("8.69625 weeks vs 5 weeks", "about 8.7 weeks vs 5 weeks"),
        ("10800 s", "3 hours"),
        ("9000 s", "2.5 hours"),
        ("2026-11-17", "November 17, 2026"),
        ("at least 1,200 people", "at least 1,200 people"),
        ("12 %", "12%"),
        ("25 cars", "25 cars"),
    ],
)
def test_values_read_as_a_person_writes_them(machine: str, reader: str) -> None:
    assert humanise(machine) == reader


def test_slot_labels_name_what_is_disputed() -> None:
    meeting = conflict(
        ConflictKind.DURATION,
        "duration: meeting",
        [("The meeting ran three hours.", "10800 s"), ("A two-hour meeting.", "7200 s")],
    )
    assert slot_label(meeting) == "the meeting’s length"
    # heads the parser took from verbs are not shown as nouns
    vote = conflict(ConflictKind.DATE, "date: be", [("The vote will be on Nov. 3.", "2026-11-03")])
    assert slot_label(vote) == "the date"
    money = conflict(
        ConflictKind.MONEY, "amount: divert", [("Lawmakers diverted $2.5 billion.", "2.5e+09 USD")]
    )
    assert slot_label(money) == "the amount diverted"
    cars = conflict(ConflictKind.COUNT, "number of cars", [("23 cars derailed.", "23 cars")])
    assert slot_label(cars) == "the number of cars"
    quote = conflict(ConflictKind.SPEAKER, "speaker of “We are not leaving”", [("x", "Jo Bell")])
    assert slot_label(quote) == "who said “We are not leaving”"
    launch = conflict(ConflictKind.DATE, "date: launch", [("The launch is set.", "2026-01-02")])
    assert slot_label(launch) == "the date of the launch"


def test_why_flagged_and_confidence_in_words() -> None:
    c = conflict(
        ConflictKind.MONEY,
        "amount: divert",
        [
            ("They diverted $2.5 billion.", "2.5e+09 USD"),
            ("They diverted $3 billion.", "3e+09 USD"),
        ],
        reason="one slot (probability 0.93: the same verb; the same subject); "
        "2.5e+09 USD vs 3e+09 USD cannot all hold",
        confidence=0.93,
    )
    why = why_flagged(c, ["S1", "S2"])
    assert why.startswith("S1 says 2.5 billion dollars and S2 says 3 billion dollars.")
    assert "the same verb; the same subject" in why
    assert "e+09" not in why and "probability" not in why
    assert confidence_text(c) == "very likely (0.93)"
    assert headline(c) == "Conflict: the amount diverted, 2.5 billion dollars or 3 billion dollars"
    weak = conflict(ConflictKind.COUNT, "number of cars", [("a", "23 cars")], confidence=0.6)
    assert confidence_text(weak).startswith("possible (0.60)")
    upd = conflict(
        ConflictKind.COUNT,
        "number of residents",
        [
            ("1,200 residents left.", "1,200 residents"),
            ("1,500 residents left.", "1,500 residents"),
        ],
        update=True,
        reason="published 12 h apart; the later article words it as a change",
    )
    assert headline(upd) == "Update: the number of residents, 1,200 residents → 1,500 residents"
    assert "published 12 hours apart" in why_flagged(upd, ["S1", "S2"])
    assert human_value(upd.sides[1]) == "1,500 residents"
