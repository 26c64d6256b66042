"""The search query syntax shared by every backend, parsed once into terms.

Hand-written because each engine's own syntax (FTS5 MATCH, ``to_tsquery``) turns ordinary user
input (an apostrophe, a stray quote, a hyphen) into a syntax error; here every term is passed to
the engine as a quoted string or a bound parameter, so no user input reaches it as syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.errors import StoreQueryError

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    phrase: bool  # a quoted phrase: its words in order, adjacent


#: a query is an AND of groups, each an OR of terms: ``a b OR c`` -> ((a), (b, c))
Query = tuple[tuple[Term, ...], ...]


def parse(query: str) -> Query:
    """Words, ``"quoted phrases"`` and ``OR`` between terms; ``OR`` binds tighter than the
    implied AND. An unclosed quote runs to the end; terms without any letter or digit are
    dropped; a leading, trailing or doubled ``OR`` is ignored."""
    groups: list[list[Term]] = []
    pending_or = False
    for m in _TOKEN.finditer(query):
        phrase, word = m.group(1), m.group(2)
        if word == "OR":
            pending_or = bool(groups)
            continue
        text = " ".join((phrase if phrase is not None else word).split())
        if not _WORD.search(text):
            continue
        term = Term(text, phrase is not None and " " in text)
        if pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    if not groups:
        raise StoreQueryError(f"search query {query!r} has no word to search for")
    return tuple(tuple(g) for g in groups)


def fts5_match(q: Query) -> str:
    """An FTS5 MATCH expression; every term is an FTS5 string, which the tokenizer splits, so
    ``"U.S."`` or ``don't`` is a phrase of its tokens rather than syntax."""

    def quoted(t: Term) -> str:
        return '"' + t.text.replace('"', '""') + '"'

    return " AND ".join("(" + " OR ".join(quoted(t) for t in group) + ")" for group in q)
