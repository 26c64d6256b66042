"""Write the README's Benchmarks table from the latest ``bench/results/*.json``.

Run after the bench scripts (``make bench`` does): ``.venv/bin/python -m bench.table``.
Each row shows newsprism's figure next to the reference run on the same data in the same run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._common import RESULTS, ROOT

Row = tuple[str, str, str, str, str]  # benchmark, data, newsprism, reference, goal


def _get(d: Any, *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def _f(x: Any, digits: int = 3) -> str:
    return "?" if x is None else f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def extraction(f: dict[str, Any]) -> list[Row]:
    c = _get(f, "check") or {}
    return [
        (
            "HTML extraction (`bench/extraction.py`)",
            f"article-extraction-benchmark, check part ({_get(c, 'pages')} of 181 pages; "
            f"fit part F1 {_f(_get(f, 'fit', 'newsprism', 'f1'))})",
            f"F1 {_f(_get(c, 'newsprism', 'f1'))}, {_f(_get(c, 'newsprism', 'pages_per_s'), 1)} pages/s",
            f"trafilatura {_get(f, 'trafilatura_version')} comments off: F1 "
            f"{_f(_get(c, 'trafilatura_comments_off', 'f1'))}, "
            f"{_f(_get(c, 'trafilatura_comments_off', 'pages_per_s'), 1)} pages/s; defaults: F1 "
            f"{_f(_get(c, 'trafilatura_default', 'f1'))}",
            "F1 >= 0.92 and above trafilatura with comments off, >= 0.9x its speed",
        )
    ]


def debris(f: dict[str, Any]) -> list[Row]:
    c = _get(f, "check") or {}
    return [
        (
            "Debris removal (`bench/debris.py`)",
            f"visible text of the same pages, check part ({_get(c, 'pages')} pages; fit part "
            f"recall {_f(_get(f, 'fit', 'ours', 'sentence_recall'))})",
            f"sentence recall {_f(_get(c, 'ours', 'sentence_recall'))}, debris removed "
            f"{_f(_get(c, 'ours', 'debris_removed_lines'))} (lines)",
            f"naive (>= 10 words + punctuation): "
            f"{_f(_get(c, 'baseline_10_words_punct', 'sentence_recall'))}, "
            f"{_f(_get(c, 'baseline_10_words_punct', 'debris_removed_lines'))}",
            "recall >= 0.99, removed >= 0.95",
        )
    ]


def segment(f: dict[str, Any]) -> list[Row]:
    ours, bf = f.get("ours", {}), f.get("blingfire", {})
    return [
        (
            "Sentence splitting (`bench/segment.py`)",
            "91 hand-made cases; BASIL sentences",
            f"cases exact {_f(_get(ours, 'cases', 'cases_exact'))}, BASIL F1 {_f(_get(ours, 'basil', 'f1'))}, "
            f"{ours.get('words_per_s', '?')} words/s",
            f"blingfire: {_f(_get(bf, 'cases', 'cases_exact'))}, {_f(_get(bf, 'basil', 'f1'))}, "
            f"{bf.get('words_per_s', '?')} words/s",
            "-",
        )
    ]


def quotes(f: dict[str, Any]) -> list[Row]:
    return [
        (
            "Quote speakers (`bench/quotes.py`)",
            "PolNeAR dev, direct quotes",
            f"accuracy {_f(_get(f, 'ours', 'speaker_accuracy') or _get(f, 'speaker_accuracy'))}",
            f"nearest person: {_f(_get(f, 'baseline_nearest_person', 'speaker_accuracy'))}",
            ">= 0.90",
        )
    ]


def conflicts(f: dict[str, Any]) -> list[Row]:
    """Check part first (events never fitted on), the fit part beside it."""
    rows = []

    def edits(system: str, p: str) -> str:
        o = _get(f, system, "by_part", p, "conflict_or_update", "overall") or {}
        return f"R {_f(o.get('recall'))} P {_f(o.get('precision'))}"

    def false(system: str, p: str) -> str:
        return _f(_get(f, system, "by_part", p, "false_conflicts_per_story"), 2)

    def natural(system: str, p: str) -> str:
        n = _get(f, "natural", system, p) or {}
        return (
            f"natural R {_f(n.get('recall'))} ({n.get('disagreements', '?')}), traps/agreements "
            f"flagged {_f(n.get('flagged_share'))}"
        )

    parts = f.get("parts", {})
    for system, label in (("newsprism", "all shown"), ("newsprism_confirmed", "confirmed")):
        if system not in f:
            continue
        ours = "; ".join(
            f"{p}: generator 1 {edits(system, p)}, generator 2 {edits(system + '_gen2', p)}, "
            f"{false(system, p)} false/story, {natural(system, p)}"
            for p in ("check", "fit")
        )
        rows.append(
            (
                f"Conflicts, {label} (`bench/conflicts.py`)",
                f"BASIL check {parts.get('check', '?')} / fit {parts.get('fit', '?')} events; "
                f"{f.get('edits', '?')} + {f.get('edits_generator2', '?')} planted edits; "
                "natural gold read by hand",
                ours,
                f"bag-of-words (check): generator 1 {edits('baseline', 'check')}, generator 2 "
                f"{edits('baseline_gen2', 'check')}, {false('baseline', 'check')} false/story",
                "check: R >= 0.9 each generator, natural R >= 0.8, <= 0.1 false/story, "
                "<= 5% traps flagged",
            )
        )
    place = f.get("newsprism_place_edits")
    if place:
        rows.append(
            (
                "Conflicts, places (`bench/conflicts.py`, separate pass)",
                "BASIL seeded place edits",
                "; ".join(
                    f"{p}: P {_f((place.get(p) or {}).get('precision'))}, "
                    f"R {_f((place.get(p) or {}).get('recall'))} of {(place.get(p) or {}).get('edits')}"
                    for p in ("check", "fit")
                ),
                "bag-of-words: compares numbers only (R 0)",
                "P, R >= 0.9",
            )
        )
    return rows


def clustering(f: dict[str, Any]) -> list[Row]:
    rows = []
    for name in ("basil", "wikiref220"):
        ours = _get(f, name, "ours") or {}
        base = _get(f, name, "baseline_tuned_on_same_data") or {}
        rows.append(
            (
                "Story clustering (`bench/clustering.py`)",
                name,
                f"BCubed F1 {_f(ours.get('f1'))}, {ours.get('stories', '?')} stories",
                f"TF-IDF + agglomerative (tuned here): {_f(base.get('f1'))}, {base.get('stories', '?')}",
                ">= 0.97 on BASIL" if name == "basil" else "-",
            )
        )
    return rows


def brief(f: dict[str, Any]) -> list[Row]:
    rows = []
    budgets = f.get("budgets", {})
    for label, r in f.items():
        if label == "budgets":
            continue
        cold = f"cold {r['newsprism_cold_s']} s, " if "newsprism_cold_s" in r else ""
        lr_cold = f"cold {r['lexrank_cold_s']} s, " if "lexrank_cold_s" in r else ""
        rows.append(
            (
                "Brief speed (`bench/brief.py`)",
                label,
                f"{cold}warm {r['newsprism_warm_s']} s ({r.get('warm_ratio', '?')}x LexRank)",
                f"sumy LexRank: {lr_cold}warm {r['lexrank_warm_s']} s",
                "; ".join(f"{k} <= {v['budget']}" for k, v in budgets.items())
                if r.get("articles") == 10
                else "-",
            )
        )
    return rows


def dedup(f: dict[str, Any]) -> list[Row]:
    o, ref = f.get("ours", {}), f.get("reference_exact_hash", {})

    def pr(d: dict[str, Any], kind: str) -> str:
        return f"{kind} P {_f(_get(d, kind, 'precision'))} R {_f(_get(d, kind, 'recall'))}"

    return [
        (
            "Wire copies (`bench/dedup.py`)",
            f"{f.get('articles', '?')} articles: BASIL + WikiRef220 with copies made by code",
            f"{pr(o, 'full')}; {pr(o, 'partial')}",
            f"exact hash of normalised text: {pr(ref, 'full')}",
            "P, R >= 0.95 for full and partial copies",
        )
    ]


def ingest(f: dict[str, Any]) -> list[Row]:
    rows = []
    for kind in ("plain", "html"):
        runs = _get(f, kind, "runs") or {}
        figs = ", ".join(f"{n}: {r['articles_per_s']}/s" for n, r in runs.items())
        ref = (
            f"trafilatura alone (1 process): {_get(f, kind, 'reference_trafilatura_alone_1_process', 'pages_per_s')} pages/s"
            if kind == "html"
            else f"read + insert only: {_get(f, kind, 'reference_read_and_insert_only', 'articles_per_s')}/s"
        )
        rows.append(
            (
                "Ingest (`bench/ingest.py`)",
                f"{kind}, varied real articles, {f.get('workers')} workers",
                f"{figs}; 10k/1k time per article x{_get(f, kind, 'time_per_article_ratio_big_over_small')}",
                ref,
                ">= 200/s plain; >= 80% of trafilatura; x <= 1.2",
            )
        )
    return rows


def serve(f: dict[str, Any]) -> list[Row]:
    b = _get(f, "story_pages_and_briefs", "brief") or {}
    ref = _get(f, "reference_static_file", "static") or {}
    return [
        (
            "Web load (`bench/serve.py`)",
            f"{_get(f, 'corpus', 'stored_articles')} articles, 50 clients, 30 s",
            f"brief: {b.get('rps')} req/s, p50 {b.get('p50_ms')} ms, p99 {b.get('p99_ms')} ms, {b.get('errors')} errors",
            f"static file: {ref.get('rps')} req/s, p99 {ref.get('p99_ms')} ms",
            "0 errors, p99 < 500 ms",
        )
    ]


def scale(f: dict[str, Any]) -> list[Row]:
    runs = f.get("runs", {})

    def fig(mode: str) -> str:
        r = runs.get(mode, {})
        return f"{mode} {r.get('articles_per_s')}/s (x{r.get('speed_up_vs_one_process')})"

    return [
        (
            "Scale (`bench/scale.py`)",
            f"{f.get('articles')} varied real articles, 2 workers",
            f"{fig('local')}; {fig('ray')}",
            f"one process {runs.get('serial', {}).get('articles_per_s')}/s",
            "ray within 10% of local; both >= 1.8x one process",
        )
    ]


def claims(f: dict[str, Any]) -> list[Row]:
    rows = []
    for key, name, what in (
        ("fact_pairs", "corroborated pairs", "same_claim"),
        ("summary_citations", "summary citations", "support_fully"),
        ("details", "single-source details", "single_source"),
    ):
        c, ft = _get(f, "check", "all", key) or {}, _get(f, "fit", "all", key) or {}
        rows.append(
            (
                f"Same claim: {name} (`bench/claims.py`)",
                f"BASIL + WikiRef220 briefs, check part, read by hand ({_get(c, 'read')} read; "
                f"fit part {_f(_get(ft, what))})",
                f"{_f(_get(c, what))}",
                (
                    f"same-claim model on the fit gold pairs: precision "
                    f"{_f(_get(f, 'fit', 'gold_pairs', 'model', 'precision'))} at recall "
                    f"{_f(_get(f, 'fit', 'gold_pairs', 'model', 'recall'), 2)}; MiniLM cosine at "
                    f"that recall {_f(_get(f, 'fit', 'gold_pairs', 'cosine_same_recall', 'precision'))}"
                    f"; the old rule (cosine >= 0.68) "
                    f"{_f(_get(f, 'fit', 'gold_pairs', 'cosine_old_rule', 'precision'))}"
                    if key == "fact_pairs"
                    else "-"
                ),
                ">= 0.95",
            )
        )
    return rows


BENCHES: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "extraction": extraction,
    "debris": debris,
    "segment": segment,
    "quotes": quotes,
    "conflicts": conflicts,
    "claims": claims,
    "clustering": clustering,
    "dedup": dedup,
    "ingest": ingest,
    "brief": brief,
    "serve": serve,
    "scale": scale,
}


def main() -> None:
    rows: list[Row] = []
    for name, fn in BENCHES.items():
        path = RESULTS / f"{name}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        for row in fn(data["figures"]):
            rows.append((*row[:4], f"{row[4]} ({data['date'][:10]})"))
    lines = [
        "| benchmark | data | newsprism | reference (same run) | goal (run date) |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    readme = Path(ROOT / "README.md")
    text = readme.read_text()
    new = re.sub(
        r"<!-- bench-table -->.*<!-- /bench-table -->",
        "<!-- bench-table -->\n" + "\n".join(lines) + "\n<!-- /bench-table -->",
        text,
        flags=re.DOTALL,
    )
    readme.write_text(new)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
