"""RSS and Atom feeds, served by the local server (conftest.py) or read from files."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from newsprism.config import Settings, load_settings
from newsprism.errors import EmptyInputError, FetchError, MalformedInputError, NewsprismError
from newsprism.ingest import iter_inputs
from newsprism.ingest.feeds import looks_like_feed, parse_feed
from newsprism.model import Failure, RawDocument, SourceKind

from .conftest import WEB, WebServer


def fast(**overrides: object) -> Settings:
    # The test server is on loopback, which the fetch policy refuses unless told otherwise.
    base: dict[str, object] = {
        "per_host_delay_s": 0.0,
        "fetch_timeout_s": 2.0,
        "fetch_allow_private": True,
    }
    base.update(overrides)
    return load_settings(**base)


def test_rss_items_become_fetched_pages_with_feed_hints(web: WebServer) -> None:
    feed = web.url("/feed.rss")
    results = list(iter_inputs([feed], fast()))
    assert len(results) == 3  # the repeated item is read once

    council, private, gone = results
    assert isinstance(council, RawDocument)
    assert council.kind is SourceKind.HTML
    assert council.origin == council.url == web.url("/articles/council.html")
    assert "voted 5-2 on Tuesday night" in council.content  # the page, not the feed's teaser
    assert council.title == "Council approves budget after long debate"
    assert council.published == "2024-06-12T04:30:00+00:00"
    assert council.byline == "Maria Lopez"

    # robots.txt forbids the page, so the item's full content from the feed is used instead.
    assert isinstance(private, RawDocument)
    assert private.origin == web.url("/private/secret.html")
    assert "water plant upgrade will cost $3 million" in private.content
    assert "/private/secret.html" not in [h.path for h in web.hits]

    # No page and no full content: a failure naming the item's URL; the feed goes on regardless.
    assert isinstance(gone, Failure)
    assert isinstance(gone.error, FetchError)
    assert str(gone.error) == f"{web.url('/articles/gone.html')}: HTTP 404 Not Found [NP210]"
    assert web.counts["/articles/council.html"] == 1


def test_atom_entries(web: WebServer) -> None:
    bridge, library = iter_inputs([web.url("/feed.atom")], fast())
    assert isinstance(bridge, RawDocument)
    assert "replaced two steel beams" in bridge.content
    assert bridge.published == "2024-06-10T13:15:00+00:00"
    assert bridge.byline == "Sam Park"
    assert isinstance(library, RawDocument)  # 404 page, so the entry's <content> is used
    assert library.content == (
        "<p>The Carverton library will open on Sundays from July, the board said on Tuesday.</p>"
    )
    assert library.url == web.url("/articles/library.html")


def test_feed_served_as_generic_xml_is_sniffed(web: WebServer) -> None:
    results = list(iter_inputs([web.url("/feed-as-text-xml")], fast()))
    assert [type(r).__name__ for r in results] == ["RawDocument", "RawDocument", "Failure"]


def test_max_feed_items(web: WebServer) -> None:
    results = list(iter_inputs([web.url("/feed.rss")], fast(max_feed_items=1)))
    assert len(results) == 1
    assert web.counts["/articles/gone.html"] == 0


def test_local_feed_without_fetching_uses_full_content_only(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xml"
    path.write_bytes((WEB / "feed.rss").read_bytes())
    results = list(iter_inputs([str(path)], fast(feed_fetch_pages=False)))
    assert len(results) == 3
    council, private, gone = results
    assert isinstance(council, Failure)
    assert isinstance(council.error, EmptyInputError)
    assert "only a summary" in str(council.error)
    assert isinstance(private, RawDocument)
    assert "water plant" in private.content
    assert isinstance(gone, Failure)


def test_feeds_in_a_directory_are_read_but_stray_xml_is_not(tmp_path: Path) -> None:
    (tmp_path / "wire.atom").write_bytes((WEB / "feed.atom").read_bytes())
    (tmp_path / "sitemap.xml").write_text("<urlset><url><loc>x</loc></url></urlset>")
    results = list(iter_inputs([str(tmp_path)], fast(feed_fetch_pages=False)))
    assert [r.origin for r in results] == [
        "http://SERVER/articles/bridge.html",
        "http://SERVER/articles/library.html",
    ]
    assert [type(r).__name__ for r in results] == ["Failure", "RawDocument"]


def test_malformed_feed_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text("this is not XML at all, just words")
    (result,) = iter_inputs([str(path)], fast())
    assert isinstance(result, Failure)
    assert isinstance(result.error, MalformedInputError)
    assert str(result.error).startswith(f"{path}: not a valid RSS or Atom feed")


def test_empty_feed_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "empty.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    )
    (result,) = iter_inputs([str(path)], fast())
    assert isinstance(result, Failure)
    assert str(result.error) == f"{path}: feed has no items [NP201]"


def test_feed_is_recognised_by_its_root_element() -> None:
    assert looks_like_feed((WEB / "feed.rss").read_bytes())
    assert looks_like_feed((WEB / "feed.atom").read_bytes())
    assert looks_like_feed(
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c -->\n<rdf:RDF xmlns:rdf="x">'
    )
    assert not looks_like_feed(b"<!doctype html><html><body>rss</body></html>")
    assert not looks_like_feed(b'<?xml version="1.0"?><urlset/>')


@hsettings(max_examples=60, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: f"<rss>{t}".encode()))
def test_parse_feed_never_crashes(data: bytes) -> None:
    try:
        items = parse_feed(data, "fuzz.rss")
    except NewsprismError:
        return
    assert all(item.link is None or item.link.startswith(("http://", "https://")) for item in items)
