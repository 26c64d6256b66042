"""Briefs of stored stories: analyses cached in the store, snapshots, and what changed since.

A stored story's brief reuses the per-sentence work (parse, values, quotes, embeddings) saved the
first time any brief needed it; every brief served is also saved as a snapshot, so
``newsprism changes ID --since T`` can say what the brief gained or lost since then.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from newsprism.compare.analysis import Analysis, AnalysisCache
from newsprism.compare.brief import build_brief
from newsprism.compare.codec import analysis_version, decode, encode
from newsprism.config import Settings
from newsprism.errors import InputError
from newsprism.formats.jsonout import brief_to_json
from newsprism.model import Article, Brief, Story
from newsprism.nlp import Models
from newsprism.store.base import Store, StoryMarks, members_key


class StoreAnalysisCache(AnalysisCache):
    """Analyses from memory, then from the store; new ones are written to the store."""

    def __init__(self, store: Store, settings: Settings) -> None:
        super().__init__()
        self.store = store
        self.version = analysis_version(settings)

    def get(self, article: Article) -> Analysis | None:
        hit = super().get(article)
        if hit is not None:
            return hit
        payload = self.store.get_analysis(article.id, self.version)
        if payload is None:
            return None
        analysis = decode(payload, article)
        super().put(analysis)
        return analysis

    def put(self, analysis: Analysis) -> None:
        super().put(analysis)
        with self.store.transaction():
            self.store.put_analysis(analysis.article.id, self.version, encode(analysis))


def story_brief(
    store: Store, story_id: str, *, models: Models, settings: Settings, snapshot: bool = True
) -> Brief:
    """The brief of a stored story; saved as a snapshot (for ``changes``) unless told not to."""
    story = store.get_story(story_id)
    if story is None:
        raise InputError(f"no story with id {story_id!r}", origin=store.name)
    articles = store.get_articles(list(story.articles))
    brief = build_brief(
        articles,
        models=models,
        settings=settings,
        cache=StoreAnalysisCache(store, settings),
        # the copies the story list shows, so the brief counts origins the same way
        links={a.id: store.copy_of(a.id) for a in articles},
    )
    # One headline rule for the list and the page: a stored story is headed by its most
    # representative member's title, the one the story list shows.
    brief = replace(brief, title=story.title or brief.title)
    if snapshot:
        with store.transaction():
            store.save_brief(
                story_id, brief.generated or datetime.now(UTC), json.dumps(brief_to_json(brief))
            )
            store.put_story_marks(story_id, story_marks(brief, story))
    return brief


def story_marks(brief: Brief, story: Story) -> StoryMarks:
    """What a story's brief found, as the story list shows it."""
    updates = sum(1 for c in brief.conflicts if c.update)
    possible = sum(1 for c in brief.conflicts if c.possible)
    return StoryMarks(
        conflicts=len(brief.conflicts) - updates - possible,
        possible=possible,
        updates=updates,
        articles=len(story.articles),
        members=members_key(story.articles),
        at=brief.generated or datetime.now(UTC),
    )


@dataclass(frozen=True, slots=True)
class BriefChanges:
    """What a story's brief gained or lost between two snapshots."""

    story: str
    since: datetime | None  # the snapshot compared against (None: there was none)
    now: datetime
    new_sources: list[dict[str, Any]] = field(default_factory=list)
    new_facts: list[dict[str, Any]] = field(default_factory=list)
    lost_facts: list[dict[str, Any]] = field(default_factory=list)
    new_conflicts: list[dict[str, Any]] = field(default_factory=list)
    resolved_conflicts: list[dict[str, Any]] = field(default_factory=list)
    updated_values: list[dict[str, Any]] = field(default_factory=list)
    new_details: list[dict[str, Any]] = field(default_factory=list)
    #: "published" (the brief of the articles published by then) or "ingested" (a snapshot)
    basis: str = "ingested"
    #: Articles of the story published by then (basis "published").
    before_articles: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "story": self.story,
            "basis": self.basis,
            "before_articles": self.before_articles,
            "since": self.since.isoformat() if self.since else None,
            "now": self.now.isoformat(),
            "new_sources": self.new_sources,
            "new_facts": self.new_facts,
            "lost_facts": self.lost_facts,
            "new_conflicts": self.new_conflicts,
            "resolved_conflicts": self.resolved_conflicts,
            "updated_values": self.updated_values,
            "new_details": self.new_details,
        }


