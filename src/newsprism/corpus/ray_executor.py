"""The per-article stage fanned out over a Ray cluster (or a local Ray instance).

Documents go out in chunks, one Ray task per chunk, each task holding one CPU; every Ray worker
process builds its :class:`~newsprism.corpus.stages.ArticleStage` (hashers, and any model a
stage loads) once, on its first chunk, from settings put in the object store once. Results come
back in input order, with a bounded number of chunks in flight, so a corpus larger than memory
streams through. The corpus-wide stages stay in the driver (see :mod:`newsprism.corpus.ingest`),
so a Ray run stores exactly what a local one does.

Why tasks over chunks, not Ray Data or one task per article: measured on 2 cores (DEPS.md), tasks
over chunks of 250 match a process pool, Ray Data's row conversion halves throughput, and one task
per article pays Ray's per-task cost (~1 ms) on work of a few ms. Why tasks, not actors (used
until 2026-11-22): a call to an actor waits in that actor's queue, and with a sort window of
chunks in flight the queues drifted apart as one actor got less CPU than the other; at 20,000
articles one actor ran out of work 2.7 to 5.8 s before the other (measured under another job's
load, equal chunks each). A task goes to whichever worker is free next, as a pool's does: the
two workers' last chunks ended 0.4 s apart in the same conditions. The stage is still built once
per worker process, as an actor built it once.

Workers read local single-document files themselves when the cluster is this one machine (the
driver sends paths, see :class:`~newsprism.corpus.stages.ReadFile`); on a cluster of several
machines the driver reads and ships the documents, since other nodes may not see its files.
Workers run at a lower CPU priority than the driver, as pool workers do (see
:func:`~newsprism.corpus.executors.lower_priority`).

Failures:

* a worker whose process dies mid-chunk (OOM kill, segfault, a lost node) is replaced by Ray and
  the chunk is retried (``max_retries``);
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
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
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
#: with two workers: its processes used 0.040 CPU-seconds per second with Ray's defaults, 0.031
#: with these.
#:
#: ``worker_niceness``: Ray starts its workers at nice 15, and :func:`lower_priority` adds 5, so
#: they ran at 19 where pool workers run at 5: below any other job on the machine. At 0 Ray's
#: workers end at nice 5, below the driver and Ray's own processes, as the pool's workers are.
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

    * the autoscaler monitor (the instance never grows) and the log monitor (the workers' output
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
    """What a worker does with a chunk: the same per-article stage as every other executor."""
    return [stage(item) for item in items]


# The stage of this Ray worker process, built by the first chunk it runs, with the settings it
# was built from (one Ray instance may serve executors with other settings: tests do). A Ray
# worker runs task after task, as a pool worker does, and each is a process of its own, so this
# is not state shared between workers (as ``_worker_stage`` in executors.py).
_process_stage: tuple[Settings, ArticleStage] | None = None


def _stage_for(settings: Settings) -> ArticleStage:
    global _process_stage
    if _process_stage is None:
        lower_priority()  # the driver's sequential stage comes first (see lower_priority)
    if _process_stage is None or _process_stage[0] != settings:
        _process_stage = (settings, ArticleStage(settings))
    return _process_stage[1]


def _run_chunk(settings: Settings, work: ChunkWork, items: Sequence[Item]) -> list[StageResult]:
    """The Ray task: one chunk through this worker's stage."""
    return work(_stage_for(settings), items)


def _warm(settings: Settings) -> bool:
    """Builds the worker's stage; answered once a worker can take chunks."""
    _stage_for(settings)
    return True


def _alone(settings: Settings, work: ChunkWork, items: Sequence[Item]) -> list[StageResult]:
    """A Ray task for the rare retry of one document alone, with a stage of its own."""
    return work(ArticleStage(settings), items)


def _lost(item: Item, reason: str) -> StageResult:
    if isinstance(item, Failure):
        return item
    origin = item.path if isinstance(item, ReadFile) else item.origin
    return Failure(origin, ExtractionError(reason, origin=origin))


