"""WARC archives (plain or gzip'd per record): each archived HTML or text page becomes a RawDocument.

warcio reads the records. Kept: ``response`` records with HTTP status 200 and ``resource``
records, whose content type is HTML, XHTML or plain text; everything else in a crawl (requests,
metadata, revisits, images, scripts, error pages) is skipped silently, as it is not an article.

A record whose payload is damaged (digest mismatch, broken chunked or gzip encoding, cut short)
becomes a Failure and reading goes on. warcio cannot continue past a record whose *headers* are
damaged, so this module finds the next record itself (the next gzip member, or the next
``WARC/1.x`` line) and starts a new iterator there: one bad record costs one record.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from newsprism.config import Settings
from newsprism.errors import InputError, InputTooLargeError, MalformedInputError, NewsprismError
from newsprism.ingest.fetch import decode_body
from newsprism.model import Failure, RawDocument, SourceKind

ReadResult = RawDocument | Failure

_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_LINE = re.compile(rb"\n(WARC/1\.[01]\r?\n)")
_KINDS = {
    "text/html": SourceKind.HTML,
    "application/xhtml+xml": SourceKind.HTML,
    "text/plain": SourceKind.TEXT,
}
_SCAN_CHUNK = 1 << 20


def looks_like_warc(data: bytes) -> bool:
    """Whether ``data`` starts a WARC file, plain or gzip'd."""
    if data.startswith(b"WARC/"):
        return True
    if data[:3] == _GZIP_MEMBER:
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 16)
        except zlib.error:
            return False
        return head.startswith(b"WARC/")
    return False


def read_warc(path: Path, settings: Settings, *, origin: str | None = None) -> Iterator[ReadResult]:
    origin = origin or str(path)
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        yield Failure(origin, InputError("no such file or directory", origin=origin))
        return
    except OSError as exc:
        yield Failure(origin, InputError(f"cannot read: {exc.strerror or exc}", origin=origin))
        return
    with fh:
        yield from read_warc_stream(fh, origin, settings)


def read_warc_bytes(data: bytes, origin: str, settings: Settings) -> Iterator[ReadResult]:
    yield from read_warc_stream(io.BytesIO(data), origin, settings)


def read_warc_stream(fh: BinaryIO, origin: str, settings: Settings) -> Iterator[ReadResult]:
    """Read a seekable WARC stream; record origins are ``origin#offset``."""
    gzipped = fh.read(3) == _GZIP_MEMBER
    pos = 0
    read_any = False
    while True:
        fh.seek(pos)
        records: Any = ArchiveIterator(fh, check_digests=True)
        start = pos
        try:
            for record in records:
                start = records.offset
                read_any = True
                result = _record(record, f"{origin}#{start}", settings)
                if result is not None:
                    yield result
            # warcio ends quietly at a record cut short (a partial download): say so.
            tail = int(records.offset)
            fh.seek(tail)
            if fh.read(4096).strip():
                where = f"{origin}#{tail}"
                yield Failure(
                    where,
                    MalformedInputError(
                        "the archive ends inside this record (file cut short?)", origin=where
                    ),
                )
            return
        except Exception as exc:  # warcio raises many kinds; each is a damaged record
            # warcio moves its offset to the next record before parsing it, so a damaged header
            # is reported where it starts, not at the record read before it.
            start = max(start, int(records.offset))
            where = f"{origin}#{start}"
            if not read_any and start == 0:
                yield Failure(
                    origin,
                    MalformedInputError(f"not a readable WARC file: {_why(exc)}", origin=origin),
                )
            else:
                yield Failure(
                    where, MalformedInputError(f"damaged WARC record: {_why(exc)}", origin=where)
                )
            read_any = True
            nxt = _next_record_start(fh, start + 1, gzipped)
            if nxt is None:
                return
            pos = nxt


def _why(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__


def _record(record: Any, where: str, settings: Settings) -> ReadResult | None:
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or http.get_statuscode() != "200":
            return None
        ctype = http.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        ctype = record.content_type or ""
    else:
        return None
    media_type = ctype.split(";", 1)[0].strip().lower()
    kind = _KINDS.get(media_type)
    if kind is None:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    limit = settings.max_file_bytes
    try:
        data = _read_limited(record.content_stream(), limit)
    except Exception as exc:  # a broken chunked/gzip payload, in many forms
        return Failure(
            where, MalformedInputError(f"damaged WARC record payload: {_why(exc)}", origin=where)
        )
    if data is None:
        return Failure(
            where,
            InputTooLargeError(
                f"record payload is over the {limit / 1e6:.1f} MB limit", origin=where
            ),
        )
    # warcio stops quietly where the file stops: a record whose Content-Length was not all
    # there is a partial download, never an article (stored, it would be a truncated one).
    missing = int(getattr(record.raw_stream, "limit", 0) or 0)
    if missing > 0:
        return Failure(
            where,
            MalformedInputError(
                f"the archive ends inside this record, {missing} bytes short (file cut short?)",
                origin=where,
            ),
        )
    if record.digest_checker.passed is False:
        return Failure(
            where,
            MalformedInputError("WARC digest does not match: the record is damaged", origin=where),
        )
    charset = None
    if "charset=" in ctype.lower():
        charset = ctype.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or None
    try:
        text = decode_body(data, charset, where, limit=limit, setting="max_file_bytes")
    except NewsprismError as exc:
        return Failure(where, exc)
    return RawDocument(origin=where, kind=kind, content=text, url=url)


def _read_limited(stream: Any, limit: int) -> bytes | None:
    """Read the whole stream, or return None as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(65_536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)


def _next_record_start(fh: BinaryIO, pos: int, gzipped: bool) -> int | None:
    # warcio has no recovery of its own: scan for where the next record (or gzip member) starts.
    marker = _GZIP_MEMBER if gzipped else _WARC_LINE
    fh.seek(pos)
    base = pos  # file offset of buf[0]
    buf = b""
    while True:
        chunk = fh.read(_SCAN_CHUNK)
        if not chunk:
            return None
        buf += chunk
        if isinstance(marker, bytes):
            at = buf.find(marker)
            if at >= 0:
                return base + at
        else:
            match = marker.search(buf)
            if match:
                return base + match.start(1)
        # Keep a tail so a marker split across two reads is still found.
        keep = 16
        base += max(len(buf) - keep, 0)
        buf = buf[-keep:]
