"""Server-rendered pages: the story list (with search), a story's brief, search results, and the
compare form. The story page is the standalone brief page of :mod:`newsprism.formats.html`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from newsprism.errors import InputError
from newsprism.store.base import StoryOrder
from newsprism.web import PAGE_CSP
from newsprism.web.api import MAX_OFFSET, Svc, parse_time
from newsprism.web.auth import require_read
from newsprism.web.errors import NotFound
from newsprism.web.service import compressed, posted_from_paste, with_nav

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_read)])
PAGE = 25
COMPARE_BOXES = 4
#: Seconds between reloads of a story page whose brief is being prepared.
PREPARING_REFRESH_S = 2


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = request.app.state.templates.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": PAGE_CSP})


@router.get("/", response_class=HTMLResponse)
def story_list(
    request: Request,
    svc: Svc,
    q: Annotated[str | None, Query(max_length=500)] = None,
    order: StoryOrder = StoryOrder.NEWEST,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[str | None, Query(max_length=100)] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> HTMLResponse:
    store = svc.store()
    query = q.strip() if q else ""
    found = store.list_stories(
        text=query or None,
        outlet=outlet or None,
        since=parse_time(since, "since"),
        order=order,
        limit=PAGE + 1,
        offset=offset,
    )
    return _page(
        request,
        "stories.html.j2",
        stories=found[:PAGE],
        q=query,
        order=order.value,
        outlet=outlet or "",
        offset=offset,
        prev_offset=max(0, offset - PAGE) if offset else None,
        next_offset=offset + PAGE if len(found) > PAGE else None,
        total=store.stats().stories if not query and not outlet else None,
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, svc: Svc, story_id: str) -> Response:
    st = svc.store().get_story(story_id)
    if st is None:
        raise NotFound(f"no story with id {story_id!r}; the list of stories is at /")
    page = svc.story_page(st)
    if page is None:
        # Not briefed yet: the worker builds it now; the reader sees that and the page refreshes.
        response = _page(
            request, "preparing.html.j2", status=202, story=st, refresh=PREPARING_REFRESH_S
        )
        response.headers["Retry-After"] = str(PREPARING_REFRESH_S)
        response.headers["Cache-Control"] = "no-store"
        return response
    html, gz = page
    return compressed(request, html, gz, "text/html; charset=utf-8")


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    svc: Svc,
    q: Annotated[str, Query(max_length=500)] = "",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> HTMLResponse:
    rows: list[dict[str, Any]] = []
    more = False
    if q.strip():
        store = svc.store()
        hits = store.search_articles(q, PAGE + 1, offset)
        more = len(hits) > PAGE
        arts = {a.id: a for a in store.get_articles([h.article_id for h in hits[:PAGE]])}
        for h in hits[:PAGE]:
            a = arts.get(h.article_id)
            rows.append(
                {
                    "story": store.story_of(h.article_id),
                    "title": (a.title if a else None) or h.article_id,
                    "outlet": a.outlet if a else None,
                    # the snippet marks hits with [ ]; split so the template escapes each part
                    "snippet": _snippet_parts(h.snippet),
                }
            )
    return _page(
        request,
        "search.html.j2",
        q=q,
        rows=rows,
        offset=offset,
        prev_offset=max(0, offset - PAGE) if offset else None,
        next_offset=offset + PAGE if more else None,
    )


def _snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    from newsprism.store import HIT_END, HIT_START

    parts: list[tuple[str, bool]] = []
    rest = snippet
    while HIT_START in rest:
        before, _, tail = rest.partition(HIT_START)
        hit, sep, rest = tail.partition(HIT_END)
        parts.append((before, False))
        parts.append((hit, bool(sep)))
    parts.append((rest, False))
    return [p for p in parts if p[0]]


@router.get("/compare", response_class=HTMLResponse)
def compare_form(request: Request) -> HTMLResponse:
    return _page(request, "compare.html.j2", boxes=[""] * COMPARE_BOXES, message=None)


@router.post("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    svc: Svc,
    article: Annotated[list[str], Form(description="Pasted articles: text, HTML or a URL.")],
) -> HTMLResponse:
    posted = [p for p in (posted_from_paste(a) for a in article) if p is not None]
    try:
        if len(posted) < 2:
            raise InputError("paste at least two articles (text, HTML, or a URL each)")
        articles, rejected = svc.clean(posted)
        brief = svc.compare(articles, rejected)
    except InputError as exc:
        boxes = list(article) + [""] * max(0, COMPARE_BOXES - len(article))
        return _page(request, "compare.html.j2", status=400, boxes=boxes, message=str(exc))
    from newsprism.formats import render

    return HTMLResponse(with_nav(render(brief, "html"), "/compare", "← Compare other articles"))
