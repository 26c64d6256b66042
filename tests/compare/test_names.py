"""One person under several names, and the spelling variants of one name."""

from __future__ import annotations

import pytest

from newsprism.compare.conflicts import _same_words
from newsprism.compare.features import _same_agent
from newsprism.compare.names import same_person, same_spelling, spelling_key
from newsprism.model import Quote, Span


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Obama", "Barack Obama", True),
        ("Hillary Clinton", "Mrs. Clinton", True),
        ("Clintons", "Clinton", False),  # the couple is not one of them
        ("George Conway", "Kellyanne Conway", False),  # two first names: two people
        ("Bill Clinton", "Hillary Clinton", False),
        ("Jim Mattis", "James Mattis", True),  # a short form of the first name
        ("J. Smith", "John Smith", True),  # an initial
        ("José Díaz", "Jose Diaz", True),  # accents
        ("Alexandria Ocasio-Cortez", "Alexandria Ocasio Cortez", True),  # a hyphen
        ("Mr. Clinton", "Bill Clinton", True),  # a title is no first name
        ("Dana Whitfield", "Dana Whitman", False),
    ],
)
def test_same_person(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same
    assert same_person(b, a) is same


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Alexandria Ocasio-Cortez", "Alexandria Ocasio Cortez", True),
        ("Beto O'Rourke", "Beto ORourke", True),
        ("John G. Roberts Jr.", "John Roberts", True),
        ("Dana Whitfield", "Dana Whitman", False),
        ("Peter Strzok", "Peter Stroz", False),
    ],
)
def test_same_spelling(a: str, b: str, same: bool) -> None:
    assert same_spelling(a, b) is same
    assert spelling_key("José Díaz") == "jose diaz"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("democrats", "house democrats", True),
        ("republican", "republicans", True),
        ("senate", "congress", True),  # Congress acts through its chambers
        ("senate", "house", False),
        ("murray", "inslee", False),
    ],
)
def test_same_agent(a: str, b: str, same: bool) -> None:
    assert _same_agent(a, b) is same
    assert _same_agent(b, a) is same


def _q(text: str) -> Quote:
    return Quote(Span("s", 0, len(text)), text, "Someone")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # two transcriptions of one spoken passage
        (
            "Hillary Clinton lied many times to the FBI, and nothing happened to her. Flynn lied,"
            " and it destroyed his life, and I think it's a shame,",
            "Hillary Clinton lied many times to the FBI, nothing happened to her. Flynn lied and"
            " they destroyed his life",
            True,
        ),
        # one statement quoted inside a longer one
        (
            "We will not rest until the families have answers.",
            "Today I say this: we will not rest until the families have answers, and we will"
            " rebuild.",
            True,
        ),
        # two statements on one theme
        (
            "I think that is a phony ideal. I don't believe that's what we're here to do.",
            "I don't believe that that's what we're here to do. That man is here to use the"
            " resources and use them wisely.",
            False,
        ),
        ("secure the border within a year.", "I will secure the border within a year.", False),
    ],
)
def test_same_quotation(a: str, b: str, same: bool) -> None:
    assert _same_words(_q(a), _q(b)) is same
