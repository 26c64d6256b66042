"""What the API and the pages share: stores per thread, the models, the brief cache, and the
reading, cleaning and storing of articles posted by users.

The web app runs sync endpoints in a thread pool; a store holds one connection and is not
thread-safe, so each thread opens its own (lazily) and the app closes them all at shutdown.
Models load once per app, on the first brief. Building briefs is CPU-bound and the spaCy and
embedding pipelines are not meant to be driven from several threads at once, so builds take one
lock. Story pages serve the briefs stored by the brief worker (``corpus.briefs.BriefWorker``), a
story not briefed yet gets a page saying so; briefs and pages are kept in memory, keyed by the
story's article ids.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import Response

from newsprism.config import Settings
from newsprism.corpus.briefs import BriefWorker, build_stored_brief, current_brief
from newsprism.errors import InputError
from newsprism.model import (
    Article,
    Brief,
    Failure,
    LeftOut,
    RawDocument,
    Rejection,
    SourceKind,
    Story,
)
from newsprism.nlp import Models
from newsprism.store.base import Store, StoredBrief
from newsprism.web.errors import TooManyRequests

if TYPE_CHECKING:
    from newsprism.ingest.fetch import Fetcher

log = logging.getLogger("newsprism.web")

#: Briefs kept in memory; a brief page of a big story is a few hundred kB.
BRIEF_CACHE_SIZE = 128
#: Articles one request may post (to ingest or to compare).
MAX_POSTED_ARTICLES = 20


@dataclass(frozen=True, slots=True)
class Posted:
    """One article as a user posts it: exactly one of text, html or url."""

    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    #: The article's address, shown as its link: not fetched (``url`` is what is fetched).
    link: str | None = None


@dataclass(slots=True)
class CachedBrief:
    """A built brief with its renderings; the gzip forms are compressed once, not per request
    (a brief of ten articles is a few hundred kB of JSON, a tenth of that compressed)."""

    articles: tuple[str, ...]
    brief: Brief
    json_text: str
    json_gz: bytes
    html_text: str | None = None
    html_gz: bytes | None = None


@dataclass(slots=True)
class IngestReport:
    new: int = 0
    duplicates: int = 0
    rejected: list[str] = field(default_factory=list)
    articles: list[dict[str, str | None]] = field(default_factory=list)


def _looks_like_url(value: str) -> bool:
    v = value.strip()
    return "\n" not in v and " " not in v and v.lower().startswith(("http://", "https://"))


def posted_from_paste(
    value: str, *, outlet: str = "", published: str = "", url: str = ""
) -> Posted | None:
    """What one article of the compare form holds: its box (a URL, an HTML page, or plain
    text) with the outlet, date and address typed beside it. An empty box with an address
    fetches the address; None when both are empty."""
    v = value.strip()
    link = url.strip() or None
    meta = {"outlet": outlet.strip() or None, "published": published.strip() or None}
    if not v:
        return Posted(url=link, **meta) if link else None
    if _looks_like_url(v):
        return Posted(url=v, **meta)
    head = v[:2000].lower()
    if head.startswith(("<!doctype html", "<html")) or ("<p>" in head or "<p " in head):
        return Posted(html=v, link=link, **meta)
    return Posted(text=v, link=link, **meta)


class WebService:
    """Per-app state (no module-level caches: two apps in one process never share anything)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.models = Models(settings)
        self._local = threading.local()
        self._stores: list[Store] = []
        self._stores_lock = threading.Lock()
        self._generation = 0  # stores opened before the last close() are not used again
        self._build_lock = threading.Lock()  # one brief build at a time (models, CPU)
        self._write_lock = threading.Lock()  # one ingest/delete at a time (story clustering)
        self._cache: OrderedDict[str, CachedBrief] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._fetching: Counter[str] = Counter()  # requests fetching URLs, per client address
        self._fetching_lock = threading.Lock()
        # Story pages and JSON from stored briefs, by story id ("json:" + id for the JSON):
        # (member articles, text, gzip).
        self._pages: OrderedDict[str, tuple[tuple[str, ...], str, bytes]] = OrderedDict()
        self.briefs = BriefWorker(
            settings, self.models, build_lock=self._build_lock, on_built=self._built
        )

    # ------------------------------------------------------------------ stores

    def store(self) -> Store:
        """This thread's store, opened on first use, and again after :meth:`close` (an app
        served again after its shutdown, as test clients and server restarts do)."""
        st: Store | None = getattr(self._local, "store", None)
        if st is None or getattr(self._local, "generation", None) != self._generation:
            from newsprism.store import open_store

            st = open_store(self.settings.db, self.settings)
            self._local.store = st
            self._local.generation = self._generation
            with self._stores_lock:
                self._stores.append(st)
        return st

    def close(self) -> None:
        """Close every store this app opened. A SQLite connection may only be closed by the
        thread that opened it; those of pool threads are left to be freed with the process."""
        self.briefs.stop(timeout=5)
        with self._stores_lock:
            for st in self._stores:
                try:
                    st.close()
                except Exception:  # see the docstring: nothing uncommitted is lost
                    log.debug("store of another thread left open: %s", st.name)
            self._stores.clear()
            self._generation += 1

    # ------------------------------------------------------------------ briefs

    def _cached(self, story_id: str, articles: tuple[str, ...]) -> CachedBrief | None:
        with self._cache_lock:
            hit = self._cache.get(story_id)
            if hit is None or hit.articles != articles:
                return None
            self._cache.move_to_end(story_id)
            return hit

    def story_brief(self, story: Story) -> CachedBrief:
        """The story's brief, built once per set of member articles (and stored, for the page)."""
        hit = self._cached(story.id, story.articles)
        if hit is not None:
            return hit
        with self._build_lock:
            hit = self._cached(story.id, story.articles)  # built while we waited
            if hit is not None:
                return hit
            brief, stored = build_stored_brief(
                self.store(), story.id, models=self.models, settings=self.settings
            )
            text = stored.brief_json
            entry = CachedBrief(story.articles, brief, text, gzip_bytes(text))
        self._remember(story, entry)
        return entry

    def _remember(self, story: Story, entry: CachedBrief) -> None:
        with self._cache_lock:
            self._cache[story.id] = entry
            self._cache.move_to_end(story.id)
            while len(self._cache) > BRIEF_CACHE_SIZE:
                self._cache.popitem(last=False)

    def _built(self, story: Story, brief: Brief, stored: StoredBrief) -> None:
        """The worker built a story's brief: keep it for the API too."""
        self._remember(
            story,
            CachedBrief(story.articles, brief, stored.brief_json, gzip_bytes(stored.brief_json)),
        )

    def story_page(self, story: Story) -> tuple[str, bytes] | None:
        """The story's page from its stored brief, or None while the brief is being prepared
        (the worker is asked for it: the reader sees a page that says so, never a blank wait)."""
        with self._cache_lock:
            page = self._pages.get(story.id)
            if page is not None and page[0] == story.articles:
                self._pages.move_to_end(story.id)
                return page[1], page[2]
        hit = self._cached(story.id, story.articles)
        if hit is not None:
            return self.brief_page(hit)
        stored = current_brief(self.store(), story, self.settings)
        if stored is None:
            self.briefs.request(story.id)
            return None
        html = with_nav(stored.page_html, "/", "← All stories")
        gz = gzip_bytes(html)
        with self._cache_lock:
            self._pages[story.id] = (story.articles, html, gz)
            while len(self._pages) > 2 * BRIEF_CACHE_SIZE:
                self._pages.popitem(last=False)
        return html, gz

    def story_json(self, story: Story) -> tuple[str, bytes]:
        """The story's brief as JSON (and gzip): from memory, else the stored brief when it is
        current, else built (and stored) while the caller waits."""
        hit = self._cached(story.id, story.articles)
        if hit is not None:
            return hit.json_text, hit.json_gz
        key = f"json:{story.id}"
        with self._cache_lock:
            page = self._pages.get(key)
            if page is not None and page[0] == story.articles:
                return page[1], page[2]
        stored = current_brief(self.store(), story, self.settings)
        if stored is None:
            entry = self.story_brief(story)
            return entry.json_text, entry.json_gz
        gz = gzip_bytes(stored.brief_json)
        with self._cache_lock:
            self._pages[key] = (story.articles, stored.brief_json, gz)
            while len(self._pages) > 2 * BRIEF_CACHE_SIZE:
                self._pages.popitem(last=False)
        return stored.brief_json, gz

    def brief_page(self, entry: CachedBrief) -> tuple[str, bytes]:
        """The story's page (the brief page with a link back to the list) and its gzip form,
        rendered on first use by one thread only: fifty clients opening a new story at once
        must not render it fifty times."""
        from newsprism.formats import render

        if entry.html_text is None or entry.html_gz is None:
            with self._build_lock:
                if entry.html_text is None or entry.html_gz is None:
                    html = with_nav(render(entry.brief, "html"), "/", "← All stories")
                    entry.html_gz = gzip_bytes(html)
                    entry.html_text = html
        return entry.html_text, entry.html_gz

    def forget(self, story_id: str) -> None:
        with self._cache_lock:
            self._cache.pop(story_id, None)
            self._pages.pop(story_id, None)
            self._pages.pop(f"json:{story_id}", None)

    def compare(self, articles: Sequence[Article], left_out: Sequence[LeftOut] = ()) -> Brief:
        """The brief of articles that are not stored in the corpus; it lists the posted
        articles it left out, and why, as the CLI's brief does."""
        from dataclasses import replace

        from newsprism.compare.brief import build_brief

        if len(articles) < 2:
            why = f" ({'; '.join(left_out_text(x) for x in left_out)})" if left_out else ""
            raise InputError(
                f"a comparison needs at least two readable articles, got {len(articles)}{why}"
            )
        with self._build_lock:
            brief = build_brief(list(articles), models=self.models, settings=self.settings)
        return replace(brief, left_out=tuple(left_out))

    def keep_comparison(self, brief: Brief) -> tuple[str, str]:
        """Keep a comparison for :data:`COMPARISON_DAYS` under an id made from its content, so
        the result has an address to share: (id, rendered page)."""
        from datetime import UTC, datetime, timedelta

        from newsprism.formats import render

        brief_text = render(brief, "json")
        cid = "c" + hashlib.blake2b(brief_text.encode(), digest_size=8).hexdigest()
        page = with_nav(
            render(brief, "html"),
            "/compare",
            "← Compare other articles",
            extra=f"Address of this comparison, to share (kept {COMPARISON_DAYS} days): "
            f'<a href="/compare/{cid}">/compare/{cid}</a>',
        )
        now = datetime.now(UTC)
        store = self.store()
        with self._write_lock:
            store.put_comparison(
                cid,
                now,
                now + timedelta(days=COMPARISON_DAYS),
                brief.title or "Comparison",
                page,
                brief_text,
            )
        return cid, page

    # ------------------------------------------------------------------ posted articles

    @contextmanager
    def fetch_slot(self, client: str) -> Iterator[None]:
        """Hold one of the server's fetching slots for ``client`` (its address), or refuse with
        429 at once: a request waiting on slow sites holds a worker thread, and the threads are
        shared by every request the server answers."""
        s = self.settings
        with self._fetching_lock:
            mine, total = self._fetching[client], sum(self._fetching.values())
            if mine >= s.web_fetches_per_client:
                raise TooManyRequests(
                    f"{mine} requests from {client} are fetching URLs already; wait for them to "
                    "finish (web_fetches_per_client)"
                )
            if total >= s.web_fetches_total:
                raise TooManyRequests(
                    f"the server is fetching URLs for {total} requests already; retry in a "
                    "minute (web_fetches_total)"
                )
            self._fetching[client] += 1
        try:
            yield
        finally:
            with self._fetching_lock:
                self._fetching[client] -= 1
                if self._fetching[client] <= 0:
                    del self._fetching[client]

    def _raw_documents(
        self, posted: Posted, n: int, fetcher: Fetcher | None
    ) -> Iterator[RawDocument | Failure]:
        from newsprism.ingest.fetch import check_url
        from newsprism.ingest.readers import read_url

        given = [x for x in (posted.text, posted.html, posted.url) if x is not None and x.strip()]
        if len(given) != 1:
            raise InputError(f"article {n}: give exactly one of text, html or url")
        if posted.url is not None and posted.url.strip():
            # Only http(s) URLs are fetched: a request never names a local file.
            url = check_url(posted.url.strip())
            assert fetcher is not None
            yield from read_url(url, self.settings, fetcher)
            return
        content = posted.text if posted.text is not None and posted.text.strip() else posted.html
        assert content is not None
        kind = (
            SourceKind.TEXT if posted.text is not None and posted.text.strip() else SourceKind.HTML
        )
        link = posted.link.strip() if posted.link else None
        if link:
            link = check_url(link)  # an address shown as a link is http(s) only
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]
        yield RawDocument(
            # what the page names a pasted article by when it has no outlet
            origin=posted.outlet or (link or f"article {n} ({digest[:6]})"),
            kind=kind,
            content=content,
            url=link,
            title=posted.title,
            outlet=posted.outlet,
            published=posted.published,
        )

    def clean(
        self, posted: Sequence[Posted], *, client: str = "local", keep_going: bool = False
    ) -> tuple[list[Article], list[LeftOut]]:
        """Clean posted articles; expected rejections come back as messages, faults raise.
        Posted URLs are fetched by one fetcher (so the batch's per-host limits hold across
        them) while the request holds a fetching slot of ``client``'s."""
        from newsprism.ingest.fetch import Fetcher

        if not posted:
            raise InputError("no article was posted")
        if len(posted) > MAX_POSTED_ARTICLES:
            raise InputError(
                f"{len(posted)} articles in one request; post at most {MAX_POSTED_ARTICLES}"
            )
        if not any(p.url is not None and p.url.strip() for p in posted):
            return self._clean(posted, None, keep_going)
        with self.fetch_slot(client), Fetcher(self.settings) as fetcher:
            return self._clean(posted, fetcher, keep_going)

    def _clean(
        self, posted: Sequence[Posted], fetcher: Fetcher | None, keep_going: bool
    ) -> tuple[list[Article], list[LeftOut]]:
        """``keep_going``: an article that cannot be read or fetched is left out, with why
        (as the CLI's brief does); otherwise it fails the request."""
        from newsprism.pipeline import clean_one

        articles: list[Article] = []
        left_out: list[LeftOut] = []
        failed: list[InputError] = []
        for n, p in enumerate(posted, 1):
            for item in self._raw_documents(p, n, fetcher):
                outcome = item if isinstance(item, Failure) else clean_one(item, self.settings)
                if isinstance(outcome, Article):
                    articles.append(outcome)
                elif isinstance(outcome, Rejection):
                    left_out.append(LeftOut(f"article {n}", outcome.reason, outcome.detail))
                else:
                    err = outcome.error
                    error = (
                        err
                        if isinstance(err, InputError)
                        else InputError(f"article {n}: {outcome.message}")
                    )
                    if not keep_going:
                        raise error
                    left_out.append(LeftOut(f"article {n}", "failed", outcome.message))
                    failed.append(error)
        if failed and len(articles) < 2:
            # Nothing to compare: the request fails with the first failure's own error (a
            # refused or failed fetch keeps its status), not as a generic shortfall.
            raise failed[0]
        return articles, left_out

    def ingest(self, posted: Sequence[Posted], *, client: str = "local") -> IngestReport:
        """Clean posted articles and add them to the store (copies linked, stories grouped)."""
        from newsprism.corpus.ingest import CorpusState, IngestStats

        articles, left_out = self.clean(posted, client=client)
        report = IngestReport(rejected=[left_out_text(x) for x in left_out])
        store = self.store()
        with self._write_lock:
            stats = IngestStats()
            state = CorpusState(store, self.settings)
            with store.transaction():
                for a in articles:
                    state.add(a, stats)
            report.new, report.duplicates = stats.new, stats.duplicates
            touched = []
            for a in articles:
                story = store.story_of(a.id)
                if story is not None:
                    self.forget(story)
                    touched.append(story)
                report.articles.append({"id": a.id, "story": story, "title": a.title})
        self.briefs.touched(dict.fromkeys(touched))
        return report

    def delete_story(self, story_id: str) -> bool:
        store = self.store()
        with self._write_lock:
            if store.get_story(story_id) is None:
                return False
            with store.transaction():
                store.delete_story(story_id)
            self.forget(story_id)
        return True


