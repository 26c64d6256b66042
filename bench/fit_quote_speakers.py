"""Fit the speaker model of :mod:`newsprism.compare.speakers` on PolNeAR dev and the *fit* part of
train (``bench/split.py``); the check part of train is never loaded here.

For every gold direct quote (``bench/quotes.py``: a Content span that opens with a quote mark)
the predicted quote that overlaps it most is taken, and each of that quote's speaker candidates
(as :func:`newsprism.compare.quotes.extract_quotes` gathers them) is labelled right when its
mention overlaps the annotated Source span (a Source/Cue swap is read the right way round;
annotations with no usable Source are left out). Labels are mention-level on purpose: PolNeAR has
no coreference gold, so what a pronoun stands for is left to the resolver and not learned from the
benchmark's stand-in.

A logistic regression over the candidates' features is fitted (class-balanced, regularisation
chosen by document-grouped 5-fold cross-validation on top-1 accuracy per quote); the quotes
whose candidates include no right one count as misses for every setting. The candidates are
gathered twice: with the rules' choices, then with the first model's choices (a choice changes
the salience and the paragraph speakers the later quotes see), and the model is refitted.

Run: ``.venv/bin/python -m bench.fit_quote_speakers [--doc-cache DIR]``; writes
``src/newsprism/compare/data/speaker_model.json`` and prints the cross-validated figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from bench._common import eval_dir
from bench.quotes import Gold, gold_quotes, overlap, parse, read_ann, swapped
from bench.split import part
from newsprism.compare import speakers
from newsprism.compare.quotes import SpeakerTrace, extract_quotes
from newsprism.config import load_settings
from newsprism.nlp import Models

OUT = Path(__file__).resolve().parent.parent / "src" / "newsprism" / "compare" / "data"
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)


def gold_source(g: Gold) -> tuple[tuple[int, int], ...] | None:
    """The annotated speaker's span pieces, a swapped Source/Cue put right; None when the
    annotation names no speaker."""
    if not g.usable or g.source is None:
        return None
    if g.cue is not None and swapped(g.source, g.cue):
        return g.cue.pieces
    return g.source.pieces


def documents() -> list[tuple[str, Path, str]]:
    """(split, root, name) of dev and of train's fit part."""
    out: list[tuple[str, Path, str]] = []
    for split in ("dev", "train"):
        root = eval_dir("polnear") / split
        for p in sorted((root / "text").glob("*.txt")):
            if split == "dev" or part(p.stem) == "fit":
                out.append((split, root, p.stem))
    return out


@dataclass(frozen=True)
class Row:
    """One gold quote's candidates: features (n, d) and labels (n,)."""

    doc: str
    quote: tuple[int, int]
    spans: tuple[tuple[int, int], ...]
    x: np.ndarray
    y: np.ndarray


def gather(
    nlp: Any, docs: Sequence[tuple[str, Path, str]], cache: Path | None, model: Any
) -> list[Row]:
    """The candidates of every gold quote some predicted quote overlaps."""
    rows: list[Row] = []
    for split, root, name in docs:
        anns = sorted((root / "attributions").glob(f"{name}_*.ann"))
        if not anns:
            continue
        text = (root / "text" / f"{name}.txt").read_text(encoding="utf-8")
        doc = parse(nlp, text, cache / f"{split}-{name}.spacy" if cache else None)
        trace: SpeakerTrace = []
        extract_quotes(text, name, doc, rules_only=model is None, model=model, trace=trace)
        spans, events = read_ann(anns[0])
        for g in gold_quotes(doc, spans, events):
            source = gold_source(g)
            if source is None:
                continue
            best: tuple[tuple[int, int], list[Any]] | None = None
            best_ov = 0
            for quote, cands in trace:
                ov = sum(overlap(quote, p) for p in g.content.pieces)
                if ov > best_ov:
                    best, best_ov = (quote, cands), ov
            if best is None or not best[1]:
                continue
            quote, cands = best
            x = np.array(
                [[f.get(k, 0.0) for k in speakers.FEATURES] for _, f in cands], dtype=np.float64
            )
            y = np.array([any(overlap(span, p) > 0 for p in source) for span, _ in cands])
            rows.append(Row(f"{split}/{name}", quote, tuple(s for s, _ in cands), x, y))
    return rows


