"""Golden briefs of three real BASIL events (3 outlets each), checked against what a reader of the
articles finds in them. The articles are read from ../shared/eval/basil (research use only, not
copied into the project); the expectations below were written after reading the articles and the
briefs side by side.

* Akin, 2012-08-21: Romney's statement is quoted verbatim by all three outlets; the day of his
  call (Tuesday) is reported alike, so no date conflict.
* Veto override on the 9/11 bill, 2016-09-28/29: the Sept. 11 attacks and the Wednesday vote are
  different events (no conflict between their dates); the House vote is one corroborated fact.
* Pelosi re-elected leader, 2016-11-30: Fox says she has led House Democrats "since 2003",
  HuffPost "since 2002" -- a real disagreement; both outlets' "Wednesday" is one day.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.clean import clean_document
from newsprism.compare.brief import AnalysisCache, build_brief
from newsprism.config import load_settings
from newsprism.model import Article, Brief, ConflictKind, RawDocument, SourceKind
from newsprism.nlp import Models
from tests.compare.faithfulness import check_brief

BASIL = Path(__file__).resolve().parents[3] / "shared" / "eval" / "basil" / "basil.jsonl"
AKIN = "08bb9bee-c167-4c17-9c6d-4a1259231eb7"
OVERRIDE = "1b96a5db-8974-46d3-82d7-5dfef02f650e"
PELOSI = "79bf99c6-6fca-4ce4-8ae1-8771de026142"

pytestmark = pytest.mark.skipif(not BASIL.exists(), reason="../shared/eval/basil is not here")


@pytest.fixture(scope="module")
def briefs() -> dict[str, Brief]:
    settings = load_settings()
    models = Models(settings)
    cache = AnalysisCache()
    rows = [json.loads(line) for line in BASIL.read_text(encoding="utf-8").splitlines() if line]
    out = {}
    for cluster in (AKIN, OVERRIDE, PELOSI):
        articles = []
        for r in rows:
            if r["cluster"] != cluster:
                continue
            raw = RawDocument(
                origin=r["id"],
                kind=SourceKind.TEXT,
                content=r["text"],
                title=r["title"],
                outlet=r["outlet"],
                published=r["date"],
                url=r["url"],
            )
            art = clean_document(raw, settings)
            assert isinstance(art, Article), r["id"]
            articles.append(art)
        out[cluster] = build_brief(articles, models=models, settings=settings, cache=cache)
    return out


def _outlet(b: Brief, source: str) -> str:
    return next(s.outlet or "" for s in b.sources if s.id == source)


def test_every_span_is_faithful(briefs: dict[str, Brief]) -> None:
    for b in briefs.values():
        assert len(b.sources) == 3
        assert 5 <= len(b.summary) <= 10
        assert check_brief(b) > 40


def test_akin_statement_is_one_quote_in_three_outlets(briefs: dict[str, Brief]) -> None:
    b = briefs[AKIN]
    e = next(e for e in b.quotes if e.quote.text.startswith("Today, his fellow Missourians"))
    assert e.quote.speaker == "Mitt Romney"
    assert str(e.agreement) == "verbatim"
    # The same words in the other two outlets, as printed there.
    assert len({s.source for s in e.others}) == 2
    assert not [c for c in b.conflicts if c.kind == ConflictKind.DATE]


def test_override_attack_date_is_not_the_vote_date(briefs: dict[str, Brief]) -> None:
    b = briefs[OVERRIDE]
    assert not [c for c in b.conflicts if c.kind == ConflictKind.DATE]
    house = [f for f in b.facts if "House" in f.text and "override" in f.text]
    assert house and house[0].origins >= 2


def test_pelosi_since_2002_vs_2003(briefs: dict[str, Brief]) -> None:
    b = briefs[PELOSI]
    dates = [c for c in b.conflicts if c.kind == ConflictKind.DATE and not c.update]
    found = [c for c in dates if {s.value_text for s in c.sides} >= {"since 2002", "since 2003"}]
    assert found, [(c.slot, [s.value_text for s in c.sides]) for c in dates]
    # (Known flaw: the NYT's "Schumer ... since 2005" joins this group; its owner is named too
    # far from the year to be seen.)
    sides = [s for s in found[0].sides if s.value_text in ("since 2002", "since 2003")]
    assert {_outlet(b, s.value.source) for s in sides} == {"Fox News", "HuffPost"}
    # "Wednesday" (Fox) and "Wednesday morning" (HuffPost) are one day, not a conflict.
    assert not [c for c in dates if all("Wednesday" in s.value_text for s in c.sides)]
