"""The library call ``newsprism.brief()``: one input that yields no article does not sink the
batch; it is left out and listed, with its reason, in every rendering of the brief."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import newsprism
from newsprism.cli import sample_dir
from newsprism.config import load_settings
from newsprism.errors import InputError
from newsprism.formats.jsonout import load_schema
from newsprism.model import Brief, RawDocument, SourceKind
from newsprism.nlp import Models

SETTINGS = load_settings()
NOTHING = RawDocument("nothing.txt", SourceKind.TEXT, "***\n\n---\n|")


@pytest.fixture(scope="module")
def brief() -> Brief:
    paths = sorted(str(p) for p in sample_dir().glob("*.txt"))[:2]
    return newsprism.brief(
        [*paths, NOTHING, "no-such-file.txt"], settings=SETTINGS, models=Models(SETTINGS)
    )


def test_rejected_and_unreadable_inputs_are_left_out_not_fatal(brief: Brief) -> None:
    assert len(brief.sources) == 2
    reasons = {x.origin: x.reason for x in brief.left_out}
    assert reasons["nothing.txt"] == "empty"
    assert reasons["no-such-file.txt"] == "failed"


def test_left_out_inputs_are_listed_in_every_format(brief: Brief) -> None:
    doc = json.loads(newsprism.render(brief, "json"))
    jsonschema.validate(doc, load_schema())
    assert {x["origin"] for x in doc["left_out"]} == {"nothing.txt", "no-such-file.txt"}
    markdown = newsprism.render(brief, "markdown")
    assert "Left out (2)" in markdown and "nothing.txt" in markdown
    html = newsprism.render(brief, "html")
    assert "Left out (2)" in html and "no-such-file.txt" in html


def test_no_article_at_all_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"nothing\.txt: empty"):
        newsprism.brief([NOTHING], settings=SETTINGS, models=Models(SETTINGS))


def test_load_articles_still_raises_on_a_rejected_input() -> None:
    with pytest.raises(InputError):
        newsprism.load_articles([NOTHING], SETTINGS)


def test_the_command_line_brief_lists_what_it_left_out(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsprism.cli import app

    nothing = tmp_path / "nothing.txt"
    nothing.write_text(NOTHING.content, encoding="utf-8")
    paths = sorted(str(p) for p in sample_dir().glob("*.txt"))[:2]
    result = CliRunner().invoke(app, ["brief", *paths, str(nothing), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [(x["origin"], x["reason"]) for x in doc["left_out"]] == [(str(nothing), "empty")]
