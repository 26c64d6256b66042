"""The timeline places year-less dates in the direction their clause's tense says, and shows a
date-only source as a date. Hand-made sentences, each with the day a reader would put it on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from newsprism.clean.segment import split_sentences
from newsprism.compare.analysis import Analysis, ValueContext
from newsprism.compare.timeline import resolve, tense, timeline
from newsprism.compare.values import extract_values
from newsprism.formats import when_text
from newsprism.model import Article, SourceKind, ValueKind

# Wednesday 14 January 2026, and Wednesday 11 March 2026.
JAN = datetime(2026, 1, 14, 9, 30, tzinfo=UTC)
MAR = datetime(2026, 3, 11, 9, 30, tzinfo=UTC)

CASES = [
    # (published, sentence, the date's words, expected)
    (MAR, "Mattis will leave at the end of February, officials said.", "February", "2027-02"),
    (JAN, "Mattis will leave at the end of February, officials said.", "February", "2026-02"),
    (MAR, "Mattis left at the end of February, officials said.", "February", "2026-02"),
    (JAN, "Mattis left at the end of February, officials said.", "February", "2025-02"),
    (JAN, "Residents were told they could not return home before Friday.", "Friday", "2026-01-16"),
    (JAN, "The council met on Friday to discuss the levy.", "Friday", "2026-01-09"),
    (JAN, "The council will meet on Friday to discuss the levy.", "Friday", "2026-01-16"),
    (JAN, "On Friday, the council will vote on the levy.", "Friday", "2026-01-16"),
    (JAN, "On Friday, the council voted on the levy.", "Friday", "2026-01-09"),
    (JAN, "Schools will be closed on Thursday and Friday, the superintendent said.", "Thursday",
     "2026-01-15"),
    (JAN, "The hearing is scheduled for Monday afternoon.", "Monday", "2026-01-19"),
    (JAN, "Lawmakers must pass the bill before Tuesday.", "Tuesday", "2026-01-20"),
    (JAN, "Smith said Tuesday that he would resign.", "Tuesday", "2026-01-13"),
    (JAN, "Smith said on Monday that the vote will be held on March 3.", "March 3", "2026-03-03"),
    (MAR, "Smith said the vote was held on March 3.", "March 3", "2026-03-03"),
    (JAN, "The trial will begin on Dec. 2.", "Dec. 2", "2026-12-02"),
    (JAN, "The trial began on Dec. 2.", "Dec. 2", "2025-12-02"),
    (JAN, "He resigned last Tuesday.", "last Tuesday", "2026-01-13"),
    (JAN, "He will resign next Tuesday.", "next Tuesday", "2026-01-20"),
]  # fmt: skip


def _value(sentence: str, words: str, published: datetime) -> tuple[object, int]:
    values = [
        v
        for v in extract_values(sentence, "a", published=published)
        if v.kind in (ValueKind.DATE, ValueKind.WEEKDAY) and words in v.surface
    ]
    assert values, (sentence, words)
    return values[0], 0


@pytest.mark.parametrize(("published", "sentence", "words", "expected"), CASES)
def test_dates_resolve_in_the_tense_of_their_clause(
    published: datetime, sentence: str, words: str, expected: str
) -> None:
    value, offset = _value(sentence, words, published)
    assert resolve(value, sentence, offset, published) == expected  # type: ignore[arg-type]


def test_tense_reads_the_nearest_verb_before_the_date() -> None:
    s = "Officials said on Tuesday that the line will reopen on Friday."
    assert tense(s, s.index("Tuesday"), s.index("Tuesday") + 7) == "past"
    assert tense(s, s.index("Friday"), s.index("Friday") + 6) == "future"
    s = "The governor spoke in Columbus on Friday."
    assert tense(s, s.index("Friday"), s.index("Friday") + 6) == "past"


def _analysis(text: str, published: datetime) -> Analysis:
    art = Article(
        id="a",
        origin="a.txt",
        kind=SourceKind.TEXT,
        text=text,
        paragraphs=((0, len(text)),),
        title="Levy vote",
        published=published,
    )
    sentences = split_sentences(text, "a")
    values = []
    for s in sentences:
        for v in extract_values(text, "a", published=published, start=s.start, end=s.end):
            values.append(ValueContext(v, s.index, s.text))
    return Analysis(
        article=art,
        sentences=sentences,
        embeddings=np.zeros((len(sentences), 4)),
        mentions=(),
        values=tuple(values),
        value_embeddings=np.zeros((len(values), 4)),
        quotes=(),
        roles=(),
        lemmas=tuple(frozenset() for _ in sentences),
    )


def test_timeline_of_a_date_only_source() -> None:
    day = datetime(2026, 1, 14, tzinfo=UTC)  # how a "2026-01-14" source arrives
    text = "The council met on Monday. It will vote on the levy on Friday."
    entries = timeline([_analysis(text, day)])
    published = [e for e in entries if e.kind == "published"]
    assert [e.when for e in published] == ["2026-01-14"]
    events = {e.when: e.text for e in entries if e.kind == "event"}
    assert events == {
        "2026-01-12": "The council met on Monday.",
        "2026-01-16": "It will vote on the levy on Friday.",
    }


def test_a_date_only_time_is_shown_as_a_date() -> None:
    assert when_text(datetime(2026, 1, 14, tzinfo=UTC)) == "2026-01-14"
    assert when_text(datetime(2026, 1, 14)) == "2026-01-14"
    # a real time, or midnight somewhere else, keeps its time and offset
    assert when_text(datetime(2026, 1, 14, 6, 5, tzinfo=UTC)) == "2026-01-14 06:05 +00:00"
    est = timezone(timedelta(hours=-5))
    assert when_text(datetime(2026, 1, 14, tzinfo=est)) == "2026-01-14 00:00 -05:00"
