"""Import Ray for a test module, or skip the module: only where Ray is not installed and ``CI`` is
unset (CI installs the ``ray`` extra, so a missing Ray there is a failure, not a skip)."""

from __future__ import annotations

import os
from typing import Any

import pytest


def require_ray() -> Any:
    try:
        import ray
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip(
            "ray is not installed (pip install 'newsprism[ray]'); set CI=1 to make this a failure",
            allow_module_level=True,
        )
    return ray
