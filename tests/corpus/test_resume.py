"""A resumed ingest stores what an uninterrupted one stores, stories included.

Real dated articles (BASIL's 150, three outlets per event, 2010 to 2019, from the evaluation
data beside the repository) in a fixed shuffled order, so that sort windows of 40 hold articles
years apart and late articles arrive after their stories formed: the case where a restart used
to split one story into three. Each run is killed (by SIGKILL, or by an error raised between two
commits, which leaves the store in the same state) after some committed batches, resumed, and
compared with the uninterrupted run: the same stories with the same ids, titles and members in
the same order, and the same wire-copy links.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsprism.config import Settings, load_settings
from newsprism.corpus.executors import SerialExecutor
from newsprism.corpus.ingest import IngestStats, ingest
from newsprism.store import open_store
from tests.conftest import EVAL, ROOT

BASIL = EVAL / "basil" / "basil.jsonl"
pytestmark = pytest.mark.skipif(not BASIL.exists(), reason="BASIL evaluation data not present")

OPTIONS = {"ingest_batch": 8, "ingest_sort_window": 40}


class Killed(Exception):
    pass


def _rows() -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in BASIL.read_text(encoding="utf-8").splitlines()]
    random.Random(5).shuffle(rows)
    return rows


def _jsonl(tmp: Path) -> str:
    path = tmp / "basil.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows()), encoding="utf-8")
    return str(path)


def _files(tmp: Path) -> str:
    folder = tmp / "basil"
    folder.mkdir()
    for n, row in enumerate(_rows()):
        (folder / f"{n:03d}.json").write_text(json.dumps(row), encoding="utf-8")
    return str(folder)


def _settings(db: Path) -> Settings:
    return load_settings(db=str(db), **OPTIONS)


def _run(source: str, db: Path, kill_after: int | None = None) -> IngestStats | None:
    """Ingest ``source``; with ``kill_after``, stop after that many committed batches."""
    settings = _settings(db)
    commits = 0

    def progress(_: IngestStats) -> None:
        nonlocal commits
        commits += 1
        if kill_after is not None and commits >= kill_after:
            raise Killed

    with open_store(settings.db, settings) as store:
        try:
            return ingest(
                [source], store, settings, executor=SerialExecutor(settings), on_progress=progress
            )
        except Killed:
            return None


def _stored(db: Path) -> tuple[list[tuple[str, str, tuple[str, ...]]], list[tuple[str, str]]]:
    settings = _settings(db)
    with open_store(settings.db, settings) as store:
        assert store.check() == []
        stories = sorted((s.id, s.title, s.articles) for s in store.list_stories(limit=1000))
        copies = sorted(
            (a.id, link.original)
            for a in store.iter_articles()
            if (link := store.copy_of(a.id)) is not None
        )
    return stories, copies


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = {}
    for layout, make in (("jsonl", _jsonl), ("files", _files)):
        tmp = tmp_path_factory.mktemp(layout)
        source = make(tmp)
        stats = _run(source, tmp / "whole.db")
        assert stats is not None and stats.new == 150
        out[layout] = (source, _stored(tmp / "whole.db"))
    return out


@pytest.mark.parametrize(
    ("layout", "kills"),
    [
        ("jsonl", [1]),
        ("jsonl", [6]),
        ("jsonl", [11, 3]),  # killed again while resuming
        ("files", [2]),
        ("files", [9, 2]),
        ("files", [15]),
    ],
)
def test_resumed_run_stores_what_an_uninterrupted_one_stores(
    uninterrupted: dict[str, Any], tmp_path: Path, layout: str, kills: list[int]
) -> None:
    source, expected = uninterrupted[layout]
    db = tmp_path / "resumed.db"
    for k in kills:
        assert _run(source, db, kill_after=k) is None
    stats = _run(source, db)
    assert stats is not None and stats.new < 150  # it did resume, not start over
    stories, copies = _stored(db)
    assert len(stories) == len(expected[0])
    assert stories == expected[0]
    assert copies == expected[1]


# --------------------------------------------------------------------------- SIGKILL

KILLER = """
import os, signal, sys
from newsprism.config import load_settings
from newsprism.corpus.executors import make_executor
from newsprism.corpus.ingest import ingest
from newsprism.store import open_store

source, db, after = sys.argv[1], sys.argv[2], int(sys.argv[3])
settings = load_settings(db=db, ingest_batch={batch}, ingest_sort_window={window}, workers=2)
commits = 0

def progress(_):
    global commits
    commits += 1
    if commits >= after:
        os.kill(os.getpid(), signal.SIGKILL)

with open_store(db, settings) as store:
    ex = make_executor("local", settings)
    try:
        ingest([source], store, settings, executor=ex, on_progress=progress)
    finally:
        ex.close()
""".format(batch=OPTIONS["ingest_batch"], window=OPTIONS["ingest_sort_window"])


def test_sigkilled_process_pool_run_resumes_to_the_same_store(
    uninterrupted: dict[str, Any], tmp_path: Path
) -> None:
    source, expected = uninterrupted["files"]
    db = tmp_path / "killed.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HF_HUB_OFFLINE": "1"}
    for after in (4, 3):
        proc = subprocess.run(
            [sys.executable, "-c", KILLER, source, str(db), str(after)],
            env=env,
            capture_output=True,
            timeout=300,
        )
        assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    stats = _run(source, db)
    assert stats is not None and 0 < stats.new < 150
    assert _stored(db) == expected
