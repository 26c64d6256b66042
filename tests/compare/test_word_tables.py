"""The comparison stages' word tables (``compare/data/words/*.json``): well-formed, all in use,
read as written, and shipped in a wheel."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

import newsprism.compare
from newsprism.compare.words import word_list, word_map, word_set, word_table

COMPARE = Path(newsprism.compare.__file__).parent
WORDS = COMPARE / "data" / "words"
TABLES = sorted(p.stem for p in WORDS.glob("*.json"))
# Tables matched against the text as written, not lower-cased: ISO codes in capitals.
UPPER_CASE = {"currency_iso_codes"}


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    assert not dupes, f"duplicate keys {dupes}"
    return dict(pairs)


def _raw(name: str) -> dict[str, Any]:
    text = (WORDS / f"{name}.json").read_text(encoding="utf-8")
    table: dict[str, Any] = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    return table


def _words_of(table: dict[str, Any]) -> list[str]:
    """Every word a table holds: list entries, map keys, quantity forms; a map to lists (the
    qualifiers, each canonical wording also one of its forms) holds the words of its lists."""
    if "words" in table:
        return list(table["words"])
    if "units" in table:
        return [f for u in table["units"] for f in u["forms"]]
    lists = [v for v in table["map"].values() if isinstance(v, list)]
    return [w for v in lists for w in v] if lists else list(table["map"])


def test_there_are_tables() -> None:
    assert len(TABLES) >= 50


@pytest.mark.parametrize("name", TABLES)
def test_table_is_well_formed(name: str) -> None:
    table = _raw(name)
    desc = table.get("description")
    assert isinstance(desc, str) and len(desc) > 20 and "\n" not in desc
    body = set(table) - {"description"}
    assert len(body) == 1 and body <= {"words", "map", "units"}, body
    words = _words_of(table)
    assert words, "empty table"
    assert all(isinstance(w, str) and w and w == w.strip() for w in words)
    dupes = sorted({w for w in words if words.count(w) > 1})
    assert not dupes, f"duplicate words {dupes}"
    if name in UPPER_CASE:
        assert all(w == w.upper() for w in words)
    else:
        assert all(w == w.lower() for w in words), [w for w in words if w != w.lower()]


@pytest.mark.parametrize("name", TABLES)
def test_table_is_used(name: str) -> None:
    """No orphan data file: some comparison module loads each table by name."""
    sources = "".join(p.read_text(encoding="utf-8") for p in COMPARE.glob("*.py"))
    assert f'"{name}"' in sources


@pytest.mark.parametrize("name", TABLES)
def test_loaders_read_the_file(name: str) -> None:
    table = _raw(name)
    assert word_table(name)["description"] == table["description"]
    if "words" in table:
        assert word_list(name) == tuple(table["words"])
        assert word_set(name) == frozenset(table["words"])
    elif "map" in table:
        kinds = {type(v) for v in table["map"].values()}
        assert len(kinds) == 1, f"mixed value types {kinds}"
        assert dict(word_map(name, kinds.pop())) == table["map"]


def test_loaders_check_shapes() -> None:
    with pytest.raises(ValueError):
        word_map("number_words", str)  # its values are ints
    with pytest.raises(ValueError):
        word_map("number_scales", int)  # floats, written with a decimal point
    with pytest.raises(KeyError):
        word_list("number_words")  # a map, not a list


def test_quantity_units() -> None:
    units = _raw("quantity_units")["units"]
    names = {u["unit"] for u in units}
    for u in units:
        assert set(u) == {"unit", "family", "factor", "forms"}
        assert isinstance(u["factor"], float) and u["factor"] > 0
        assert isinstance(u["family"], str) and u["family"]
    # the attached letters ("100m", "5g") name listed units
    assert set(_raw("attached_units")["map"].values()) <= names


def test_wheel_ships_the_tables(tmp_path: Path) -> None:
    """A wheel built from the tree holds every table (package data in ``pyproject.toml``)."""
    if importlib.util.find_spec("pip") is None or importlib.util.find_spec("setuptools") is None:
        pytest.skip("pip and setuptools are needed to build a wheel offline")
    root = COMPARE.parents[2]
    if not (root / "pyproject.toml").is_file():
        pytest.skip("newsprism is not run from a source tree")
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, tree / name)
    shutil.copytree(
        root / "src",
        tree / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"),
    )
    out = tmp_path / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", str(tree), "--no-deps", "--no-index"]
    cmd += ["--no-build-isolation", "--quiet", "--wheel-dir", str(out)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    (wheel,) = out.glob("newsprism-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        shipped = {n for n in zf.namelist() if n.startswith("newsprism/compare/data/words/")}
    assert shipped == {f"newsprism/compare/data/words/{t}.json" for t in TABLES}
