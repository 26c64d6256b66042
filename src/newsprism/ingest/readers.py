"""Readers for plain text, HTML, JSON/JSONL, RSS/Atom feeds, WARC archives, http(s) URLs,
directories of these, and stdin.

A reader never raises for a bad input: it yields a :class:`~newsprism.model.Failure` naming the file
(and the line, for JSONL; the URL; the WARC record's offset) and goes on, so one bad input in a
batch of a thousand stops nothing. The network is used only for URLs the user names and for the
article pages of feeds the user names, through one polite :class:`~newsprism.ingest.fetch.Fetcher`
per batch.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from newsprism.config import Settings
from newsprism.errors import (
    InputError,
    InputTooLargeError,
    MalformedInputError,
    NewsprismError,
)
from newsprism.ingest.decode import decode_bytes, gunzip
from newsprism.ingest.names import display_name
from newsprism.model import Failure, RawDocument, SourceKind

if TYPE_CHECKING:
    from newsprism.ingest.fetch import Fetcher

# The feed, fetch and WARC readers (feedparser, httpx, warcio: 0.4 CPU-seconds of imports) are
# imported where a source needs them: a brief of local text, HTML or JSONL files never does.

ReadResult = RawDocument | Failure

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")
_HTML_SNIFF = re.compile(rb"<(!doctype\s+html|html|head|body|article|p|div)[\s>]", re.IGNORECASE)
# Field names seen in real dumps, mapped to ours (first match wins).
_ALIASES: dict[str, tuple[str, ...]] = {
    "url": ("url", "link", "canonical_url"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "site", "sitename", "publisher"),
    "published": ("published", "date", "published_at", "pubdate", "datePublished"),
    "byline": ("byline", "author", "authors"),
}


def iter_inputs(sources: Iterable[str], settings: Settings) -> Iterator[ReadResult]:
    """Yield a result for every article found in ``sources`` (paths, directories, URLs or ``-``)."""
    with contextlib.ExitStack() as stack:
        fetcher: Fetcher | None = None  # made for the first source that may fetch, then shared
        for source in expand_sources(sources, settings):
            if fetcher is None and _may_fetch(source, settings):
                from newsprism.ingest.fetch import Fetcher

                fetcher = stack.enter_context(Fetcher(settings))
            yield from read_source(source, settings, fetcher)


def _may_fetch(source: str, settings: Settings) -> bool:
    """Whether reading ``source`` may fetch: a URL, stdin, or a file that may be a feed (whose
    items are fetched). Text, HTML and JSON files, known by name, never do."""
    if source == "-" or _SCHEME.match(source):
        return True
    return _kind_by_name(Path(source), settings) not in ("text", "html", "jsonl", "json")


def expand_sources(sources: Iterable[str], settings: Settings) -> Iterator[str]:
    """The inputs one by one: ``-``, URLs and files as given, directories walked (sorted).

    A directory that cannot be listed is yielded itself, so that reading it reports why
    (see :func:`read_path`) instead of the walk passing over it in silence."""
    for source in sources:
        if source == "-" or _SCHEME.match(source):
            yield source
            continue
        path = Path(source)
        if path.is_dir():
            unlisted: list[str] = []
            for dirpath, dirnames, filenames in os.walk(path, onerror=_note_unlisted(unlisted)):
                yield from unlisted
                unlisted.clear()
                # Sorted walk: the same directory gives the same order (and the same stories).
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if _wanted(Path(dirpath) / name, settings):
                        yield str(Path(dirpath) / name)
            yield from unlisted
        else:
            yield source


def _note_unlisted(into: list[str]) -> Callable[[OSError], None]:
    def note(exc: OSError) -> None:
        if exc.filename is not None:
            into.append(os.fsdecode(exc.filename))

    return note


def read_source(
    source: str,
    settings: Settings,
    fetcher: Fetcher | None,
    *,
    skip_item: Callable[[str], bool] | None = None,
) -> Iterator[ReadResult]:
    """The articles of one expanded source (see :func:`expand_sources`). ``skip_item``: feed
    items whose link it accepts are not fetched (``newsprism watch``: those already stored).
    Without a ``fetcher``, one is made where the source needs it."""
    if source == "-":
        yield from read_stream(sys.stdin.buffer, "<stdin>", settings, fetcher=fetcher)
    elif _SCHEME.match(source):
        if fetcher is not None:
            yield from read_url(source, settings, fetcher, skip_item=skip_item)
            return
        from newsprism.ingest.fetch import Fetcher

        with Fetcher(settings) as own:
            yield from read_url(source, settings, own, skip_item=skip_item)
    else:
        yield from read_path(Path(source), settings, fetcher=fetcher)


def holds_one_document(source: str, settings: Settings) -> bool:
    """Whether ``source`` is a local file that :func:`read_source` reads as exactly one document
    (plain text or HTML, by its name). Such a file can be read wherever it is cleaned: a worker
    process reads it itself instead of being sent its content."""
    if source == "-" or _SCHEME.match(source):
        return False
    return _kind_by_name(Path(source), settings) in ("text", "html")


def read_document(source: str, settings: Settings) -> ReadResult:
    """The one result of a source for which :func:`holds_one_document` is true, read exactly as
    :func:`read_source` reads it."""
    results = list(read_path(Path(source), settings))
    if len(results) == 1:
        return results[0]
    # Text and HTML readers yield one result per file; this guards the contract, not an input.
    return Failure(
        source,
        InputError(f"expected one document, the reader gave {len(results)}", origin=source),
    )


def read_url(
    url: str,
    settings: Settings,
    fetcher: Fetcher,
    *,
    skip_item: Callable[[str], bool] | None = None,
) -> Iterator[ReadResult]:
    """An article page, or every article of an RSS/Atom feed, fetched from ``url``."""
    from newsprism.ingest.feeds import looks_like_feed, read_feed
    from newsprism.ingest.fetch import page_document

    try:
        fetched = fetcher.fetch(url)
        is_feed = fetched.is_feed_type or looks_like_feed(fetched.body.lstrip()[:8192])
        page = None if is_feed else page_document(fetched, settings, origin=url)
    except NewsprismError as exc:
        yield Failure(url, exc)
        return
    if page is None:
        yield from read_feed(
            fetched.body, url, settings, fetcher, base_url=fetched.final_url, skip_item=skip_item
        )
    else:
        yield page


def _wanted(path: Path, settings: Settings) -> bool:
    name = path.name.lower().removesuffix(".gz")
    exts = (
        *settings.input_extensions_text,
        *settings.input_extensions_html,
        *settings.input_extensions_jsonl,
        *settings.input_extensions_warc,
        # Directories of scraped pages hold sitemaps and other XML that is not a feed; a .xml file
        # is read as a feed only when named explicitly.
        *(e for e in settings.input_extensions_feed if e != ".xml"),
        ".json",
    )
    return not name.startswith(".") and name.endswith(exts)


def _kind_by_name(path: Path, settings: Settings) -> str | None:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(settings.input_extensions_warc):
        return "warc"
    if name.endswith(settings.input_extensions_feed):
        return "feed"
    if name.endswith(settings.input_extensions_jsonl):
        return "jsonl"
    if name.endswith(".json"):
        return "json"
    if name.endswith(settings.input_extensions_html):
        return "html"
    if name.endswith(settings.input_extensions_text):
        return "text"
    return None


def read_path(
    path: Path, settings: Settings, *, fetcher: Fetcher | None = None
) -> Iterator[ReadResult]:
    origin = display_name(str(path))
    try:
        if path.is_dir():
            os.listdir(path)  # the reason a directory could not be walked, if it can't
            raise IsADirectoryError
        kind = _kind_by_name(path, settings)
        if kind == "warc":
            from newsprism.ingest.warc import read_warc

            # Archives are streamed record by record; max_file_bytes applies to each record.
            yield from read_warc(path, settings, origin=origin)
            return
        if kind == "jsonl":
            # JSONL corpora may be far larger than one article may be: stream, and limit per line.
            with path.open("rb") as fh:
                yield from _read_jsonl_lines(fh, origin, settings)
            return
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            raise InputTooLargeError(
                f"file is {size / 1e6:.1f} MB, over the {settings.max_file_bytes / 1e6:.1f} MB limit "
                "(raise max_file_bytes or NEWSPRISM_MAX_FILE_BYTES, or split it into JSONL)",
                origin=origin,
            )
        data = path.read_bytes()
    except NewsprismError as exc:
        yield Failure(origin, exc)
        return
    except FileNotFoundError:
        yield Failure(origin, InputError("no such file or directory", origin=origin))
        return
    except IsADirectoryError:
        yield Failure(origin, InputError("is a directory", origin=origin))
        return
    except PermissionError:
        what = "cannot list directory" if path.is_dir() else "cannot read"
        yield Failure(origin, InputError(f"{what}: permission denied", origin=origin))
        return
    except OSError as exc:
        yield Failure(origin, InputError(f"cannot read: {exc.strerror or exc}", origin=origin))
        return
    yield from read_bytes(data, origin, settings, kind=kind, fetcher=fetcher)


def read_stream(
    stream: BinaryIO, origin: str, settings: Settings, *, fetcher: Fetcher | None = None
) -> Iterator[ReadResult]:
    data = stream.read(settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        yield Failure(
            origin,
            InputTooLargeError(
                f"input is over the {settings.max_file_bytes / 1e6:.1f} MB limit", origin=origin
            ),
        )
        return
    yield from read_bytes(data, origin, settings, kind=None, fetcher=fetcher)


def read_bytes(
    data: bytes,
    origin: str,
    settings: Settings,
    *,
    kind: str | None,
    fetcher: Fetcher | None = None,
) -> Iterator[ReadResult]:
    """Decode ``data`` and yield its article(s); ``kind`` None means sniff the content.

    ``fetcher`` serves the article links of a feed; without one, a fetcher is made for this call.
    """
    if kind in (None, "warc"):
        from newsprism.ingest.warc import looks_like_warc, read_warc_bytes

        if looks_like_warc(data):
            yield from read_warc_bytes(data, origin, settings)
            return
    if kind in (None, "feed"):
        from newsprism.ingest.feeds import looks_like_feed

        is_feed = kind == "feed" or looks_like_feed(data.lstrip()[:8192])
    else:
        is_feed = False
    if is_feed:
        yield from _feed_bytes(data, origin, settings, fetcher)
        return
    try:
        text = decode_bytes(data, origin, limit=settings.max_file_bytes)
    except NewsprismError as exc:
        yield Failure(origin, exc)
        return
    kind = kind or _sniff(text)
    if kind == "jsonl":
        yield from _jsonl_from_text(text, origin, settings)
    elif kind == "json":
        yield from _read_json(text, origin)
    elif kind == "html":
        yield RawDocument(origin=origin, kind=SourceKind.HTML, content=text)
    else:
        yield RawDocument(origin=origin, kind=SourceKind.TEXT, content=text)


def _feed_bytes(
    data: bytes, origin: str, settings: Settings, fetcher: Fetcher | None
) -> Iterator[ReadResult]:
    if data[:2] == b"\x1f\x8b":
        try:
            data = gunzip(data, origin, settings.max_file_bytes)
        except NewsprismError as exc:
            yield Failure(origin, exc)
            return
    from newsprism.ingest.feeds import read_feed
    from newsprism.ingest.fetch import Fetcher

    if fetcher is not None:
        yield from read_feed(data, origin, settings, fetcher)
        return
    with Fetcher(settings) as own:
        yield from read_feed(data, origin, settings, own)


def _sniff(text: str) -> str:
    head = text.lstrip()[:4096]
    if head.startswith("{"):
        first = head.split("\n", 1)[0].strip()
        return "jsonl" if first.endswith("}") else "json"
    if head.startswith("[") and head[1:].lstrip().startswith("{"):
        return "json"
    if _HTML_SNIFF.search(head.encode("utf-8", "replace")):
        return "html"
    return "text"


def _read_jsonl_lines(fh: BinaryIO, origin: str, settings: Settings) -> Iterator[ReadResult]:
    saw_any = False
    for lineno, raw in enumerate(fh, start=1):
        where = f"{origin}:{lineno}"
        if len(raw) > settings.max_jsonl_line_bytes:
            yield Failure(
                where,
                InputTooLargeError(
                    f"line is {len(raw) / 1e6:.1f} MB, over max_jsonl_line_bytes", origin=where
                ),
            )
            continue
        if not raw.strip():
            continue
        saw_any = True
        try:
            line = decode_bytes(
                raw, where, limit=settings.max_jsonl_line_bytes, setting="max_jsonl_line_bytes"
            )
        except NewsprismError as exc:
            yield Failure(where, exc)
            continue
        yield _record_from_json_line(line, where)
    if not saw_any:
        yield Failure(origin, InputError("file is empty (no JSON lines)", origin=origin))


def _jsonl_from_text(text: str, origin: str, settings: Settings) -> Iterator[ReadResult]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield _record_from_json_line(line, f"{origin}:{lineno}")


def _record_from_json_line(line: str, where: str) -> ReadResult:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Failure(
            where,
            MalformedInputError(
                f"not valid JSON: {_json_why(exc)} at column {exc.colno}", origin=where
            ),
        )
    return _record(obj, where)


def _json_why(exc: json.JSONDecodeError) -> str:
    # Some of json's messages end in "at" ("Invalid control character at"), others do not.
    return exc.msg.removesuffix(" at")


def _read_json(text: str, origin: str) -> Iterator[ReadResult]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Failure(
            origin,
            MalformedInputError(
                f"not valid JSON: {_json_why(exc)} at line {exc.lineno} column {exc.colno}",
                origin=origin,
            ),
        )
        return
    items = obj if isinstance(obj, list) else [obj]
    for i, item in enumerate(items):
        yield _record(item, f"{origin}[{i}]" if isinstance(obj, list) else origin)


def _field(obj: dict[str, Any], name: str) -> str | None:
    for key in _ALIASES[name]:
        value = obj.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        if value is not None and not isinstance(value, (dict, list)) and str(value).strip():
            return str(value)
    return None


def _record(obj: Any, where: str) -> ReadResult:
    if not isinstance(obj, dict):
        return Failure(
            where,
            MalformedInputError(f"expected a JSON object, got {type(obj).__name__}", origin=where),
        )
    html, text = obj.get("html"), obj.get("text")
    content, kind = (
        (html, SourceKind.HTML)
        if isinstance(html, str) and html.strip()
        else (text, SourceKind.TEXT)
    )
    if not isinstance(content, str) or not content.strip():
        return Failure(
            where, MalformedInputError("has no non-empty 'text' or 'html' field", origin=where)
        )
    return RawDocument(
        origin=where,
        kind=kind,
        content=content,
        url=_field(obj, "url"),
        title=_field(obj, "title"),
        outlet=_field(obj, "outlet"),
        published=_field(obj, "published"),
        byline=_field(obj, "byline"),
    )
