"""The Ray executor stores exactly what the local process pool stores, and survives dead workers.

A local Ray instance with 2 CPUs is started once for the module (about 5 s). Skipped only when Ray
is not installed and ``CI`` is unset: in CI, a missing Ray fails the run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from newsprism.cli import sample_dir
from newsprism.config import Settings, load_settings
from newsprism.corpus.executors import Executor, LocalExecutor, make_executor
from newsprism.corpus.ingest import ingest
from newsprism.corpus.stages import ArticleStage, Prepared, StageInput, StageResult
from newsprism.model import Failure, RawDocument, SourceKind
from newsprism.store import open_store
from newsprism.store.base import Store, StoryOrder
from tests.corpus.ray_required import require_ray

EVAL = Path(
    os.environ.get(
        "NEWSPRISM_EVAL_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "eval"
    )
)

ray = require_ray()


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[None]:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


def _corpus(root: Path) -> list[str]:
    """The bundled sample, plus JSONL variants of its articles and of the levy story (near-copies
    the wire-copy index links, stories of many members, over three weeks of dates), plus the
    150 BASIL articles (50 events, three outlets each) from the shared evaluation sets."""
    root.mkdir()
    bodies = []
    for path in (
        sample_dir() / "lakeshore-wire.txt",
        sample_dir() / "ovpr.txt",
        sample_dir().parent / "other" / "carverton-library-levy.jsonl",
    ):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            text = json.loads(text.splitlines()[0])["text"]
        bodies.append([line for line in text.splitlines() if len(line.split()) > 8])
    for f in range(3):
        with (root / f"variants{f}.jsonl").open("w", encoding="utf-8") as fh:
            for i in range(120):
                k = f * 120 + i
                paras = bodies[k % 3]
                # Rotating the middle paragraphs varies the text without changing the story.
                r = k % max(len(paras) - 2, 1)
                middle = paras[1:-1][r:] + paras[1:-1][:r]
                text = "\n\n".join(
                    [paras[0], *middle, paras[-1], f"Update {k}: filed from desk {k % 11}."]
                )
                rec = {
                    "text": text,
                    "title": f"Carverton report {k}",
                    "outlet": f"Outlet {k % 5}",
                    "published": f"2026-11-{1 + k % 21:02d}T{k % 24:02d}:00:00",
                    "url": f"https://example.org/{k}",
                }
                fh.write(json.dumps(rec) + "\n")
    # Real stories: BASIL's events, each told by three outlets on its own date.
    basil = EVAL / "basil" / "basil.jsonl"
    if basil.exists():
        with (root / "basil.jsonl").open("w", encoding="utf-8") as fh:
            for line in basil.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                rec = {k: row[k] for k in ("text", "title", "outlet", "url")}
                fh.write(json.dumps({**rec, "published": row["date"]}) + "\n")
    # A record the reader rejects, and one that is too short: both must pass through in order.
    (root / "broken.jsonl").write_text('{"text": \nnot json\n{"text": "Too short."}\n')
    return [str(sample_dir().parent), str(root)]


def _snapshot(store: Store) -> dict[str, Any]:
    ids = [a.id for a in store.iter_articles()]
    stories = []
    offset = 0
    while page := store.list_stories(limit=200, offset=offset, order=StoryOrder.NEWEST):
        stories += [(s.id, s.title, s.articles, s.origins) for s in page]
        offset += len(page)
    stories.sort()
    copies = {aid: store.copy_of(aid) for aid in ids}
    return {"articles": ids, "stories": stories, "copies": copies}


def _run(sources: list[str], db: Path, executor: Executor, settings: Settings) -> dict[str, Any]:
    with open_store(str(db), settings) as store:
        try:
            stats = ingest(sources, store, settings, executor=executor)
        finally:
            executor.close()
        return {"stats": stats.summary(), **_snapshot(store)}


def test_ray_and_local_store_the_same(tmp_path: Path, ray_instance: None) -> None:
    sources = _corpus(tmp_path / "in")
    # Small sort windows and batches so ordering across chunk boundaries is exercised.
    settings = load_settings(db=str(tmp_path / "x.db"), workers=2).model_copy(
        update={"ingest_sort_window": 50, "ingest_batch": 16}
    )
    local = _run(sources, tmp_path / "local.db", LocalExecutor(settings, 2), settings)
    ex = make_executor("ray", settings, workers=2)
    ex.chunk_size = 16  # type: ignore[attr-defined]  # many chunks, several in flight
    via_ray = _run(sources, tmp_path / "ray.db", ex, settings)
    assert len(local["articles"]) > 300
    assert sum(1 for c in local["copies"].values() if c is not None) > 10
    assert max(len(s[2]) for s in local["stories"]) > 20
    assert "rejected 1 (empty 1), failed 2" in local["stats"]
    if (EVAL / "basil").exists():
        assert len(local["stories"]) > 40
    assert via_ray == local
    # A finished run started again through Ray skips every source and adds nothing.
    with open_store(str(tmp_path / "ray.db"), settings) as store:
        again = make_executor("ray", settings, workers=2)
        try:
            stats = ingest(sources, store, settings, executor=again)
        finally:
            again.close()
        assert (stats.new, stats.read) == (0, 0) and stats.skipped_sources > 5
        assert _snapshot(store) == {k: v for k, v in local.items() if k != "stats"}


def test_ray_and_local_store_the_same_in_halving_windows(
    tmp_path: Path, ray_instance: None
) -> None:
    """A run of single-document files, many windows long, ends in halving windows (see
    ``window_full``): the workers read the files, and the store is the pool's."""
    root = tmp_path / "in"
    root.mkdir()
    body = (sample_dir() / "ovpr.txt").read_text(encoding="utf-8")
    for i in range(160):
        day = 1 + (i * 7) % 20
        text = body.replace("November 18, 2026", f"November {day}, 2026").replace(
            "Sign up for our newsletter",
            f"Correction {i}: an earlier version of this story misstated the cleanup's cost.\n"
            "Sign up for our newsletter",
        )
        (root / f"a{i:03d}.txt").write_text(text)
    sources = sorted(str(p) for p in root.iterdir())
    settings = load_settings(db=str(tmp_path / "x.db"), workers=2).model_copy(
        update={"ingest_sort_window": 32, "ingest_batch": 8}
    )
    local = _run(sources, tmp_path / "local.db", LocalExecutor(settings, 2), settings)
    ex = make_executor("ray", settings, workers=2)
    assert ex.reads_files
    ex.chunk_size = 8  # type: ignore[attr-defined]
    assert _run(sources, tmp_path / "ray.db", ex, settings) == local
    assert "ingested 160 new" in local["stats"]


