"""Inputs that must fail alone, named, and never abort a run: oversized fields, odd file names,
unreadable directories; and a run's report names every input it did not store."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsprism.cli import sample_dir
from newsprism.config import Settings, load_settings
from newsprism.corpus.executors import SerialExecutor
from newsprism.corpus.ingest import IngestStats, ingest
from newsprism.store import open_store

BODY = "\n\n".join(
    line
    for line in (sample_dir() / "ovpr.txt").read_text(encoding="utf-8").splitlines()
    if len(line.split()) > 12
)
HUGE = "Z" * 70_000  # over the sketch's 65,535 bytes, the size that aborted whole runs


def _run(sources: list[str], settings: Settings) -> IngestStats:
    with open_store(settings.db, settings) as store:
        return ingest(sources, store, settings, executor=SerialExecutor(settings))


def _line(n: int, **fields: str) -> str:
    return json.dumps({"text": f"Item {n} of the batch. {BODY}", "title": f"Story {n}", **fields})


def test_an_oversized_field_fails_its_input_not_the_run(tmp_path: Path) -> None:
    lines = [_line(n) for n in range(12)]
    lines[3] = _line(3, title=HUGE)
    lines[5] = _line(5, outlet=HUGE)
    lines[7] = _line(7, published=HUGE)
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    body = f"<p>{BODY}</p>" * 2
    (tmp_path / "title.html").write_text(
        f"<html><head><title>{HUGE}</title></head><body><article>{body}</article></body></html>"
    )
    (tmp_path / "h1.html").write_text(
        f"<html><body><article><h1>{'Headline ' * 9000}</h1>{body}</article></body></html>"
    )
    settings = load_settings(db=str(tmp_path / "c.db"))
    stats = _run([str(tmp_path)], settings)
    assert stats.new == 9 and stats.failed == 5, stats.summary()
    named = "\n".join(stats.failures)
    for where, field in (
        ("batch.jsonl:4", "title"),
        ("batch.jsonl:6", "outlet"),
        ("batch.jsonl:8", "published"),
        ("title.html", "title"),
        ("h1.html", "title"),
    ):
        assert any(
            where in f and f"{field} is " in f and "max_field_chars" in f for f in stats.failures
        ), (
            where,
            named,
        )
    # A rerun is not blocked by the same inputs: the two files that failed whole are tried
    # again (and fail again); the JSONL file, whose good lines are stored, is done.
    again = _run([str(tmp_path)], settings)
    assert again.failed == 2 and again.skipped_sources == 1 and again.new == 0


def test_bidi_overrides_leave_titles_and_outlets(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        _line(1, title="Council \u202evotes\u202c on levy", outlet="Daily \u2066Post\u2069") + "\n",
        encoding="utf-8",
    )
    settings = load_settings(db=str(tmp_path / "c.db"))
    assert _run([str(tmp_path)], settings).new == 1
    with open_store(settings.db, settings) as store:
        (article,) = store.iter_articles()
    assert (article.title, article.outlet) == ("Council votes on levy", "Daily Post")


def test_odd_file_names_are_read_stored_and_shown_on_one_line(tmp_path: Path) -> None:
    root = os.fsencode(tmp_path)
    for n, name in enumerate((b"caf\xe9.txt", b"line\nbreak.txt", b"plain.txt")):
        with open(root + b"/" + name, "wb") as fh:
            fh.write(f"Report {n} of the day. {BODY}".encode())
    with open(root + b"/empty\xff\x1b[31m.txt", "wb"):
        pass  # empty, so its name ends up in an error line
    settings = load_settings(db=str(tmp_path / "c.db"))
    stats = _run([str(tmp_path)], settings)
    assert (stats.new, stats.failed) == (3, 1), stats.summary()
    (failure,) = stats.failures
    assert "\n" not in failure and "\x1b" not in failure
    assert "empty\\xff\\x1b[31m.txt: file is empty" in failure
    with open_store(settings.db, settings) as store:
        origins = sorted(a.origin.rsplit("/", 1)[1] for a in store.iter_articles())
    assert origins == ["caf\\xe9.txt", "line\\nbreak.txt", "plain.txt"]
    again = _run([str(tmp_path)], settings)  # resuming finds them done, by their shown names
    assert again.skipped_sources == 3 and again.new == 0


def test_an_unreadable_directory_is_a_failure_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.txt").write_text(f"Report one. {BODY}", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(f"Report two. {BODY}", encoding="utf-8")
    # Tests run as root, whom file modes do not stop: the refusal is the system call's.
    real_scandir, real_listdir = os.scandir, os.listdir

    def deny(real: Callable[..., Any]) -> Callable[..., Any]:
        def call(path: Any = ".") -> Any:
            if os.fspath(path) == str(locked):
                raise PermissionError(13, "Permission denied", str(locked))
            return real(path)

        return call

    monkeypatch.setattr(os, "scandir", deny(real_scandir))
    monkeypatch.setattr(os, "listdir", deny(real_listdir))
    stats = _run([str(tmp_path)], load_settings(db=str(tmp_path / "c.db")))
    assert stats.new == 1 and stats.failed == 1
    assert stats.failures == [f"{locked}: cannot list directory: permission denied [NP200]"]


def test_ingest_names_each_rejected_input(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsprism.cli import app

    # Nothing of an article in either (a short article is kept with a flag, not rejected).
    (tmp_path / "short.txt").write_text("* * *\n---\n", encoding="utf-8")
    (tmp_path / "[red]odd.txt").write_text("# # #\n", encoding="utf-8")  # not rich markup
    (tmp_path / "long.txt").write_text(f"Report one. {BODY}", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["ingest", "--db", str(tmp_path / "c.db"), "--executor", "serial", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert f"rejected: {tmp_path / 'short.txt'}: empty: no article text" in result.stderr
    assert f"rejected: {tmp_path / '[red]odd.txt'}: empty" in result.stderr
    assert "rejected 2 (empty 2)" in result.stderr
