"""The LSH band layout: datasketch's choice, kept in the user's cache so a cold brief does not
import datasketch (and SciPy) to make it again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.dedup.index import BandIndex, _layout_cache, datasketch_layout


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSPRISM_CACHE_DIR", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.5, 128), (0.8, 64), (0.7, 32)])
def test_layout_is_datasketchs_and_is_cached(cache: Path, threshold: float, num_perm: int) -> None:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    index = BandIndex(threshold=threshold, num_perm=num_perm, seed=1, max_bucket=8)
    assert (index.bands, index.rows) == (lsh.b, lsh.r)
    assert json.loads(_layout_cache(threshold, num_perm).read_text()) == [lsh.b, lsh.r]


def test_a_cached_layout_is_read_not_derived(cache: Path) -> None:
    # A layout datasketch would never choose: seen only if the cache is what was read.
    path = _layout_cache(0.5, 128)
    path.write_text("[3, 7]")
    index = BandIndex(threshold=0.5, num_perm=128, seed=1, max_bucket=8)
    assert (index.bands, index.rows) == (3, 7)


def test_a_broken_cache_entry_is_derived_again(cache: Path) -> None:
    path = _layout_cache(0.5, 128)
    path.write_text("not json")
    index = BandIndex(threshold=0.5, num_perm=128, seed=1, max_bucket=8)
    assert (index.bands, index.rows) == datasketch_layout(0.5, 128)
    assert json.loads(path.read_text()) == list(datasketch_layout(0.5, 128))
