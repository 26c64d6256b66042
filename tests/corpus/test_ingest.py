"""End-to-end corpus ingest: the sample, resuming, and a run killed with SIGKILL then restarted."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from newsprism.cli import sample_dir
from newsprism.config import load_settings
from newsprism.corpus.executors import SerialExecutor
from newsprism.corpus.ingest import ingest
from newsprism.store import open_store


def test_sample_ingest_links_copies_and_resumes(tmp_path: Path) -> None:
    settings = load_settings(db=str(tmp_path / "c.db"))
    with open_store(settings.db, settings) as store:
        stats = ingest(
            [str(sample_dir().parent)], store, settings, executor=SerialExecutor(settings)
        )
        assert (stats.new, stats.copies, stats.failed) == (5, 1, 0)
        assert store.count_articles() == 5
        stories = store.list_stories(limit=50)
        levy = [s for s in stories if "levy" in s.title.lower()]
        assert len(levy) == 1 and len(levy[0].articles) == 1
        wire = next(s for s in stories if "Lakeshore Wire" in s.outlets)
        assert "Midwest Daily" in wire.outlets
        # The wire copy does not count as an origin of its own.
        assert wire.origins == len(wire.articles) - 1
        again = ingest(
            [str(sample_dir().parent)], store, settings, executor=SerialExecutor(settings)
        )
        assert again.skipped_sources == 5 and again.new == 0
        assert store.count_articles() == 5
        assert store.check() == []


def _corpus(tmp_path: Path, n_files: int, per_file: int) -> list[Path]:
    """Articles made by varying the sample's bodies: each gets a distinct closing paragraph."""
    bodies = []
    for name in ("lakeshore-wire.txt", "ovpr.txt"):
        text = (sample_dir() / name).read_text(encoding="utf-8")
        bodies.append("\n\n".join(line for line in text.splitlines() if len(line.split()) > 12))
    files = []
    k = 0
    for f in range(n_files):
        path = tmp_path / f"batch{f:02d}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for _ in range(per_file):
                body = (
                    bodies[k % 2]
                    + f"\n\nThis is report number {k} of the crash test, filed at hour {k % 24}."
                )
                rec = {
                    "text": body,
                    "title": f"Report {k}",
                    "outlet": f"Outlet {k % 7}",
                    "published": f"2026-11-{1 + k % 28:02d}",
                }
                fh.write(json.dumps(rec) + "\n")
                k += 1
        files.append(path)
    return files


def test_killed_ingest_restarts_without_loss_or_duplicates(tmp_path: Path) -> None:
    files = _corpus(tmp_path, n_files=6, per_file=150)
    db = tmp_path / "crash.db"
    env = {
        **os.environ,
        "NEWSPRISM_DB": str(db),
        "NEWSPRISM_INGEST_BATCH": "16",
        "NEWSPRISM_INGEST_SORT_WINDOW": "32",
    }
    cmd = [
        sys.executable,
        "-c",
        "from newsprism.cli import main; main()",
        "ingest",
        "--no-progress",
        *map(str, files),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    settings = load_settings(db=str(db))
    deadline = time.monotonic() + 120
    count = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        # A plain read-only query: opening the store would wait on the writer's lock.
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
            count = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            con.close()
        except sqlite3.Error:  # not created yet, or busy
            continue
        if count >= 60:
            break
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with open_store(str(db), settings) as store:
        partial = store.count_articles()
        assert 60 <= partial < 900
        assert store.check() == []
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    with open_store(str(db), settings) as store:
        assert store.count_articles() == 900
        assert store.check() == []
        ids = [a.id for a in store.iter_articles()]
        assert len(ids) == len(set(ids)) == 900
        titles = sorted(int(a.title.split()[1]) for a in store.iter_articles() if a.title)
        assert titles == list(range(900))
        # Every article is in exactly one story.
        assert all(store.story_of(i) is not None for i in ids)
    # A third run reads nothing again.
    third = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert "6 sources skipped" in third.stderr
