"""Small word lists the comparison stages share, and the loader of every word table.

The comparison stages keep their vocabularies (number words, units, month names, function
words, title words ...) as data files in ``data/words/``, one table a file, each with a
``description`` saying what the table is for and why a word belongs. A table is either a list
(``{"description": ..., "words": [...]}``) or a map (``{"description": ..., "map": {...}}``);
the code that reads words builds its regexes and rules from them. Files are read once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, TypeVar

__all__ = ["FUNCTION_WORDS", "word_list", "word_map", "word_set", "word_table"]

_T = TypeVar("_T")


@cache
def word_table(name: str) -> Mapping[str, Any]:
    """The parsed data file ``data/words/<name>.json`` (read once; callers must not mutate it)."""
    path = resources.files("newsprism.compare") / "data" / "words" / f"{name}.json"
    table = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(table, dict) or not isinstance(table.get("description"), str):
        raise ValueError(f"word table {name!r} has no description")
    return MappingProxyType(table)


def word_list(name: str) -> tuple[str, ...]:
    """The words of list table ``name``, in file order."""
    words = word_table(name)["words"]
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ValueError(f"word table {name!r} is not a list of words")
    return tuple(words)


def word_set(name: str) -> frozenset[str]:
    """The words of list table ``name``."""
    return frozenset(word_list(name))


def word_map(name: str, kind: type[_T]) -> Mapping[str, _T]:
    """Map table ``name``: word -> value, every value of type ``kind`` (read-only)."""
    table = word_table(name)["map"]
    if not isinstance(table, dict) or not all(
        isinstance(k, str) and type(v) is kind for k, v in table.items()
    ):
        raise ValueError(f"word table {name!r} is not a map of words to {kind.__name__}")
    return MappingProxyType(table)


#: English function words (articles, prepositions, auxiliaries, pronouns, reporting verbs):
#: words that say nothing about what a sentence is about.
FUNCTION_WORDS = word_set("function_words")
