"""Readers for plain text, HTML, JSON/JSONL, directories of these, and stdin.

A reader never raises for a bad input: it yields a :class:`~newsprism.model.Failure` naming the file
(and the line, for JSONL) and goes on, so one bad file in a batch of a thousand stops nothing.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from newsprism.config import Settings
from newsprism.errors import InputError, InputTooLargeError, MalformedInputError, NewsprismError
from newsprism.ingest.decode import decode_bytes
from newsprism.model import Failure, RawDocument, SourceKind

ReadResult = RawDocument | Failure

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
    """Yield a result for every article found in ``sources`` (paths, directories or ``-``)."""
    for source in sources:
        if source == "-":
            yield from read_stream(sys.stdin.buffer, "<stdin>", settings)
            continue
        path = Path(source)
        if path.is_dir():
            yield from _read_dir(path, settings)
        else:
            yield from read_path(path, settings)


def _wanted(path: Path, settings: Settings) -> bool:
    name = path.name.lower().removesuffix(".gz")
    exts = (
        *settings.input_extensions_text,
        *settings.input_extensions_html,
        *settings.input_extensions_jsonl,
        ".json",
    )
    return not name.startswith(".") and name.endswith(exts)


def _read_dir(root: Path, settings: Settings) -> Iterator[ReadResult]:
    # Sorted walk: the same directory always gives the same order (and the same ids and stories).
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if _wanted(path, settings):
                yield from read_path(path, settings)


def _kind_by_name(path: Path, settings: Settings) -> str | None:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(settings.input_extensions_jsonl):
        return "jsonl"
    if name.endswith(".json"):
        return "json"
    if name.endswith(settings.input_extensions_html):
        return "html"
    if name.endswith(settings.input_extensions_text):
        return "text"
    return None


def read_path(path: Path, settings: Settings) -> Iterator[ReadResult]:
    origin = str(path)
    try:
        kind = _kind_by_name(path, settings)
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
        yield Failure(origin, InputError("permission denied", origin=origin))
        return
    except OSError as exc:
        yield Failure(origin, InputError(f"cannot read: {exc.strerror or exc}", origin=origin))
        return
    yield from read_bytes(data, origin, settings, kind=kind)


def read_stream(stream: BinaryIO, origin: str, settings: Settings) -> Iterator[ReadResult]:
    data = stream.read(settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        yield Failure(
            origin,
            InputTooLargeError(
                f"input is over the {settings.max_file_bytes / 1e6:.1f} MB limit", origin=origin
            ),
        )
        return
    yield from read_bytes(data, origin, settings, kind=None)


def read_bytes(
    data: bytes, origin: str, settings: Settings, *, kind: str | None
) -> Iterator[ReadResult]:
    """Decode ``data`` and yield its article(s); ``kind`` None means sniff the content."""
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
            line = decode_bytes(raw, where, limit=settings.max_jsonl_line_bytes)
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
            MalformedInputError(f"not valid JSON: {exc.msg} at column {exc.colno}", origin=where),
        )
    return _record(obj, where)


def _read_json(text: str, origin: str) -> Iterator[ReadResult]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Failure(
            origin,
            MalformedInputError(
                f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", origin=origin
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
