"""Same claim, not same words: are the brief's corroborations, summary citations and
single-source details right? Read against gold made by hand from BASIL events.

Gold (``bench/gold/same_claim_<part>.jsonl``), one judgment a line, each side giving the BASIL
article id, the sentence's offsets in the cleaned text and the sentence itself:

* ``kind: "pair"``: two sentences of different outlets, labelled ``same`` (both state the same
  main claim, with compatible values), ``partial`` (they share a claim, but it is not the main
  point of both), ``related`` (same topic, different claims) or ``contradict`` (the same claim
  with values or polarity that cannot both hold);
* ``kind: "citation"``: a summary sentence (``a``) and a sentence it cites (``b``), labelled
  ``full`` (the cited sentence states the summary sentence's claim), ``partial`` or ``none``;
* ``kind: "detail"``: a sentence shown as a single-source detail (``a``), labelled ``single``
  (no other outlet of the event states its claim) or ``elsewhere`` (``b`` states it).

The fit part's pairs were sampled from candidate sentence pairs of fit events and read to fit the
claim model (``fit`` below); the fit part's brief items were read to set its thresholds. The
check part's gold was read once, after the rules were final, from the briefs of check events.

Figures: per part, the share of the brief's corroborated pairs (representative, supporting
sentence) that state the same claim, of summary citations that support their sentence fully and
of single-source details that are single-source; items of the briefs that the gold does not
cover are counted as unread. Beside them, the reference: plain MiniLM cosine similarity as the
same-claim judgment (what the brief used before), scored on the gold pairs at the recall the
model reaches there, and the same briefs' items had the cosine rule picked them.

Run:  ``.venv/bin/python -m bench.claims [--analysis-cache F]``           score both parts
      ``.venv/bin/python -m bench.claims fit [--analysis-cache F]``       fit compare/data/claim_model.json
      ``.venv/bin/python -m bench.claims pending --part P --out F``       brief items not in the gold
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bench._common import ROOT, eval_dir, write_results
from bench.conflicts import _analysis_code_digest, clean
from bench.split import Part, part
from newsprism.clean import clean_document
from newsprism.compare import claims
from newsprism.compare.analysis import AnalysisCache, analyse_all
from newsprism.compare.brief import build_brief
from newsprism.compare.conflicts import value_pairs
from newsprism.compare.facts import MIN_CLAIM_WORDS, MIN_SHARED_WORDS, align
from newsprism.compare.origins import copy_links, find_origins
from newsprism.config import Settings, load_settings
from newsprism.dedup.copies import CopyParams
from newsprism.model import Article, Brief, RawDocument, SourceKind, Span
from newsprism.nlp import Models

GOLD = ROOT / "bench" / "gold"
MODEL_PATH = ROOT / "src" / "newsprism" / "compare" / "data" / "claim_model.json"
PARTS: tuple[Part, ...] = ("fit", "check")

#: The cosine threshold of the alignment before the claim judgment: the reference.
COSINE_RULE = 0.68
#: WikiRef220's five real topics (two single events, three running stories), and the size of
#: their briefs.
WIKIREF_TOPICS = (
    "ParisAttacks2015",
    "malaysia.airlines.flight",
    "samsung.galaxy.s5",
    "michelle.obama",
    "premier.league",
)
WIKIREF_BRIEF = 5

Side = tuple[str, str]  # (BASIL article id, sentence text)


def _norm(text: str) -> str:
    return " ".join(text.split())


def side_key(raw: dict[str, Any]) -> Side:
    return (raw["doc"], _norm(raw["text"]))


def pair_key(a: Side, b: Side) -> frozenset[Side]:
    return frozenset((a, b))


@dataclass
class Gold:
    pairs: dict[frozenset[Side], str]
    citations: dict[tuple[Side, Side], str]
    details: dict[Side, str]
    rows: list[dict[str, Any]]


def load_gold(p: Part) -> Gold:
    path = GOLD / f"same_claim_{p}.jsonl"
    g = Gold({}, {}, {}, [])
    if not path.exists():
        return g
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        g.rows.append(r)
        if r["kind"] == "pair":
            g.pairs[pair_key(side_key(r["a"]), side_key(r["b"]))] = r["label"]
        elif r["kind"] == "citation":
            g.citations[(side_key(r["a"]), side_key(r["b"]))] = r["label"]
        elif r["kind"] == "detail":
            g.details[side_key(r["a"])] = r["label"]
    return g


# -- the events -------------------------------------------------------------------------------


@dataclass
class Events:
    by_event: dict[str, list[Article]]
    doc_of: dict[str, str]  # article id -> BASIL id or WikiRef220 file name
    part_of: dict[str, Part]
    cache: AnalysisCache


def wikiref_events(settings: Settings) -> tuple[dict[str, list[Article]], dict[str, Part]]:
    """Briefs of five articles on one story, as the issue measured them (five outlets): each of
    WikiRef220's real topics, each part's articles (by file name) in groups of five, in name
    order."""
    base = eval_dir("wikiref220")
    names = [
        line.split("\t")
        for line in (base / "labels.tsv").read_text(encoding="utf-8").splitlines()[1:]
        if line.strip()
    ]
    events: dict[str, list[Article]] = {}
    part_of: dict[str, Part] = {}
    for topic in WIKIREF_TOPICS:
        files = sorted(n for n, t, *_ in names if t == topic)
        for p in PARTS:
            arts = []
            for name in (f for f in files if part(f) == p):
                text = (base / "docs" / name).read_text(encoding="utf-8", errors="replace")
                title, _, body = text.partition("\n")
                raw = RawDocument(
                    origin=name, kind=SourceKind.TEXT, content=body, title=title.strip() or None
                )
                art = clean_document(raw, settings)
                if isinstance(art, Article):
                    arts.append(art)
            for k in range(0, len(arts) - WIKIREF_BRIEF + 1, WIKIREF_BRIEF):
                event = f"wikiref:{topic}:{p}:{k // WIKIREF_BRIEF}"
                events[event] = arts[k : k + WIKIREF_BRIEF]
                part_of[event] = p
    return events, part_of


def load_events(settings: Settings, cache_path: Path | None) -> Events:
    rows = [
        json.loads(line)
        for line in (eval_dir("basil") / "basil.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    by_event: dict[str, list[Article]] = defaultdict(list)
    doc_of = {}
    for row in rows:
        art = clean(row, row["text"], settings)
        if art is None:
            print(f"rejected by cleaning: {row['id']}", file=sys.stderr)
            continue
        by_event[row["cluster"]].append(art)
        doc_of[art.id] = row["id"]
    part_of = {e: part(e) for e in by_event}
    wiki, wiki_parts = wikiref_events(settings)
    by_event.update(wiki)
    part_of.update(wiki_parts)
    doc_of.update({a.id: a.origin for arts in wiki.values() for a in arts})
    cache = AnalysisCache()
    if cache_path is not None and cache_path.exists():
        with cache_path.open("rb") as fh:
            digest, stored = pickle.load(fh)
        if digest == _analysis_code_digest():
            cache = stored
            print(f"reusing {len(cache.items)} cached analyses from {cache_path}")
    return Events(dict(by_event), doc_of, part_of, cache)


def save_cache(ev: Events, cache_path: Path | None) -> None:
    if cache_path is not None:
        with cache_path.open("wb") as fh:
            pickle.dump((_analysis_code_digest(), ev.cache), fh)


def _embedder(models: Models) -> claims.Embed:
    def embed(words: Sequence[str]) -> Any:
        return models.embedder.encode(
            list(words), normalize_embeddings=True, show_progress_bar=False
        )

    return embed


# -- fitting the claim model on the fit gold's pairs ------------------------------------------


def gold_features(
    ev: Events, models: Models, settings: Settings, rows: Iterable[dict[str, Any]]
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """The feature rows of gold pairs, computed as the brief computes them."""
    by_event: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["kind"] == "pair":
            by_event[r["event"]].append(r)
    xs, kept = [], []
    embed = _embedder(models)
    for event, items in by_event.items():
        analyses = analyse_all(ev.by_event[event], models, ev.cache)
        origins = find_origins(analyses, copy_links(analyses, CopyParams.from_settings(settings)))
        refs = [(i, s.index) for i, a in enumerate(analyses) for s in a.sentences]
        at = {(ev.doc_of[analyses[i].article.id], _norm(analyses[i].sentences[s].text)): k
              for k, (i, s) in enumerate(refs)}  # fmt: skip
        emb = np.vstack([a.embeddings for a in analyses if len(a.sentences)])
        _, vp = value_pairs(analyses, origins, embed)
        story = claims.ClaimStory(
            analyses, refs, emb @ emb.T, claims.value_evidence(analyses, refs, vp), embed
        )
        pairs = []
        for r in items:
            i, j = at.get(side_key(r["a"])), at.get(side_key(r["b"]))
            if i is None or j is None:
                print(f"gold pair not found in the cleaned text: {r['a']['doc']}", file=sys.stderr)
                continue
            pairs.append((min(i, j), max(i, j)))
            kept.append(r)
        story.prepare(pairs)
        story.prepare_words(pairs)
        xs += [claims.features(story, i, j) for i, j in pairs]
    return np.vstack(xs), kept


def _fit_logistic(x: np.ndarray, y: np.ndarray, c: float) -> claims.Logistic:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
    return claims.Logistic(mean, scale, lr.coef_[0].copy(), float(lr.intercept_[0]))


def out_of_fold(
    x: np.ndarray, y: np.ndarray, groups: Sequence[str], c: float, folds: int = 5
) -> np.ndarray:
    """Probabilities of each pair from a model fitted without its event (grouped k-fold)."""
    from sklearn.model_selection import GroupKFold

    p = np.zeros(len(y))
    for train, test in GroupKFold(folds).split(x, y, list(groups)):
        p[test] = _fit_logistic(x[train], y[train], c).probability(x[test])
    return p


def threshold_at(p: np.ndarray, y: np.ndarray, precision: float, least: int = 10) -> float:
    """The lowest probability at which the pairs at or above it are at least ``precision``
    right (of ``least`` pairs or more): the threshold that keeps most at that precision."""
    order = np.argsort(-p)
    hits = np.cumsum(y[order])
    prec = hits / np.arange(1, len(y) + 1)
    ok = [k for k in range(least - 1, len(y)) if prec[k] >= precision]
    return float(p[order][max(ok)]) if ok else 1.0


def _log_loss(p: np.ndarray, y: np.ndarray) -> float:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))


def fit(args: argparse.Namespace) -> None:
    """Fit both judgments on the fit gold's pairs; the regularisation and the corroborating and
    citing thresholds are chosen on out-of-fold probabilities (folds grouped by event), so a
    threshold reflects events the model was not fitted on."""
    settings = load_settings()
    models = Models(settings)
    ev = load_events(settings, args.analysis_cache)
    gold = load_gold("fit")
    x, rows = gold_features(ev, models, settings, gold.rows)
    save_cache(ev, args.analysis_cache)
    labels = np.array([r["label"] for r in rows])
    events = [str(r["event"]) for r in rows]
    y_same = (labels == "same").astype(int)
    y_shared = np.isin(labels, ["same", "partial"]).astype(int)
    losses = {c: _log_loss(out_of_fold(x, y_same, events, c), y_same) for c in args.Cs}
    c = min(losses, key=lambda k: losses[k])
    oof = out_of_fold(x, y_same, events, c)
    corroborate = threshold_at(oof, y_same, args.precision)
    cite = max(corroborate, args.cite)
    chosen = oof >= corroborate
    print(
        f"C by out-of-fold log loss {dict((k, round(v, 4)) for k, v in losses.items())}: {c}; "
        f"out of fold at {corroborate:.3f}: precision {y_same[chosen].mean():.3f}, recall "
        f"{y_same[chosen].sum() / y_same.sum():.3f}"
    )
    same = _fit_logistic(x, y_same, c)
    shared = _fit_logistic(x, y_shared, c)
    m = claims.ClaimModel(
        features=claims.FEATURE_NAMES,
        same=same,
        shared=shared,
        corroborate=round(corroborate, 4),
        cite=round(cite, 4),
        stated=args.stated,
        conflict=args.conflict,
        meta={
            "fitted_by": "bench/claims.py fit",
            "data": "BASIL fit part (bench/split.py): gold pairs of bench/gold/same_claim_fit.jsonl",
            "pairs": dict(Counter(str(x) for x in labels)),
            "C": c,
            "thresholds": (
                f"corroborate: {args.precision} precision out of fold (5 folds by event); "
                "cite and stated: read off the fit part's citation and detail gold"
            ),
            "out_of_fold": {
                "precision": round(float(y_same[chosen].mean()), 4),
                "recall": round(float(y_same[chosen].sum() / y_same.sum()), 4),
            },
        },
    )
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    MODEL_PATH.write_text(json.dumps(claims.model_to_dict(m), indent=2) + "\n", encoding="utf-8")
    print(
        f"wrote {MODEL_PATH.relative_to(ROOT)} from {len(rows)} pairs {dict(Counter(str(x) for x in labels))}"
    )
    for name, lg in (("same", same), ("shared", shared)):
        order = np.argsort(-np.abs(lg.coef))
        print(name, " ".join(f"{claims.FEATURE_NAMES[i]}:{lg.coef[i]:+.2f}" for i in order))


# -- the brief's items ------------------------------------------------------------------------


@dataclass
class Items:
    """What one brief shows that the gold judges, as gold keys; and the sentence pairs of other
    origins that the judgment says state one claim but the brief does not show as a fact (one
    sentence per article, and every pair of a fact states its claim, so some are left out)."""

    fact_pairs: list[tuple[Side, Side]]
    citations: list[tuple[Side, Side]]
    details: list[Side]
    judged: list[tuple[Side, Side]] = field(default_factory=list)
    #: Fact groups two of whose members are sides of one of the brief's conflicts (state
    #: different values of one slot): the invariant says none.
    value_clashes: int = 0


def brief_items(b: Brief, doc_of: dict[str, str]) -> Items:
    texts = {s.id: s.text for s in b.sources}

    def side(span: Span) -> Side:
        return (doc_of[span.source], _norm(texts[span.source][span.start : span.end]))

    facts = [(side(f.span), side(s)) for f in b.facts for s in f.support]
    cites = [(side(c.span), side(s)) for c in b.summary for s in c.support]
    return Items(facts, cites, [side(d.span) for d in b.details], value_clashes=value_clashes(b))


def value_clashes(b: Brief) -> int:
    """Fact groups holding two sentences that the brief's conflicts say give different values of
    one slot."""
    n = 0
    for f in b.facts:
        members = {f.span, *f.support}
        if any(
            sum(1 for side in c.sides if any(_overlaps(side.sentence, m) for m in members)) > 1
            for c in b.conflicts
        ):
            n += 1
    return n


def _overlaps(a: Span, b: Span) -> bool:
    return a.source == b.source and a.start < b.end and b.start < a.end


def briefs(ev: Events, models: Models, settings: Settings, p: Part) -> dict[str, Brief]:
    out = {}
    for event, arts in ev.by_event.items():
        if ev.part_of[event] == p:
            out[event] = build_brief(arts, models=models, settings=settings, cache=ev.cache)
    return out


def judged_same(
    ev: Events, models: Models, settings: Settings, event: str, m: claims.ClaimModel
) -> list[tuple[Side, Side]]:
    """Sentence pairs of different origins that the judgment says state one claim (the rule a
    fact's pairs pass), whether or not the brief shows them."""
    analyses = analyse_all(ev.by_event[event], models, ev.cache)
    origins = find_origins(analyses, copy_links(analyses, CopyParams.from_settings(settings)))
    embed = _embedder(models)
    _, vp = value_pairs(analyses, origins, embed)
    al = align(analyses, origins, vp, embed=embed, model=m)
    out = []
    for (i, j), v in al.judged.items():
        ri, rj = al.refs[i], al.refs[j]
        si, sj = (
            analyses[ri.article].sentences[ri.sentence],
            analyses[rj.article].sentences[rj.sentence],
        )
        oi = origins.sentence_origin[(analyses[ri.article].article.id, ri.sentence)]
        oj = origins.sentence_origin[(analyses[rj.article].article.id, rj.sentence)]
        if (
            v.same >= m.corroborate
            and not v.excluded
            and oi != oj
            and min(len(si.text.split()), len(sj.text.split())) >= MIN_CLAIM_WORDS
            and len(
                analyses[ri.article].lemmas[ri.sentence] & analyses[rj.article].lemmas[rj.sentence]
            )
            >= MIN_SHARED_WORDS
        ):
            out.append(
                (
                    (ev.doc_of[analyses[ri.article].article.id], _norm(si.text)),
                    (ev.doc_of[analyses[rj.article].article.id], _norm(sj.text)),
                )
            )
    return out


def part_items(
    ev: Events, models: Models, settings: Settings, p: Part, m: claims.ClaimModel
) -> dict[str, Items]:
    out = {}
    for e, b in briefs(ev, models, settings, p).items():
        it = brief_items(b, ev.doc_of)
        shown = {pair_key(a, c) for a, c in it.fact_pairs}
        it.judged = [
            (a, c)
            for a, c in judged_same(ev, models, settings, e, m)
            if pair_key(a, c) not in shown
        ]
        out[e] = it
    return out


def _wiki(event: str) -> bool:
    return event.startswith("wikiref:")


def _share(labels: Sequence[str], good: str) -> float | None:
    return round(sum(1 for x in labels if x == good) / len(labels), 4) if labels else None


def score_part(items: dict[str, Items], gold: Gold) -> dict[str, Any]:
    fact_labels, cite_labels, detail_labels, judged_labels = [], [], [], []
    unread: Counter[str] = Counter()
    n = Counter()
    for it in items.values():
        n["value_clashes"] += it.value_clashes
        for a, b in it.fact_pairs:
            n["fact_pairs"] += 1
            lab = gold.pairs.get(pair_key(a, b))
            if lab is None:
                unread["fact_pairs"] += 1
            else:
                fact_labels.append(lab)
        for a, b in it.citations:
            n["citations"] += 1
            lab = gold.citations.get((a, b))
            if lab is None:
                unread["citations"] += 1
            else:
                cite_labels.append(lab)
        for d in it.details:
            n["details"] += 1
            lab = gold.details.get(d)
            if lab is None:
                unread["details"] += 1
            else:
                detail_labels.append(lab)
        for a, b in it.judged:
            n["judged"] += 1
            lab = gold.pairs.get(pair_key(a, b))
            if lab is None:
                unread["judged_pairs"] += 1
            else:
                judged_labels.append(lab)
    both = fact_labels + judged_labels
    return {
        "events": len(items),
        "fact_groups_with_clashing_values": n["value_clashes"],
        "fact_pairs": {
            "shown": n["fact_pairs"],
            "read": len(fact_labels),
            "same_claim": _share(fact_labels, "same"),
            "labels": dict(Counter(fact_labels)),
        },
        "judged_pairs_not_shown": {
            "count": n["judged"],
            "read": len(judged_labels),
            "same_claim": _share(judged_labels, "same"),
            "labels": dict(Counter(judged_labels)),
        },
        "all_pairs_judged_same": {
            "read": len(both),
            "same_claim": _share(both, "same"),
        },
        "summary_citations": {
            "shown": n["citations"],
            "read": len(cite_labels),
            "support_fully": _share(cite_labels, "full"),
            "labels": dict(Counter(cite_labels)),
        },
        "details": {
            "shown": n["details"],
            "read": len(detail_labels),
            "single_source": _share(detail_labels, "single"),
            "labels": dict(Counter(detail_labels)),
        },
        "unread": dict(unread),
    }


def pair_judgment(
    ev: Events, models: Models, settings: Settings, gold: Gold, m: claims.ClaimModel
) -> dict[str, Any]:
    """The model and the cosine reference as classifiers of the gold pairs (same or not)."""
    rows = [r for r in gold.rows if r["kind"] == "pair"]
    if not rows:
        return {}
    x, kept = gold_features(ev, models, settings, rows)
    y = np.array([r["label"] == "same" for r in kept])
    p = m.same.probability(x)
    sim = x[:, claims.FEATURE_NAMES.index("similarity")]
    chosen = p >= m.corroborate
    recall = float(y[chosen].sum() / max(y.sum(), 1))
    # The cosine threshold that keeps as many true pairs as the model does.
    order = np.sort(sim[y])[::-1]
    k = max(round(recall * y.sum()) - 1, 0)
    t_ref = float(order[k]) if len(order) else 1.0
    ref = sim >= t_ref
    rule = sim >= COSINE_RULE

    def prec(sel: np.ndarray) -> float | None:
        return round(float(y[sel].mean()), 4) if sel.any() else None

    return {
        "pairs": len(kept),
        "same": int(y.sum()),
        "model": {
            "threshold": m.corroborate,
            "precision": prec(chosen),
            "recall": round(recall, 4),
        },
        "cosine_same_recall": {"threshold": round(t_ref, 4), "precision": prec(ref)},
        "cosine_old_rule": {
            "threshold": COSINE_RULE,
            "precision": prec(rule),
            "recall": round(float(y[rule].sum() / max(y.sum(), 1)), 4),
        },
    }


def score(args: argparse.Namespace) -> None:
    t0 = time.perf_counter()
    settings = load_settings()
    models = Models(settings)
    ev = load_events(settings, args.analysis_cache)
    m = claims.load()
    figures: dict[str, Any] = {"model": claims.model_to_dict(m)["thresholds"]}
    for p in PARTS:
        gold = load_gold(p)
        items = part_items(ev, models, settings, p, m)
        figures[p] = {
            "all": score_part(items, gold),
            "basil": score_part({e: i for e, i in items.items() if not _wiki(e)}, gold),
            "wikiref220": score_part({e: i for e, i in items.items() if _wiki(e)}, gold),
            "gold_pairs": pair_judgment(ev, models, settings, gold, m),
        }
    save_cache(ev, args.analysis_cache)
    figures["seconds"] = round(time.perf_counter() - t0, 1)
    print(f"{'':36s} {'fit':>24s} {'check':>24s}")
    for section, key in (
        ("fact_pairs", "same_claim"),
        ("all_pairs_judged_same", "same_claim"),
        ("summary_citations", "support_fully"),
        ("details", "single_source"),
    ):
        for subset in ("all", "basil", "wikiref220"):
            cells = []
            for p in PARTS:
                f = figures[p][subset][section]
                shown = f.get("shown", "")
                cells.append(
                    f"{f[key]} ({f['read']}/{shown} read)"
                    if shown != ""
                    else f"{f[key]} ({f['read']} read)"
                )
            print(f"{section + ' ' + subset:36s} {cells[0]:>24s} {cells[1]:>24s}")
    for p in PARTS:
        print(
            f"{p}: fact pairs per event {figures[p]['all']['fact_pairs']['shown'] / max(figures[p]['all']['events'], 1):.2f}; "
            f"fact groups whose members give different values of one slot (a conflict's sides): "
            f"{figures[p]['all']['fact_groups_with_clashing_values']}"
        )
        gp = figures[p]["gold_pairs"]
        if gp:
            print(
                f"{p} gold pairs ({gp['pairs']}, {gp['same']} same): model precision "
                f"{gp['model']['precision']} at recall {gp['model']['recall']}; cosine at that "
                f"recall {gp['cosine_same_recall']['precision']}; old cosine rule "
                f"{gp['cosine_old_rule']['precision']} at recall {gp['cosine_old_rule']['recall']}"
            )
    out = write_results("claims", figures)
    print(f"wrote {out.relative_to(ROOT)}")


def pending(args: argparse.Namespace) -> None:
    """The items of one part's briefs that its gold does not judge yet, for reading."""
    settings = load_settings()
    models = Models(settings)
    ev = load_events(settings, args.analysis_cache)
    gold = load_gold(args.part)
    texts = {a.id: a for arts in ev.by_event.values() for a in arts}
    by_doc = {ev.doc_of[k]: a for k, a in texts.items()}
    out = []
    for event, b in briefs(ev, models, settings, args.part).items():
        it = brief_items(b, ev.doc_of)
        for a, c in it.fact_pairs:
            if pair_key(a, c) not in gold.pairs:
                out.append(
                    {"event": event, "kind": "pair", "a": _side(by_doc, a), "b": _side(by_doc, c)}
                )
        for a, c in it.citations:
            if (a, c) not in gold.citations:
                out.append(
                    {
                        "event": event,
                        "kind": "citation",
                        "a": _side(by_doc, a),
                        "b": _side(by_doc, c),
                    }
                )
        for d in it.details:
            if d not in gold.details:
                out.append({"event": event, "kind": "detail", "a": _side(by_doc, d)})
    save_cache(ev, args.analysis_cache)
    with args.out.open("w", encoding="utf-8") as fh:
        for r in out:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(out)} items not in the {args.part} gold: {dict(Counter(r['kind'] for r in out))}")


