"""Checks that every text a brief shows is an exact span of a cleaned source (shared by tests)."""

from __future__ import annotations

import re

from newsprism.model import Brief, Span

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "by",
        "with",
        "from",
        "as",
        "that",
        "this",
        "it",
        "its",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "said",
        "says",
        "would",
        "will",
        "has",
        "have",
        "had",
        "not",
    ]
)


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def check_brief(b: Brief) -> int:
    """Assert every span round-trips; return how many spans were checked."""
    texts = {s.id: s.text for s in b.sources}
    checked = 0

    def at(span: Span) -> str:
        nonlocal checked
        assert span.source in texts, f"span names unknown source {span.source}"
        t = texts[span.source]
        assert 0 <= span.start < span.end <= len(t), f"span {span} outside its source"
        checked += 1
        return t[span.start : span.end]

    for c in (*b.summary, *b.facts, *b.details):
        assert at(c.span) == c.text
        for sup in c.support:
            supported = at(sup)
            # A citation supports its sentence: they share content words, not just a topic.
            assert len(content_words(supported) & content_words(c.text)) >= 2, (c.text, supported)
    for f in b.facts:
        assert f.origins >= 2 and len(f.support) >= 1
    for conflict in b.conflicts:
        assert len(conflict.sides) >= 2
        assert len({s.value.source for s in conflict.sides}) >= 2
        for side in conflict.sides:
            assert at(side.sentence) == side.sentence_text
            assert at(side.value) == side.value_text
            assert (
                side.sentence.start <= side.value.start and side.value.end <= side.sentence.end
            ) or (conflict.kind in ("speaker",))
    for q in b.quotes:
        assert at(q.quote.span) == q.quote.text
        for other in q.others:
            at(other)
    for e in b.entities:
        for m in e.mentions:
            assert at(m)
    for t in b.timeline:
        if t.span is not None:
            assert at(t.span) == t.text
    return checked
