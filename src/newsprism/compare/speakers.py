"""The fitted choice of a quote's speaker among the mentions around it.

:func:`newsprism.compare.quotes.extract_quotes` gathers candidates for each quote: the mention its
rules pick, the subject of every reporting verb in the quote's frame, the people, organisations,
groups and pronouns in the quote's sentence and the sentences beside it, and the speakers of the
quotes before it. Each candidate is described by the features in :data:`FEATURES` (where it
stands, what kind of mention it is, how it is tied to a reporting verb, how salient its name is)
and the candidate with the highest score speaks, among those allowed to: the rules' own pick and
the subjects of the frame's verbs that are not places, dates or works (``quotes._may_speak``; the
model is fitted on all candidates, the restriction applies when choosing).

The score is a logistic regression over standardised features fitted by
``bench/fit_quote_speakers.py`` on PolNeAR dev and the *fit* part of train (a candidate is right
when it overlaps the annotated Source span) and written to ``compare/data/speaker_model.json``.
Reading it needs no scikit-learn: a dot product.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsprism.compare import scorer
from newsprism.errors import ModelError

#: What a candidate is described by, in the model file's order.
FEATURES: tuple[str, ...] = (
    # how the rules of quotes.py reached it
    "rule",  # the mention the rules pick
    "rule_cue",  # ... through a reporting verb of the quote's own sentence
    "rule_credit",  # ... through a dash or "Name:" credit
    "rule_context",  # ... from a quote before it or a sentence beside it
    # its tie to a reporting verb of the quote's frame
    "cue_subject",  # the verb's subject in the parse
    "cue_fallback",  # a name beside the verb, a participle's object, the main clause's subject
    "cue_governs",  # the verb the parse hangs the quote on
    "cue_speech",  # a reporting verb ("said"), not just any verb the quote hangs on
    "cue_according",  # "according to X"
    "cue_rank",  # log(1 + the verb's place among the frame's verbs, nearest first)
    # what kind of mention it is
    "person",  # a named person
    "org",  # a named organisation
    "group",  # a plural noun phrase ("critics of the plan")
    "pron_person",  # he, she, him, her
    "pron_other",  # they, it, we
    "pron_first",  # I, me
    "relative",  # who, that
    "description",  # a common-noun phrase ("the spokesman", "a statement")
    "full_name",  # it stands for a person the article names in full
    "unresolved",  # no name could be found for it
    # where it stands
    "before",  # before the quote (else after it)
    "same_sentence",  # in a sentence the quote is in
    "prev_sentence",
    "next_sentence",
    "other_paragraph",
    "log_distance",  # log(1 + words between it and the quote)
    "subject",  # a subject in the parse
    "main_subject",  # the subject of the main or a reporting verb
    "in_participle",  # inside "Asked about X, ..."
    # what the text said before
    "salience",  # log(1 + earlier mentions of its name)
    "named_in_quote",  # the quote names it in the third person
    "para_speaker",  # the last speaker of this paragraph
    "continued_speaker",  # the speaker of the quote this one continues
    "prev_speaker",  # the speaker of the quote just before
)


@dataclass(frozen=True, slots=True)
class SpeakerModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict[str, Any]

    def scores(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        """The log-odds of each candidate (a row of named features; absent ones are 0)."""
        x = np.array([[row.get(f, 0.0) for f in self.features] for row in rows], dtype=np.float64)
        return np.asarray(((x - self.mean) / self.scale) @ self.coef + self.intercept)

    def contributions(self, row: Mapping[str, float]) -> list[tuple[str, float]]:
        """Each feature's push on one candidate's score relative to an average one, largest
        first: why it was chosen."""
        x = np.array([row.get(f, 0.0) for f in self.features], dtype=np.float64)
        parts = (x - self.mean) / self.scale * self.coef
        order = np.argsort(-np.abs(parts))
        return [(self.features[i], float(parts[i])) for i in order]


def to_dict(model: SpeakerModel) -> dict[str, Any]:
    return {
        "features": list(model.features),
        **scorer.Logistic(model.mean, model.scale, model.coef, model.intercept).to_dict(),
        "meta": model.meta,
    }


def from_dict(raw: Mapping[str, Any], name: str = "speaker_model") -> SpeakerModel:
    try:
        w = scorer.Logistic.read(raw)
        model = SpeakerModel(
            features=tuple(raw["features"]),
            mean=w.mean,
            scale=w.scale,
            coef=w.coef,
            intercept=w.intercept,
            meta=dict(raw.get("meta", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{name}.json: not a speaker model ({exc})") from exc
    n = len(model.features)
    if not (n == len(model.coef) == len(model.mean) == len(model.scale)):
        raise ModelError(f"{name}.json: features, weights and scales differ in length")
    if set(model.features) - set(FEATURES):
        unknown = sorted(set(model.features) - set(FEATURES))
        raise ModelError(f"{name}.json: features this code does not compute: {unknown}")
    values = [*model.coef, *model.mean, *model.scale, model.intercept]
    if not all(math.isfinite(float(v)) for v in values) or not all(model.scale > 0):
        raise ModelError(f"{name}.json: a weight or scale is not a finite positive number")
    return model


@functools.cache
def load(name: str = "speaker_model") -> SpeakerModel:
    """The fitted model shipped with the package (``compare/data/<name>.json``)."""
    raw = scorer.read_data(name, "speaker model")
    return from_dict(raw, name)
