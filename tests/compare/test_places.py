"""Whether two place names can both be true of one event (the gazetteer behind place
conflicts)."""

from __future__ import annotations

import pytest

from newsprism.compare.places import Relation, lookup, place_key, relation


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Lubbock", "California", Relation.DISJOINT),  # a Texas city is not in California
        ("Columbus", "Ohio", Relation.NESTED),
        ("Cleveland", "Atlanta", Relation.DISJOINT),
        # two cities of one state may be a city and its borough: "Brooklyn", "New York"
        ("Brooklyn", "New York", Relation.NESTED),
        ("Cleveland", "Columbus", Relation.UNKNOWN),
        ("Calif.", "California", Relation.SAME),  # AP abbreviation
        ("the United States", "America", Relation.SAME),
        ("U.S.", "Mexico", Relation.DISJOINT),
        ("Moscow", "Russia", Relation.NESTED),
        # every reading counts: Paris, Texas exists, so "Paris" and "Texas" may both hold
        ("Paris", "Texas", Relation.NESTED),
        # Washington the state holds Seattle; Washington the city is in D.C.
        ("Washington", "Seattle", Relation.NESTED),
        ("D.C.", "Washington", Relation.NESTED),
        ("Ohio", "Iowa", Relation.DISJOINT),
        ("Capitol Hill", "Washington", Relation.UNKNOWN),  # a neighbourhood of D.C.
        ("the White House", "Ohio", Relation.UNKNOWN),  # not a place the gazetteer knows
    ],
)
def test_relation(a: str, b: str, expected: Relation) -> None:
    assert relation(a, b) is expected
    assert relation(b, a) is expected


def test_lookup_reads_state_and_country() -> None:
    (lubbock,) = lookup("Lubbock")
    assert (lubbock.kind, lubbock.country, lubbock.state) == ("city", "US", "TX")
    assert {p.kind for p in lookup("Georgia")} == {"state", "country"}


@pytest.mark.parametrize(
    ("name", "key"),
    [("the U.S.'s", "u.s"), ("Maryland’s", "maryland"), ("Paris", "paris"), ("Texas", "texas")],
)
def test_place_key_drops_only_the_article_and_a_possessive(name: str, key: str) -> None:
    assert place_key(name) == key
