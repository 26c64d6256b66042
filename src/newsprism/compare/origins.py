"""Independent origins within a brief: wire copies and copied paragraphs count once.

Which article is a copy of which is decided by one rule, :mod:`newsprism.dedup`'s
(:class:`~newsprism.dedup.copies.CopyDetector`: estimated containment of 5-word shingles, 0.7 for
a full copy), on both paths: a stored story's brief takes the copy links the store already holds
(the ones its story list shows), and a brief of files runs the same detector over its articles in
time order. So the story list and its brief never disagree about which articles are copies. Only
full copies make an article count with its original; a partial copy (an outlet's own article with
pasted paragraphs) stays an origin of its own, and its copied sentences are found below, sentence
by sentence, the same way on both paths.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsprism.compare.analysis import Analysis
from newsprism.dedup.copies import CopyDetector, CopyParams
from newsprism.model import CopyKind, CopyLink

_WORD = re.compile(r"\w+")
SHINGLE = 5
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


def copy_links(
    analyses: Sequence[Analysis], params: CopyParams | None = None
) -> dict[str, CopyLink]:
    """The copy links dedup's detector gives these articles, added in publication order: what
    ingesting them into a store would record."""
    detector = CopyDetector(params)
    out: dict[str, CopyLink] = {}
    for a in sorted(analyses, key=_time_key):
        link = detector.add(a.article)
        if link is not None:
            out[a.article.id] = link
    return out


def find_origins(
    analyses: Sequence[Analysis], links: Mapping[str, CopyLink | None] | None = None
) -> Origins:
    """Origins of a brief's articles from copy links: the store's when given (a stored story),
    else those :func:`copy_links` finds. A full copy whose original is not in the brief counts
    with the brief's first article that copies the same original."""
    if links is None:
        links = copy_links(analyses)
    ordered = sorted(analyses, key=_time_key)
    ids = {a.article.id for a in ordered}
    article_sh = {a.article.id: shingles(a.article.text) for a in ordered}
    article_origin: dict[str, str] = {}
    copy_of: dict[str, tuple[str, float]] = {}
    sentence_origin: dict[tuple[str, int], str] = {}
    stand_in: dict[str, str] = {}  # an original outside the brief -> its first copy in it
    # Which earlier articles hold a shingle (positions in ``ordered``, ascending): a sentence is
    # checked against the articles that share a shingle with it, not against every earlier one.
    holders: dict[tuple[str, ...], list[int]] = {}
    for k, a in enumerate(ordered):
        aid = a.article.id
        link = links.get(aid)
        if link is not None and link.kind is CopyKind.FULL and link.original != aid:
            root = link.original
            if root in ids:
                article_origin[aid] = article_origin.get(root, root)
                copy_of[aid] = (root, round(link.similarity, 3))
            elif root in stand_in:
                article_origin[aid] = stand_in[root]
                copy_of[aid] = (stand_in[root], round(link.similarity, 3))
            else:
                stand_in[root] = aid
                article_origin[aid] = aid
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
        for g in article_sh[aid]:
            holders.setdefault(g, []).append(k)
    return Origins(article_origin, copy_of, sentence_origin)
