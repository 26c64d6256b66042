"""Cold start: each command imports only what it needs, and a stored story is served without
loading any model. Each check runs the real command in a fresh interpreter and reads which
modules it imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsprism.cli import sample_dir
from newsprism.config import load_settings
from newsprism.dedup.copies import CopyDetector, CopyParams
from newsprism.store import open_store

HEAVY = ("torch", "sentence_transformers", "transformers", "spacy", "fastapi", "uvicorn")
#: Imported only where used: the LSH layout search (its result is cached), the feed and WARC
#: readers, the HTTP client (a command that loads spaCy gets httpx through spaCy's own CLI).
LAZY = ("datasketch", "scipy", "feedparser", "warcio", "httpx")

#: Runs the CLI with argv, then prints the heavy modules the process imported, as JSON.
RUN = """
import json, sys
from newsprism.cli import main
sys.argv = ["newsprism", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
else:
    code = 0
heavy = HEAVY + LAZY
print(json.dumps({"code": code, "imported": [m for m in heavy if m in sys.modules]}), file=sys.stderr)
""".replace("HEAVY", repr(HEAVY)).replace("LAZY", repr(LAZY))


def run(*args: str, cwd: Path) -> tuple[dict[str, object], str]:
    proc = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, cwd=cwd, check=False
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return report, proc.stdout


def test_version_imports_nothing_heavy(tmp_path: Path) -> None:
    report, out = run("version", cwd=tmp_path)
    assert report == {"code": 0, "imported": []}
    assert out.strip()


@pytest.mark.slow
def test_brief_runs_without_torch_or_the_web_stack(tmp_path: Path) -> None:
    # The LSH layouts as a previous run leaves them in the user's cache (the first run ever
    # derives them with datasketch).
    detector = CopyDetector(CopyParams.from_settings(load_settings()))
    assert detector._docs.bands and detector._paras.bands
    report, _ = run("brief", str(sample_dir()), "-f", "json", "-o", "b.json", cwd=tmp_path)
    assert report["code"] == 0
    # MiniLM runs on ONNX Runtime; httpx comes in with spaCy itself (its weasel CLI).
    assert report["imported"] == ["spacy", "httpx"]
    assert json.loads((tmp_path / "b.json").read_text())["conflicts"]


@pytest.mark.slow
def test_stored_story_is_served_without_models(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    report, _ = run(
        "ingest", str(sample_dir()), "--db", db, "--executor", "serial", "--briefs", cwd=tmp_path
    )
    assert report["code"] == 0
    report, out = run("stories", "--db", db, "--format", "json", cwd=tmp_path)
    story = max(json.loads(out), key=lambda s: len(s["articles"]))
    with open_store(db, load_settings(db=db)) as store:
        stored = store.get_stored_brief(story["id"])
    assert stored is not None
    report, out = run("story", story["id"], "--db", db, "-f", "json", cwd=tmp_path)
    assert report == {"code": 0, "imported": []}
    # the brief stored at ingest, as it was (a rebuild from the stored analyses would load no
    # model either, but would be generated anew)
    assert out.strip() == stored.brief_json.strip()
    assert len(json.loads(out)["sources"]) == len(story["articles"])
