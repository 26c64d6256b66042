"""The per-article stage fanned out over a Ray cluster (or a local Ray instance).

Documents go out in chunks to a pool of Ray actors, one per worker CPU; each actor builds its
:class:`~newsprism.corpus.stages.ArticleStage` (hashers, and any model a stage loads) once, from
settings put in the object store once. Results come back in input order, with a bounded number
of chunks in flight, so a corpus larger than memory streams through. The corpus-wide stages stay
in the driver (see :mod:`newsprism.corpus.ingest`), so a Ray run stores exactly what a local one
does.

Why actors over chunks, not Ray Data or one task per article: measured on 2 cores (DEPS.md), tasks
over chunks of 250 match a process pool, Ray Data's row conversion halves throughput, and one task
per article pays Ray's per-task cost (~1 ms) on work of a few ms. Actors rather than plain tasks
because building the stage costs ~25 ms, a few % of a chunk, paid once per worker instead.

Actors read local single-document files themselves when the cluster is this one machine (the
driver sends paths, see :class:`~newsprism.corpus.stages.ReadFile`); on a cluster of several
machines the driver reads and ships the documents, since other nodes may not see its files.
Actors run at a lower CPU priority than the driver, as pool workers do (see
:func:`~newsprism.corpus.executors.lower_priority`).

Failures:

* an actor whose process dies mid-chunk (OOM kill, segfault, a lost node) is restarted by Ray and
  the chunk is retried on it (``max_retries``);
* a chunk that still fails after its retries is split and each document is tried alone, so a
  poison document costs only itself: it becomes a :class:`~newsprism.model.Failure` naming it,
  and the run goes on;
* a cleaning fault inside a document is already a ``Failure`` value (``clean_one``).

Ray is an optional extra (``pip install 'newsprism[ray]'``), imported only when this executor is
built.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from newsprism.config import Settings
from newsprism.corpus.executors import in_flight_chunks, lower_priority
from newsprism.corpus.stages import ArticleStage, ReadFile, StageInput, StageResult
from newsprism.errors import ConfigError, ExtractionError
from newsprism.model import Failure

Item = StageInput
ChunkWork = Callable[[ArticleStage, Sequence[Item]], list[StageResult]]

#: Documents per chunk. Big enough that Ray's per-call cost (~1-2 ms) is under 1% of a chunk's
#: work (several ms per document), small enough that every worker stays busy on a small run.
DEFAULT_CHUNK = 128


#: Ray settings for the instance a run starts on this machine. With the workers taking every
#: core, each CPU-second Ray's own processes spend is one the workers lose, so what a one-run
#: instance has no use for is off: metrics, the task timeline, per-task state events (what the
#: dashboard and ``ray list tasks`` show) and event-loop statistics. Measured on an idle instance
#: with two actors: its processes used 0.040 CPU-seconds per second with Ray's defaults, 0.031
#: with these.
#:
#: ``worker_niceness``: Ray starts its workers at nice 15, and :func:`lower_priority` adds 5, so
#: actors ran at 19 where pool workers run at 5: below any other job on the machine. At 0 the
#: actors end at nice 5, below the driver and Ray's own processes, as the pool's workers are.
LOCAL_SYSTEM_CONFIG: dict[str, Any] = {
    "enable_metrics_collection": False,
    "enable_timeline": False,
    "task_events_report_interval_ms": 0,
    "event_stats": False,
    "worker_niceness": 0,
}


def _start_local_node(workers: int) -> Any:
    """Start a one-machine Ray instance's processes, as ``ray.init`` would, minus three Python
    processes a one-run instance has no use for, each a process start, imports and polling:

    * the autoscaler monitor (the instance never grows) and the log monitor (the actors' output
      is not forwarded: ``log_to_driver=False``), about 0.6 CPU-seconds each per run (measured);
    * the dashboard head: with ``include_dashboard=False`` Ray still starts it, to run one
      module, which reports usage statistics to Ray's developers (nothing in a run asks the head
      anything), about 0.8 CPU-seconds per run (measured). What it serves otherwise (job
      submission, the state API of ``ray list``) is for a cluster started with ``ray start``,
      which ``--address`` joins.

    ``ray.init`` has no switch for these; Ray's ``Node`` is what it and ``ray start``
    (``--no-monitor``, ``--include-log-monitor``) call. None if this Ray has no such API: the
    caller falls back to ``ray.init``.
    """
    try:
        from ray._private.node import Node
        from ray._private.parameter import RayParams
    except ImportError:
        return None

    class LeanNode(Node):
        def start_api_server(self, **_: Any) -> None:
            # What Ray's own start does when the dashboard fails to start: no web UI address.
            self._webui_url = None

    try:
        params = RayParams(
            num_cpus=workers,
            include_dashboard=False,
            # Annotated as a string, tested for truth; ``ray start`` passes a bool too.
            include_log_monitor=False,  # type: ignore[arg-type]
            no_monitor=True,
            _system_config=LOCAL_SYSTEM_CONFIG,
        )
    except TypeError:
        return None
    return LeanNode(
        params, head=True, shutdown_at_exit=False, spawn_reaper=True, ray_init_cluster=True
    )


def stage_chunk(stage: ArticleStage, items: Sequence[Item]) -> list[StageResult]:
    """What an actor does with a chunk: the same per-article stage as every other executor."""
    return [stage(item) for item in items]


class _Worker:
    """The body of a Ray actor: one stage, built once, applied to chunk after chunk."""

    def __init__(self, settings: Settings, work: ChunkWork) -> None:
        lower_priority()  # the driver's sequential stage comes first (see lower_priority)
        self._stage = ArticleStage(settings)
        self._work = work

    def run(self, items: Sequence[Item]) -> list[StageResult]:
        return self._work(self._stage, items)


def _alone(settings: Settings, work: ChunkWork, items: Sequence[Item]) -> list[StageResult]:
    """A Ray task for the rare retry of one document alone, in a process of its own: queued on
    an actor, it would share the fate of whatever kills that actor next."""
    return work(ArticleStage(settings), items)


def _lost(item: Item, reason: str) -> StageResult:
    if isinstance(item, Failure):
        return item
    origin = item.path if isinstance(item, ReadFile) else item.origin
    return Failure(origin, ExtractionError(reason, origin=origin))


class RayExecutor:
    """Run the per-article stage on Ray actors, yielding results in input order.

    ``address`` is passed to ``ray.init`` (``auto``, ``ray://head:10001``); without one, a local
    Ray instance with ``workers`` CPUs is started and shut down by :meth:`close`. If Ray is already
    initialised in this process (a notebook, a test), that instance is used and left running.
    ``workers`` actors are started (default: every CPU of the cluster). ``work`` is what an actor
    does with a chunk; tests pass one that kills its worker. ``read_files`` says whether actors
    read local files themselves; by default they do when the cluster is this machine alone.
    """

    def __init__(
        self,
        settings: Settings,
        workers: int | None = None,
        *,
        address: str | None = None,
        chunk_size: int = DEFAULT_CHUNK,
        in_flight: int | None = None,
        max_retries: int = 3,
        work: ChunkWork = stage_chunk,
        read_files: bool | None = None,
    ) -> None:
        try:
            import ray
        except ImportError as exc:
            raise ConfigError("the ray executor needs Ray: pip install 'newsprism[ray]'") from exc
        if chunk_size < 1:
            raise ConfigError(f"chunk size must be at least 1, not {chunk_size}")
        self._ray: Any = ray
        self.settings = settings
        self.chunk_size = chunk_size
        self._owns_ray = False
        self._max_retries = max_retries
        self._work = work
        self._actors: list[Any] = []
        self._next = 0
        # Starting a local instance takes seconds (4-5 s on 2 cores: its processes boot and
        # register), and shutting it down more than one: both are done by a thread of its own
        # while this one works (see clean), instead of being paid on top of the run. The same
        # thread starts and stops the instance and lives in between, because Ray's processes
        # die with the thread that started them (Linux's parent-death signal is per thread).
        self._host: threading.Thread | None = None
        self._booted = threading.Event()
        self._release = threading.Event()
        self._boot_error: BaseException | None = None
        self._node: Any = None
        if not ray.is_initialized() and not address:
            self.workers = max(workers or settings.workers or os.cpu_count() or 1, 1)
            self.reads_files = True if read_files is None else read_files
            self._owns_ray = True
            self._host = threading.Thread(target=self._hold, name="ray-local", daemon=True)
            self._host.start()
        else:
            if not ray.is_initialized():
                ray.init(address=address, log_to_driver=False)
                self._owns_ray = True
            cpus = int(ray.cluster_resources().get("CPU", 1))  # type: ignore[no-untyped-call]
            self.workers = max(workers or settings.workers or cpus, 1)
            # Actors read local files themselves only where they surely see them: a cluster
            # that is this one machine. Elsewhere the driver reads and ships the documents.
            self.reads_files = self._one_node_here() if read_files is None else read_files
            self._start_actors()
        self.in_flight = in_flight or in_flight_chunks(settings, self.workers, chunk_size)

    def _hold(self) -> None:
        """The local instance's thread: start its processes, wait until released, stop them."""
        try:
            self._node = _start_local_node(self.workers)
        except BaseException as exc:  # re-raised in the caller's thread by _ready
            self._boot_error = exc
            return
        finally:
            self._booted.set()
        self._release.wait()
        self._stop()

    def _ready(self) -> None:
        """Wait for a local instance being started, join it, then start the actors."""
        if self._host is None or self._actors:
            return
        self._booted.wait()
        if self._boot_error is not None:
            raise ConfigError(f"could not start a local Ray instance: {self._boot_error}")
        ray = self._ray
        # The driver joins from the caller's thread: ray.init sets its SIGTERM handler only in
        # the main thread (and warns elsewhere), and joining is quick once the node is up.
        if self._node is not None:
            ray.init(address=self._node.address, log_to_driver=False)
        else:
            # This Ray has no node API we know: let ray.init start the instance, here.
            ray.init(
                num_cpus=self.workers,
                include_dashboard=False,
                log_to_driver=False,
                _system_config=LOCAL_SYSTEM_CONFIG,
            )
        self._start_actors()

    def _start_actors(self) -> None:
        ray = self._ray
        actor: Any = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=self._max_retries)(
            _Worker
        )
        # Actors get the settings by value (under 1 KB, inlined in the call): a restarted actor
        # re-reads its constructor arguments, and an object-store reference could be gone by
        # then. Retry tasks share one copy in the object store.
        self._actors = [actor.remote(self.settings, self._work) for _ in range(self.workers)]
        self._settings_ref = ray.put(self.settings)
        # No CPU reserved: the actors hold every CPU, and a retry must not wait for them.
        self._alone = ray.remote(num_cpus=0, max_retries=self._max_retries)(_alone)

    def _one_node_here(self) -> bool:
        ray = self._ray
        alive = [n for n in ray.nodes() if n.get("Alive")]
        here = ray.util.get_node_ip_address()
        return len(alive) == 1 and alive[0].get("NodeManagerAddress") == here

    def _submit(self, chunk: list[Item]) -> Any:
        # Round robin: chunks are the same size and results are taken in order, so every actor
        # has the same backlog.
        actor = self._actors[self._next % len(self._actors)]
        self._next += 1
        return actor.run.remote(chunk)

    def clean(self, items: Iterable[Item]) -> Iterator[StageResult]:
        if self._release.is_set():
            raise ConfigError("this executor's Ray instance is stopped: make a new executor")
        source = iter(items)
        if self._host is not None and not self._actors:
            # While the local instance boots, this process cleans documents itself: the same
            # stage, in input order, so the results are what the actors would have returned.
            stage: ArticleStage | None = None
            while not self._booted.is_set():
                item = next(source, None)
                if item is None:
                    break
                stage = stage or ArticleStage(self.settings)
                yield stage(item)
        self._ready()
        pending: deque[tuple[Any, list[Item]]] = deque()
        while True:
            while len(pending) < self.in_flight:
                chunk = list(islice(source, self.chunk_size))
                if not chunk:
                    break
                pending.append((self._submit(chunk), chunk))
            if not pending:
                break
            ref, chunk = pending.popleft()
            yield from self._collect(ref, chunk)
            # No reference may outlive the instance: a ref freed in this thread while another
            # shuts Ray down crashes the process.
            del ref
        if self._host is not None:
            # Every result is in: the instance this executor started is stopped in the
            # background while the caller finishes its own work (close waits for it).
            self._settings_ref = None
            self._release.set()

    def _collect(self, ref: Any, chunk: list[Item]) -> list[StageResult]:
        ray = self._ray
        try:
            results: list[StageResult] = ray.get(ref)
            return results
        except ray.exceptions.RayError:
            # Retries are spent: try each document alone so only the one that kills its worker
            # is lost.
            pass
        out: list[StageResult] = []
        for start in range(0, len(chunk), self.workers):
            # A window of ``workers`` at a time: the tasks reserve no CPU, so this is what
            # keeps them from oversubscribing the machine.
            part = chunk[start : start + self.workers]
            refs = [self._alone.remote(self._settings_ref, self._work, [item]) for item in part]
            for item, single in zip(part, refs, strict=True):
                try:
                    out.extend(ray.get(single))
                except ray.exceptions.RayTaskError as exc:
                    out.append(_lost(item, f"cleaning raised {exc.cause!r}"))
                except ray.exceptions.RayError as exc:
                    out.append(_lost(item, f"the worker cleaning it died ({type(exc).__name__})"))
        return out

    def _stop(self) -> None:
        ray = self._ray
        if ray.is_initialized():
            for a in self._actors:
                ray.kill(a)
        self._actors = []
        if self._owns_ray and ray.is_initialized():
            ray.shutdown()
        self._owns_ray = False
        if self._node is not None:
            # Joined by address, so ray.shutdown only disconnected: the node is stopped here.
            self._node.destroy_external_storage()
            self._node.kill_all_processes(check_alive=False, allow_graceful=True, wait=True)
            self._node = None

    def close(self) -> None:
        if self._host is not None:
            self._release.set()
            self._host.join()
            self._host = None
        self._stop()
