"""Inputs that must fail alone, named, and never abort a run: oversized fields, odd file names,
unreadable directories; and a run's report names every input it did not store."""

from __future__ import annotations

import json
from pathlib import Path

from newsprism.cli import sample_dir
from newsprism.config import Settings, load_settings
from newsprism.corpus.executors import SerialExecutor
from newsprism.corpus.ingest import IngestStats, ingest
from newsprism.store import open_store

BODY = "\n\n".join(
    line
    for line in (sample_dir() / "ovpr.txt").read_text(encoding="utf-8").splitlines()
    if len(line.split()) > 12
)
HUGE = "Z" * 70_000  # over the sketch's 65,535 bytes, the size that aborted whole runs


def _run(sources: list[str], settings: Settings) -> IngestStats:
    with open_store(settings.db, settings) as store:
        return ingest(sources, store, settings, executor=SerialExecutor(settings))


def _line(n: int, **fields: str) -> str:
    return json.dumps({"text": f"Item {n} of the batch. {BODY}", "title": f"Story {n}", **fields})


def test_an_oversized_field_fails_its_input_not_the_run(tmp_path: Path) -> None:
    lines = [_line(n) for n in range(12)]
    lines[3] = _line(3, title=HUGE)
    lines[5] = _line(5, outlet=HUGE)
    lines[7] = _line(7, published=HUGE)
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    body = f"<p>{BODY}</p>" * 2
    (tmp_path / "title.html").write_text(
        f"<html><head><title>{HUGE}</title></head><body><article>{body}</article></body></html>"
    )
    (tmp_path / "h1.html").write_text(
        f"<html><body><article><h1>{'Headline ' * 9000}</h1>{body}</article></body></html>"
    )
    settings = load_settings(db=str(tmp_path / "c.db"))
    stats = _run([str(tmp_path)], settings)
    assert stats.new == 9 and stats.failed == 5, stats.summary()
    named = "\n".join(stats.failures)
    for where, field in (
        ("batch.jsonl:4", "title"),
        ("batch.jsonl:6", "outlet"),
        ("batch.jsonl:8", "published"),
        ("title.html", "title"),
        ("h1.html", "title"),
    ):
        assert any(
            where in f and f"{field} is " in f and "max_field_chars" in f for f in stats.failures
        ), (
            where,
            named,
        )
    # A rerun is not blocked by the same inputs: the two files that failed whole are tried
    # again (and fail again); the JSONL file, whose good lines are stored, is done.
    again = _run([str(tmp_path)], settings)
    assert again.failed == 2 and again.skipped_sources == 1 and again.new == 0


def test_bidi_overrides_leave_titles_and_outlets(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        _line(1, title="Council \u202evotes\u202c on levy", outlet="Daily \u2066Post\u2069") + "\n",
        encoding="utf-8",
    )
    settings = load_settings(db=str(tmp_path / "c.db"))
    assert _run([str(tmp_path)], settings).new == 1
    with open_store(settings.db, settings) as store:
        (article,) = store.iter_articles()
    assert (article.title, article.outlet) == ("Council votes on levy", "Daily Post")
