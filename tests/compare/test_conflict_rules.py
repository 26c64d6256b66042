"""Conflict rules on two outlets' reports of one (invented) budget standoff. Text written for this
test: each paragraph pair holds either a real disagreement, which must be reported, or a trap
that looks like one, which must not be (or must be labelled an update)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from newsprism.clean import clean_document
from newsprism.compare.brief import AnalysisCache, build_brief
from newsprism.compare.conflicts import _heads_cross, _same_agent, _same_words, same_person
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
    return _brief((EARLY, "Early Post", "2026-01-02"), (LATE, "Late Star", "2026-01-04"))


def _brief(*sources: tuple[str, str, str]) -> Brief:
    settings = load_settings()
    arts = []
    for text, outlet, day in sources:
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


# A second invented story, two outlets on the same day (Friday, March 13, 2026): figures that
# belong to different things though their sentences read alike, and real disagreements that
# hide behind other figures.
LEDGER = """Transit strike talks resume as the city counts the cost

Mayor Cole, in her first one-on-one interview since being named Saturday as the party's \
nominee, told Channel 5 on Tuesday she welcomed the back and forth over the strike.

The transit authority paid nearly $20 million between 2011 and 2014 to outside consultants, \
its audit shows.

The authority earned $13 million from parking fees in 2023, its books show.

The authority has grown far richer in the 15 years since the last strike, primarily through \
parking fees and property sales.

The emergency order lets the mayor divert $3.6 billion from road projects to the bus fleet.

Mayor Cole announced Friday a short-term deal that will restart the trains for three weeks so \
that talks may continue without the damage of the strike.

Under union rules, strikers need 60 votes to overcome the board's veto of the contract.

In the Metro poll, Cole leads the would-be field with 31 percent of likely voters surveyed \
followed by Patel and former judge Jo Ames at 12 percent each.

Last year, the authority paid an effective interest rate of 52.8 percent on its strike loans \
and spent over 10 percent of its budget on security.

Several prominent union leaders offered swift, angry reactions to Mayor Cole on Wednesday, after \
she was caught on tape calling the strike pointless.

Union and city negotiators met at City Hall on Thursday, the first meeting in 22 days, but \
could not break the impasse.

The authority has paid $43 million in state taxes since 2016, its returns show.

The audit points to a group of at least 865 women who serve as station managers.

Cole offered the union a deal: raises for roughly 7,000 young drivers in exchange for $57 \
million in pension savings.

Police said that they had found three more of the suspicious devices: one addressed to Mayor \
Dana Cole and the other to Jo Ames.

The council resolution on the fare freeze passed Thursday was introduced by Council Member Jo \
Ames, and considered under an expedited procedure.
"""

STAR = """Strike enters its sixth week with no deal

In an interview with Channel 5 on Tuesday, Ms. Cole said she welcomed the back and forth over \
the strike.

The authority paid outside consultants about $30 million in 2014 and the first months of 2015, \
a filing shows.

The authority earned $30 million from parking fees in 2024, its filings show.

The authority earned $900 million over the eight-year span, primarily from parking fees and \
property sales.

Of that, $3 billion could be diverted with help from the emergency order.

Mayor Cole said Friday that she will support a short-term deal to restart the trains, \
temporarily ending the transit strike that has dragged on for more than a month.

Union chief Lena Ortiz said she had the 41 votes needed to block the contract.

A Metro poll released yesterday shows Patel tied for second with Jo Ames in the mayoral field \
at 17 percent (Dana Cole leads the pack at 31 percent).

The authority's effective interest rate on its strike loans was 35.7 percent, while its rate on \
older bonds was 45.8 percent.

Council members kept up pressure on Mayor Cole Friday to explain -- and apologize for -- her \
taped claim that the strike is pointless.

The transit strike closed in on the two-week mark with no end in sight.

According to the returns, the authority earned $140,900,000 over the ten-year span, primarily \
from fares and parking fees.

The audit says this class includes at least 544 station managers.

Five additional packages were discovered, one addressed to Mayor Dana Cole, and the other to \
former judge Jo Ames.

In a televised address, Cole offered the union a three-year raise for 4,000 transit workers, in \
exchange for the $57 million she has been seeking in pension savings.

