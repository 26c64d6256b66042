"""The fitted slot scorer: how likely two values fill one slot, from their features.

A logistic regression over standardised features (:mod:`newsprism.compare.features`), fitted by
``bench/fit_slots.py`` on pairs from the *fit* part of the benchmark's events and written to
``compare/data/slot_model.json`` with its thresholds and what it was fitted on. Reading it needs
no scikit-learn: a dot product and a logistic.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from newsprism.errors import ModelError


@dataclass(frozen=True, slots=True)
class Logistic:
    """A logistic regression over standardised features: a dot product and a logistic. The
    weights part of every fitted model file (slot, claim and speaker models)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probability(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0))))

    @staticmethod
    def read(raw: Mapping[str, Any]) -> Logistic:
        """The weights of a model file's dict (``mean``, ``scale``, ``coef``, ``intercept``)."""
        return Logistic(
            mean=np.asarray(raw["mean"], dtype=np.float64),
            scale=np.asarray(raw["scale"], dtype=np.float64),
            coef=np.asarray(raw["coef"], dtype=np.float64),
            intercept=float(raw["intercept"]),
        )

    def to_dict(self) -> dict[str, Any]:
        """The weights as a model file holds them, rounded to 6 decimals."""

        def r(xs: np.ndarray) -> list[float]:
            return [round(float(x), 6) for x in xs]

        return {
            "mean": r(self.mean),
            "scale": r(self.scale),
            "coef": r(self.coef),
            "intercept": round(self.intercept, 6),
        }


@dataclass(frozen=True, slots=True)
class SlotModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    #: Probability at which a disagreeing pair is shown as a possible conflict, and as a
    #: conflict; and at which an agreeing pair counts as the same statement.
    possible: float
    confirmed: float
    agree: float
    meta: dict[str, Any]

    def logit(self, x: np.ndarray) -> np.ndarray:
        """Log-odds of one slot for rows of features ``x`` (n, d) or one row (d,)."""
        return np.asarray(((x - self.mean) / self.scale) @ self.coef + self.intercept)

    def probability(self, x: np.ndarray) -> np.ndarray:
        z = np.clip(self.logit(x), -30.0, 30.0)
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def contributions(self, x: np.ndarray) -> list[tuple[str, float]]:
        """Each feature's push on the log-odds of one pair, relative to an average pair, largest
        first: what decided it."""
        parts = (x - self.mean) / self.scale * self.coef
        order = np.argsort(-np.abs(parts))
        return [(self.features[i], float(parts[i])) for i in order]


def neutral(features: tuple[str, ...]) -> SlotModel:
    """A model that knows nothing (every pair 0.5): for computing features before any fit."""
    n = len(features)
    zeros, ones = np.zeros(n), np.ones(n)
    return SlotModel(features, zeros, ones, zeros, 0.0, 0.5, 0.5, 0.5, {})


def from_dict(raw: dict[str, Any]) -> SlotModel:
    w = Logistic.read(raw)
    return SlotModel(
        features=tuple(raw["features"]),
        mean=w.mean,
        scale=w.scale,
        coef=w.coef,
        intercept=w.intercept,
        possible=float(raw["thresholds"]["possible"]),
        confirmed=float(raw["thresholds"]["confirmed"]),
        agree=float(raw["thresholds"]["agree"]),
        meta=dict(raw.get("meta", {})),
    )


def to_dict(model: SlotModel) -> dict[str, Any]:
    return {
        "features": list(model.features),
        **Logistic(model.mean, model.scale, model.coef, model.intercept).to_dict(),
        "thresholds": {
            "possible": round(model.possible, 4),
            "confirmed": round(model.confirmed, 4),
            "agree": round(model.agree, 4),
        },
        "meta": model.meta,
    }


def _text(name: str) -> str:
    return resources.files("newsprism.compare").joinpath(f"data/{name}.json").read_text()


@functools.cache
def digest(name: str = "slot_model") -> str:
    """A short digest of the shipped model file: what a stored brief was scored with."""
    import hashlib

    try:
        return hashlib.blake2b(_text(name).encode(), digest_size=6).hexdigest()
    except OSError:
        return "none"


def read_data(name: str, what: str) -> Any:
    """The parsed ``compare/data/<name>.json`` shipped with the package (the fitted slot, claim
    and speaker models); a :class:`ModelError` naming the file and ``what`` it holds if it
    cannot be read."""
    try:
        return json.loads(_text(name))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the fitted {what} {name}.json: {exc}") from exc


@functools.cache
def load(name: str = "slot_model") -> SlotModel:
    """The fitted model shipped with the package (``compare/data/<name>.json``)."""
    model = from_dict(read_data(name, "slot model"))
    if not (len(model.features) == len(model.coef) == len(model.mean) == len(model.scale)):
        raise ModelError(f"{name}.json: features, weights and scales differ in length")
    if not all(math.isfinite(float(c)) for c in model.coef):
        raise ModelError(f"{name}.json: a weight is not a finite number")
    return model
