"""A Ray executor that starts its own local instance: the documents it cleans itself while the
instance boots and its workers start, and those its workers clean, come back in input order,
equal to one process's, and the instance is gone after close.

Skipped only when Ray is not installed and ``CI`` is unset (as tests/corpus/test_ray.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsprism.cli import sample_dir
from newsprism.config import load_settings
from newsprism.corpus.executors import SerialExecutor
from newsprism.corpus.stages import ReadFile, StageInput
from newsprism.model import Failure
from tests.corpus.ray_required import require_ray

ray = require_ray()


def test_own_instance_boots_in_background_and_stops(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from newsprism.corpus.ray_executor import RayExecutor

    if ray.is_initialized():
        pytest.skip("this process already runs a Ray instance")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    settings = load_settings(db=str(tmp_path / "x.db"))
    body = (sample_dir() / "ovpr.txt").read_text(encoding="utf-8")
    paths = []
    for i in range(150):
        p = tmp_path / f"doc{i:03d}.txt"
        p.write_text(body + f"\n\nCorrection {i}: an earlier version misstated the date.\n")
        paths.append(p)
    (tmp_path / "doc-empty.txt").write_text("")
    items: list[StageInput] = [ReadFile(str(p)) for p in [*paths, tmp_path / "doc-empty.txt"]]
    expected = list(SerialExecutor(settings).clean(items))
    ex = RayExecutor(settings, 2, chunk_size=8)
    assert ex.reads_files
    cleaned_here: list[tuple[bool, int]] = []

    def feed() -> Iterator[StageInput]:
        # The first documents while the instance boots, the next while the workers start (both
        # cleaned here), the rest once a worker has built its stage (cleaned by the workers), so
        # every path is taken.
        for i, item in enumerate(items):
            if i == 20:
                cleaned_here.append((ex._task is not None, ex._submitted))
                ex._booted.wait(60)
            if i == 22:
                cleaned_here.append((ex._task is not None, ex._submitted))
                deadline = time.monotonic() + 60
                while not ex._started() and time.monotonic() < deadline:
                    time.sleep(0.05)
            yield item

    try:
        got = list(ex.clean(feed()))
        assert ex._submitted > 0  # the later documents went to the workers
        node = ex._node
        assert node is not None  # started without the monitors ray.init would add
        processes = [info.process for infos in node.all_processes.values() for info in infos]
        names = set(node.all_processes)
    finally:
        ex.close()

    def key(o: object) -> object:
        return (o.origin, o.message) if isinstance(o, Failure) else o

    assert [key(o) for o in got] == [key(o) for o in expected]
    assert isinstance(got[-1], Failure) and "empty" in got[-1].message
    assert not ray.is_initialized()
    assert processes and all(p.poll() is not None for p in processes)  # all stopped by close
    assert not names & {"monitor", "log_monitor", "dashboard"}
    # The driver joined the instance from this thread, where Ray sets its SIGTERM handler.
    assert "SIGTERM handler is not set" not in capfd.readouterr().err
    # The first 20 were cleaned here while the instance booted (no workers yet), the next two
    # while the workers started (nothing sent to them yet).
    assert cleaned_here == [(False, 0), (True, 0)]
