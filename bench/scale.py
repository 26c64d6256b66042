"""Ingest at scale: one process, the local process pool, and Ray, on the same 20k articles.

The corpus is made by varying real articles (BASIL and WikiRef220 bodies, fixed seed) with
``bench.ingest.make_plain``: each variant has its own headline, shuffled middle and closing
paragraph. Each executor ingests the same files into a fresh SQLite store, in a fresh process
(so no run inherits another's warm caches or memory):

* ``serial``: one process, the reference for the speed-up;
* ``local``: the process pool (``--workers``, 2 by default);
* ``ray``: a local Ray instance started by the run with ``--workers`` CPUs.

Reported for each: articles/s (start-up included, and excluded), speed-up over one process,
peak memory of the driver and all its worker processes (sum of PSS, so pages shared after a fork
count once), and whether the stores are equal to the one-process store (same article ids, same
stories with the same members, same wire-copy links). The one-process run also reports where its
time goes: cleaning (the part that fans out) versus the corpus-wide stage in the driver (copies,
stories, store writes), which bounds any speed-up: (clean + driver) / driver.

Goal (issue 6), on 2 cores: Ray within 10% of the process pool, both at least 1.8x one process.

Run: ``.venv/bin/python -m bench.scale [--articles 20000] [--workers 2] [--once]``. Without
``--once`` the parallel modes run twice in mirrored order (serial, local, ray, ray, local) and
report the mean of their runs (see main).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bench._common import write_results
from bench.ingest import make_plain

MODES = ("serial", "local", "ray")


# --------------------------------------------------------------------------- memory


def _children(pid: int) -> list[int]:
    try:
        import psutil

        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except ImportError:
        pass
    # Without psutil: the process tree from /proc (Linux), which is where this bench runs.
    parent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out += kids
        todo += kids
    return out


def _pss_kb(pid: int) -> int:
    """Proportional set size: a page shared by n processes counts 1/n in each."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakMemory:
    """Samples the summed PSS of this process and its descendants in a background thread.

    Every 2 s, not faster: the kernel walks a process's whole page table to sum its PSS, which
    for the Ray run's processes (driver, 2 workers, raylet with its object store mapping, GCS,
    agents) costs about 24 ms of CPU per sample against 8 ms for the process pool's three
    (measured). At 0.5 s the sampling took 5% of a core in the Ray run and 2% in the local one:
    the measurement slowed one executor more than the other. Memory in a run rises to a plateau
    (bounded by the sort window) and stays there, so a 2 s sample still sees the peak.
    """

    def __init__(self, every: float = 2.0) -> None:
        self.every = every
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            total = sum(_pss_kb(p) for p in [me, *_children(me)])
            self.peak_kb = max(self.peak_kb, total)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# --------------------------------------------------------------------------- one run


