"""Whether two place names can both be true of one event (the gazetteer behind place
conflicts)."""

from __future__ import annotations

from pathlib import Path

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


def test_gazetteer_is_cached_on_disk_and_loads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsprism.compare import places

    monkeypatch.setenv("NEWSPRISM_CACHE_DIR", str(tmp_path))
    places._gazetteer.cache_clear()
    try:
        built = places._gazetteer()
        (cached,) = tmp_path.glob("gazetteer-*.json")
        places._gazetteer.cache_clear()
        loaded = places._gazetteer()
        assert loaded == built
        assert [p.name for p in loaded["columbus"]] == [p.name for p in built["columbus"]]
        assert cached.stat().st_size > 100_000
        cached.write_text("{not json")  # a damaged cache is rebuilt, not trusted
        places._gazetteer.cache_clear()
        assert places._gazetteer() == built
    finally:
        places._gazetteer.cache_clear()
