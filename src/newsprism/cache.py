"""The user's cache directory: files newsprism derives once from installed packages (the ONNX
export of the embedding model, the place gazetteer) so later runs start faster. Everything here
can be deleted at any time; it is rebuilt on next use."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """``$NEWSPRISM_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsprism``, else ``~/.cache/newsprism``."""
    explicit = os.environ.get("NEWSPRISM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "newsprism"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so processes writing the
    same cache entry at once never leave (or read) half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
