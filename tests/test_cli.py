from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from newsprism.cli import app, sample_dir

runner = CliRunner()


def test_clean_prints_json_lines_and_reports_bad_inputs(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(
        "Council approves budget\n"
        "The city council approved a $4.5 million budget on Tuesday after a three-hour debate, "
        "officials said. The vote was 5-2, with two members saying the plan spent too much on roads.\n"
        '"We listened to every neighborhood," said council president Ana Ruiz, who led the talks.\n',
        encoding="utf-8",
    )
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "batch.jsonl"
    broken.write_text('{"text": "x"\n', encoding="utf-8")
    result = runner.invoke(app, ["clean", str(good), str(empty), str(broken)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(records) == 1
    rec = records[0]
    assert rec["title"] == "Council approves budget"
    assert rec["text"].startswith("The city council approved")
    assert "Council approves budget" not in rec["text"]
    assert f"{empty}: file is empty" in result.stderr
    assert f"{broken}:1: not valid JSON" in result.stderr
    assert "cleaned 1, rejected 0, failed 2" in result.stderr


def test_clean_exit_code_zero_when_all_good() -> None:
    result = runner.invoke(app, ["clean", "--dropped", str(sample_dir())])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 4
    wire = next(r for r in records if r["origin"].endswith("lakeshore-wire.txt"))
    assert wire["byline"] == "Maria Keller, Lakeshore Wire"
    assert wire["dateline"] and wire["dateline"].startswith("CARVERTON, Ohio")
    assert wire["text"].startswith("A freight train carrying industrial chemicals")
    dropped = " ".join(d["text"] for d in wire["dropped"])
    for debris in (
        "Your browser is not supported",
        "Photo: Tom Reyes",
        "Share on Facebook",
        "Tags: Ohio",
    ):
        assert debris in dropped
        assert debris not in wire["text"]


def test_stdin_and_config_error(tmp_path: Path) -> None:
    text = (
        "A storm knocked out power to 40,000 homes on Monday, the utility said in a statement. " * 4
    )
    result = runner.invoke(app, ["clean", "-"], input=text)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["origin"] == "<stdin>"
    bad = tmp_path / "newsprism.toml"
    bad.write_text("min_article_chars = -3\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from newsprism.cli import main; main()",
            "clean",
            "-",
            "--config",
            str(bad),
        ],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "invalid setting min_article_chars" in proc.stderr
    assert "Traceback" not in proc.stderr


def _main(monkeypatch: object, capsys: object, *args: str) -> tuple[int, str, str]:
    """Run the `newsprism` entry point (where errors become messages) in this process."""
    import pytest

    from newsprism.cli import main

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(sys, "argv", ["newsprism", *args])
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as exit_info:
        main()
    out, err = capsys.readouterr()  # type: ignore[attr-defined]
    return int(exit_info.value.code or 0), out, err


def _store_with_sample(tmp_path: Path) -> Path:
    from newsprism.config import load_settings
    from newsprism.corpus.executors import SerialExecutor
    from newsprism.corpus.ingest import ingest
    from newsprism.store import open_store

    db = tmp_path / "s.db"
    settings = load_settings(db=str(db))
    with open_store(settings.db, settings) as store:
        ingest([str(sample_dir().parent)], store, settings, executor=SerialExecutor(settings))
    return db


def test_user_errors_are_one_line_with_a_code_never_a_traceback(
    tmp_path: Path, monkeypatch: object, capsys: object
) -> None:
    db = _store_with_sample(tmp_path)
    for args, needle in (
        (["stories", "--db", str(db), "--order", "bogus"], "'bogus' is not one of"),
        (["stories", "--db", str(db), "--limit", "0"], "--limit"),
        (["stories", "--db", str(db), "--has", "nothing"], "--has"),
        (["bogus"], "No such command 'bogus'"),
        (["ingest"], "Missing argument"),
        (["changes", "x", "--db", str(db)], "Missing option '--since'"),
    ):
        code, out, err = _main(monkeypatch, capsys, *args)
        assert code == 2, (args, err)
        assert "Traceback" not in err and out == ""
        lines = err.strip().splitlines()
        assert len(lines) == 1 and needle in lines[0] and lines[0].endswith("[NP101]"), err


def test_read_commands_refuse_a_store_that_does_not_exist(
    tmp_path: Path, monkeypatch: object, capsys: object
) -> None:
    missing = tmp_path / "typo.db"
    for args in (
        ["stories", "--db", str(missing)],
        ["story", "s123", "--db", str(missing)],
        ["search", "train", "--db", str(missing)],
        ["changes", "s123", "--since", "2026-11-01", "--db", str(missing)],
        ["serve", "--db", str(missing)],
    ):
        code, _, err = _main(monkeypatch, capsys, *args)
        assert code == 2 and "no store here" in err and err.strip().endswith("[NP501]"), err
        assert not missing.exists()


def test_stories_table_keeps_ids_whole_and_tells_true_totals(
    tmp_path: Path, monkeypatch: object, capsys: object
) -> None:
    db = _store_with_sample(tmp_path)
    code, out, err = _main(monkeypatch, capsys, "stories", "--db", str(db), "--limit", "1")
    assert code == 0, err
    assert "stories 1-1 of 2" in out
    assert "more: --offset 1" in err
    ids = {line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│ s")}
    from newsprism.store import open_store

    with open_store(str(db), load_settings_for(db)) as store:
        first = store.list_stories(limit=1)[0]
    assert ids == {first.id}  # the whole id on one line, copyable
    assert all(len(line) <= 80 for line in out.splitlines())
    code, out, _ = _main(monkeypatch, capsys, "stories", "--db", str(db), "-f", "json")
    listed = json.loads(out)
    assert {"conflicts", "updates", "possible", "compared"} <= set(listed[0])
    assert listed[0]["compared"] is None  # no brief made yet


def load_settings_for(db: Path) -> object:
    from newsprism.config import load_settings

    return load_settings(db=str(db))


def test_ingest_help_keeps_the_ray_extra(monkeypatch: object, capsys: object) -> None:
    code, out, _ = _main(monkeypatch, capsys, "ingest", "--help")
    assert code == 0
    assert "'newsprism[ray]'" in out
