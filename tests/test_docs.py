"""Documentation that must keep up with the code."""

from __future__ import annotations

import re
from pathlib import Path

from newsprism import errors

ROOT = Path(__file__).resolve().parent.parent


def _subclasses(cls: type) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub, *_subclasses(sub)}
    return out


def test_every_error_code_is_documented_and_unique() -> None:
    import newsprism.formats
    import newsprism.store  # noqa: F401

    classes = _subclasses(errors.NewsprismError) | {errors.NewsprismError}
    codes = [c.code for c in classes]
    assert len(codes) == len(set(codes)), "two error classes share a code"
    doc = (ROOT / "docs" / "errors.md").read_text()
    for cls in classes:
        assert re.search(rf"\| {cls.code} \| `{cls.__name__}` \|", doc), (
            f"{cls.__name__} missing in docs/errors.md"
        )


def test_every_cli_command_is_in_the_readme() -> None:
    from newsprism.cli import app

    readme = (ROOT / "README.md").read_text()
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        assert f"newsprism {name}" in readme, f"`newsprism {name}` is not documented in README.md"
