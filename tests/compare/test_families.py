"""The families of conflicts plug in through one interface (``conflicts.FAMILIES``): each finds
its own kind on a story written for this test, the detector reports what every family found,
and a family added from outside is reported like the built-in ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from newsprism.clean import clean_document
from newsprism.compare import conflicts as C
from newsprism.compare.analysis import Analysis, AnalysisCache, analyse_all
from newsprism.compare.origins import Origins, find_origins
from newsprism.config import load_settings
from newsprism.model import (
    Article,
    Conflict,
    ConflictKind,
    ConflictSide,
    RawDocument,
    SourceKind,
    Span,
)
from newsprism.nlp import Models

pytestmark = pytest.mark.slow

EARLY = """Train derails near river town

Railroad spokesman Dana Whitfield said on Tuesday that 23 cars left the tracks near the river.

"We have 40 crews working through the night," the mayor said.

"We will rebuild the bridge before the spring floods," said Mayor Ruth Tanner.

Officials met in Columbus on Wednesday to plan the cleanup.
"""

LATE = """Freight train derailment closes river road

Railroad spokesman Dana Whitman said on Tuesday that 23 cars left the tracks near the river.

"We have 55 crews working through the night," the mayor said.

"We will rebuild the bridge before the spring floods," said Governor Ellen Marsh.

Officials met in Cleveland on Wednesday to plan the cleanup.
"""

Story = tuple[list[Analysis], Origins, Any]


@pytest.fixture(scope="module")
def story() -> Story:
    settings = load_settings()
    models = Models(settings)
    arts = []
    for name, text in (("early", EARLY), ("late", LATE)):
        raw = RawDocument(
            origin=f"{name}.txt",
            kind=SourceKind.TEXT,
            content=text,
            outlet=name,
            published="2026-01-07",
        )
        art = clean_document(raw, settings)
        assert isinstance(art, Article)
        arts.append(art)
    analyses = analyse_all(arts, models, AnalysisCache())

    def embed(words: Sequence[str]) -> Any:
        return models.embedder.encode(list(words), normalize_embeddings=True)

    return analyses, find_origins(analyses), embed


def _found(cs: Sequence[Conflict]) -> set[tuple[ConflictKind, frozenset[str]]]:
    return {(c.kind, frozenset(s.value_text for s in c.sides)) for c in cs}


EXPECTED = {
    "values": (ConflictKind.COUNT, frozenset({"40 crews", "55 crews"})),
    "names": (ConflictKind.NAME, frozenset({"Dana Whitfield", "Dana Whitman"})),
    "speakers": (ConflictKind.SPEAKER, frozenset({"Ruth Tanner", "Ellen Marsh"})),
    "places": (ConflictKind.PLACE, frozenset({"Columbus", "Cleveland"})),
}


def test_the_families_are_values_names_speakers_places() -> None:
    assert [name for name, _ in C.FAMILIES] == list(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_family_finds_its_own_kind(story: Story, name: str) -> None:
    analyses, origins, embed = story
    family = dict(C.FAMILIES)[name]
    found = _found(C.find_conflicts(analyses, origins, embed, families=[(name, family)]))
    assert EXPECTED[name] in found
    assert {kind for kind, _ in found} == {EXPECTED[name][0]}


def test_the_detector_reports_every_family(story: Story) -> None:
    analyses, origins, embed = story
    found = _found(C.find_conflicts(analyses, origins, embed))
    assert set(EXPECTED.values()) <= found
    assert C.find_conflicts(analyses, origins, embed, families=()) == []


def test_a_family_plugged_in_from_outside_is_reported(story: Story) -> None:
    analyses, origins, embed = story

    def titles(view: C.StoryView) -> list[Conflict]:
        """A toy family: the two articles' titles, as one conflict."""
        a, b = view.analyses[0].article, view.analyses[1].article
        sides = tuple(
            ConflictSide(sentence=s, sentence_text=t, value=s, value_text=t, normalised=t.lower())
            for s, t in (
                (Span(a.id, 0, len(a.title or "")), a.title or ""),
                (Span(b.id, 0, len(b.title or "")), b.title or ""),
            )
        )
        return [
            Conflict(
                id="",
                kind=ConflictKind.NAME,
                slot="title",
                sides=sides,
                update=False,
                reason="titles differ",
                confidence=0.9,
            )
        ]

    out = C.find_conflicts(analyses, origins, embed, families=[*C.FAMILIES, ("titles", titles)])
    mine = [c for c in out if c.reason == "titles differ"]
    assert len(mine) == 1 and mine[0].id  # numbered like the built-in families' conflicts
    assert set(EXPECTED.values()) <= _found(out)