class TimedExecutor:
    """Wraps an executor to count the time the driver waits on it: for the one-process run,
    that is the cleaning time; the rest of the run is the driver's corpus-wide stage."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.reads_files: bool = inner.reads_files
        self.waiting = 0.0
        self.last_result = time.perf_counter()

    def clean(self, items: Iterable[Any]) -> Iterator[Any]:
        it = iter(self.inner.clean(items))
        while True:
            t = time.perf_counter()
            try:
                out = next(it)
            except StopIteration:
                self.waiting += time.perf_counter() - t
                return
            self.last_result = time.perf_counter()
            self.waiting += self.last_result - t
            yield out

    def close(self) -> None:
        self.inner.close()


def snapshot(db: str) -> dict[str, Any]:
    """What must be equal between executors: article ids, stories and their members, copies."""
    from newsprism.config import load_settings
    from newsprism.store import open_store

    settings = load_settings(db=db)
    with open_store(db, settings) as store:
        ids = sorted(a.id for a in store.iter_articles())
        stories: list[Any] = []
        offset = 0
        while page := store.list_stories(limit=500, offset=offset):
            stories += [[s.id, s.title, list(s.articles), s.origins] for s in page]
            offset += len(page)
        stories.sort()
        copies = []
        for aid in ids:
            link = store.copy_of(aid)
            if link is not None:
                copies.append([aid, link.original, str(link.kind), round(link.similarity, 9)])
    return {"articles": ids, "stories": stories, "copies": copies}


def run_one(mode: str, files_dir: Path, db: Path, workers: int) -> dict[str, Any]:
    from newsprism.config import load_settings
    from newsprism.corpus.executors import make_executor
    from newsprism.corpus.ingest import ingest
    from newsprism.store import open_store

    files = sorted(str(p) for p in files_dir.iterdir())
    settings = load_settings(db=str(db), workers=1 if mode == "serial" else workers)
    with PeakMemory() as mem, open_store(settings.db, settings) as store:
        t0 = time.perf_counter()
        ex = TimedExecutor(make_executor(mode, settings, workers=settings.workers))
        t1 = time.perf_counter()
        try:
            stats = ingest(files, store, settings, executor=ex)
        finally:
            t2 = time.perf_counter()
            ex.close()
        t3 = time.perf_counter()
    n = len(files)
    return {
        "articles": n,
        "start_s": round(t1 - t0, 2),
        "ingest_s": round(t2 - t1, 2),
        "total_s": round(t3 - t0, 2),
        "articles_per_s": round(n / (t3 - t0), 1),
        "articles_per_s_excluding_start": round(n / (t2 - t1), 1),
        "driver_waiting_on_executor_s": round(ex.waiting, 2),
        "driver_corpus_stage_s": round(t2 - t1 - ex.waiting, 2),
        # From the last cleaned article to the end of ingest: the driver's work left when the
        # workers have none (with one process, the last sort window's share of the stage).
        "tail_s": round(t2 - ex.last_result, 2),
        "peak_memory_mb": round(mem.peak_kb / 1024, 1),
        "new": stats.new,
        "copies": stats.copies,
        "stories": stats.stories_created,
        "rejected": sum(stats.rejected.values()),
        "failed": stats.failed,
    }


def mean_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One mode's figures over its runs: mean times, throughput from them, the highest peak."""
    out = dict(rows[0])
    for key in (
        "start_s",
        "ingest_s",
        "total_s",
        "driver_waiting_on_executor_s",
        "driver_corpus_stage_s",
        "tail_s",
    ):
        out[key] = round(sum(r[key] for r in rows) / len(rows), 2)
    out["articles_per_s"] = round(out["articles"] / out["total_s"], 1)
    out["articles_per_s_excluding_start"] = round(out["articles"] / out["ingest_s"], 1)
    out["peak_memory_mb"] = max(r["peak_memory_mb"] for r in rows)
    out["runs_total_s"] = [r["total_s"] for r in rows]
    return out


