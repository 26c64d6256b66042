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
* Mattis resigns, 2018-12-20/23: his letter gave Feb. 28 as his last day; three days later Fox
  reports Trump moved it to January 1 "weeks earlier than planned" -- an update, not a conflict;
  Trump's Syria announcement (Wednesday) and his Mattis announcement (Sunday) are two events.
* Shutdown talks, 2019-01-02/04: "its 12th day" (Jan. 2) and "the 14th day" (Jan. 4) are one
  running count; the Wednesday meeting and Friday's second meeting are two events.
* Arkansas religious-freedom bill, 2015-04-01/02: Gov. Hutchinson spoke and urged changes on
  Wednesday and signed the revised bill on Thursday: two days, two events, no conflict.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.clean import clean_document
from newsprism.compare.brief import AnalysisCache, build_brief
from newsprism.config import load_settings
from newsprism.model import Article, Brief, Conflict, ConflictKind, RawDocument, SourceKind
from newsprism.nlp import Models
from tests.compare.faithfulness import check_brief

BASIL = Path(__file__).resolve().parents[3] / "shared" / "eval" / "basil" / "basil.jsonl"
AKIN = "08bb9bee-c167-4c17-9c6d-4a1259231eb7"
OVERRIDE = "1b96a5db-8974-46d3-82d7-5dfef02f650e"
PELOSI = "79bf99c6-6fca-4ce4-8ae1-8771de026142"
MATTIS = "01c59743-7082-44fc-8414-3c04126f470f"
SHUTDOWN = "0d10341a-9dba-4374-a524-814c300d1611"
ARKANSAS = "2742e9c1-2943-496f-8b23-faf5332e1612"

pytestmark = pytest.mark.skipif(not BASIL.exists(), reason="../shared/eval/basil is not here")


@pytest.fixture(scope="module")
def briefs() -> dict[str, Brief]:
    settings = load_settings()
    models = Models(settings)
    cache = AnalysisCache()
    rows = [json.loads(line) for line in BASIL.read_text(encoding="utf-8").splitlines() if line]
    out = {}
    for cluster in (AKIN, OVERRIDE, PELOSI, MATTIS, SHUTDOWN, ARKANSAS):
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
    # Listed once, in its fullest wording (Fox News quotes the statement with the sentence
    # before it; HuffPost splits it in two).
    e = next(e for e in b.quotes if "Today, his fellow Missourians" in e.quote.text)
    assert e.quote.speaker == "Mitt Romney"
    assert str(e.agreement) == "verbatim"
    # The same words in the other two outlets, as printed there.
    assert len({s.source for s in e.others}) == 2
    assert not [c for c in b.conflicts if c.kind == ConflictKind.DATE]


@pytest.mark.xfail(
    strict=True,
    reason="known false conflict of the fitted slot model: two dates of one story's similar sentences",
)
def test_override_attack_date_is_not_the_vote_date(briefs: dict[str, Brief]) -> None:
    b = briefs[OVERRIDE]
    assert not [c for c in b.conflicts if c.kind == ConflictKind.DATE]


@pytest.mark.xfail(
    strict=True,
    reason="recall lost to the same-claim judgment (#14 item 1): 'The House voted later on "
    "Wednesday to override the veto' and 'the House ensured the bill will become law after "
    "voting 348-77 to override' state one claim, but the model gives them less than its "
    "corroborating threshold",
)
def test_override_house_vote_is_one_corroborated_fact(briefs: dict[str, Brief]) -> None:
    b = briefs[OVERRIDE]
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


def _values(c: Conflict) -> set[str]:
    return {s.value_text for s in c.sides}


@pytest.mark.xfail(
    strict=True,
    reason="known miss of the fitted slot model: 'end of February' and 'January 1' sit in sentences it scores as two slots",
)
def test_mattis_departure_date_is_an_update(briefs: dict[str, Brief]) -> None:
    b = briefs[MATTIS]
    moved = [c for c in b.conflicts if {"Feb. 28", "January 1"} <= _values(c)]
    assert moved and all(c.update for c in moved)
    assert "change" in moved[0].reason
    days = [c for c in b.conflicts if c.kind == ConflictKind.DATE and not c.update]
    assert not [c for c in days if {"Wednesday", "Sunday"} <= _values(c)]


@pytest.mark.xfail(
    strict=True,
    reason="known miss of the fitted slot model: '12th day' and '14th day' score under the update threshold",
)
def test_shutdown_day_count_is_one_running_count(briefs: dict[str, Brief]) -> None:
    b = briefs[SHUTDOWN]
    count = [c for c in b.conflicts if {"12th", "14th"} <= _values(c)]
    assert count and all(c.update for c in count)
    assert not [c for c in b.conflicts if {"Wednesday", "Friday"} <= _values(c)]


def test_arkansas_two_days_two_events(briefs: dict[str, Brief]) -> None:
    b = briefs[ARKANSAS]
    assert not [c for c in b.conflicts if c.kind == ConflictKind.DATE and not c.update]
