"""Server-rendered pages: the story list (with search), a story's brief, search results, and the
compare form. The story page is the standalone brief page of :mod:`newsprism.formats.html`."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote_plus

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsprism.errors import InputError
from newsprism.store.base import StoryFlag, StoryOrder
from newsprism.web.api import MAX_OFFSET, Svc, client_of, parse_time
from newsprism.web.auth import require_fetch, require_read
from newsprism.web.errors import Forbidden, NotFound, TooManyRequests, Unauthorized
from newsprism.web.headers import PAGE_CSP, csp_of_page
from newsprism.web.service import COMPARISON_DAYS, WebService, compressed, posted_from_paste

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
    # a str, not the enum: the form sends has= (empty) for "all stories"
    has_text: Annotated[str | None, Query(alias="has", max_length=20)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[str | None, Query(max_length=100)] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> HTMLResponse:
    from newsprism.corpus.views import marks_json

    try:
        has = StoryFlag(has_text) if has_text else None
    except ValueError:
        raise InputError(
            f"has={has_text!r}: choose conflicts, updates or any (or nothing, for all stories)"
        ) from None
    store = svc.store()
    query = q.strip() if q else ""
    filters: dict[str, Any] = {
        "text": query or None,
        "outlet": outlet or None,
        "since": parse_time(since, "since"),
        "flag": has,
    }
    found = store.list_stories(**filters, order=order, limit=PAGE + 1, offset=offset)[:PAGE]
    marks = store.story_marks([st.id for st in found])
    params = {"q": query, "order": order.value, "has": has.value if has else "", "outlet": outlet}
    keep = "&".join(f"{k}={quote_plus(v)}" for k, v in params.items() if v)
    total = store.count_stories(**filters)
    return _page(
        request,
        "stories.html.j2",
        stories=[(st, marks_json(st, marks.get(st.id))) for st in found],
        q=query,
        order=order.value,
        has=has.value if has else "",
        outlet=outlet or "",
        offset=offset,
        keep=keep,
        prev_offset=max(0, offset - PAGE) if offset else None,
        next_offset=offset + PAGE if offset + PAGE < total else None,
        total=total,
        shown=len(found),
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


ALERTS_IN_FEED = 100


def _atom(request: Request, svc: WebService, story_id: str | None) -> Response:
    from newsprism.formats.atom import alerts_to_atom

    store = svc.store()
    title = "newsprism alerts"
    if story_id is not None:
        st = store.get_story(story_id)
        if st is None:
            raise NotFound(f"no story with id {story_id!r}; the list of stories is at /")
        title = f"newsprism alerts: {st.title}"
    base = str(request.base_url).rstrip("/")
    alerts = store.alerts(story_id=story_id, limit=ALERTS_IN_FEED, newest_first=True)
    body = alerts_to_atom(
        alerts,
        title=title,
        feed_url=str(request.url),
        site_url=base + (f"/stories/{story_id}" if story_id else "/"),
        feed_id=f"{base}/alerts" + (f"/{story_id}" if story_id else ""),
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/alerts.atom")
def alerts_feed(request: Request, svc: Svc) -> Response:
    """Every alert of `newsprism watch` (new stories, conflicts, updates), newest first."""
    return _atom(request, svc, None)


@router.get("/stories/{story_id}/alerts.atom")
def story_alerts_feed(request: Request, svc: Svc, story_id: str) -> Response:
    """The alerts of one story."""
    return _atom(request, svc, story_id)


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


def _boxes(
    article: list[str], outlet: list[str], published: list[str], url: list[str]
) -> list[dict[str, str]]:
    """The form's articles as typed (for showing the form again), at least COMPARE_BOXES."""
    n = max(len(article), len(outlet), len(published), len(url), COMPARE_BOXES)

    def at(values: list[str], i: int) -> str:
        return values[i] if i < len(values) else ""

    return [
        {
            "text": at(article, i),
            "outlet": at(outlet, i),
            "published": at(published, i),
            "url": at(url, i),
        }
        for i in range(n)
    ]


@router.get("/compare", response_class=HTMLResponse)
def compare_form(request: Request) -> HTMLResponse:
    return _page(request, "compare.html.j2", boxes=_boxes([], [], [], []), message=None)


@router.post("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    svc: Svc,
    article: Annotated[list[str], Form(description="Pasted articles: text, HTML or a URL.")],
    outlet: Annotated[list[str] | None, Form()] = None,
    published: Annotated[list[str] | None, Form()] = None,
    url: Annotated[list[str] | None, Form()] = None,
) -> Response:
    boxes = _boxes(article, outlet or [], published or [], url or [])
    posted = [
        p
        for p in (
            posted_from_paste(b["text"], outlet=b["outlet"], published=b["published"], url=b["url"])
            for b in boxes
        )
        if p is not None
    ]
    try:
        if len(posted) < 2:
            raise InputError("paste at least two articles (text, HTML, or a URL each)")
        if any(p.url for p in posted):
            require_fetch(request)
        articles, left_out = svc.clean(posted, client=client_of(request), keep_going=True)
        brief = svc.compare(articles, left_out)
    except InputError as exc:
        return _page(request, "compare.html.j2", status=400, boxes=boxes, message=str(exc))
    except (Unauthorized, Forbidden, TooManyRequests) as exc:
        # The form again, with what was pasted and why it was not fetched.
        return _page(
            request, "compare.html.j2", status=exc.status, boxes=boxes, message=exc.message
        )
    cid, _ = svc.keep_comparison(brief)
    # Post/redirect/get: the result lives at an address that can be shared and reloaded.
    return RedirectResponse(f"/compare/{cid}", status_code=303)


@router.get("/compare/{comparison_id}", response_class=HTMLResponse)
def comparison(svc: Svc, comparison_id: str) -> HTMLResponse:
    from datetime import UTC, datetime

    kept = svc.store().get_comparison(comparison_id, datetime.now(UTC))
    if kept is None:
        raise NotFound(
            f"no comparison {comparison_id!r}: comparisons are kept for "
            f"{COMPARISON_DAYS} days; compare the articles again at /compare"
        )
    page = kept[0]
    return HTMLResponse(page, headers={"Content-Security-Policy": csp_of_page(page)})
