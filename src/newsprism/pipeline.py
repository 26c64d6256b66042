"""The library's entry points for a batch: read, clean, and report every input's outcome.

The CLI and the web app are thin layers over these functions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from newsprism.clean import clean_document
from newsprism.config import Settings
from newsprism.errors import NewsprismError
from newsprism.ingest import iter_inputs
from newsprism.ingest.fields import bounded_article, bounded_raw
from newsprism.model import Article, Failure, RawDocument, Rejection

Outcome = Article | Rejection | Failure


@dataclass(slots=True)
class RunStats:
    """Counts of a run's outcomes, with rejection reasons."""

    cleaned: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    failed: int = 0

    def add(self, outcome: Outcome) -> None:
        if isinstance(outcome, Article):
            self.cleaned += 1
        elif isinstance(outcome, Rejection):
            self.rejected[outcome.reason] += 1
        else:
            self.failed += 1

    def summary(self) -> str:
        rejected = sum(self.rejected.values())
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(self.rejected.items()))
        return (
            f"cleaned {self.cleaned}, rejected {rejected}"
            + (f" ({reasons})" if reasons else "")
            + f", failed {self.failed}"
        )


def clean_one(raw: RawDocument, settings: Settings) -> Outcome:
    """Clean one document; a fault in cleaning becomes a Failure naming the input, never a crash.
    Metadata fields are held to ``max_field_chars`` before and after cleaning (see
    :mod:`newsprism.ingest.fields`)."""
    try:
        outcome = clean_document(bounded_raw(raw, settings), settings)
        return bounded_article(outcome, settings) if isinstance(outcome, Article) else outcome
    except NewsprismError as exc:
        if exc.origin is None:
            exc.origin = raw.origin
        return Failure(raw.origin, exc)


def clean_sources(sources: Iterable[str], settings: Settings) -> Iterator[Outcome]:
    """Read and clean every article in ``sources`` (files, directories, ``-``), in input order."""
    for item in iter_inputs(sources, settings):
        yield item if isinstance(item, Failure) else clean_one(item, settings)
