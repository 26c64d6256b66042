"""Fit the slot scorer of the conflict detector on the *fit* part of BASIL, and choose its
thresholds.

Pairs and labels (all from fit-part events; check-part events are never loaded here):

* **one slot, different values**: planted edits. Every candidate of each edit generator
  (``bench/conflict_edits.py``, and ``bench/planted_edits.py``, written independently of the
  detector) is made into an edit with several seeds; the pair (edited value, partner value) is a
  positive;
* **one slot** and **two slots**, by reading: the natural-disagreement gold of the fit events
  (``bench/gold/conflicts_natural_fit.jsonl``): disagreements, agreements in other words and
  compatible pairs are positives, traps negatives;
* **two slots**: every other candidate pair of the unedited stories whose values cannot both hold
  (outlets seldom contradict each other: such pairs are nearly all different things).

A logistic regression over the features of :mod:`newsprism.compare.features` is fitted on them
(regularisation chosen by event-grouped cross-validation). Thresholds are chosen on out-of-fold
probabilities, running the detector's own decision (:func:`newsprism.compare.conflicts.decide`)
over the unedited stories and the edits: *possible* is the lowest threshold at which the
unedited fit stories show at most ``--false-possible`` false conflicts per story, *confirmed* the
same for ``--false-confirmed``.

Run: ``.venv/bin/python -m bench.fit_slots [--analysis-cache FILE]``; writes
``src/newsprism/compare/data/slot_model.json`` and prints the fit figures.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bench import natural_gold
from bench._common import eval_dir
from bench.conflict_edits import Doc, EditKind, find_candidates, make_edit
from bench.conflicts import _load_cache, _save_cache, clean, entity_spans, make_case
from bench.split import part
from newsprism.compare import scorer
from newsprism.compare.analysis import AnalysisCache, analyse_all
from newsprism.compare.conflicts import ValuePair, decide, value_pairs
from newsprism.compare.features import FEATURE_NAMES
from newsprism.compare.origins import find_origins
from newsprism.config import load_settings
from newsprism.model import Article, Span, ValueKind
from newsprism.nlp import Models

OUT = Path(__file__).resolve().parent.parent / "src" / "newsprism" / "compare" / "data"
#: The first generator's date edits are left out: it pairs a day with another outlet's same day
#: by shared words, and in these political stories that is often another event on that day
#: (the previous benchmark notes say so); the second generator's date and weekday pairs were
#: read and found right (bench/planted_edits.py).
VALUE_EDITS = frozenset({EditKind.COUNT, EditKind.MONEY, EditKind.PERCENT, EditKind.DURATION})


@dataclass(frozen=True)
class Stub:
    """What the decision reads of a side (kept when the dataset is saved)."""

    article: str
    value: Any
    sentence: str


@dataclass
class StoryPairs:
    """One story (unedited, or with one edit) and its candidate pairs, labelled where known:
    1 one slot, 0 two slots, None unknown (not used for fitting)."""

    event: str
    edited: bool
    pairs: list[ValuePair]
    labels: list[int | None]


def light(stories: list[StoryPairs]) -> list[StoryPairs]:
    """The stories with their sides reduced to :class:`Stub` (no analyses): small to save."""
    out = []
    for s in stories:
        stubs: dict[int, Stub] = {}

        def stub(side: Any, stubs: dict[int, Stub] = stubs) -> Stub:
            if id(side) not in stubs:
                sent = side.analysis.sentences[side.ctx.sentence].text
                stubs[id(side)] = Stub(side.article, side.value, sent)
            return stubs[id(side)]

        pairs = [replace(p, a=stub(p.a), b=stub(p.b)) for p in s.pairs]  # type: ignore[arg-type]
        out.append(StoryPairs(s.event, s.edited, pairs, s.labels))
    return out


def _overlaps(span: Span, article: str, lo: int, hi: int) -> bool:
    return span.source == article and span.start < hi and lo < span.end


def _find_in_clean(article: Article, mention: natural_gold.Mention) -> tuple[int, int] | None:
    """A gold mention (offsets into the raw text) found again in the cleaned text: its sentence,
    then its value inside it."""
    at = article.text.find(mention.sentence)
    if at < 0:
        return None
    inner = mention.sentence.find(mention.text)
    return at + inner, at + inner + len(mention.text)


def label_controls(
    event: str, pairs: list[ValuePair], arts: dict[str, Article], gold: list[Any]
) -> list[int | None]:
    """0 for disagreeing pairs, except those the gold reads as one slot; gold labels win."""
    labels: list[int | None] = [0 if p.disagree else None for p in pairs]
    for g in gold:
        if g.event != event or g.a.doc not in arts or g.b.doc not in arts:
            continue
        ra, rb = _find_in_clean(arts[g.a.doc], g.a), _find_in_clean(arts[g.b.doc], g.b)
        if ra is None or rb is None:
            continue
        y = 0 if g.label == "trap" else 1
        ida, idb = arts[g.a.doc].id, arts[g.b.doc].id
        for n, p in enumerate(pairs):
            va, vb = p.a.value.span, p.b.value.span
            if (_overlaps(va, ida, *ra) and _overlaps(vb, idb, *rb)) or (
                _overlaps(va, idb, *rb) and _overlaps(vb, ida, *ra)
            ):
                labels[n] = y
    return labels


_MAGNITUDES = frozenset({ValueKind.COUNT, ValueKind.MONEY, ValueKind.PERCENT, ValueKind.DURATION})


def label_edit(
    pairs: list[ValuePair],
    edited: str,
    gold: tuple[int, int],
    partner: str,
    prange: tuple[int, int],
) -> list[int | None]:
    """1 for the pair (edited value, partner value); the edited value's other pairs unknown (a
    third outlet may state the same fact); every other pair is a control pair, labelled there.

    No positive when the edit is not a clean disagreement: the edited article still states the
    partner's value elsewhere (it now contradicts itself), or the edited date names an event."""
    labels: list[int | None] = []
    for p in pairs:
        sides = (p.a, p.b)
        touches = [s for s in sides if _overlaps(s.value.span, edited, *gold)]
        if not touches:
            labels.append(None)  # scored in the unedited story already
            continue
        other = sides[1] if touches[0] is sides[0] else sides[0]
        labels.append(1 if _overlaps(other.value.span, partner, *prange) else None)
    for p in pairs:
        for x, y in ((p.a, p.b), (p.b, p.a)):
            if _overlaps(x.value.span, edited, *gold) and x.frame.event_name:
                return [None if y == 1 else y for y in labels]
            if (
                x.article == edited
                and x.value.kind in _MAGNITUDES
                and not _overlaps(x.value.span, edited, *gold)
                and _overlaps(y.value.span, partner, *prange)
                and not p.disagree
            ):
                # The edited article states the partner's figure elsewhere: it now contradicts
                # itself (a day named twice is often two events, so only figures count here).
                return [None if y == 1 else y for y in labels]
    return labels


