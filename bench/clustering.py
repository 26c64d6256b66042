"""Story clustering: newsprism's incremental clusterer against a tuned TF-IDF + agglomerative baseline.

Data (read from ../shared/eval, never copied):
- BASIL: every article of basil.jsonl in one stream sorted by date (ties shuffled with a fixed
  seed); the gold label is the event (``cluster``). Our parameters were NOT tuned on it.
- WikiRef220: docs/*.txt (first line title, then body) with labels.tsv. It has no dates: the files
  are shuffled with a fixed seed and all get one fixed date, so every story stays inside the time
  window (the hardest case for candidate retrieval). The gold is the topic; each of the 35 noise
  documents is its own gold singleton. Its topics are coarse ("Premier League"), so an event-level
  clusterer is expected to split them: read its recall as topic recall.

- Development streams (what the defaults were tuned on, with WikiRef220): the ClaimDiff-S train
  split rebuilt as articles (each article = its title + the claim sentences quoted from it, dated
  with the pair's date; gold = the ClaimDiff topic, one event covered by two outlets; 186
  articles, 93 events), and the same stream squeezed into seven days ("dense") to test precision
  when many events are active at once. The test splits of ClaimDiff are not read.

Metrics: BCubed precision / recall / F1 (per item, averaged over items) and the number of stories.
The baseline (scikit-learn TfidfVectorizer over title + text, AgglomerativeClustering with cosine
distance, average linkage and a distance threshold) has its threshold swept on each set and the
best F1 reported: it is tuned on the same data it is scored on. It sees no dates.

Speed: time per article of ``StoryClusterer.add`` (sketch + retrieval + decision) on BASIL at 1x
and at 10x (ten copies with new ids, each shifted by 11 years so that copies never share a window),
to show the cost does not grow with the corpus; and the whole of WikiRef (all stories active).

Run: .venv/bin/python -m bench.clustering
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import datetime, timedelta
from typing import Any

from bench._common import eval_dir, write_results
from newsprism.clean import clean_document
from newsprism.cluster import ClusterParams, StoryClusterer
from newsprism.config import load_settings
from newsprism.model import Article, RawDocument, SourceKind, StoryEventKind

SEED = 13
WIKIREF_DATE = "2016-01-01"


def bcubed(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 (Bagga & Baldwin 1998), averaged over items."""
    pairs = Counter(zip(pred, gold, strict=True))
    p_size = Counter(pred)
    g_size = Counter(gold)
    n = len(pred)
    precision = sum(pairs[(p, g)] / p_size[p] for p, g in zip(pred, gold, strict=True)) / n
    recall = sum(pairs[(p, g)] / g_size[g] for p, g in zip(pred, gold, strict=True)) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_basil() -> tuple[list[Article], list[str], int]:
    settings = load_settings()
    rows = [
        json.loads(line)
        for line in (eval_dir("basil") / "basil.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    random.Random(SEED).shuffle(rows)
    rows.sort(key=lambda r: r["date"])  # stable: ties keep the shuffled order
    arts, gold, rejected = [], [], 0
    for r in rows:
        raw = RawDocument(
            origin=r["id"],
            kind=SourceKind.TEXT,
            content=r["text"],
            url=r.get("url"),
            title=r.get("title"),
            outlet=r.get("outlet"),
            published=r["date"],
        )
        a = clean_document(raw, settings)
        if isinstance(a, Article):
            arts.append(a)
            gold.append(r["cluster"])
        else:
            rejected += 1
    return arts, gold, rejected


def load_wikiref() -> tuple[list[Article], list[str], int]:
    settings = load_settings()
    base = eval_dir("wikiref220")
    rows = [
        line.split("\t")
        for line in (base / "labels.tsv").read_text(encoding="utf-8").splitlines()[1:]
        if line.strip()
    ]
    random.Random(SEED).shuffle(rows)
    arts, gold, rejected = [], [], 0
    for name, topic, noise in rows:
        text = (base / "docs" / name).read_text(encoding="utf-8", errors="replace")
        title, _, body = text.partition("\n")
        raw = RawDocument(
            origin=name,
            kind=SourceKind.TEXT,
            content=body,
            title=title.strip() or None,
            published=WIKIREF_DATE,
        )
        a = clean_document(raw, settings)
        if isinstance(a, Article):
            arts.append(a)
            gold.append(f"noise:{name}" if noise.strip() == "1" else topic)
        else:
            rejected += 1
    return arts, gold, rejected


def load_claimdiff_dev() -> tuple[list[Article], list[str]]:
    path = eval_dir("claimdiff") / "ClaimDiff-S" / "ClaimDiff-strength-train.json"
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    claims: dict[tuple[str, str], list[str]] = {}
    dates: dict[tuple[str, str], str] = {}
    for pair in data:
        for side in "ab":
            key = (pair["topic"], pair[f"article_{side}"])
            got = claims.setdefault(key, [])
            if pair[f"claim_{side}"] not in got:
                got.append(pair[f"claim_{side}"])
            dates[key] = pair["date"]
    keys = sorted(claims)
    random.Random(SEED).shuffle(keys)
    keys.sort(key=lambda k: dates[k])
    arts = []
    for i, key in enumerate(keys):
        text = "\n\n".join(claims[key])
        arts.append(
            Article(
                id=f"claimdiff-{i}",
                origin=key[1],
                kind=SourceKind.TEXT,
                text=text,
                paragraphs=(),
                title=key[1],
                published=datetime.fromisoformat(dates[key]),
            )
        )
    return arts, [k[0] for k in keys]


def squeezed(arts: Sequence[Article], days: float) -> list[Article]:
    """The same stream, in the same order, spread evenly over ``days`` days."""
    start = arts[0].published or datetime(2020, 1, 1)
    step = days / max(1, len(arts))
    return [replace(a, published=start + timedelta(days=i * step)) for i, a in enumerate(arts)]


def run_ours(arts: Sequence[Article], params: ClusterParams) -> tuple[list[str], float, Any]:
    cl = StoryClusterer(params)
    t0 = time.perf_counter()
    for a in arts:
        cl.add(a)
    elapsed = time.perf_counter() - t0
    pred = [cl.story_of(a.id) or "" for a in arts]
    return pred, elapsed, cl


def run_baseline(arts: Sequence[Article], gold: Sequence[str]) -> dict[str, Any]:
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    t0 = time.perf_counter()
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [f"{a.title or ''}\n{a.text}" for a in arts]
    )
    dense = x.toarray()
    vec_time = time.perf_counter() - t0
    sweep = []
    for t in np.round(np.arange(0.30, 1.0, 0.025), 3):
        t1 = time.perf_counter()
        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=float(t)
        ).fit_predict(dense)
        fit_time = time.perf_counter() - t1
        p, r, f = bcubed([str(v) for v in labels], gold)
        sweep.append(
            {
                "threshold": float(t),
                "precision": p,
                "recall": r,
                "f1": f,
                "stories": len(set(labels)),
                "seconds": vec_time + fit_time,
            }
        )
    best = max(sweep, key=lambda s: s["f1"])
    return {"best": best, "sweep": sweep}


