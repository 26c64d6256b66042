"""Properties of plain-text cleaning: no crash, idempotence, spans that round-trip."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.clean import clean_document
from newsprism.clean.front import split_front_matter
from newsprism.clean.parts import CleanedParts
from newsprism.clean.text import clean_plain_text
from newsprism.config import load_settings
from newsprism.model import Article, RawDocument, SourceKind

SETTINGS = load_settings(min_article_chars=0)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scraped"

_WORDS = st.sampled_from(
    [
        "the",
        "council",
        "said",
        "on",
        "Monday",
        "that",
        "it",
        "WASHINGTON",
        "LONDON",
        "(Reuters)",
        "(AP)",
        "By",
        "Jane",
        "Smith",
        "and",
        "Photo:",
        "John/Reuters",
        "Published",
        "March",
        "3,",
        "2019",
        "5:30",
        "PM",
        "ET",
        "—",
        "-",
        ".",
        ",",
        ":",
        "!",
        "?",
        '"',
        "Advertisement",
        "Share",
        "Trending",
        "now",
        "12",
        "percent",
        "of",
        "voters",
    ]
)
_LINE = st.lists(_WORDS, min_size=0, max_size=30).map(" ".join)
# Text built from news-like words and line shapes, so the interesting rules fire...
_NEWSY = st.lists(st.one_of(_LINE, st.just(""), st.text(max_size=40)), max_size=25).map(
    lambda lines: "\n".join(lines)
)
# ...and anything at all, including control characters and lone surrogates' neighbours.
_ANY = st.text(max_size=400)
_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(st.one_of(_NEWSY, _ANY), st.one_of(st.none(), st.text(max_size=30)))
def test_clean_plain_text_never_crashes(content: str, title: str | None) -> None:
    parts = clean_plain_text(content, title_hint=title)
    assert isinstance(parts, CleanedParts)
    split_front_matter(parts)


@_FAST
@given(st.one_of(_NEWSY, _ANY))
def test_cleaning_twice_equals_cleaning_once(content: str) -> None:
    once = clean_document(RawDocument("p", SourceKind.TEXT, content), SETTINGS)
    if not isinstance(once, Article):
        return
    twice = clean_document(RawDocument("p", SourceKind.TEXT, once.text), SETTINGS)
    assert isinstance(twice, Article)
    assert twice.text == once.text


@_FAST
@given(st.one_of(_NEWSY, _ANY))
def test_paragraph_spans_round_trip(content: str) -> None:
    article = clean_document(RawDocument("p", SourceKind.TEXT, content), SETTINGS)
    if not isinstance(article, Article):
        return
    assert "\n\n".join(article.text[s:e] for s, e in article.paragraphs) == article.text
    for start, end in article.paragraphs:
        block = article.text[start:end]
        assert block and block == block.strip() and "\n" not in block


def test_fixtures_are_idempotent() -> None:
    for path in sorted(FIXTURES.glob("*.txt")):
        once = clean_document(RawDocument(path.name, SourceKind.TEXT, path.read_text()), SETTINGS)
        assert isinstance(once, Article)
        twice = clean_document(RawDocument(path.name, SourceKind.TEXT, once.text), SETTINGS)
        assert isinstance(twice, Article) and twice.text == once.text
