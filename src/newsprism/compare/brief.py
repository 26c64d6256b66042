"""Building the cross-source brief of one event from its articles.

Stages, each reading only what the previous ones produced:
analysis (per article, cached) -> origins (wire copies) -> alignment (fact groups) ->
summary, corroborated facts, single-origin details, conflicts, quotes, entities, timeline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from newsprism.compare.analysis import AnalysisCache, analyse_all
from newsprism.compare.conflicts import find_conflicts, value_pairs
from newsprism.compare.entities import cross_quotes, merge_entities
from newsprism.compare.facts import align, corroborated, single_origin_details, summarise
from newsprism.compare.origins import copy_links, find_origins
from newsprism.compare.timeline import timeline
from newsprism.config import Settings
from newsprism.dedup.copies import CopyParams
from newsprism.errors import InputError
from newsprism.model import Article, Brief, CopyLink, Source
from newsprism.nlp import Models
from newsprism.timing import StageTimes

__all__ = ["AnalysisCache", "build_brief"]


def _order_key(a: Article) -> tuple[datetime, str]:
    p = a.published
    if p is None:
        return (datetime.max.replace(tzinfo=UTC), a.id)
    return (p if p.tzinfo else p.replace(tzinfo=UTC), a.id)


def build_brief(
    articles: Sequence[Article],
    *,
    models: Models,
    settings: Settings,
    cache: AnalysisCache | None = None,
    max_details: int = 20,
    links: Mapping[str, CopyLink | None] | None = None,
    timer: StageTimes | None = None,
) -> Brief:
    """The brief of ``articles``. ``links`` are the store's copy links of a stored story (article
    id -> its link, or None); without them the same copy rule runs over the articles here.
    ``timer``, when given, receives the seconds spent per stage (``bench/brief.py --profile``)."""
    timer = timer if timer is not None else StageTimes()
    if not articles:
        raise InputError("a brief needs at least one article")
    # One entry per article: the same content twice (same id) is one source.
    unique = list({a.id: a for a in articles}.values())
    unique.sort(key=_order_key)
    analyses = analyse_all(unique, models, cache, timer)
    with timer.stage("origins"):
        if links is None:
            links = copy_links(analyses, CopyParams.from_settings(settings))
        origins = find_origins(analyses, links)
    labels = {a.id: f"S{i + 1}" for i, a in enumerate(unique)}
    sources = tuple(
        Source(
            id=a.id,
            label=labels[a.id],
            origin=a.origin,
            text=a.text,
            url=a.url,
            outlet=a.outlet,
            title=a.title,
            published=a.published,
            byline=a.byline,
            origin_id=origins.article_origin[a.id],
            copy_of=origins.copy_of[a.id][0] if a.id in origins.copy_of else None,
            copy_similarity=origins.copy_of[a.id][1] if a.id in origins.copy_of else None,
        )
        for a in unique
    )

    # Short strings (value head words, predicate lemmas) embedded once per brief: the conflict
    # features and the claim judgment ask for many of the same words.
    vectors: dict[str, Any] = {}

    def embed(words: Sequence[str]) -> Any:
        new = [w for w in dict.fromkeys(words) if w not in vectors]
        if new or not words:
            got = models.embedder.encode(new, normalize_embeddings=True, show_progress_bar=False)
            if not words:
                return got
            vectors.update(zip(new, np.asarray(got), strict=True))
        return np.stack([vectors[w] for w in words])

    with timer.stage("entities"):
        entities = tuple(merge_entities(analyses))
        events = tuple(timeline(analyses))
    with timer.stage("conflicts"):
        # Scored once: the claim judgment reads the same value pairs the conflicts come from.
        _, scored_values = value_pairs(analyses, origins, embed)
        conflicts = tuple(find_conflicts(analyses, origins, embed, entities, scored_values))
    with timer.stage("quotes"):
        quotes = tuple(cross_quotes(analyses, origins, entities))
    with timer.stage("align"):
        al = align(analyses, origins, scored_values, embed=embed)
        # At most a few per source, so one long article cannot crowd out the others.
        details = single_origin_details(
            analyses,
            origins,
            al,
            shared_quotes=[(q.quote.span, *q.others) for q in quotes],
            limit=max_details,
            per_source=max(5, max_details // max(len(unique), 1)),
        )
        summary = tuple(summarise(analyses, al))
        facts = tuple(corroborated(analyses, al))
    title = next((a.title for a in unique if a.title), None)
    return Brief(
        sources=sources,
        summary=summary,
        facts=facts,
        conflicts=conflicts,
        details=tuple(details),
        quotes=quotes,
        entities=entities,
        timeline=events,
        title=title,
        generated=datetime.now(UTC),
    )
