"""Where a brief spends its time, by stage: what ``bench/brief.py --profile`` reports.

One :class:`StageTimes` per brief (never shared between threads or processes); a stage entered
twice, as the per-article stages are, adds up.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(slots=True)
class StageTimes:
    """Seconds spent per stage name, in the order the stages were first entered.
    ``on_stage`` hears each stage as it is entered (the CLI shows it beside a spinner)."""

    seconds: dict[str, float] = field(default_factory=dict)
    on_stage: Callable[[str], None] | None = None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.on_stage is not None:
            self.on_stage(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def total(self) -> float:
        return sum(self.seconds.values())
