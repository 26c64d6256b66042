from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from newsprism.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("NEWSPRISM_EVAL_DIR", ROOT.parent / "shared" / "eval"))


@pytest.fixture
def settings() -> Settings:
    return load_settings()
