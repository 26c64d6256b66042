"""The claim model's thresholds are read off out-of-fold probabilities (bench/claims.py fit)."""

from __future__ import annotations

import numpy as np
from bench.claims import threshold_at


def test_threshold_keeps_most_pairs_at_the_precision() -> None:
    p = np.linspace(1.0, 0.01, 100)
    # The top 40 are right but one; below that, every other one is wrong.
    y = np.array([1] * 20 + [0] + [1] * 19 + [k % 2 for k in range(60)])
    t = threshold_at(p, y, 0.95)
    chosen = p >= t
    assert y[chosen].mean() >= 0.95
    assert chosen.sum() >= 40
    # Any lower threshold falls below the precision.
    assert y[p >= t - 0.011].mean() < 0.95
    assert threshold_at(p, np.zeros(100, dtype=int), 0.95) == 1.0