def figures_for(
    pred: Sequence[str], gold: Sequence[str], elapsed: float, cl: StoryClusterer | None
) -> dict[str, Any]:
    p, r, f = bcubed(pred, gold)
    out: dict[str, Any] = {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "stories": len(set(pred)),
        "gold_stories": len(set(gold)),
        "articles": len(pred),
        "seconds": round(elapsed, 4),
        "ms_per_article": round(1000 * elapsed / max(1, len(pred)), 4),
        "articles_per_s": round(len(pred) / elapsed, 1) if elapsed else None,
    }
    if cl is not None:
        out["merges"] = sum(1 for e in cl.events if e.kind is StoryEventKind.MERGE)
    return out


def replicated(
    arts: Sequence[Article], gold: Sequence[str], k: int
) -> tuple[list[Article], list[str]]:
    """``k`` copies of the stream, each with new ids and shifted by 11 years per copy."""
    out_a: list[Article] = []
    out_g: list[str] = []
    for c in range(k):
        shift = timedelta(days=4018 * c)
        for a, g in zip(arts, gold, strict=True):
            published = a.published + shift if a.published else None
            out_a.append(replace(a, id=f"{a.id}#{c}", published=published))
            out_g.append(f"{g}#{c}")
    return out_a, out_g


def main() -> None:
    params = ClusterParams()
    results: dict[str, Any] = {"params": asdict(params)}

    basil, basil_gold, basil_rej = load_basil()
    wiki, wiki_gold, wiki_rej = load_wikiref()

    print(
        f"BASIL: {len(basil)} articles ({basil_rej} rejected by cleaning), "
        f"{len(set(basil_gold))} events; params not tuned on it"
    )
    pred, el, cl = run_ours(basil, params)
    ours_basil = figures_for(pred, basil_gold, el, cl)
    base_basil = run_baseline(basil, basil_gold)
    nowin, el2, cl2 = run_ours(basil, replace(params, window_days=100000.0))
    ours_basil_nowin = figures_for(nowin, basil_gold, el2, cl2)
    results["basil"] = {
        "ours": ours_basil,
        "ours_without_time_window": ours_basil_nowin,
        "baseline_tuned_on_same_data": base_basil["best"],
        "baseline_sweep": base_basil["sweep"],
        "rejected": basil_rej,
    }

    print(
        f"WikiRef220: {len(wiki)} docs ({wiki_rej} rejected), {len(set(wiki_gold))} gold labels "
        f"(noise docs as singletons), one date for all"
    )
    pred_w, el_w, cl_w = run_ours(wiki, params)
    ours_wiki = figures_for(pred_w, wiki_gold, el_w, cl_w)
    base_wiki = run_baseline(wiki, wiki_gold)
    cd, cd_gold = load_claimdiff_dev()
    dev_sets = {
        "wikiref220": (wiki, wiki_gold),
        "claimdiff_train": (cd, cd_gold),
        "claimdiff_train_dense": (squeezed(cd, 7.0), cd_gold),
    }
    wiki_sweep = []
    for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.4):
        row_t: dict[str, Any] = {"threshold": t}
        for dev_name, (d_arts, d_gold) in dev_sets.items():
            pw, ew, cw = run_ours(d_arts, replace(params, threshold=t))
            row_t[dev_name] = figures_for(pw, d_gold, ew, cw)
        row_t["mean_f1"] = round(sum(row_t[n]["f1"] for n in dev_sets) / len(dev_sets), 4)
        wiki_sweep.append(row_t)
    results["dev_threshold_sweep"] = wiki_sweep
    results["wikiref220"] = {
        "ours": ours_wiki,
        "baseline_tuned_on_same_data": base_wiki["best"],
        "baseline_sweep": base_wiki["sweep"],
        "rejected": wiki_rej,
    }

    # Scaling: the cost per article must not grow with the corpus.
    scale: dict[str, Any] = {}
    for k in (1, 10):
        arts_k, gold_k = replicated(basil, basil_gold, k)
        pk, ek, ck = run_ours(arts_k, params)
        scale[f"{k}x"] = figures_for(pk, gold_k, ek, ck)
    results["scaling_basil"] = scale
    sketch_sizes = [len(cl.sketch(a)) for a in basil]
    results["sketch_bytes_mean"] = round(sum(sketch_sizes) / len(sketch_sizes), 1)

    def row(name: str, f: dict[str, Any]) -> str:
        return (
            f"  {name:<44} P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}  "
            f"stories {f['stories']:>4}"
        )

    for setname, block in (("BASIL", results["basil"]), ("WikiRef220", results["wikiref220"])):
        print(f"\n{setname} (gold stories: {block['ours']['gold_stories']})")
        print(row("newsprism (defaults)", block["ours"]))
        if "ours_without_time_window" in block:
            print(row("newsprism, no time window", block["ours_without_time_window"]))
        b = block["baseline_tuned_on_same_data"]
        print(row(f"TF-IDF+agglomerative, TUNED here (t={b['threshold']})", b))
        print(
            f"  newsprism: {block['ours']['ms_per_article']:.3f} ms/article "
            f"({block['ours']['articles_per_s']} articles/s, clustering only); "
            f"baseline {b['seconds']:.2f} s for the whole set at its best threshold"
        )
    print("\nnewsprism threshold on the development streams (the defaults were chosen on these):")
    print("  threshold  F1 WikiRef220  F1 ClaimDiff-train  F1 ClaimDiff-dense  mean")
    for s in wiki_sweep:
        print(
            f"  {s['threshold']:<9}  {s['wikiref220']['f1']:<13.3f} "
            f"{s['claimdiff_train']['f1']:<19.3f} {s['claimdiff_train_dense']['f1']:<19.3f} "
            f"{s['mean_f1']:.3f}"
        )
    print("\nScaling (BASIL replicated, copies 11 years apart):")
    for k, f in scale.items():
        print(
            f"  {k:>4}: {f['articles']} articles, {f['ms_per_article']:.3f} ms/article, "
            f"F1 {f['f1']:.3f}"
        )
    print(f"\nsketch size: {results['sketch_bytes_mean']} bytes per article on average")
    path = write_results("clustering", results)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