# --------------------------------------------------------------------------- driver


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    ap.add_argument("--once", action="store_true", help="run each mode once, in the given order")
    ap.add_argument("--one", choices=MODES, help=argparse.SUPPRESS)
    ap.add_argument("--files", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        row = run_one(args.one, args.files, args.db, args.workers)
        row["snapshot"] = snapshot(str(args.db))
        print(json.dumps(row))
        return

    tmp = Path(tempfile.mkdtemp(prefix="newsprism-scale-bench-"))
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "PYTHONHASHSEED": "0"}
    runs: dict[str, list[dict[str, Any]]] = {}
    try:
        t = time.perf_counter()
        files_dir = tmp / "plain"
        make_plain(args.articles, files_dir, random.Random(13))
        print(f"made {args.articles} articles in {time.perf_counter() - t:.1f} s")
        # Parallel modes run twice, in mirrored order (serial, local, ray, ray, local), and
        # each reports the mean of its runs: on this machine the same mode ran up to 15% slower
        # when it came last, after minutes of full load, than when it ran first (measured: ray
        # 60.8 and 63.1 s third after serial and local, 53.3 and 55.6 s first or second), so a
        # fixed order charged that to whichever mode ran last.
        schedule = list(args.modes)
        if not args.once:
            schedule += [m for m in reversed(args.modes) if m != "serial"]
        for i, mode in enumerate(schedule):
            out = subprocess.run(
                [
                    *(sys.executable, "-m", "bench.scale", "--one", mode),
                    *("--files", str(files_dir), "--db", str(tmp / f"{mode}-{i}.db")),
                    *("--workers", str(args.workers)),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode != 0:
                sys.exit(f"{mode} run failed:\n{out.stderr[-3000:]}")
            row = json.loads(out.stdout.strip().splitlines()[-1])
            runs.setdefault(mode, []).append(row)
            shown = {k: v for k, v in row.items() if k != "snapshot"}
            print(f"{mode:7} {shown}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    snaps = {mode: [r.pop("snapshot") for r in rs] for mode, rs in runs.items()}
    rows = {mode: mean_row(rs) for mode, rs in runs.items()}
    ref = "serial" if "serial" in rows else next(iter(rows))
    figures: dict[str, Any] = {"articles": args.articles, "workers": args.workers, "runs": {}}
    base = snaps[ref][0]
    for mode, row in rows.items():
        row["equal_to_" + ref] = {
            "article_ids": all(s["articles"] == base["articles"] for s in snaps[mode]),
            "stories_and_members": all(s["stories"] == base["stories"] for s in snaps[mode]),
            "copy_links": all(s["copies"] == base["copies"] for s in snaps[mode]),
        }
        row["speed_up_vs_one_process"] = round(
            row["articles_per_s"] / rows[ref]["articles_per_s"], 3
        )
        figures["runs"][mode] = row
    if "serial" in rows:
        s = rows["serial"]
        clean = s["driver_waiting_on_executor_s"]
        stage = s["driver_corpus_stage_s"]
        figures["one_process_time_split"] = {
            "clean_ms_per_article": round(1000 * clean / args.articles, 3),
            "driver_corpus_stage_ms_per_article": round(1000 * stage / args.articles, 3),
            "speed_up_bound_from_driver_stage": round((clean + stage) / stage, 3),
        }
    if "local" in rows and "ray" in rows:
        figures["ray_over_local_throughput"] = round(
            rows["ray"]["articles_per_s"] / rows["local"]["articles_per_s"], 3
        )
        figures["ray_over_local_throughput_excluding_start"] = round(
            rows["ray"]["articles_per_s_excluding_start"]
            / rows["local"]["articles_per_s_excluding_start"],
            3,
        )

    print()
    print(
        f"{'mode':7} {'art/s':>8} {'(no start)':>10} {'x 1 proc':>9} {'peak MB':>8}"
        f" {'tail s':>7}  equal"
    )
    for mode, row in figures["runs"].items():
        eq = "yes" if all(row["equal_to_" + ref].values()) else f"NO {row['equal_to_' + ref]}"
        print(
            f"{mode:7} {row['articles_per_s']:>8} {row['articles_per_s_excluding_start']:>10}"
            f" {row['speed_up_vs_one_process']:>9} {row['peak_memory_mb']:>8}"
            f" {row['tail_s']:>7}  {eq}"
        )
    if "one_process_time_split" in figures:
        sp = figures["one_process_time_split"]
        print(
            f"one process: cleaning {sp['clean_ms_per_article']} ms/article, driver's corpus-wide"
            f" stage {sp['driver_corpus_stage_ms_per_article']} ms/article: no executor can go"
            f" beyond x{sp['speed_up_bound_from_driver_stage']}"
        )
    if "ray_over_local_throughput" in figures:
        print(f"ray / local throughput: {figures['ray_over_local_throughput']}")
    print("written:", write_results("scale", figures))


if __name__ == "__main__":
    main()