class RayExecutor:
    """Run the per-article stage as Ray tasks over chunks, yielding results in input order.

    ``address`` is passed to ``ray.init`` (``auto``, ``ray://head:10001``); without one, a local
    Ray instance with ``workers`` CPUs is started and shut down by :meth:`close`. If Ray is already
    initialised in this process (a notebook, a test), that instance is used and left running.
    ``workers`` is how many chunks run at once (default: every CPU of the cluster). ``work`` is
    what a worker does with a chunk; tests pass one that kills its worker. ``read_files`` says
    whether workers read local files themselves; by default they do when the cluster is this
    machine alone.
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
        self._task: Any = None  # the chunk task, once the workers are started
        self._probes: list[Any] = []
        self._submitted = 0
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
            # Workers read local files themselves only where they surely see them: a cluster
            # that is this one machine. Elsewhere the driver reads and ships the documents.
            self.reads_files = self._one_node_here() if read_files is None else read_files
            self._start_workers()
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
        """Wait for a local instance being started, join it, then start the workers."""
        if self._host is None or self._task is not None:
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
        self._start_workers()

    def _start_workers(self) -> None:
        ray = self._ray
        # One copy of the settings in the object store, owned by this process for as long as
        # the executor lives, so a retried task still finds it.
        self._settings_ref = ray.put(self.settings)
        self._task = ray.remote(num_cpus=1, max_retries=self._max_retries)(_run_chunk)
        # One task per worker that builds the stage (the first import of newsprism in a fresh
        # worker process): the driver cleans documents itself until one has answered.
        warm = ray.remote(num_cpus=1, max_retries=self._max_retries)(_warm)
        self._probes = [warm.remote(self._settings_ref) for _ in range(self.workers)]
        # No CPU reserved: the chunks hold every CPU, and a retry must not wait for them.
        self._alone = ray.remote(num_cpus=0, max_retries=self._max_retries)(_alone)

    def _started(self) -> bool:
        """Whether a worker has built its stage (looked up without waiting)."""
        if self._probes:
            done, _ = self._ray.wait(self._probes, num_returns=1, timeout=0)
            if not done:
                return False
            # A probe's result or error is not needed: a worker that died is Ray's to replace,
            # and a chunk it ran is retried (see _collect).
            self._probes = []
        return True

    def _one_node_here(self) -> bool:
        ray = self._ray
        alive = [n for n in ray.nodes() if n.get("Alive")]
        here = ray.util.get_node_ip_address()
        return len(alive) == 1 and alive[0].get("NodeManagerAddress") == here

    def _submit(self, chunk: list[Item]) -> Any:
        self._submitted += 1
        return self._task.remote(self._settings_ref, self._work, chunk)

    def clean(self, items: Iterable[Item]) -> Iterator[StageResult]:
        if self._release.is_set():
            raise ConfigError("this executor's Ray instance is stopped: make a new executor")
        source = iter(items)
        # Until the workers can take work, this process cleans documents itself: the same
        # stage, in input order, so the results are what the workers would have returned. First
        # while a local instance boots (3-5 s), then while the workers build their stage: each is
        # a fresh process that imports newsprism, most of a second in which the driver would
        # otherwise wait for its first chunk, a core idle. Only with the default work: what
        # another ``work`` does to a chunk, only a worker may do.
        stage: ArticleStage | None = None

        def clean_here(waiting: Callable[[], bool]) -> Generator[StageResult, None, bool]:
            """Clean documents in this process while ``waiting()``; True when they ran out."""
            nonlocal stage
            while waiting():
                item = next(source, None)
                if item is None:
                    return True
                stage = stage or ArticleStage(self.settings)
                yield stage(item)
            return False

        own = self._work is stage_chunk
        exhausted = False
        if own and self._host is not None and self._task is None:
            exhausted = yield from clean_here(lambda: not self._booted.is_set())
        self._ready()
        if own and not exhausted:
            yield from clean_here(lambda: not self._started())
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
            self._probes = []
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
        self._probes = []  # no reference may outlive the instance
        self._settings_ref = None
        self._task = None
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