#: Days a comparison of pasted articles is kept at its address.
COMPARISON_DAYS = 30


def left_out_text(x: LeftOut) -> str:
    return f"{x.origin}: {x.reason}" + (f": {x.detail}" if x.detail else "")


def with_nav(brief_html: str, href: str, text: str, *, extra: str = "") -> str:
    """The standalone brief page with a way back, put at the top of its header, which the
    template writes before any article text (so no source can be mistaken for it). ``extra``
    is markup of our own (never article text)."""
    nav = f'<p><a href="{href}">{text}</a>{" · " + extra if extra else ""}</p>'
    return brief_html.replace('<header class="top">\n', '<header class="top">\n' + nav + "\n", 1)


def compressed(request: Request, text: str, gz: bytes, media_type: str) -> Response:
    """``gz`` to clients that accept gzip, ``text`` to the others."""
    from newsprism.web.headers import NONE_CSP, csp_of_page

    headers = {"Vary": "Accept-Encoding"}
    # A page's own policy is read from the text: the gzip form cannot be looked into.
    html = media_type.startswith("text/html")
    headers["Content-Security-Policy"] = csp_of_page(text) if html else NONE_CSP
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        return Response(gz, media_type=media_type, headers=headers)
    return Response(text, media_type=media_type, headers=headers)


def gzip_bytes(text: str) -> bytes:
    # level 6: most of level 9's ratio at a third of its cost; done once per brief
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def brief_json(entry: CachedBrief) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(entry.json_text)
    return loaded