In a speech, Cole mocked council members for passing a resolution on Wednesday when they should \
be ending the strike.
"""


@pytest.fixture(scope="module")
def strike() -> Brief:
    return _brief((LEDGER, "Metro Ledger", "2026-03-13"), (STAR, "City Star", "2026-03-13"))


def test_a_sentence_that_states_my_day_agrees_with_it(strike: Brief) -> None:
    # The Ledger's sentence holds Tuesday for the interview; its Saturday is when Cole was named.
    # (A guard: the detector before the rule did not pair these either; BASIL's Ryan interview
    # in bench/conflicts.py is the case it was written for.)
    assert not _with(strike, "Tuesday", "Saturday")


def test_a_figures_year_is_its_period(strike: Brief) -> None:
    assert not _with(strike, "2011", "2015")  # one end of "between 2011 and 2014"
    assert not _with(strike, "2011", "2014")
    assert not _with(strike, "2023", "2024")  # $13 million in 2023, $30 million in 2024


def test_a_distance_from_an_event_is_no_span(strike: Brief) -> None:
    assert not _with(strike, "15 years", "eight-year")


def test_a_part_is_not_the_total(strike: Brief) -> None:
    assert not _with(strike, "$3.6 billion", "$3 billion")


def test_an_announced_figure_is_not_a_completed_one(strike: Brief) -> None:
    assert not _with(strike, "three weeks", "more than a month")


def test_figures_for_different_ends_differ(strike: Brief) -> None:
    assert not _with(strike, "60 votes", "41 votes")


def test_the_person_beside_a_share_says_whose_it_is(strike: Brief) -> None:
    # The parse makes Cole the subject of "12 percent" ("Cole leads ..., followed by ... Ames at
    # 12 percent"); the name beside it is Ames's, as beside "17 percent".
    found = _with(strike, "12 percent", "17 percent")
    assert found and not found[0].update


def test_a_lower_bound_does_not_state_a_figure(strike: Brief) -> None:
    # "over 10 percent" admits 35.7 percent; it does not say it, so 52.8 vs 35.7 stands.
    assert _with(strike, "52.8 percent", "35.7 percent")


def test_head_words_found_in_each_others_sentences(strike: Brief) -> None:
    # "The council resolution ... passed Thursday" / "passing a resolution on Wednesday"
    found = _with(strike, "Thursday", "Wednesday")
    assert found and not found[0].update


def _side(sentence: str, head: str) -> Any:
    # _heads_cross reads only the value's head and its sentence's text.
    return SimpleNamespace(
        ctx=SimpleNamespace(value=SimpleNamespace(head=head), sentence=0),
        analysis=SimpleNamespace(sentences=[SimpleNamespace(text=sentence)]),
    )


@pytest.mark.parametrize(
    ("a", "b", "cross"),
    [
        (
            ("The House resolution on the motto passed Thursday.", "pass"),
            ("He tweaked them for passing a resolution on Tuesday.", "resolution"),
            True,
        ),
        (  # "say" says nothing of what happened that day
            ("The mayor said Thursday that talks would resume.", "say"),
            ("Talks resumed on Tuesday, the mayor said.", "resume"),
            False,
        ),
        (
            ("The bill passed Thursday.", "pass"),
            ("The governor signed the bill on Tuesday.", "sign"),
            False,
        ),
    ],
)
def test_heads_cross(a: tuple[str, str], b: tuple[str, str], cross: bool) -> None:
    assert _heads_cross(_side(*a), _side(*b)) is cross


def test_the_couple_is_not_one_of_them() -> None:
    assert not same_person("Clintons", "Clinton")
    assert same_person("Obama", "Barack Obama")
    assert same_person("Hillary Clinton", "Mrs. Clinton")


def test_a_later_stage_is_not_the_start(strike: Brief) -> None:
    # Leaders reacted on Wednesday; council members "kept up pressure" on Friday. (A guard: the
    # detector before the rule did not pair these either; BASIL's Steele story is the case.)
    assert not _with(strike, "Wednesday", "Friday")


def test_the_time_since_the_last_meeting_is_no_length(strike: Brief) -> None:
    # "the first meeting in 22 days" is a gap, "the two-week mark" the strike's length (a guard,
    # as above; BASIL's shutdown story is the case).
    assert not _with(strike, "22 days", "two-week")


def test_money_paid_is_not_money_earned(strike: Brief) -> None:
    assert not _with(strike, "$43 million", "$140,900,000")


def test_the_same_bound_on_different_figures_conflicts(strike: Brief) -> None:
    # "at least 865 women who serve as station managers" counts station managers
    found = _with(strike, "at least 865 women", "at least 544 station managers")
    assert found and not found[0].update


def test_counts_of_one_fact_aligned_by_a_shared_figure(strike: Brief) -> None:
    # "roughly 7,000 young drivers" and "4,000 transit workers" name what they count differently, but
    # the two sentences are one offer by the $57 million both give, and hold no other count.
    found = _with(strike, "roughly 7,000 young drivers", "4,000 transit workers")
    assert found and not found[0].update


def test_counts_of_one_fact_aligned_by_shared_names(strike: Brief) -> None:
    # devices and packages, both addressed to Cole and to Ames
    found = _with(strike, "three more of the suspicious devices", "Five additional packages")
    assert found and not found[0].update


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
