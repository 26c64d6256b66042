"""The brief of the bundled Carverton sample: conflicts planted on purpose must be found, with the
update told apart, the wire copy counted once, and every span faithful."""

from __future__ import annotations

import pytest

import newsprism
from newsprism.cli import sample_dir
from newsprism.compare.brief import AnalysisCache
from newsprism.config import load_settings
from newsprism.model import Brief, ConflictKind
from newsprism.nlp import Models
from tests.compare.faithfulness import check_brief


@pytest.fixture(scope="module")
def brief() -> Brief:
    settings = load_settings()
    return newsprism.brief(
        [str(sample_dir())], settings=settings, models=Models(settings), cache=AnalysisCache()
    )


def _by_outlet(b: Brief) -> dict[str, str]:
    return {s.id: (s.outlet or s.origin) for s in b.sources}


def test_every_span_is_faithful(brief: Brief) -> None:
    assert check_brief(brief) > 50


def test_wire_copy_is_one_origin(brief: Brief) -> None:
    copy = next(s for s in brief.sources if s.outlet == "Midwest Daily")
    original = next(s for s in brief.sources if s.id == copy.copy_of)
    assert original.origin.endswith("lakeshore-wire.txt")
    assert copy.origin_id == original.id
    assert len({s.origin_id for s in brief.sources}) == 3


def _conflict_values(brief: Brief, kind: ConflictKind, update: bool) -> list[set[str]]:
    return [
        {s.value_text for s in c.sides}
        for c in brief.conflicts
        if c.kind == kind and c.update == update
    ]


@pytest.mark.xfail(
    strict=True,
    reason="known miss of the fitted slot model: the two sentences share little but the cars "
    "(slot probability about 0.4, under the possible threshold); see docs/conflicts.md",
)
def test_planted_count_conflict_is_found(brief: Brief) -> None:
    assert {"23 cars", "25 rail cars"} in _conflict_values(brief, ConflictKind.COUNT, False)


def test_planted_conflicts_are_found(brief: Brief) -> None:
    durations = _conflict_values(brief, ConflictKind.DURATION, False)
    assert any(
        "three hours" in d and any("two-and-a-half-hour" in x for x in d) for d in durations
    ), durations
    assert {"Dana Whitfield", "Dana Whitman"} in _conflict_values(brief, ConflictKind.NAME, False)
    speakers = [c for c in brief.conflicts if c.kind == ConflictKind.SPEAKER]
    assert speakers and {s.normalised for s in speakers[0].sides} >= {"Luis Ortega"}


def test_rising_figures_are_updates_not_conflicts(brief: Brief) -> None:
    updates = [c for c in brief.conflicts if c.update]
    texts = [{s.value_text for s in c.sides} for c in updates]
    assert any(any("1,200" in t for t in v) and any("1,500" in t for t in v) for v in texts), texts
    for c in updates:
        times = [s.published for s in c.sides]
        assert times == sorted(times)  # sides in publication order
    # Nothing about the evacuation counts is reported as a contradiction.
    for c in brief.conflicts:
        if not c.update:
            assert not any("1,500" in s.value_text for s in c.sides), c


def test_sections_are_filled(brief: Brief) -> None:
    assert 5 <= len(brief.summary) <= 10
    assert brief.facts and all(f.origins >= 2 for f in brief.facts)
    outlets = {s.id: s.outlet for s in brief.sources}
    detail_outlets = {outlets[d.span.source] for d in brief.details}
    assert "Ohio Valley Public Radio" in detail_outlets  # school closures, EPA monitors
    assert any("schools" in d.text for d in brief.details)
    names = {e.name for e in brief.entities}
    assert {"Karen Boyd", "Luis Ortega", "Ellen Marsh"} <= names
    boyd = next(e for e in brief.entities if e.name == "Karen Boyd")
    assert "Boyd" in boyd.variants and len(boyd.sources) >= 2
    assert [t.kind for t in brief.timeline].count("published") == 4
