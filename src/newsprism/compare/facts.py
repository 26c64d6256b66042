"""Aligning sentences across sources into fact groups, and what follows from them: corroborated
facts, single-origin details and the extractive summary.

A fact group holds at most one sentence per article: sentence pairs from different articles are
merged greedily, most similar first (a constrained single-link clustering), so a chain of loosely
similar sentences cannot drag two statements of one article into the same fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsprism.compare.analysis import Analysis
from newsprism.compare.origins import Origins
from newsprism.model import Cited, Span

#: Cosine similarity (MiniLM) above which two sentences of different articles state the same fact,
#: provided they also share content words (embeddings alone pair sentences on the same topic).
ALIGN_SIM = 0.68
ALIGN_MIN_SHARED = 3
#: Above this similarity two shared content words are enough (short sentences).
ALIGN_SURE_SIM = 0.8
#: Below this similarity to every sentence of every other origin, a sentence is single-origin.
UNIQUE_MAX_SIM = 0.55
MIN_DETAIL_WORDS = 7


@dataclass(frozen=True, slots=True)
class SentRef:
    article: int  # index into the analyses
    sentence: int


@dataclass(slots=True)
class FactGroup:
    members: list[SentRef]
    origins: set[str]
    representative: SentRef
    cohesion: float


@dataclass(frozen=True, slots=True)
class Alignment:
    refs: list[SentRef]
    sims: np.ndarray  # (n, n) cosine similarities between all sentences of all articles
    groups: list[FactGroup]
    group_of: dict[SentRef, int]
    centrality: np.ndarray  # (n,) mean similarity to sentences of other articles
    position: dict[SentRef, int]  # refs[position[r]] == r: a dict, not refs.index (O(n) a call)


def _origin(analyses: Sequence[Analysis], origins: Origins, r: SentRef) -> str:
    return origins.sentence_origin[(analyses[r.article].article.id, r.sentence)]


def align(
    analyses: Sequence[Analysis],
    origins: Origins,
    links: Sequence[tuple[tuple[str, int], tuple[str, int], float]] = (),
) -> Alignment:
    """Group sentences into facts. ``links`` are extra evidence that two sentences state one
    fact (the same value in the same slot, from the conflict detector's slot matching); they are
    taken before the similarity pairs, with the same one-sentence-per-article rule."""
    refs = [SentRef(i, s.index) for i, a in enumerate(analyses) for s in a.sentences]
    if not refs:
        return Alignment([], np.zeros((0, 0)), [], {}, np.zeros(0), {})
    emb = np.vstack([a.embeddings for a in analyses if len(a.sentences)])
    sims = emb @ emb.T
    art = np.array([r.article for r in refs])
    other = art[:, None] != art[None, :]
    n_other = other.sum(axis=1)
    centrality = np.where(n_other > 0, (sims * other).sum(axis=1) / np.maximum(n_other, 1), 0.0)

    lemmas = [analyses[r.article].lemmas[r.sentence] for r in refs]
    ii, jj = np.nonzero(np.triu(sims >= ALIGN_SIM, k=1) & other)
    pairs = sorted(zip(ii.tolist(), jj.tolist(), strict=True), key=lambda p: -sims[p[0], p[1]])
    index = {(analyses[r.article].article.id, r.sentence): k for k, r in enumerate(refs)}
    linked = {
        (index[a], index[b])
        for a, b, _ in sorted(links, key=lambda x: -x[2])
        if a in index and b in index
    }
    parent = list(range(len(refs)))
    members_articles: list[set[int]] = [{r.article} for r in refs]

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in [*linked, *pairs]:
        shared = len(lemmas[i] & lemmas[j])
        sure = (i, j) in linked or sims[i, j] >= ALIGN_SURE_SIM
        if shared < ALIGN_MIN_SHARED and not (shared >= 2 and sure):
            continue
        ri, rj = find(i), find(j)
        if ri == rj or members_articles[ri] & members_articles[rj]:
            continue
        parent[rj] = ri
        members_articles[ri] |= members_articles[rj]

    clusters: dict[int, list[int]] = {}
    for k in range(len(refs)):
        clusters.setdefault(find(k), []).append(k)
    groups: list[FactGroup] = []
    group_of: dict[SentRef, int] = {}
    for idx in clusters.values():
        sub = sims[np.ix_(idx, idx)]
        if len(idx) > 1:
            mean = (sub.sum(axis=1) - 1.0) / (len(idx) - 1)
            rep_k = int(np.argmax(mean + 0.02 * centrality[idx]))
            cohesion = float(mean.mean())
        else:
            rep_k, cohesion = 0, 1.0
        members = [refs[k] for k in idx]
        g = FactGroup(
            members=members,
            origins={_origin(analyses, origins, r) for r in members},
            representative=refs[idx[rep_k]],
            cohesion=cohesion,
        )
        for r in members:
            group_of[r] = len(groups)
        groups.append(g)
    return Alignment(refs, sims, groups, group_of, centrality, {r: k for k, r in enumerate(refs)})


def _span(analyses: Sequence[Analysis], r: SentRef) -> tuple[Span, str]:
    s = analyses[r.article].sentences[r.sentence]
    return s.span, s.text


def _cited(analyses: Sequence[Analysis], g: FactGroup, score: float, reason: str) -> Cited:
    span, text = _span(analyses, g.representative)
    support = tuple(
        _span(analyses, r)[0]
        for r in sorted(g.members, key=lambda r: (r.article, r.sentence))
        if r != g.representative
    )
    return Cited(
        span=span,
        text=text,
        support=support,
        origins=len(g.origins),
        score=round(score, 4),
        reason=reason,
    )


def _words(text: str) -> int:
    return len(text.split())


def corroborated(analyses: Sequence[Analysis], al: Alignment) -> list[Cited]:
    """Fact groups with two or more independent origins, most corroborated and central first."""
    out = []
    for g in al.groups:
        if len(g.origins) < 2:
            continue
        _, text = _span(analyses, g.representative)
        if _words(text) < 5:
            continue
        k = al.position[g.representative]
        score = len(g.origins) + float(al.centrality[k])
        reason = f"{len(g.members)} sentences from {len(g.origins)} independent origins, cohesion {g.cohesion:.2f}"
        out.append(_cited(analyses, g, score, reason))
    out.sort(key=lambda c: -c.score)
    return out


def _position_weight(a: Analysis, sentence: int) -> float:
    n = max(len(a.sentences), 1)
    return 1.0 - sentence / n


def single_origin_details(
    analyses: Sequence[Analysis], origins: Origins, al: Alignment
) -> list[Cited]:
    """Sentences no other independent origin reports, ranked by relevance, position and content."""
    if not al.refs:
        return []
    # Origins as small integers: comparing n x n strings cost more than the similarities.
    _, origin_of = np.unique([_origin(analyses, origins, r) for r in al.refs], return_inverse=True)
    diff_origin = origin_of[:, None] != origin_of[None, :]
    max_other = np.where(diff_origin, al.sims, -1.0).max(axis=1)
    centroid = np.asarray(al.sims.mean(axis=1))
    out: list[Cited] = []
    for k, r in enumerate(al.refs):
        g = al.groups[al.group_of[r]]
        if len(g.origins) > 1 or max_other[k] >= UNIQUE_MAX_SIM or not diff_origin[k].any():
            continue
        a = analyses[r.article]
        s = a.sentences[r.sentence]
        if _words(s.text) < MIN_DETAIL_WORDS:
            continue
        # A copy repeats its original's details: report them once, at the original.
        if a.article.id != origins.sentence_origin[(a.article.id, s.index)]:
            continue
        n_ents = sum(1 for m in a.mentions if m.sentence == s.index)
        n_vals = sum(1 for v in a.values if v.sentence == s.index)
        info = min(1.0, (n_ents + n_vals) / 3)
        score = 0.45 * float(centroid[k]) + 0.3 * _position_weight(a, s.index) + 0.25 * info
        reason = f"closest sentence in another origin: similarity {max_other[k]:.2f}"
        out.append(
            Cited(
                span=s.span,
                text=s.text,
                support=(),
                origins=1,
                score=round(score, 4),
                reason=reason,
            )
        )
    out.sort(key=lambda c: -c.score)
    return out


def _balanced_quotes(text: str) -> bool:
    opening = text.count("\u201c")
    closing = text.count("\u201d")
    straight = text.count('"')
    return opening == closing and straight % 2 == 0


def summarise(
    analyses: Sequence[Analysis],
    al: Alignment,
    *,
    min_sentences: int = 5,
    max_sentences: int = 8,
    redundancy: float = 0.6,
) -> list[Cited]:
    """Extractive summary: one representative per fact group, scored by centrality, corroboration
    and lead position, chosen greedily without redundancy (MMR), most important first."""
    if not al.refs:
        return []
    n_articles = len(analyses)
    candidates: list[tuple[float, int, FactGroup]] = []
    for g in al.groups:
        r = g.representative
        k = al.position[r]
        text = analyses[r.article].sentences[r.sentence].text
        if _words(text) < 6 or (text.count('"') + text.count("\u201c") >= 2 and _words(text) < 12):
            continue
        if not _balanced_quotes(text):
            continue  # a piece of a multi-sentence quote reads as nonsense out of its paragraph
        corroboration = (len(g.origins) - 1) / max(n_articles - 1, 1)
        lead = max(_position_weight(analyses[m.article], m.sentence) for m in g.members)
        score = 0.45 * float(al.centrality[k]) + 0.35 * corroboration + 0.2 * lead**2
        candidates.append((score, k, g))
    candidates.sort(key=lambda c: -c[0])
    target = min(max_sentences, max(min_sentences, 2 + n_articles))
    chosen: list[tuple[float, int, FactGroup]] = []
    for cand in candidates:
        if len(chosen) >= target:
            break
        k = cand[1]
        if any(al.sims[k, c[1]] >= redundancy for c in chosen):
            continue
        chosen.append(cand)
    return [
        _cited(analyses, g, score, f"centrality {al.centrality[k]:.2f}, {len(g.origins)} origin(s)")
        for score, k, g in chosen
    ]