def _side(by_doc: dict[str, Article], s: Side) -> dict[str, Any]:
    doc, text = s
    art = by_doc[doc]
    start = art.text.find(text)
    return {"doc": doc, "start": start, "end": start + len(text), "text": text,
            "date": art.published.date().isoformat() if art.published else None}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("command", nargs="?", default="score", choices=["score", "fit", "pending"])
    ap.add_argument("--analysis-cache", type=Path, default=None)
    ap.add_argument("--part", choices=PARTS, default="fit")
    ap.add_argument("--out", type=Path, default=Path("claims_pending.jsonl"))
    ap.add_argument(
        "--Cs",
        type=lambda v: [float(c) for c in v.split(",")],
        default=[0.03, 0.1, 0.3, 1.0],
        help="inverse regularisations to choose from, by out-of-fold log loss",
    )
    # The brief shows a pair only if it also shares content words and every pair of its group
    # passes: its pairs are surer than the gold pairs at one threshold (fit part, read: 0.92 out
    # of fold on the gold pairs, threshold 0.75, is 0.969 of the 97 pairs the fit briefs show).
    ap.add_argument("--precision", type=float, default=0.92, help="out of fold, corroborating")
    # Read off the fit part's citation gold: at 0.9 the same model's citations are 0.956 right
    # (43 of 45), below it 0.94 or less; out of fold the gold pairs give no surer threshold.
    ap.add_argument("--cite", type=float, default=0.9)
    # Read off the fit part's detail gold against the 8 nearest sentences elsewhere (125 read):
    # 0.1 keeps 72, 3 of them stated elsewhere; 0.2 keeps 113, 10 stated elsewhere.
    ap.add_argument("--stated", type=float, default=0.1)
    ap.add_argument("--conflict", type=float, default=0.5)
    args = ap.parse_args(argv)
    {"score": score, "fit": fit, "pending": pending}[args.command](args)


if __name__ == "__main__":
    main()
