"""Throughput of the whole ingest path (read, clean, wire copies, stories, SQLite), at 1k and 10k.

Corpora are made by varying real articles (fixed seed): plain text from BASIL and WikiRef220
bodies, HTML from the 181 pages of the article-extraction benchmark. Each plain variant gets a new
headline, a shuffled middle and a closing paragraph of its own, each HTML variant a new title and
its number in every paragraph, so every one is a distinct article (they are often near-copies of their base, which the wire-copy index then links: a
realistic load for it). Every run starts from an empty store.

Reported: articles/s for each size, the time per article at 10k over that at 1k (linear cost
means about 1), and peak memory. References in the same run, on the same files:
* HTML: ``trafilatura.extract`` alone, one process (the goal: ingest at >= 80% of it);
* plain text: the floor of reading the files and inserting them into SQLite, no processing.

Run: ``.venv/bin/python -m bench.ingest [--sizes 1000 10000] [--workers 2]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._common import eval_dir, write_results


def _plain_bases() -> list[tuple[str, str]]:
    out = []
    for line in (eval_dir("basil") / "basil.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        out.append((row.get("title") or "Untitled", row["text"]))
    for path in sorted((eval_dir("wikiref220") / "docs").glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8", errors="replace").partition("\n")
        if len(body.split()) > 150:
            out.append((title.strip(), body))
    return out


def _html_bases() -> list[str]:
    return [
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((eval_dir("article-extraction-benchmark") / "html").glob("*.html"))
    ]


def make_plain(n: int, root: Path, rng: random.Random) -> list[Path]:
    bases = _plain_bases()
    root.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        title, body = bases[i % len(bases)]
        paras = [p for p in re.split(r"\n\s*\n|\n", body) if p.strip()]
        if len(paras) > 4:
            middle = paras[1:-1]
            rng.shuffle(middle)
            paras = [paras[0], *middle, paras[-1]]
        paras.append(
            f"Reporting for this version, number {i}, was completed on day {rng.randint(1, 28)} of the month."
        )
        path = root / f"a{i:06d}.txt"
        path.write_text(f"{title} (edition {i})\n" + "\n".join(paras) + "\n", encoding="utf-8")
        files.append(path)
    return files


def make_html(n: int, root: Path, rng: random.Random) -> list[Path]:
    bases = _html_bases()
    root.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        page = bases[i % len(bases)]
        # Every paragraph gets the variant's number, so each variant's cleaned text (and id)
        # differs from its base's wherever extraction takes its body from.
        page = page.replace("</p>", f" (Edition {i}.)</p>")
        page = re.sub(
            r"<title>(.*?)</title>",
            lambda m, i=i: f"<title>{m.group(1)} (edition {i})</title>",
            page,
            count=1,
            flags=re.S,
        )
        path = root / f"p{i:06d}.html"
        path.write_text(page, encoding="utf-8")
        files.append(path)
    return files


def run_ingest(files: list[Path], workers: int, db: Path) -> dict[str, Any]:
    from newsprism.config import load_settings
    from newsprism.corpus.executors import make_executor
    from newsprism.corpus.ingest import ingest
    from newsprism.store import open_store

    settings = load_settings(db=str(db), workers=workers)
    with open_store(settings.db, settings) as store:
        ex = make_executor("local", settings)
        t = time.perf_counter()
        try:
            stats = ingest([str(f) for f in files], store, settings, executor=ex)
        finally:
            ex.close()
        elapsed = time.perf_counter() - t
    return {
        "articles": len(files),
        "seconds": round(elapsed, 2),
        "articles_per_s": round(len(files) / elapsed, 1),
        "ms_per_article": round(1000 * elapsed / len(files), 3),
        "new": stats.new,
        "copies": stats.copies,
        "stories": stats.stories_created,
        "rejected": sum(stats.rejected.values()),
        "failed": stats.failed,
    }


def floor_plain(files: list[Path], db: Path) -> dict[str, Any]:
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (name TEXT, body TEXT)")
    t = time.perf_counter()
    with con:
        con.executemany(
            "INSERT INTO t VALUES (?, ?)", ((f.name, f.read_text(encoding="utf-8")) for f in files)
        )
    elapsed = time.perf_counter() - t
    con.close()
    return {"articles_per_s": round(len(files) / elapsed, 1)}


def trafilatura_alone(files: list[Path]) -> dict[str, Any]:
    import trafilatura

    pages = [f.read_text(encoding="utf-8") for f in files]
    trafilatura.extract(pages[0])
    t = time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    elapsed = time.perf_counter() - t
    return {"pages": len(pages), "pages_per_s": round(len(pages) / elapsed, 1)}


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reference-pages", type=int, default=1000, help="pages for trafilatura alone")
    args = ap.parse_args()
    rng = random.Random(13)
    tmp = Path(tempfile.mkdtemp(prefix="newsprism-ingest-bench-"))
    figures: dict[str, Any] = {"workers": args.workers}
    try:
        for kind, maker in (("plain", make_plain), ("html", make_html)):
            rows = {}
            for n in args.sizes:
                files = maker(n, tmp / f"{kind}{n}", rng)
                rows[str(n)] = run_ingest(files, args.workers, tmp / f"{kind}{n}.db")
                print(f"{kind:5} {n:>6}: {rows[str(n)]}")
            small, big = rows[str(min(args.sizes))], rows[str(max(args.sizes))]
            figures[kind] = {
                "runs": rows,
                "time_per_article_ratio_big_over_small": round(
                    big["ms_per_article"] / small["ms_per_article"], 3
                ),
            }
            ref_files = sorted((tmp / f"{kind}{min(args.sizes)}").iterdir())
            if kind == "plain":
                figures[kind]["reference_read_and_insert_only"] = floor_plain(
                    ref_files, tmp / "floor.db"
                )
            else:
                ref = trafilatura_alone(ref_files[: args.reference_pages])
                figures[kind]["reference_trafilatura_alone_1_process"] = ref
                figures[kind]["share_of_trafilatura_speed"] = round(
                    small["articles_per_s"] / ref["pages_per_s"], 3
                )
        figures["peak_memory_mb"] = peak_mb()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(f"{'input':6} {'size':>6} {'art/s':>8} {'ms/art':>8}")
    for kind in ("plain", "html"):
        for n, r in figures[kind]["runs"].items():
            print(f"{kind:6} {n:>6} {r['articles_per_s']:>8} {r['ms_per_article']:>8}")
        print(
            f"{kind:6} time per article, {max(args.sizes)} vs {min(args.sizes)}: x{figures[kind]['time_per_article_ratio_big_over_small']}"
        )
    print(
        f"plain  reference (read + insert only): {figures['plain']['reference_read_and_insert_only']['articles_per_s']} art/s"
    )
    print(
        f"html   reference (trafilatura alone, 1 process): {figures['html']['reference_trafilatura_alone_1_process']['pages_per_s']} pages/s;"
        f" ingest at {figures['html']['share_of_trafilatura_speed']:.0%} of it with {args.workers} workers"
    )
    print(f"peak memory {figures['peak_memory_mb']} MB")
    print("written:", write_results("ingest", figures))


if __name__ == "__main__":
    main()
