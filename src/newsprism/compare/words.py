"""Small word lists the comparison stages share."""

from __future__ import annotations

#: English function words (articles, prepositions, auxiliaries, pronouns, reporting verbs):
#: words that say nothing about what a sentence is about.
FUNCTION_WORDS = frozenset(
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
        "said",
        "says",
        "say",
        "told",
        "who",
        "which",
        "whose",
        "his",
        "her",
        "their",
        "its",
        "he",
        "she",
        "they",
        "also",
        "had",
        "has",
        "have",
        "not",
    ]
)
