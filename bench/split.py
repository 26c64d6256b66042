"""The fixed fit/check split of every evaluation set.

Rules, features and fitted weights are written and chosen on the *fit* part only; the *check*
part is scored and reported beside it, never read to write a rule. The part of an item is a hash
of its natural id (a BASIL event's cluster id, a PolNeAR document name, an extraction page's
file stem), so it never depends on the order of a file, on a seed, or on which code reads it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Literal, TypeVar

Part = Literal["fit", "check"]
T = TypeVar("T")

#: Tenths of every set that go to the check part.
CHECK_TENTHS = 4
_SALT = "newsprism-split"


def part(item_id: str) -> Part:
    """``"check"`` for about 40% of ids, ``"fit"`` for the rest; the same id always lands in
    the same part."""
    digest = hashlib.sha256(f"{_SALT}:{item_id}".encode()).digest()
    return "check" if int.from_bytes(digest[:8], "big") % 10 < CHECK_TENTHS else "fit"


def split(items: Iterable[T], key: Callable[[T], str]) -> dict[Part, list[T]]:
    """Items grouped by the part of ``key(item)``, each part in the input order."""
    out: dict[Part, list[T]] = {"fit": [], "check": []}
    for item in items:
        out[part(key(item))].append(item)
    return out
