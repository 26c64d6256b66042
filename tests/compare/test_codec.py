"""An analysis survives the store's encoding exactly (so a stored story's brief equals a fresh one)."""

from __future__ import annotations

import numpy as np
import pytest

import newsprism
from newsprism.cli import sample_dir
from newsprism.compare.analysis import analyse
from newsprism.compare.codec import decode, encode
from newsprism.config import load_settings
from newsprism.nlp import Models


@pytest.mark.slow
def test_analysis_round_trip() -> None:
    settings = load_settings()
    article = newsprism.load_articles([str(sample_dir() / "ovpr.txt")], settings)[0]
    a = analyse(article, Models(settings))
    b = decode(encode(a), article)
    assert b.sentences == a.sentences
    assert np.array_equal(b.embeddings, a.embeddings)
    assert np.array_equal(b.value_embeddings, a.value_embeddings)
    assert b.values == a.values and b.mentions == a.mentions
    assert b.quotes == a.quotes and b.roles == a.roles and b.lemmas == a.lemmas
    assert len(a.predicates) == len(a.sentences) and b.predicates == a.predicates
    assert len(encode(a)) < 60_000
