"""Who does what a value measures (``Value.agent``), read from spaCy's parse: the patterns where
the doer is not the grammatical subject of the value's own verb."""

from __future__ import annotations

import pytest

from newsprism.compare.values import extract_values
from newsprism.config import load_settings
from newsprism.nlp import Models

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> object:
    return Models(load_settings()).spacy


def _agents(nlp: object, text: str) -> dict[str, str | None]:
    doc = nlp(text)  # type: ignore[operator]
    return {v.surface: v.agent for v in extract_values(text, "a", doc=doc)}


@pytest.mark.parametrize(
    ("text", "surface", "agent"),
    [
        # reported speech: "he" is the one who says it
        (
            "Schumer added that he believed he had the 41 votes necessary to block the nominee.",
            "41 votes",
            "schumer",
        ),
        # object control: the object of "requiring" is who must garner the votes
        (
            "Democrats could still filibuster, requiring Gorsuch to garner 60 votes in the Senate.",
            "60 votes",
            "gorsuch",
        ),
        # a "he" with no named reporter stays unknown
        ("He said he had the 41 votes he needed.", "41 votes", None),
        # whose figure: the possessor of the subject, through reported speech for "his"
        (
            "Mr. Bush said his average federal tax rate was 36 percent.",
            "36 percent",
            "bush",
        ),
        ("Bush's tax rate was 36 percent.", "36 percent", "bush"),
        ("The company's revenue rose 12 percent.", "12 percent", None),
        ("The Senate's cloture rule requires 60 votes.", "60 votes", None),
        # the plain case still reads the subject
        ("Murray announced on Saturday that she would run.", "Saturday", "murray"),
    ],
)
def test_agent(nlp: object, text: str, surface: str, agent: str | None) -> None:
    assert _agents(nlp, text)[surface] == agent