def fit(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, seed: int = 0
) -> tuple[Any, np.ndarray, float]:
    """The regularisation with the best event-grouped cross-validated log loss, the model fitted
    on everything with it, and out-of-fold probabilities."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss
    from sklearn.model_selection import GroupKFold
    from sklearn.preprocessing import StandardScaler

    def make(c: float) -> Any:
        from sklearn.pipeline import make_pipeline

        return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000))

    folds = GroupKFold(n_splits=5)
    best: tuple[float, float, np.ndarray] | None = None
    for c in (0.01, 0.03, 0.1, 0.3, 1.0, 3.0):
        oof = np.zeros(len(y))
        for tr, te in folds.split(x, y, groups):
            m = make(c).fit(x[tr], y[tr])
            oof[te] = m.predict_proba(x[te])[:, 1]
        loss = log_loss(y, oof)
        print(f"  C={c:<5} grouped-CV log loss {loss:.4f}")
        if best is None or loss < best[0]:
            best = (loss, c, oof)
    assert best is not None
    _, c, oof = best
    return make(c).fit(x, y), oof, c


def with_probabilities(stories: list[StoryPairs], probs: dict[int, float]) -> list[list[ValuePair]]:
    return [
        [replace(p, probability=probs.get(id(p), p.probability)) for p in s.pairs] for s in stories
    ]


def evaluate(
    stories: list[StoryPairs], scored: list[list[ValuePair]], threshold: float
) -> tuple[float, float, int]:
    """(false conflicts per unedited story, recall on edits, edits) at ``threshold``."""
    false = controls = hit = edits = 0
    for s, pairs in zip(stories, scored, strict=True):
        chosen = {id(p) for p in decide(pairs, threshold)}
        labels = {id(p): y for p, y in zip(pairs, s.labels, strict=True)}
        if s.edited:
            if 1 not in s.labels:
                continue  # an edit that is not a clean disagreement (see label_edit)
            edits += 1
            hit += any(labels.get(i) == 1 for i in chosen)
        else:
            controls += 1
            false += sum(1 for i in chosen if labels.get(i) != 1)
    return false / max(1, controls), hit / max(1, edits), edits


def build_dataset(args: argparse.Namespace) -> tuple[list[StoryPairs], dict[str, Any]]:
    """Every fit-part story (unedited, and once per edit of either generator) with its candidate
    pairs, features and labels."""
    settings = load_settings()
    models = Models(settings)
    rows = [
        json.loads(line)
        for line in (eval_dir("basil") / "basil.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rows = [r for r in rows if part(r["cluster"]) == "fit"]  # never the check part
    events: dict[str, list[tuple[dict[str, Any], Article]]] = defaultdict(list)
    for row in rows:
        art = clean(row, row["text"], settings)
        if art is not None:
            events[row["cluster"]].append((row, art))
    arts = {row["id"]: a for ps in events.values() for row, a in ps}
    gold = natural_gold.load("fit")
    cache = _load_cache(args.analysis_cache) or AnalysisCache()

    def embed(words: Sequence[str]) -> Any:
        return models.embedder.encode(
            list(words), normalize_embeddings=True, show_progress_bar=False
        )

    neutral = scorer.neutral(FEATURE_NAMES)

    def story(articles: list[Article]) -> list[ValuePair]:
        analyses = analyse_all(articles, models, cache)
        origins = find_origins(analyses)
        originals = [a for a in analyses if origins.article_origin[a.article.id] == a.article.id]
        return value_pairs(originals, origins, embed, neutral)[1]

    stories: list[StoryPairs] = []
    for event, pairs in events.items():
        vp = story([a for _, a in pairs])
        stories.append(
            StoryPairs(
                event, False, vp, label_controls(event, vp, {r["id"]: a for r, a in pairs}, gold)
            )
        )
    print(f"{len(stories)} fit events, {sum(len(s.pairs) for s in stories)} control pairs")

    def add_edit(event: str, edit: Any, tag: str) -> None:
        row, original = by_id[edit.doc]
        case = make_case(event, edit, row, original, settings)
        if case is None:
            return
        articles = [case.article if a.id == original.id else a for _, a in events[event]]
        vp = story(articles)
        labels = label_edit(
            vp, case.article.id, (case.gold.start, case.gold.end), edit.partner, edit.partner_range
        )
        stories.append(StoryPairs(event, True, vp, labels))
        n_edits[f"{tag}:{edit.kind}"] += 1
        if sum(n_edits.values()) % 50 == 0:
            print(f"  {sum(n_edits.values())} edits, {time.perf_counter() - t0:.0f} s")

    t0 = time.perf_counter()
    ents = entity_spans(models, list(arts.values()))
    by_id = {a.id: (row, a) for ps in events.values() for row, a in ps}
    n_edits: Counter[str] = Counter()
    seeds = [int(x) for x in args.seeds.split(",")]
    for event, pairs in events.items():
        docs = {a.id: Doc(a.id, a.outlet or "", a.text, *ents[a.id]) for _, a in pairs}
        banned = frozenset(w.lower() for d in docs.values() for w in d.text.split())
        for cand in find_candidates(list(docs.values())):
            if cand.kind not in VALUE_EDITS:
                continue
            for seed in seeds:
                rng = random.Random(f"{seed}:{event}:{cand.a}:{cand.ma.start}")
                edit = make_edit(cand, docs, rng, banned=banned)
                if edit is not None:
                    add_edit(event, edit, "gen1")
    # The independent generator's edits of the same fit events (values only).
    from bench.conflicts import other_edits

    for event, edit in other_edits(events, seeds, models.spacy):
        if edit.kind not in ("name", "speaker"):
            add_edit(event, edit, "gen2")
    print(f"edits: {dict(sorted(n_edits.items()))}")
    out = light(stories), {"events": len(events), "edits": dict(sorted(n_edits.items()))}
    if args.analysis_cache is not None:
        _save_cache(args.analysis_cache, cache)
    return out


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="13,21,29", help="edit seeds, comma-separated")
    ap.add_argument("--analysis-cache", type=Path, default=None)
    ap.add_argument(
        "--dataset",
        type=Path,
        default=None,
        help="pickle of the labelled pairs: written when missing or stale, read otherwise",
    )
    ap.add_argument("--false-possible", type=float, default=0.25)
    ap.add_argument("--false-confirmed", type=float, default=0.1)
    ap.add_argument("--out", type=Path, default=OUT / "slot_model.json")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    import pickle

    stories: list[StoryPairs] | None = None
    if args.dataset is not None and args.dataset.exists():
        with args.dataset.open("rb") as fh:
            names, stories, info = pickle.load(fh)
        if tuple(names) != FEATURE_NAMES:
            print("dataset computed with other features: rebuilding")
            stories = None
    if stories is None:
        stories, info = build_dataset(args)
        if args.dataset is not None:
            with args.dataset.open("wb") as fh:
                pickle.dump((FEATURE_NAMES, stories, info), fh)

    xs, ys, gs, refs = [], [], [], []
    for s in stories:
        for p, y in zip(s.pairs, s.labels, strict=True):
            if y is not None:
                xs.append(p.features)
                ys.append(y)
                gs.append(s.event)
                refs.append(p)
    x, y = np.vstack(xs), np.asarray(ys)
    order = {e: i for i, e in enumerate(sorted(set(gs)))}
    groups = np.asarray([order[g] for g in gs])
    print(f"pairs for fitting: {len(y)} ({int(y.sum())} one slot, {int(len(y) - y.sum())} two)")
    model, oof, c = fit(x, y, groups)
    oof_probs = {id(p): float(q) for p, q in zip(refs, oof, strict=True)}

    # Thresholds on out-of-fold probabilities, through the detector's own decision. Pairs not
    # used for fitting (unknown labels) get the full model's probability.
    every = [p for s in stories for p in s.pairs]
    full = model.predict_proba(np.vstack([p.features for p in every]))[:, 1]
    probs = {id(p): float(q) for p, q in zip(every, full, strict=True)}
    probs.update(oof_probs)
    scored = with_probabilities(stories, probs)
    grid = [round(t, 3) for t in np.arange(0.2, 0.995, 0.01)]
    table = [(t, *evaluate(stories, scored, t)) for t in grid]
    possible = next((t for t, f, _, _ in table if f <= args.false_possible), grid[-1])
    confirmed = next((t for t, f, _, _ in table if f <= args.false_confirmed), grid[-1])
    confirmed = max(confirmed, possible)
    for t, f, r, n in table:
        if t in (possible, confirmed) or round(t * 100) % 10 == 0:
            print(f"  threshold {t:.2f}: false {f:.3f}/story, edit recall {r:.3f} ({n} edits)")

    scaler, lr = model.named_steps["standardscaler"], model.named_steps["logisticregression"]
    fitted = scorer.SlotModel(
        features=FEATURE_NAMES,
        mean=scaler.mean_,
        scale=scaler.scale_,
        coef=lr.coef_[0],
        intercept=float(lr.intercept_[0]),
        possible=possible,
        confirmed=confirmed,
        agree=confirmed,
        meta={
            "fitted_by": "bench/fit_slots.py",
            "data": "BASIL fit part (bench/split.py): edits of both generators, the natural gold "
            "of the fit events, every other pair of the unedited stories",
            **info,
            "pairs": {"one_slot": int(y.sum()), "two_slots": int(len(y) - y.sum())},
            "C": c,
            "targets": {
                "false_possible_per_story": args.false_possible,
                "false_confirmed_per_story": args.false_confirmed,
            },
        },
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(scorer.to_dict(fitted), indent=1) + "\n", encoding="utf-8")
    print("weights (standardised):")
    for name, w in sorted(zip(FEATURE_NAMES, lr.coef_[0], strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:<24} {w:+.3f}")
    print(f"possible >= {possible:.2f}, confirmed >= {confirmed:.2f}; wrote {args.out}")
    print(f"{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
