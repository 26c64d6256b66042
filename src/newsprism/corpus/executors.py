"""Where the per-article stages run: in this process, or fanned out over a process pool.

Only the per-article work (cleaning, which dominates ingest) fans out; the corpus-wide stages
(wire-copy linking, story clustering, writing to the store) stay in one process, in order, so
every executor gives the same result for the same input.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator
from typing import Protocol

from newsprism.config import Settings
from newsprism.model import Failure, RawDocument
from newsprism.pipeline import Outcome, clean_one


class Executor(Protocol):
    def clean(self, items: Iterable[RawDocument | Failure]) -> Iterator[Outcome]:
        """Clean documents, passing failures through, in input order."""
        ...

    def close(self) -> None: ...


class SerialExecutor:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def clean(self, items: Iterable[RawDocument | Failure]) -> Iterator[Outcome]:
        for item in items:
            yield item if isinstance(item, Failure) else clean_one(item, self.settings)

    def close(self) -> None:
        pass


# Worker-process state, set once by the pool initializer (each worker is its own process, so
# this is not shared mutable state between workers).
_worker_settings: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings


def _clean_in_worker(item: RawDocument | Failure) -> Outcome:
    if isinstance(item, Failure):
        return item
    assert _worker_settings is not None
    return clean_one(item, _worker_settings)


class LocalExecutor:
    """A process pool on this machine; results come back in input order."""

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.settings = settings
        self.workers = workers or settings.workers or os.cpu_count() or 1
        ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        self._pool = ctx.Pool(self.workers, initializer=_init_worker, initargs=(settings,))

    def clean(self, items: Iterable[RawDocument | Failure]) -> Iterator[Outcome]:
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
    from newsprism.errors import ConfigError

    raise ConfigError(f"unknown executor {name!r}: choose local or serial")