def _conflict_key(c: dict[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    return (c["kind"], c["slot"], tuple(sorted(s["value_text"] for s in c["sides"])))


def _cited_key(c: dict[str, Any]) -> str:
    return " ".join(c["text"].split()).lower()


def diff_briefs(
    story: str,
    old: dict[str, Any] | None,
    old_at: datetime | None,
    new: dict[str, Any],
    now: datetime,
) -> BriefChanges:
    """Compare two JSON briefs. Facts and details are matched by their text, conflicts by kind,
    slot and values; a conflict present before whose slot now shows a new value is an update."""
    old = old or {"sources": [], "facts": [], "conflicts": [], "details": []}
    old_sources = {s["id"] for s in old["sources"]}
    old_facts = {_cited_key(f): f for f in old["facts"]}
    new_facts = {_cited_key(f): f for f in new["facts"]}
    old_conf = {_conflict_key(c): c for c in old["conflicts"]}
    new_conf = {_conflict_key(c): c for c in new["conflicts"]}
    old_slots = {(k[0], k[1]): c for k, c in old_conf.items()}
    appeared = [c for k, c in new_conf.items() if k not in old_conf]
    updated = [
        {
            "kind": c["kind"],
            "slot": c["slot"],
            "before": old_slots[(c["kind"], c["slot"])],
            "after": c,
        }
        for c in appeared
        if (c["kind"], c["slot"]) in old_slots
    ]
    updated_slots = {(u["kind"], u["slot"]) for u in updated}
    old_details = {_cited_key(d) for d in old["details"]}
    return BriefChanges(
        story=story,
        since=old_at,
        now=now,
        new_sources=[
            {k: s[k] for k in ("id", "label", "outlet", "title", "published", "url")}
            for s in new["sources"]
            if s["id"] not in old_sources
        ],
        new_facts=[f for k, f in new_facts.items() if k not in old_facts],
        lost_facts=[f for k, f in old_facts.items() if k not in new_facts],
        new_conflicts=[c for c in appeared if (c["kind"], c["slot"]) not in updated_slots],
        resolved_conflicts=[
            c
            for k, c in old_conf.items()
            if k not in new_conf and (k[0], k[1]) not in updated_slots
        ],
        updated_values=updated,
        new_details=[d for d in new["details"] if _cited_key(d) not in old_details],
    )


def changes_since(
    store: Store,
    story_id: str,
    since: datetime,
    *,
    models: Models,
    settings: Settings,
    by_publication: bool = False,
) -> BriefChanges:
    """What the story's brief gained or lost since ``since``.

    ``by_publication``: against the brief of the story's articles published at or before
    ``since`` (undated articles count as published before), so an archive ingested today
    still has a past. Otherwise against the latest snapshot made at or before ``since``: what
    a reader who looked then saw."""
    current = story_brief(store, story_id, models=models, settings=settings)
    now = current.generated or datetime.now(UTC)
    if by_publication:
        story = store.get_story(story_id)
        assert story is not None  # story_brief raised otherwise
        articles = store.get_articles(list(story.articles))
        when = since if since.tzinfo else since.replace(tzinfo=UTC)
        before = [
            a
            for a in articles
            if a.published is None
            or (a.published if a.published.tzinfo else a.published.replace(tzinfo=UTC)) <= when
        ]
        old = None
        if before:
            old = brief_to_json(
                build_brief(
                    before,
                    models=models,
                    settings=settings,
                    cache=StoreAnalysisCache(store, settings),
                    links={a.id: store.copy_of(a.id) for a in before},
                )
            )
        diff = diff_briefs(story_id, old, since if before else None, brief_to_json(current), now)
        return replace(diff, basis="published", before_articles=len(before))
    snap = store.brief_at(story_id, since)
    return diff_briefs(
        story_id,
        json.loads(snap.brief_json) if snap else None,
        snap.at if snap else None,
        brief_to_json(current),
        now,
    )
