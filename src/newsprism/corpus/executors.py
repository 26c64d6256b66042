"""Where the per-article stages run: in this process, over a process pool, or on Ray.

Only the per-article stage (reading single-document files, cleaning, hashing for copies and
stories, encoding for the store: see :mod:`newsprism.corpus.stages`) fans out; the corpus-wide
stages (wire-copy linking, story clustering, writing to the store) stay in one process, in order,
so every executor gives the same result for the same input.

On a machine with as many workers as cores, the driver shares the cores with the workers, and it
is the one part that cannot be parallel: the workers run at a lower CPU priority
(:func:`lower_priority`) and keep a sort window of work queued (:func:`in_flight_chunks`), so the
driver never waits for a core and the workers never wait for the driver.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import Protocol

from newsprism.config import Settings
from newsprism.corpus.stages import ArticleStage, StageInput, StageResult


class Executor(Protocol):
    #: Whether the workers can read this machine's files: then local single-document files are
    #: sent as paths (:class:`~newsprism.corpus.stages.ReadFile`) and read by the workers.
    reads_files: bool

    def clean(self, items: Iterable[StageInput]) -> Iterator[StageResult]:
        """Read, clean and hash documents, passing failures through, in input order."""
        ...

    def close(self) -> None: ...


#: How much less CPU priority a worker takes than the driver (``nice`` increment).
WORKER_NICENESS = 5


def lower_priority() -> None:
    """Give this worker process a lower CPU priority than the driver.

    The driver's corpus-wide stage is the one sequential step of ingest: every article waits on
    it. With two workers and the driver on two cores, the scheduler shares the cores equally
    among the three, so the driver gets two thirds of one and caps the run (measured: the driver
    ran at 2/3 of a core while the workers had work queued). At nice +5 two workers weigh less
    than the driver, so it keeps a core to itself and the workers take the rest and all idle
    time. Best effort: where priorities cannot be changed the run is only slower.
    """
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)


class SerialExecutor:
    reads_files = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stage = ArticleStage(settings)

    def clean(self, items: Iterable[StageInput]) -> Iterator[StageResult]:
        for item in items:
            yield self._stage(item)

    def close(self) -> None:
        pass


# Worker-process state, set once by the pool initializer (each worker is its own process, so
# this is not shared mutable state between workers).
_worker_stage: ArticleStage | None = None


def _init_worker(settings: Settings) -> None:
    global _worker_stage
    lower_priority()
    _worker_stage = ArticleStage(settings)


def _clean_chunk(items: list[StageInput]) -> list[StageResult]:
    assert _worker_stage is not None
    return [_worker_stage(item) for item in items]


def in_flight_chunks(settings: Settings, workers: int, chunk_size: int) -> int:
    """How many chunks to keep submitted: a sort window's worth, plus two per worker.

    The driver takes results in bursts: it buffers ``ingest_sort_window`` articles, then links,
    clusters and stores them all before it asks for more. The workers must have that much work
    queued, or they stand idle through every burst (measured: with two chunks per worker, the
    pool's workers waited on the driver for most of each flush). Two more chunks per worker keep
    one being worked on and one queued. Memory is bounded by about two sort windows.
    """
    return -(-settings.ingest_sort_window // chunk_size) + 2 * workers


#: Documents per task. A task costs the pool a few hundred microseconds (two pickles, a pipe
#: round trip, a thread hand-off in the driver); 32 documents of several ms each make that well
#: under 1%, and still keep both workers busy on a run of a few hundred documents.
LOCAL_CHUNK = 32


class LocalExecutor:
    """A process pool on this machine; results come back in input order.

    Chunks are submitted from the caller's thread with a bounded number in flight, rather than
    through ``Pool.imap``: imap's feeder thread drains the whole input at once (reading every
    container the driver reads, and holding every result the driver has not yet taken), while
    here memory stays flat however large the corpus, and the driver never reads ahead of what
    the workers can take.
    """

    reads_files = True

    def __init__(
        self,
        settings: Settings,
        workers: int | None = None,
        *,
        chunk_size: int = LOCAL_CHUNK,
        in_flight: int | None = None,
    ) -> None:
        self.settings = settings
        self.workers = workers or settings.workers or os.cpu_count() or 1
        self.chunk_size = max(1, chunk_size)
        self.in_flight = in_flight or in_flight_chunks(settings, self.workers, self.chunk_size)
        ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        self._pool = ctx.Pool(self.workers, initializer=_init_worker, initargs=(settings,))

    def clean(self, items: Iterable[StageInput]) -> Iterator[StageResult]:
        source = iter(items)
        pending: deque[AsyncResult[list[StageResult]]] = deque()
        while True:
            while len(pending) < self.in_flight:
                chunk = list(islice(source, self.chunk_size))
                if not chunk:
                    break
                pending.append(self._pool.apply_async(_clean_chunk, (chunk,)))
            if not pending:
                return
            yield from pending.popleft().get()

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
