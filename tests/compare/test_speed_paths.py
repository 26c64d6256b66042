"""The fast paths of the brief give the answers of the plain ones: MiniLM on ONNX Runtime gives
torch's vectors, a brief's articles analysed in one batch equal each analysed alone, and the
stage timer sees every stage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newsprism import load_articles
from newsprism.cli import sample_dir
from newsprism.compare.analysis import analyse, analyse_all
from newsprism.compare.brief import build_brief
from newsprism.config import load_settings
from newsprism.embed import OnnxEmbedder, export_path, onnx_embedder, supported
from newsprism.errors import ModelError
from newsprism.nlp import Models, model_dir
from newsprism.timing import StageTimes

pytestmark = pytest.mark.slow

TEXTS = [
    "A freight train carrying industrial chemicals derailed outside Carverton late Tuesday.",
    "About 1,200 residents were told to leave their homes, the fire chief said.",
    "",
    "Short.",
    # longer than the 256 tokens the model reads: truncated the same way on both paths
    "The council met again. " * 120,
]


@pytest.fixture(scope="module")
def models() -> Models:
    return Models(load_settings(embedding_backend="onnx"))


def test_onnx_gives_torch_vectors(models: Models) -> None:
    onnx = models.embedder
    assert isinstance(onnx, OnnxEmbedder)
    torch_models = Models(load_settings(embedding_backend="torch"))
    assert not isinstance(torch_models.embedder, OnnxEmbedder)
    a = onnx.encode(TEXTS, batch_size=2, normalize_embeddings=True)
    b = np.asarray(torch_models.embedder.encode(TEXTS, batch_size=2, normalize_embeddings=True))
    assert a.shape == b.shape == (len(TEXTS), 384)
    assert float(np.abs(a - b).max()) < 1e-5
    # batch composition does not change a text's vector
    alone = onnx.encode(TEXTS[:1], normalize_embeddings=True)
    assert float(np.abs(alone[0] - a[0]).max()) < 1e-5


def test_export_is_reused_and_unsupported_models_are_refused(tmp_path: Path) -> None:
    directory = model_dir(load_settings().embedding_model)
    path = export_path(directory)
    assert path.exists()  # exported once (make install, or the first use above)
    before = path.stat().st_mtime_ns
    onnx_embedder(directory)
    assert path.stat().st_mtime_ns == before
    (tmp_path / "modules.json").write_text(json.dumps([{"type": "x.Transformer", "path": ""}]))
    assert not supported(tmp_path)
    with pytest.raises(ModelError):
        onnx_embedder(tmp_path)


def test_batched_analysis_equals_one_article_at_a_time(models: Models) -> None:
    settings = load_settings()
    articles = load_articles([str(sample_dir())], settings)
    batched = analyse_all(articles, models)
    for a, got in zip(articles, batched, strict=True):
        alone = analyse(a, models)
        assert got.article.id == a.id
        assert got.sentences == alone.sentences
        assert got.values == alone.values
        assert got.quotes == alone.quotes
        assert got.mentions == alone.mentions and got.roles == alone.roles
        assert got.lemmas == alone.lemmas and got.predicates == alone.predicates
        assert float(np.abs(got.embeddings - alone.embeddings).max()) < 1e-5
        assert float(np.abs(got.value_embeddings - alone.value_embeddings).max()) < 1e-5


def test_timer_sees_every_stage(models: Models) -> None:
    settings = load_settings()
    timer = StageTimes()
    build_brief(
        load_articles([str(sample_dir())], settings), models=models, settings=settings, timer=timer
    )
    stages = {"parse", "values", "quotes", "embed", "origins", "conflicts", "align", "entities"}
    assert stages <= set(timer.seconds)
    assert timer.seconds["parse"] > 0 and timer.seconds["embed"] > 0
    assert timer.total() == pytest.approx(sum(timer.seconds.values()))


def test_a_brief_embeds_each_text_once(models: Models, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sentences, value slots, head words and predicate lemmas: each distinct text reaches the
    embedder once per brief (issue #16: nothing computed twice)."""
    settings = load_settings()
    articles = load_articles([str(sample_dir())], settings)
    encode = models.embedder.encode
    texts: list[str] = []

    def counting(sentences: Any, *args: Any, **kw: Any) -> Any:
        texts.extend(sentences)
        return encode(sentences, *args, **kw)

    monkeypatch.setattr(models.embedder, "encode", counting)
    build_brief(articles, models=models, settings=settings)
    assert texts and len(texts) == len(set(texts))
