"""Where the per-article stages run: in this process, over a process pool, or on Ray.

Only the per-article stage (cleaning, then hashing for copies and stories: see
:mod:`newsprism.corpus.stages`) fans out; the corpus-wide stages (wire-copy linking, story
clustering, writing to the store) stay in one process, in order, so every executor gives the same
result for the same input.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator
from typing import Protocol

from newsprism.config import Settings
from newsprism.corpus.stages import ArticleStage, StageResult
from newsprism.model import Failure, RawDocument


class Executor(Protocol):
    def clean(self, items: Iterable[RawDocument | Failure]) -> Iterator[StageResult]:
        """Clean and hash documents, passing failures through, in input order."""
        ...

    def close(self) -> None: ...


class SerialExecutor:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stage = ArticleStage(settings)

    def clean(self, items: Iterable[RawDocument | Failure]) -> Iterator[StageResult]:
        for item in items:
            yield self._stage(item)

    def close(self) -> None:
        pass


# Worker-process state, set once by the pool initializer (each worker is its own process, so
# this is not shared mutable state between workers).
_worker_stage: ArticleStage | None = None


def _init_worker(settings: Settings) -> None:
    global _worker_stage
    _worker_stage = ArticleStage(settings)


def _clean_in_worker(item: RawDocument | Failure) -> StageResult:
    assert _worker_stage is not None
    return _worker_stage(item)


class LocalExecutor:
    """A process pool on this machine; results come back in input order."""

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.settings = settings
        self.workers = workers or settings.workers or os.cpu_count() or 1
        ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        self._pool = ctx.Pool(self.workers, initializer=_init_worker, initargs=(settings,))

    def clean(self, items: Iterable[RawDocument | Failure]) -> Iterator[StageResult]:
        yield from self._pool.imap(_clean_in_worker, items, chunksize=8)

    def close(self) -> None:
        self._pool.close()
        self._pool.join()


def make_executor(
    name: str, settings: Settings, *, workers: int | None = None, address: str | None = None
) -> Executor:
    if name == "serial" or (
        name == "local" and (workers or settings.workers or os.cpu_count() or 1) == 1
    ):
        return SerialExecutor(settings)
    if name == "local":
        return LocalExecutor(settings, workers)
    if name == "ray":
        # Imported here so the core install never needs Ray.
        from newsprism.corpus.ray_executor import RayExecutor

        return RayExecutor(settings, workers, address=address)
    from newsprism.errors import ConfigError

    raise ConfigError(f"unknown executor {name!r}: choose local, serial or ray")
