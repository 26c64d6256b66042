"""WARC archives, built in the test with warcio's own writer."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism.config import Settings, load_settings
from newsprism.errors import InputTooLargeError, MalformedInputError
from newsprism.ingest import iter_inputs, read_bytes
from newsprism.model import Failure, RawDocument, SourceKind

PAGE = "<html><body><article><p>{} The council voted 5-2 on Tuesday.</p></article></body></html>"


def _response(
    writer: WARCWriter,
    uri: str,
    body: bytes,
    *,
    status: str = "200 OK",
    ctype: str = "text/html; charset=utf-8",
    extra: list[tuple[str, str]] | None = None,
) -> None:
    headers = StatusAndHeaders(
        status, [("Content-Type", ctype), *(extra or [])], protocol="HTTP/1.1"
    )
    record = writer.create_warc_record(
        uri, "response", payload=io.BytesIO(body), http_headers=headers
    )
    writer.write_record(record)


def build_warc(*, gz: bool, pages: int = 3) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "newsprism tests"}))
    for i in range(pages):
        uri = f"http://news.example/story-{i}.html"
        request = writer.create_warc_record(
            uri,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(
                f"GET /story-{i}.html", [("Host", "news.example")], protocol="HTTP/1.1"
            ),
        )
        writer.write_record(request)
        _response(writer, uri, PAGE.format(f"Story {i}.").encode())
    # Things a crawl holds that are not articles.
    _response(
        writer, "http://news.example/missing.html", b"<html>gone</html>", status="404 Not Found"
    )
    _response(writer, "http://news.example/logo.png", b"\x89PNG\r\n\x1a\n", ctype="image/png")
    _response(writer, "http://news.example/notes.txt", b"Plain notes.\n", ctype="text/plain")
    gz_body = gzip.compress(PAGE.format("Compressed.").encode())
    _response(
        writer,
        "http://news.example/gzipped.html",
        gz_body,
        extra=[("Content-Encoding", "gzip"), ("Content-Length", str(len(gz_body)))],
    )
    return out.getvalue()


def docs_and_failures(
    results: list[RawDocument | Failure],
) -> tuple[list[RawDocument], list[Failure]]:
    return (
        [r for r in results if isinstance(r, RawDocument)],
        [r for r in results if isinstance(r, Failure)],
    )


@pytest.mark.parametrize("gz", [False, True])
def test_html_and_text_responses_are_read(tmp_path: Path, settings: Settings, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(build_warc(gz=gz))
    docs, failures = docs_and_failures(list(iter_inputs([str(path)], settings)))
    assert failures == []
    assert [d.url for d in docs] == [
        "http://news.example/story-0.html",
        "http://news.example/story-1.html",
        "http://news.example/story-2.html",
        "http://news.example/notes.txt",
        "http://news.example/gzipped.html",
    ]
    assert [d.kind for d in docs] == [SourceKind.HTML] * 3 + [SourceKind.TEXT, SourceKind.HTML]
    assert "Story 1. The council voted" in docs[1].content
    assert "Compressed. The council" in docs[4].content  # Content-Encoding undone
    # Each origin's offset is where warcio itself finds that record.
    for doc in docs:
        prefix, offset = doc.origin.rsplit("#", 1)
        assert prefix == str(path)
        with path.open("rb") as fh:
            fh.seek(int(offset))
            record = next(iter(ArchiveIterator(fh)))
            assert record.rec_headers.get_header("WARC-Target-URI") == doc.url


def test_warc_in_a_directory_and_from_bytes(tmp_path: Path, settings: Settings) -> None:
    data = build_warc(gz=True, pages=1)
    (tmp_path / "a.warc.gz").write_bytes(data)
    from_dir, _ = docs_and_failures(list(iter_inputs([str(tmp_path)], settings)))
    from_bytes, _ = docs_and_failures(list(read_bytes(data, "<stdin>", settings, kind=None)))
    assert len(from_dir) == len(from_bytes) == 3
    assert from_bytes[0].origin.startswith("<stdin>#")


def test_damaged_payload_is_one_failure(tmp_path: Path, settings: Settings) -> None:
    data = build_warc(gz=False)
    at = data.index(b"Story 1.")
    path = tmp_path / "crawl.warc"
    path.write_bytes(data[:at] + b"Stxry 1." + data[at + 8 :])  # same length: only the digest knows
    docs, failures = docs_and_failures(list(iter_inputs([str(path)], settings)))
    assert len(docs) == 4
    assert "http://news.example/story-1.html" not in [d.url for d in docs]
    (failure,) = failures
    assert isinstance(failure.error, MalformedInputError)
    assert "digest does not match" in str(failure.error)
    assert failure.origin.startswith(f"{path}#")


@pytest.mark.parametrize("gz", [False, True])
def test_damaged_record_header_skips_to_the_next_record(
    tmp_path: Path, settings: Settings, gz: bool
) -> None:
    data = build_warc(gz=gz)
    offsets = [r[0] for r in _offsets(data)]
    target = offsets[4]  # the response of story-1 (warcinfo, req, resp, req, *resp*)
    path = tmp_path / "crawl.warc"
    # Overwrite the record's start: for gzip the member header, for plain WARC the version line.
    path.write_bytes(data[:target] + b"GARBAGE!GARBAGE!" + data[target + 16 :])
    docs, failures = docs_and_failures(list(iter_inputs([str(path)], settings)))
    assert [d.url for d in docs] == [
        "http://news.example/story-0.html",
        "http://news.example/story-2.html",
        "http://news.example/notes.txt",
        "http://news.example/gzipped.html",
    ]
    (failure,) = failures
    assert failure.origin == f"{path}#{target}"
    assert "damaged WARC record" in str(failure.error)


def test_truncated_archive_keeps_what_came_before(tmp_path: Path, settings: Settings) -> None:
    data = build_warc(gz=True)
    path = tmp_path / "cut.warc.gz"
    start, end = _offsets(data)[6][0], _offsets(data)[7][0]
    path.write_bytes(data[: (start + end) // 2])  # half of story-2's response record
    docs, failures = docs_and_failures(list(iter_inputs([str(path)], settings)))
    assert [d.url for d in docs] == [
        "http://news.example/story-0.html",
        "http://news.example/story-1.html",
    ]
    (failure,) = failures
    assert failure.origin == f"{path}#{start}"


@pytest.mark.parametrize("gz", [False, True])
def test_a_record_cut_short_is_reported_never_stored_truncated(
    tmp_path: Path, settings: Settings, gz: bool
) -> None:
    data = build_warc(gz=gz)
    offsets = _offsets(data)
    start, end = offsets[6][0], offsets[7][0]  # story-2's response record
    # Cut inside the record's payload; plain, also a few bytes short of its end (gzip'd, those
    # bytes are the member's checksum, and the payload before them is whole).
    cuts = [(start + end) // 2] if gz else [data.index(b"Story 2.", start) + 3, end - 5]
    for cut in cuts:
        path = tmp_path / f"cut{cut}.warc{'.gz' if gz else ''}"
        path.write_bytes(data[:cut])
        docs, failures = docs_and_failures(list(iter_inputs([str(path)], settings)))
        assert [d.url for d in docs] == [
            "http://news.example/story-0.html",
            "http://news.example/story-1.html",
        ], cut
        (failure,) = failures
        assert failure.origin == f"{path}#{start}"
        assert "cut short" in failure.message or "damaged" in failure.message


def test_no_cut_of_an_archive_yields_a_truncated_article() -> None:
    data = build_warc(gz=False, pages=2)
    whole = {d.content for d in read_bytes(data, "a.warc", load_settings(), kind="warc")}
    for cut in range(len(b"WARC/1.0"), len(data), 7):
        for r in read_bytes(data[:cut], "a.warc", load_settings(), kind="warc"):
            if isinstance(r, RawDocument):
                assert r.content in whole, cut


def test_not_a_warc_is_one_failure(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "page.warc"
    path.write_text("<html><body>hello</body></html>")
    (result,) = iter_inputs([str(path)], settings)
    assert isinstance(result, Failure)
    assert str(result.error).startswith(f"{path}: not a readable WARC file")


def test_oversized_record_is_refused(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(build_warc(gz=False))
    small = settings.model_copy(update={"max_file_bytes": 50})
    docs, failures = docs_and_failures(list(iter_inputs([str(path)], small)))
    assert [d.url for d in docs] == ["http://news.example/notes.txt"]
    assert len(failures) == 4
    assert all(isinstance(f.error, InputTooLargeError) for f in failures)


def _offsets(data: bytes) -> list[tuple[int, str]]:
    records = ArchiveIterator(io.BytesIO(data))
    out = []
    for record in records:
        out.append((records.offset, record.rec_type))
    return out


# Built once: record ids and dates differ between builds, and hypothesis needs a fixed input.
_FUZZ_BASE = {gz: build_warc(gz=gz, pages=2) for gz in (False, True)}


@hsettings(max_examples=40, deadline=None)
@given(st.data())
def test_no_damage_crashes_the_reader(data: st.DataObject) -> None:
    gz = data.draw(st.booleans())
    raw = bytearray(_FUZZ_BASE[gz])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(raw)))
    results = list(read_bytes(bytes(raw[:cut]), "fuzz.warc", load_settings(), kind="warc"))
    for r in results:
        assert isinstance(r, (RawDocument, Failure))
        assert r.origin.startswith("fuzz.warc")
