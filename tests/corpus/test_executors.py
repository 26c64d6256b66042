"""Executors: documents read by the workers give what documents read by the driver give, failures
stay in place and name their input, and a store is the same whichever process read the files."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path
from typing import Any

from newsprism.cli import sample_dir
from newsprism.config import Settings, load_settings
from newsprism.corpus.executors import LocalExecutor, SerialExecutor, in_flight_chunks
from newsprism.corpus.ingest import ingest
from newsprism.corpus.stages import ArticleStage, Prepared, ReadFile, StageInput
from newsprism.ingest.readers import holds_one_document, read_document, read_source
from newsprism.model import Failure, Rejection
from newsprism.store import open_store
from newsprism.store.base import SourceStatus, Store
from newsprism.store.codec import encode_article


def _inputs(root: Path) -> list[str]:
    """The sample (text, HTML, JSONL) plus files a reader refuses or cleaning rejects."""
    shutil.copytree(sample_dir(), root / "sample")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"%PDF-1.4\n\x00\x01\x02 not text")
    # Cleaning rejects only a text with nothing to read (a short article is kept, flagged).
    (root / "rules.txt").write_text("* * *\n---\n***\n")
    return [str(p) for p in sorted(root.rglob("*")) if p.is_file() and p.suffix != ".md"]


def _summary(outcome: Any) -> tuple[str, str, str]:
    if isinstance(outcome, Prepared):
        return ("article", outcome.row.id, outcome.origin)
    if isinstance(outcome, Rejection):
        return ("rejected", outcome.reason, outcome.origin)
    assert isinstance(outcome, Failure)
    return ("failed", type(outcome.error).__name__, outcome.origin)


def _driver_read(sources: list[str], settings: Settings) -> list[StageInput]:
    return [item for s in sources for item in read_source(s, settings, None)]  # type: ignore[arg-type]


def test_worker_reading_equals_driver_reading(tmp_path: Path) -> None:
    settings = load_settings(db=str(tmp_path / "x.db"))
    sources = _inputs(tmp_path / "in")
    singles = [s for s in sources if holds_one_document(s, settings)]
    assert {Path(s).suffix for s in singles} == {".txt", ".html"}
    assert not any(holds_one_document(s, settings) for s in ("-", "https://x.example/a.txt"))
    stage = ArticleStage(settings)
    by_driver = [stage(item) for item in _driver_read(singles, settings)]
    by_worker = [stage(ReadFile(s)) for s in singles]
    assert [_summary(o) for o in by_worker] == [_summary(o) for o in by_driver]
    kinds = {k for k, _, _ in map(_summary, by_worker)}
    assert kinds == {"article", "rejected", "failed"}
    # The worker's result is the stored form of the same article.
    for s in singles:
        raw = read_document(s, settings)
        out = stage(ReadFile(s))
        if isinstance(out, Prepared):
            from newsprism.pipeline import clean_one

            article = clean_one(raw, settings)  # type: ignore[arg-type]
            assert out.row == encode_article(article)  # type: ignore[arg-type]
            assert pickle.loads(pickle.dumps(out)) == out


def test_pool_keeps_input_order_and_failures_in_place(tmp_path: Path) -> None:
    settings = load_settings(db=str(tmp_path / "x.db"))
    sources = _inputs(tmp_path / "in")
    items: list[StageInput] = []
    for s in sources:
        if holds_one_document(s, settings):
            items.append(ReadFile(s))
        else:
            items.extend(_driver_read([s], settings))
    serial = [_summary(o) for o in SerialExecutor(settings).clean(items)]
    # Chunks of 2 with 3 in flight: many chunk boundaries, results still in input order.
    pool = LocalExecutor(settings, 2, chunk_size=2, in_flight=3)
    try:
        local = [_summary(o) for o in pool.clean(items)]
    finally:
        pool.close()
    assert local == serial
    assert len(serial) == len(items)


def test_in_flight_covers_a_sort_window() -> None:
    settings = load_settings().model_copy(update={"ingest_sort_window": 2000})
    # The driver takes a whole window before asking for more: the workers must hold that much.
    assert in_flight_chunks(settings, 2, 32) * 32 >= 2000 + 2 * 2 * 32
    assert in_flight_chunks(settings, 2, 32) == 63 + 4


def _stored(store: Store) -> dict[str, Any]:
    stories = sorted((s.id, s.title, s.articles, s.origins) for s in store.list_stories(limit=100))
    ids = sorted(a.id for a in store.iter_articles())
    return {"ids": ids, "stories": stories, "copies": [store.copy_of(i) for i in ids]}


def test_ingest_stores_the_same_whoever_reads(tmp_path: Path) -> None:
    settings = load_settings(db=str(tmp_path / "x.db"))
    sources = _inputs(tmp_path / "in")
    results = {}
    for name, reads_files in (("workers", True), ("driver", False)):
        ex = SerialExecutor(settings)
        ex.reads_files = reads_files
        with open_store(str(tmp_path / f"{name}.db"), settings) as store:
            stats = ingest(sources, store, settings, executor=ex)
            results[name] = (stats.summary(), _stored(store))
            # Failed files are marked for retry, read ones as done, whoever read them.
            failed = {r.origin for r in store.failed_sources()}
            assert failed == {str(tmp_path / "in" / n) for n in ("empty.txt", "binary.txt")}
            done = str(tmp_path / "in" / "sample" / "ovpr.txt")
            fp = f"{Path(done).stat().st_size}:{Path(done).stat().st_mtime_ns}"
            assert store.source_status(done, fp) is SourceStatus.DONE
            # A second run skips what was done and tries the failed files again.
            again = ingest(sources, store, settings, executor=ex)
            assert (again.read, again.failed, again.new) == (2, 2, 0)
            assert again.skipped_sources == len(sources) - 2
    assert results["workers"] == results["driver"]
    assert "failed 2" in results["driver"][0] and "rejected 1" in results["driver"][0]
