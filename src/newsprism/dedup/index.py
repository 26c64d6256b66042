"""A banded LSH index over MinHash signatures, with bands and rows derived by datasketch.

Why not ``datasketch.MinHashLSH`` itself: it hashes and stores one signature per call, and an
article adds one document and about 16 paragraph signatures. Measured on BASIL (600-word
articles, 2 cores): 1.56 ms per article for datasketch's query + insert of those 17 signatures,
more than the whole per-article budget of the ingest path. Here the band keys of all of an
article's signatures are computed in one numpy expression and stored as plain int keys of one
dict per band; the (bands, rows) choice is still datasketch's, from the stated threshold.

That choice is made on first use, not at construction: a worker process builds a copy detector
only to hash, and importing datasketch (which imports SciPy for the search, and its asyncio LSH)
cost it 0.4 CPU-seconds. Every brief finds copies, so the choice is also kept in the user's cache
(see :mod:`newsprism.cache`), named by threshold, permutations and datasketch's version: a cold
``newsprism brief`` then reads two ints instead of importing datasketch (0.9 s of its 4 s).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

from newsprism.cache import cache_root, write_atomically


def datasketch_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    """datasketch's (bands, rows) for a threshold: the pair minimising the weighted false-positive
    and false-negative probabilities."""
    from datasketch import MinHashLSH

    # Constructed only to reuse that choice.
    derived = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(derived.b), int(derived.r)


def _layout_cache(threshold: float, num_perm: int) -> Path:
    from importlib.metadata import PackageNotFoundError, version

    try:
        ds = version("datasketch")
    except PackageNotFoundError:
        ds = "none"
    return cache_root() / f"lsh-layout-{threshold!r}-{num_perm}-datasketch{ds}.json"


class BandIndex:
    """Items (ints) indexed by ``bands`` bands of ``rows`` signature values each.

    ``max_bucket`` bounds the members of one bucket: a bucket that fills up is a passage that
    runs everywhere (boilerplate the cleaner missed), and keeping its first members keeps the
    earliest articles, which are the originals, while query cost stays bounded.
    """

    def __init__(self, *, threshold: float, num_perm: int, seed: int, max_bucket: int) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.seed = seed
        self.max_bucket = max_bucket

    # The layout is derived on first use (see the module's docstring); cached_property stores it
    # in the instance's dict, so later reads cost a plain attribute's.

    @cached_property
    def _layout(self) -> tuple[int, int]:
        path = _layout_cache(self.threshold, self.num_perm)
        try:
            bands, rows = json.loads(path.read_bytes())
            return int(bands), int(rows)
        except (OSError, ValueError, TypeError):
            pass
        layout = datasketch_layout(self.threshold, self.num_perm)
        with contextlib.suppress(OSError):
            write_atomically(path, json.dumps(list(layout)).encode())
        return layout

    @cached_property
    def bands(self) -> int:
        return self._layout[0]

    @cached_property
    def rows(self) -> int:
        return self._layout[1]

    @cached_property
    def _tables(self) -> list[dict[int, list[int]]]:
        return [{} for _ in range(self.bands)]

    @cached_property
    def _mult(self) -> npt.NDArray[np.uint64]:
        rng = np.random.default_rng(self.seed)
        mult: npt.NDArray[np.uint64] = rng.integers(
            1, 2**63, size=self.rows, dtype=np.uint64
        ) * np.uint64(2) + np.uint64(1)
        return mult

    def keys(self, signatures: npt.NDArray[np.uint32] | npt.NDArray[np.uint16]) -> list[list[int]]:
        """Band keys of each row of a (n, num_perm) signature array: n lists of ``bands`` ints."""
        n = signatures.shape[0]
        if n == 0:
            return []
        used = signatures[:, : self.bands * self.rows].astype(np.uint64)
        banded = used.reshape(n, self.bands, self.rows)
        # A random linear form mod 2^64: equal bands give equal keys, unequal ones collide with
        # negligible probability (and a collision only adds a candidate that is verified).
        keys: list[list[int]] = (banded * self._mult).sum(axis=2, dtype=np.uint64).tolist()
        return keys

    def query(self, keys: Sequence[int]) -> set[int]:
        assert len(keys) == self.bands, "band keys come from keys()"
        # Run for every paragraph of every article: the bucket look-ups (map over dict.get) and
        # their union happen in C, with no Python step per band.
        return set().union(*filter(None, map(dict.get, self._tables, keys)))

    def insert(self, item: int, keys: Iterable[int]) -> None:
        for table, key in zip(self._tables, keys, strict=True):
            bucket = table.get(key)
            if bucket is None:
                table[key] = [item]
            elif len(bucket) < self.max_bucket:
                bucket.append(item)

    def remove(self, item: int, keys: Iterable[int]) -> None:
        for table, key in zip(self._tables, keys, strict=True):
            bucket = table.get(key)
            if bucket is None:
                continue
            try:
                bucket.remove(item)
            except ValueError:
                continue  # never entered: its bucket was full
            if not bucket:
                del table[key]

    def __len__(self) -> int:
        """Number of buckets in use (for memory reports)."""
        return sum(len(t) for t in self._tables)
