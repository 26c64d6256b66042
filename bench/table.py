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
    return [
        (
            "HTML extraction (`bench/extraction.py`)",
            "article-extraction-benchmark, 181 pages",
            f"F1 {_f(_get(f, 'newsprism', 'f1'))}, {_f(_get(f, 'newsprism', 'pages_per_s'), 1)} pages/s",
            f"trafilatura {_get(f, 'trafilatura_default', 'version')}: F1 {_f(_get(f, 'trafilatura_default', 'f1'))}, "
            f"{_f(_get(f, 'trafilatura_default', 'pages_per_s'), 1)} pages/s",
            "F1 >= 0.970, >= 80% of trafilatura's speed",
        )
    ]


def debris(f: dict[str, Any]) -> list[Row]:
    return [
        (
            "Debris removal (`bench/debris.py`)",
            "visible text of the same 181 pages",
            f"sentence recall {_f(_get(f, 'ours', 'sentence_recall'))}, debris removed "
            f"{_f(_get(f, 'ours', 'debris_removed_lines'))} (lines)",
            f"naive (>= 10 words + punctuation): {_f(_get(f, 'baseline_10_words_punct', 'sentence_recall'))}, "
            f"{_f(_get(f, 'baseline_10_words_punct', 'debris_removed_lines'))}",
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
    rows = []
    base = _get(f, "baseline", "conflict_only", "overall") or {}
    for system, label in (("newsprism_confirmed", "confirmed"), ("newsprism", "with possible")):
        o = _get(f, system, "conflict_or_update", "overall") or {}
        rows.append(
            (
                f"Conflicts, {label} (`bench/conflicts.py`)",
                f"BASIL, {f.get('edits', '?')} seeded edits + {f.get('clusters', '?')} controls",
                f"P {_f(o.get('precision'))}, R {_f(o.get('recall'))}, "
                f"{_f(_get(f, system, 'false_conflicts_per_story'), 2)} false/story",
                f"bag-of-words: P {_f(base.get('precision'))}, R {_f(base.get('recall'))}, "
                f"{_f(_get(f, 'baseline', 'false_conflicts_per_story'), 2)} false/story",
                "P, R >= 0.9; <= 0.1 false/story",
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


BENCHES: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "extraction": extraction,
    "debris": debris,
    "segment": segment,
    "quotes": quotes,
    "conflicts": conflicts,
    "clustering": clustering,
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
