"""Independent origins within a brief: wire copies and copied paragraphs count once.

Within one story there are a handful to a few dozen articles, so exact word-shingle containment
between every pair is cheap and more precise than MinHash; the corpus-wide linking (MinHash LSH over
millions of articles) lives in :mod:`newsprism.dedup` and feeds the same ``copy_of`` field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsprism.compare.analysis import Analysis

_WORD = re.compile(r"\w+")
SHINGLE = 5
#: Share of an article's shingles found in an earlier one that makes it a copy of it. Syndication
#: partners trim endings and change headlines, so a full copy still shows well above this.
COPY_CONTAINMENT = 0.6
#: Share of a sentence's shingles found in an earlier article that makes it a copied sentence.
SENTENCE_CONTAINMENT = 0.8


def shingles(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@dataclass(frozen=True, slots=True)
class Origins:
    """``article_origin[id]`` is the origin article id; ``copy_of[id]`` = (original id, containment);
    ``sentence_origin[(id, i)]`` is the origin of sentence i (differs for copied paragraphs)."""

    article_origin: dict[str, str]
    copy_of: dict[str, tuple[str, float]]
    sentence_origin: dict[tuple[str, int], str]


def _time_key(a: Analysis) -> tuple[datetime, str]:
    p = a.article.published
    if p is None:
        return (datetime.max.replace(tzinfo=UTC), a.article.id)
    return (p if p.tzinfo else p.replace(tzinfo=UTC), a.article.id)


def find_origins(analyses: Sequence[Analysis]) -> Origins:
    ordered = sorted(analyses, key=_time_key)
    article_sh = {a.article.id: shingles(a.article.text) for a in ordered}
    article_origin: dict[str, str] = {}
    copy_of: dict[str, tuple[str, float]] = {}
    sentence_origin: dict[tuple[str, int], str] = {}
    # Which earlier articles hold a shingle (positions in ``ordered``, ascending): a sentence is
    # checked against the articles that share a shingle with it, not against every earlier one.
    holders: dict[tuple[str, ...], list[int]] = {}
    for k, a in enumerate(ordered):
        aid = a.article.id
        mine = article_sh[aid]
        best, best_c = None, 0.0
        for earlier in ordered[:k]:
            if not mine:
                break
            c = len(mine & article_sh[earlier.article.id]) / len(mine)
            if c > best_c:
                best, best_c = earlier.article.id, c
        if best is not None and best_c >= COPY_CONTAINMENT:
            article_origin[aid] = article_origin[best]
            copy_of[aid] = (best, round(best_c, 3))
        else:
            article_origin[aid] = aid
        for s in a.sentences:
            origin = article_origin[aid]
            sh = shingles(s.text)
            if origin == aid and len(sh) >= 3:
                # A copied paragraph inside an outlet's own article: the sentence has the origin of
                # the earlier article it was taken from (the first one, in time order).
                shared: dict[int, int] = {}
                for g in sh:
                    for j in holders.get(g, ()):
                        shared[j] = shared.get(j, 0) + 1
                for j in sorted(shared):
                    if shared[j] / len(sh) >= SENTENCE_CONTAINMENT:
                        origin = article_origin[ordered[j].article.id]
                        break
            sentence_origin[(aid, s.index)] = origin
        for g in mine:
            holders.setdefault(g, []).append(k)
    return Origins(article_origin, copy_of, sentence_origin)
