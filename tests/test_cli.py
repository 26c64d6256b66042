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
