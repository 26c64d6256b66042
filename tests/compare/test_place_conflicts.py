"""Place conflicts: one event put in two places by two outlets. Text written for this test."""

from __future__ import annotations

import pytest

from newsprism.clean import clean_document
from newsprism.compare.brief import AnalysisCache, build_brief
from newsprism.config import load_settings
from newsprism.model import Article, Brief, ConflictKind, RawDocument, SourceKind
from newsprism.nlp import Models
from tests.compare.faithfulness import check_brief

pytestmark = pytest.mark.slow

A = """Governor declares emergency after derailment

A freight train derailed near the town of Carverton late Tuesday, forcing hundreds of residents \
from their homes, county officials said.

Gov. Ellen Marsh met with state emergency officials in Columbus on Wednesday morning and then \
declared a state of emergency for Hollis County.

Crews worked through the night to remove damaged cars from the embankment, and the railroad said \
the line would stay closed until Friday.
"""


def _b(meeting_place: str, also: str = "") -> str:
    return f"""Emergency declared in Hollis County

Gov. Ellen Marsh met with state emergency officials in {meeting_place} on Wednesday morning \
before she declared a state of emergency for Hollis County.

The freight train left the tracks near Carverton late Tuesday, and hundreds of residents were \
told to leave their homes, officials said.{also}

The railroad said the line would stay closed until Friday while crews removed the damaged cars.
"""


@pytest.fixture(scope="module")
def models() -> Models:
    return Models(load_settings())


def _brief(models: Models, a: str, b: str) -> Brief:
    settings = load_settings()
    arts = []
    for text, outlet in ((a, "Outlet A"), (b, "Outlet B")):
        raw = RawDocument(
            origin=f"{outlet}.txt",
            kind=SourceKind.TEXT,
            content=text,
            outlet=outlet,
            published="2026-11-18",
        )
        art = clean_document(raw, settings)
        assert isinstance(art, Article)
        arts.append(art)
    return build_brief(arts, models=models, settings=settings, cache=AnalysisCache())


def test_one_meeting_in_two_cities(models: Models) -> None:
    b = _brief(models, A, _b("Cleveland"))
    places = [c for c in b.conflicts if c.kind == ConflictKind.PLACE]
    assert len(places) == 1
    assert {s.value_text for s in places[0].sides} == {"Columbus", "Cleveland"}
    assert not places[0].possible  # the two sentences clearly report one meeting
    assert check_brief(b) > 5


def test_a_place_the_other_article_also_names_is_no_conflict(models: Models) -> None:
    # Outlet B names Columbus elsewhere: "in Ohio" and "in Columbus" may both be true.
    also = " The governor later flew back to Columbus."
    b = _brief(models, A, _b("Ohio", also))
    assert not [c for c in b.conflicts if c.kind == ConflictKind.PLACE]


def test_a_city_and_its_state_are_no_conflict(models: Models) -> None:
    # "in Ohio" and "in Columbus" both hold (the gazetteer knows Columbus is in Ohio), though
    # outlet B names Columbus nowhere.
    b = _brief(models, A, _b("Ohio"))
    assert not [c for c in b.conflicts if c.kind == ConflictKind.PLACE]


def test_a_city_in_another_state_conflicts(models: Models) -> None:
    b = _brief(models, A, _b("Lubbock"))
    places = [c for c in b.conflicts if c.kind == ConflictKind.PLACE]
    assert [{s.value_text for s in c.sides} for c in places] == [{"Columbus", "Lubbock"}]
