"""Shared plumbing for bench scripts: where the eval data is and how results are written.

Every bench script prints ours next to the reference tool, run on the same data in the same run,
and writes its figures to ``bench/results/<name>.json`` with the date, machine and command.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def eval_dir(name: str) -> Path:
    """``../shared/eval/<name>`` beside the checkout (or ``$NEWSPRISM_EVAL_DIR/<name>``)."""
    base = Path(os.environ.get("NEWSPRISM_EVAL_DIR", ROOT.parent / "shared" / "eval"))
    path = base / name
    if not path.exists():
        sys.exit(f"eval set not found: {path} (set NEWSPRISM_EVAL_DIR)")
    return path


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }


def write_results(name: str, figures: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    payload = {
        "name": name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "figures": figures,
    }
    out.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return out