def top1(model: LogisticRegression, rows: Sequence[Row]) -> float:
    """The share of quotes whose best-scoring candidate is a right one."""
    right = sum(bool(r.y[int(np.argmax(model.decision_function(r.x)))]) for r in rows)
    return right / len(rows) if rows else 0.0


def fit(rows: Sequence[Row], c: float) -> LogisticRegression:
    x = np.vstack([r.x for r in rows])
    y = np.concatenate([r.y for r in rows])
    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y)


def standardised(rows: Sequence[Row]) -> tuple[list[Row], np.ndarray, np.ndarray]:
    x = np.vstack([r.x for r in rows])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    return [replace(r, x=(r.x - mean) / scale) for r in rows], mean, scale


def cross_validate(rows: Sequence[Row]) -> dict[float, float]:
    """Top-1 accuracy per quote out of fold (document-grouped folds), per C."""
    folds = list(GroupKFold(n_splits=5).split(rows, groups=[r.doc for r in rows]))
    out: dict[float, float] = {}
    for c in C_GRID:
        right = 0
        for train, test in folds:
            m = fit([rows[i] for i in train], c)
            right += round(top1(m, [rows[i] for i in test]) * len(test))
        out[c] = right / len(rows)
    return out


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--doc-cache", type=Path, help="spaCy parses kept here (see bench/quotes.py)")
    ap.add_argument("--out", type=Path, default=OUT / "speaker_model.json")
    args = ap.parse_args(argv)

    nlp = Models(load_settings()).spacy
    docs = documents()
    model: speakers.SpeakerModel | None = None
    meta: dict[str, Any] = {}
    for round_ in (1, 2):
        rows = gather(nlp, docs, args.doc_cache, model)
        usable = [r for r in rows if r.y.any()]
        rule_col = speakers.FEATURES.index("rule")
        rule_right = sum(bool(r.y[r.x[:, rule_col] == 1].any()) for r in usable)
        std_rows, mean, scale = standardised(usable)
        cv = cross_validate(std_rows)
        best_c = max(cv, key=lambda c: (cv[c], -c))
        lr = fit(std_rows, best_c)
        print(
            f"round {round_}: {len(rows)} gold quotes with candidates, {len(usable)} with a right "
            f"one ({len(usable) / len(rows):.3f}); mean {np.mean([len(r.y) for r in rows]):.1f} "
            f"candidates"
        )
        print(f"  the rules' pick is right on {rule_right / len(usable):.4f} of them")
        print("  cross-validated top-1: " + ", ".join(f"C={c}: {a:.4f}" for c, a in cv.items()))
        print(f"  in-sample top-1 at C={best_c}: {top1(lr, std_rows):.4f}")
        meta = {
            "fitted_on": "PolNeAR dev + train fit part (bench/split.py), first annotator",
            "label": "candidate mention overlaps the gold Source span",
            "gold_quotes_with_candidates": len(rows),
            "with_a_right_candidate": len(usable),
            "rules_pick_right": round(rule_right / len(usable), 4),
            "cv_top1": {str(c): round(a, 4) for c, a in cv.items()},
            "C": best_c,
            "round": round_,
        }
        model = speakers.SpeakerModel(
            speakers.FEATURES, mean, scale, lr.coef_[0].copy(), float(lr.intercept_[0]), meta
        )
    assert model is not None
    args.out.write_text(json.dumps(speakers.to_dict(model), indent=1) + "\n", encoding="utf-8")
    for f, w in sorted(zip(model.features, model.coef, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {f:20} {w:+.3f}")
    print("written:", args.out)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
