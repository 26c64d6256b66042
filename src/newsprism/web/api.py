"""The JSON API under ``/api``: the CLI's commands over HTTP (stories, story, search, changes,
ingest) plus ``compare``, the brief of posted articles that are not stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from newsprism.corpus.views import search_rows, stories_json, story_json
from newsprism.errors import InputError
from newsprism.store.base import StoryFlag, StoryOrder
from newsprism.web.auth import require_fetch, require_read, require_write
from newsprism.web.errors import NotFound
from newsprism.web.headers import csp_of_page
from newsprism.web.service import (
    MAX_POSTED_ARTICLES,
    Posted,
    WebService,
    compressed,
)

MAX_PAGE = 200
MAX_OFFSET = 100_000

router = APIRouter(prefix="/api", tags=["api"])


def client_of(request: Request) -> str:
    """The address a request came from (behind a reverse proxy: the proxy's, so per-client
    limits become one limit for all)."""
    return request.client.host if request.client is not None else "unknown"


def service(request: Request) -> WebService:
    svc: WebService = request.app.state.service
    return svc


Svc = Annotated[WebService, Depends(service)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]


class ArticleIn(BaseModel):
    """One article: exactly one of ``text``, ``html`` or ``url`` (http or https)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="Plain text of the article.")
    html: str | None = Field(None, description="The article page's HTML.")
    url: str | None = Field(None, max_length=2000, description="An http(s) URL to fetch.")
    title: str | None = Field(None, max_length=500)
    outlet: str | None = Field(None, max_length=200)
    published: str | None = Field(None, max_length=100, description="A date or datetime.")
    link: str | None = Field(
        None, max_length=2000, description="The article's http(s) address, shown (not fetched)."
    )

    def posted(self) -> Posted:
        return Posted(
            self.text, self.html, self.url, self.title, self.outlet, self.published, self.link
        )


class ArticlesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(..., min_length=1, max_length=MAX_POSTED_ARTICLES)


def _page(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """One page of a list; the caller fetched ``limit + 1`` items to know whether more follow."""
    more = len(items) > limit
    return {
        "items": items[:limit],
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if more else None,
    }


def parse_time(value: str | None, what: str) -> datetime | None:
    if value is None or not value.strip():
        return None
    from newsprism.clean import parse_published

    parsed = parse_published(value)
    if parsed is None:
        raise InputError(
            f"cannot read {what}={value!r} as a date or time (try 2026-11-18 or 2026-11-18T09:00)"
        )
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@router.get("/stories", dependencies=[Depends(require_read)], summary="List stories")
def list_stories(
    svc: Svc,
    limit: Limit = 20,
    offset: Offset = 0,
    order: StoryOrder = StoryOrder.NEWEST,
    since: Annotated[str | None, Query(max_length=100)] = None,
    until: Annotated[str | None, Query(max_length=100)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    entity: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[
        str | None, Query(max_length=500, description="Only stories with an article matching.")
    ] = None,
    has: Annotated[
        StoryFlag | None,
        Query(description="Only stories whose latest brief found conflicts, updates, or any."),
    ] = None,
) -> dict[str, Any]:
    """Stories, newest, biggest or most conflicts first, with outlets, origin counts, the
    conflicts and updates of their latest brief (``compared``: current, earlier, or null when
    no brief was made yet) and articles. ``total`` counts every page."""
    store = svc.store()
    filters: dict[str, Any] = {
        "since": parse_time(since, "since"),
        "until": parse_time(until, "until"),
        "outlet": outlet or None,
        "entity": entity or None,
        "text": q if q and q.strip() else None,
        "flag": has,
    }
    found = store.list_stories(**filters, limit=limit + 1, offset=offset, order=order)
    page = _page(stories_json(found, store), limit, offset)
    page["total"] = store.count_stories(**filters)
    return page


def _story_or_404(svc: WebService, story_id: str) -> Any:
    st = svc.store().get_story(story_id)
    if st is None:
        raise NotFound(f"no story with id {story_id!r}; list stories at /api/stories")
    return st


@router.get("/stories/{story_id}", dependencies=[Depends(require_read)], summary="Get a story")
def get_story(svc: Svc, story_id: str) -> dict[str, Any]:
    return story_json(_story_or_404(svc, story_id), svc.store())


@router.get(
    "/stories/{story_id}/brief",
    dependencies=[Depends(require_read)],
    summary="A story's brief",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "text/markdown": {}, "text/html": {}}}},
)
def story_brief(
    request: Request,
    svc: Svc,
    story_id: str,
    format: Literal["json", "markdown", "html"] = "json",
) -> Response:
    """The brief in the CLI's JSON schema (``schema/brief.schema.json``), or markdown or HTML."""
    story = _story_or_404(svc, story_id)
    if format == "json":  # the stored brief when current: no build after a restart
        text, gz = svc.story_json(story)
        return compressed(request, text, gz, "application/json")
    entry = svc.story_brief(story)
    if format in ("html", "markdown"):
        from newsprism.formats import render

        text = render(entry.brief, format)
        if format == "html":
            return HTMLResponse(text, headers={"Content-Security-Policy": csp_of_page(text)})
        return PlainTextResponse(text, media_type="text/markdown")
    return compressed(request, entry.json_text, entry.json_gz, "application/json")


