"""Stored stories and search hits as plain records, the same for the CLI's JSON and the web API."""

from __future__ import annotations

from typing import Any

from newsprism.model import Story
from newsprism.store.base import Store, StoryMarks


def marks_json(st: Story, marks: StoryMarks | None) -> dict[str, object]:
    """What the story's latest brief found: ``compared`` is "current" (the brief of its present
    articles), "earlier" (a brief made before its latest articles joined) or None (no brief
    yet: the counts are then None too)."""
    if marks is None:
        return {"compared": None, "conflicts": None, "possible": None, "updates": None}
    return {
        "compared": "current" if marks.current(st) else "earlier",
        "compared_at": marks.at.isoformat(),
        "conflicts": marks.conflicts,
        "possible": marks.possible,
        "updates": marks.updates,
    }


def story_json(
    st: Story,
    store: Store,
    *,
    with_articles: bool = True,
    marks: dict[str, StoryMarks] | None = None,
) -> dict[str, object]:
    """A story with its outlets, origin count, what its latest brief found (conflicts,
    updates) and (by default) the ids and URLs of its articles. ``marks`` may hold the marks
    of a page of stories, fetched at once."""
    if marks is None:
        marks = store.story_marks([st.id])
    out: dict[str, object] = {
        "id": st.id,
        "title": st.title,
        "first_published": st.first_published.isoformat() if st.first_published else None,
        "last_published": st.last_published.isoformat() if st.last_published else None,
        "outlets": list(st.outlets),
        "origins": st.origins,
        "article_count": len(st.articles),
        **marks_json(st, marks.get(st.id)),
    }
    if with_articles:
        out["articles"] = [
            {"id": a.id, "url": a.url, "outlet": a.outlet, "title": a.title, "origin": a.origin}
            for a in store.get_articles(list(st.articles))
        ]
    return out


def search_rows(
    store: Store,
    query: str,
    limit: int,
    offset: int = 0,
    *,
    outlet: str | None = None,
    entity: str | None = None,
) -> list[dict[str, Any]]:
    """Full-text hits with each article's story, title, outlet and URL."""
    hits = store.search_articles(query, limit, offset, outlet=outlet, entity=entity)
    arts = {a.id: a for a in store.get_articles([h.article_id for h in hits])}
    rows = []
    for h in hits:
        a = arts.get(h.article_id)
        rows.append(
            {
                "article": h.article_id,
                "story": store.story_of(h.article_id),
                "score": h.score,
                "snippet": h.snippet,
                "title": a.title if a else None,
                "outlet": a.outlet if a else None,
                "url": a.url if a else None,
            }
        )
    return rows


def stories_json(stories: list[Story], store: Store) -> list[dict[str, object]]:
    """:func:`story_json` of a page of stories, with one look-up of their marks."""
    marks = store.story_marks([st.id for st in stories])
    return [story_json(st, store, marks=marks) for st in stories]
