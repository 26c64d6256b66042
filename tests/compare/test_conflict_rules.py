"""Conflict rules on two outlets' reports of one (invented) budget standoff. Text written for this
test: each paragraph pair holds either a real disagreement, which must be reported, or a trap
that looks like one, which must not be (or must be labelled an update)."""

from __future__ import annotations

import pytest

from newsprism.clean import clean_document
from newsprism.compare.brief import AnalysisCache, build_brief
from newsprism.compare.conflicts import _same_words
from newsprism.config import load_settings
from newsprism.model import (
    Article,
    Brief,
    Conflict,
    ConflictKind,
    Quote,
    RawDocument,
    SourceKind,
    Span,
)
from newsprism.nlp import Models
from tests.compare.faithfulness import check_brief

pytestmark = pytest.mark.slow

EARLY = """Budget talks collapse as the shutdown drags on

Congressional leaders met at the White House on Wednesday, and the shutdown entered its 12th \
day with no deal in sight.

Senator Ann Hale announced on Monday that she would oppose any short-term spending bill.

The president will lay out 19 proposals for border security next week, aides said.

A 12-person panel gathered at the Capitol on Friday to draft a compromise.

Republicans hold 53 seats in the Senate after the last election.

The standoff has lasted three weeks, longer than any before it.

Judicial Watch Director of Investigations Chris Farrell commented on how FBI official Peter \
Strzok was treated by the bureau.

Rep. Michele Bachmann (R-Minn.) led the opposition in the House.

Governor Lee Park spoke on Friday about the future of the budget bill in his state.

The governor has led the state budget office since 2019, aides said.

The governor has paid state taxes since 2011, his tax returns show.

Governor Lee Park leads the field with 30 percent of likely voters in the new poll.

The FBI fired its budget liaison, Peter Vance, on Monday over the leaked budget memo.

Justice Antonin Scalia wrote the court's opinion in the 2008 gun case. Justice John Harlan \
wrote the dissent in an older case.
"""

LATE = """Leaders leave the White House without a budget deal

The meeting at the White House came on the 14th day of the shutdown, and leaders left without \
a deal.

Governor Tom Reyes announced on Thursday that he would oppose any short-term spending bill.

The president laid out 23 proposals for border security on Friday.

Police said 26 people gathered at the Capitol on Friday to protest.

Democrats have lost 9 seats in the Senate since 2010.

The standoff has lasted a year in the eyes of weary federal workers, one union leader said.

FBI Director Christopher Wray defended the decision in a statement.

Representative Michele Coleman, Republican of Minnesota, spoke for the holdouts.

Governor Lee Park signed a revised version of the budget bill on Saturday.

The governor has led the state budget office since 2017, his office said.

The governor has released his tax returns going back to 1977.

Among independent voters, Governor Lee Park finishes first at 24 percent in the new poll.

Peter Vance was fired on Tuesday over the leaked budget memo, his lawyer said.

Senators praised the late Justice Antonin Morgan at the hearing. They also quoted Justice John \
Marshall.
"""


@pytest.fixture(scope="module")
def brief() -> Brief:
    settings = load_settings()
    arts = []
    for text, outlet, day in (
        (EARLY, "Early Post", "2026-01-02"),
        (LATE, "Late Star", "2026-01-04"),
    ):
        raw = RawDocument(
            origin=f"{outlet}.txt",
            kind=SourceKind.TEXT,
            content=text,
            outlet=outlet,
            published=day,
        )
        art = clean_document(raw, settings)
        assert isinstance(art, Article)
        arts.append(art)
    models = Models(settings)
    return build_brief(arts, models=models, settings=settings, cache=AnalysisCache())


def _with(b: Brief, *surfaces: str) -> list[Conflict]:
    return [c for c in b.conflicts if set(surfaces) <= {s.value_text for s in c.sides}]


def test_faithful(brief: Brief) -> None:
    assert check_brief(brief) > 10


def test_a_running_count_of_days_is_an_update(brief: Brief) -> None:
    # "its 12th day" on Jan. 2 and "the 14th day" on Jan. 4 are the same count two days on.
    assert all(c.update for c in _with(brief, "12th", "14th"))


def test_a_plan_then_what_was_done_is_an_update(brief: Brief) -> None:
    found = _with(brief, "19 proposals", "23 proposals")
    assert found and all(c.update for c in found)
    assert "plan" in found[0].reason


def test_different_people_on_different_days_are_no_conflict(brief: Brief) -> None:
    assert not _with(brief, "Monday", "Thursday")  # Hale announced Monday, Reyes Thursday


def test_a_team_size_is_no_count_of_people(brief: Brief) -> None:
    assert not _with(brief, "12-person", "26 people")


def test_two_parties_figures_are_no_conflict(brief: Brief) -> None:
    assert not _with(brief, "53 seats", "9 seats")


def test_figures_orders_of_magnitude_apart_are_no_conflict(brief: Brief) -> None:
    assert not _with(brief, "three weeks", "a year")


def test_another_persons_title_is_not_this_ones(brief: Brief) -> None:
    names = [c for c in brief.conflicts if c.kind == ConflictKind.NAME]
    assert not [c for c in names if "Chris Farrell" in {s.value_text for s in c.sides}]


def test_abbreviated_party_and_state_match_the_long_forms(brief: Brief) -> None:
    names = [c for c in brief.conflicts if c.kind == ConflictKind.NAME]
    found = [c for c in names if {s.value_text for s in c.sides} >= {"Michele Coleman"}]
    assert found, [c.reason for c in names]
    assert not found[0].update


def test_a_day_after_the_earlier_article_is_a_later_event(brief: Brief) -> None:
    # The Jan. 2 article reports Friday (Jan. 2, its own day); the Jan. 4 article's Saturday
    # (Jan. 3) came after the first was published: Park spoke, then signed.
    assert not _with(brief, "Friday", "Saturday")


def test_since_one_year_and_since_another_conflict(brief: Brief) -> None:
    found = _with(brief, "since 2019", "since 2017")
    assert found and not found[0].update


def test_since_and_back_to_are_different_things(brief: Brief) -> None:
    assert not _with(brief, "since 2011", "1977")


def test_a_rare_first_name_needs_less_context(brief: Brief) -> None:
    # "Justice" is all the two sentences share around the names: enough for "Antonin", not for
    # "John" (two Justices John are likely; two Justices Antonin are not).
    names = [_values_of(c) for c in brief.conflicts if c.kind == ConflictKind.NAME]
    assert {"Antonin Scalia", "Antonin Morgan"} in names
    assert not [n for n in names if "John Harlan" in n]


def _values_of(c: Conflict) -> set[str]:
    return {s.value_text for s in c.sides}


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


def test_a_passive_subject_is_not_the_doer(brief: Brief) -> None:
    # "The FBI fired ... Vance on Monday" and "Vance was fired on Tuesday": one firing, two days
    # (Vance is who it happened to, not a second doer).
    found = _with(brief, "Monday", "Tuesday")
    assert found and not found[0].update


def test_shares_of_different_groups_are_no_conflict(brief: Brief) -> None:
    assert not _with(brief, "30 percent", "24 percent")