@router.get(
    "/stories/{story_id}/changes",
    dependencies=[Depends(require_read)],
    summary="What a story's brief gained or lost since a time",
)
def story_changes(
    svc: Svc, story_id: str, since: Annotated[str, Query(max_length=100)]
) -> dict[str, Any]:
    from newsprism.corpus.briefs import changes_since

    when = parse_time(since, "since")
    if when is None:
        raise InputError("since must be a date or time, such as 2026-11-18")
    _story_or_404(svc, story_id)
    with svc._build_lock:
        diff = changes_since(svc.store(), story_id, when, models=svc.models, settings=svc.settings)
    return diff.to_json()


@router.delete(
    "/stories/{story_id}", dependencies=[Depends(require_write)], summary="Delete a story"
)
def delete_story(svc: Svc, story_id: str) -> dict[str, Any]:
    """Remove a story; its articles stay stored, without a story."""
    if not svc.delete_story(story_id):
        raise NotFound(f"no story with id {story_id!r}")
    return {"deleted": story_id}


@router.get("/articles/{article_id}", dependencies=[Depends(require_read)], summary="An article")
def get_article(svc: Svc, article_id: str) -> dict[str, Any]:
    """Cleaned text, metadata, paragraph and sentence spans, and what cleaning dropped."""
    from newsprism.clean.segment import split_sentences

    store = svc.store()
    a = store.get_article(article_id)
    if a is None:
        raise NotFound(f"no article with id {article_id!r}")
    out = a.to_json(with_dropped=True)
    out["sentences"] = [[s.start, s.end] for s in split_sentences(a.text, a.id)]
    out["story"] = store.story_of(a.id)
    cp = store.copy_of(a.id)
    out["copy_of"] = cp.original if cp is not None else None
    return out


@router.get("/search", dependencies=[Depends(require_read)], summary="Full-text search")
def search(
    svc: Svc,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words, phrases, OR.")],
    limit: Limit = 20,
    offset: Offset = 0,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    entity: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    store = svc.store()
    rows = search_rows(store, q, limit + 1, offset, outlet=outlet or None, entity=entity or None)
    return _page(rows, limit, offset)


@router.post(
    "/articles",
    dependencies=[Depends(require_write)],
    status_code=201,
    summary="Submit articles for ingest",
)
def post_articles(request: Request, svc: Svc, body: ArticlesIn) -> dict[str, Any]:
    """Clean, store and group posted articles (text, HTML, or http(s) URLs to fetch)."""
    report = svc.ingest([a.posted() for a in body.articles], client=client_of(request))
    return {
        "new": report.new,
        "duplicates": report.duplicates,
        "rejected": report.rejected,
        "articles": report.articles,
    }


@router.post(
    "/compare",
    dependencies=[Depends(require_read)],
    summary="Brief of posted articles (kept 30 days at its own address)",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
def compare(request: Request, svc: Svc, body: ArticlesIn) -> Response:
    """The brief of two or more posted articles, in the CLI's JSON schema. The articles are not
    added to the corpus; the result is kept 30 days at the page named by Content-Location.
    Articles that cannot be read are listed in ``left_out``. Posted URLs are fetched only for
    api_token holders, unless the server sets web_fetch_open."""
    from newsprism.formats import render

    posted = [a.posted() for a in body.articles]
    if any(p.url for p in posted):
        require_fetch(request)
    articles, left_out = svc.clean(posted, client=client_of(request), keep_going=True)
    brief = svc.compare(articles, left_out)
    cid, _ = svc.keep_comparison(brief)
    # The brief's page is kept at an address to share (Content-Location).
    return Response(
        render(brief, "json"),
        media_type="application/json",
        headers={"Content-Location": f"/compare/{cid}"},
    )
