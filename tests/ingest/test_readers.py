from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.config import Settings
from newsprism.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    MalformedInputError,
)
from newsprism.ingest import iter_inputs
from newsprism.model import Failure, RawDocument, SourceKind

BODY = "The council met on Tuesday. It voted 5-2 to approve the budget, officials said.\n"


def read_all(paths: list[Path | str], settings: Settings) -> list[RawDocument | Failure]:
    return list(iter_inputs([str(p) for p in paths], settings))


def test_plain_text_and_html_by_extension(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "a.txt").write_text("Headline here\n" + BODY, encoding="utf-8")
    (tmp_path / "b.html").write_text(f"<html><body><p>{BODY}</p></body></html>", encoding="utf-8")
    docs = read_all([tmp_path / "a.txt", tmp_path / "b.html"], settings)
    assert [d.kind for d in docs if isinstance(d, RawDocument)] == [
        SourceKind.TEXT,
        SourceKind.HTML,
    ]
    assert docs[0].origin.endswith("a.txt")


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("latin-1", "Caf\u00e9 owners in S\u00e3o Paulo protested on Monday.\n"),
        ("cp1252", "\u201cWe will rebuild,\u201d the mayor said \u2014 again.\n"),
        ("utf-8-sig", "\u201cWe will rebuild,\u201d the mayor said \u2014 again.\n"),
        ("utf-16", "\u201cWe will rebuild,\u201d the mayor said.\n"),
    ],
)
def test_legacy_encodings_are_decoded(
    tmp_path: Path, settings: Settings, encoding: str, text: str
) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    (doc,) = read_all([path], settings)
    assert isinstance(doc, RawDocument)
    assert doc.content.lstrip("\ufeff") == text


def test_mixed_encodings_decode_line_by_line(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(
        "Caf\u00e9 line in UTF-8\n".encode() + "\u201cQuoted\u201d in cp1252\n".encode("cp1252")
    )
    (doc,) = read_all([path], settings)
    assert isinstance(doc, RawDocument)
    assert doc.content == "Caf\u00e9 line in UTF-8\n\u201cQuoted\u201d in cp1252\n"


@pytest.mark.parametrize(
    ("content", "error", "words"),
    [
        (b"", EmptyInputError, "empty"),
        (b"  \n\n ", EmptyInputError, "whitespace"),
        (b"%PDF-1.7\n%\xe2\xe3", BinaryInputError, "PDF"),
        (b"\x00\x01\x02binary\x00" * 50, BinaryInputError, "binary"),
    ],
)
def test_bad_files_fail_with_a_named_reason(
    tmp_path: Path, settings: Settings, content: bytes, error: type[InputError], words: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    (fail,) = read_all([path], settings)
    assert isinstance(fail, Failure)
    assert isinstance(fail.error, error)
    assert str(path) in fail.message and words in fail.message
    assert "\n" not in fail.message


def test_huge_file_is_refused_without_reading_it(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: 100 MB on paper, nothing on disk
        fh.truncate(100 * 1024 * 1024)
    (fail,) = read_all([path], settings)
    assert isinstance(fail, Failure) and isinstance(fail.error, InputTooLargeError)
    assert "104.9 MB" in fail.message and "max_file_bytes" in fail.message


def test_jsonl_broken_line_does_not_stop_the_others(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"text": BODY, "title": "One", "outlet": "A", "date": "2019-03-01"}),
        '{"text": "unterminated',
        json.dumps({"title": "no body"}),
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps(
            {"html": f"<p>{BODY}</p>", "url": "https://x.example/a", "author": ["Ann", "Bo"]}
        ),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = read_all([path], settings)
    assert len(results) == 5
    ok = [r for r in results if isinstance(r, RawDocument)]
    bad = [r for r in results if isinstance(r, Failure)]
    assert [d.title for d in ok] == ["One", None]
    assert ok[0].published == "2019-03-01" and ok[0].outlet == "A"
    assert ok[1].kind is SourceKind.HTML and ok[1].byline == "Ann, Bo"
    assert [f.origin for f in bad] == [f"{path}:2", f"{path}:3", f"{path}:5"]
    assert all(isinstance(f.error, MalformedInputError) for f in bad)
    assert "not valid JSON" in bad[0].message and "'text' or 'html'" in bad[1].message


def test_directory_is_walked_in_sorted_order(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(BODY)
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / ".hidden.txt").write_text(BODY)
    (tmp_path / "image.png").write_bytes(b"\x89PNG....")
    docs = read_all([tmp_path], settings)
    assert [Path(d.origin).name for d in docs] == ["a.txt", "b.txt"]


def test_missing_file_and_gzip(tmp_path: Path, settings: Settings) -> None:
    import gzip

    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress(f"<html><body><p>{BODY}</p></body></html>".encode()))
    results = read_all([tmp_path / "nope.txt", gz], settings)
    assert isinstance(results[0], Failure) and "no such file" in results[0].message
    assert isinstance(results[1], RawDocument) and results[1].kind is SourceKind.HTML


def test_unknown_extension_is_sniffed(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "page").write_text("<!DOCTYPE html><html><body><p>x</p></body></html>")
    (tmp_path / "lines").write_text(json.dumps({"text": BODY}) + "\n")
    (tmp_path / "plain").write_text(BODY)
    kinds = [d.kind for d in read_all([tmp_path / n for n in ("page", "lines", "plain")], settings)]  # type: ignore[union-attr]
    assert kinds == [SourceKind.HTML, SourceKind.TEXT, SourceKind.TEXT]


def test_json_errors_read_as_one_sentence(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"text": "a\x01b"}\n')
    (failure,) = iter_inputs([str(path)], settings)
    assert isinstance(failure, Failure)
    assert "Invalid control character at column" in failure.message
    assert " at at " not in failure.message


def test_a_download_names_the_download_limit(settings: Settings) -> None:
    import gzip

    from newsprism.ingest.fetch import Fetched, page_document

    url = "http://news.example/a.html"
    bomb = Fetched(url, url, "text/html", None, gzip.compress(b"<p>x</p>" * 50_000))
    small = settings.model_copy(update={"fetch_max_bytes": 100_000})
    with pytest.raises(InputTooLargeError, match=r"\(fetch_max_bytes\)"):
        page_document(bomb, small)