def _dies_on_poison(stage: ArticleStage, items: Sequence[StageInput]) -> list[StageResult]:
    if any(isinstance(i, RawDocument) and "poison" in i.origin for i in items):
        os._exit(1)  # what an OOM kill or a segfault in a parser looks like to Ray
    return [stage(i) for i in items]


def _doc(name: str, text: str) -> RawDocument:
    return RawDocument(origin=name, kind=SourceKind.TEXT, content=text, title=f"Title of {name}")


def test_dead_worker_costs_only_its_document(tmp_path: Path, ray_instance: None) -> None:
    from newsprism.corpus.ray_executor import RayExecutor

    settings = load_settings(db=str(tmp_path / "x.db"))
    body = (sample_dir() / "ovpr.txt").read_text(encoding="utf-8")
    docs: list[RawDocument | Failure] = [
        _doc(f"doc{i}.txt" if i != 5 else "poison.txt", body + f"\n\nNote {i}.") for i in range(8)
    ]
    ex = RayExecutor(settings, 2, chunk_size=4, max_retries=1, work=_dies_on_poison)
    try:
        out = list(ex.clean(docs))
    finally:
        ex.close()
    assert [o.origin for o in out] == [d.origin for d in docs]
    lost = out[5]
    assert isinstance(lost, Failure) and "worker" in lost.message and "poison.txt" in lost.message
    assert all(isinstance(o, Prepared) for i, o in enumerate(out) if i != 5), out
