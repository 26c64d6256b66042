"""newsprism: what outlets agree on, where they disagree, and what only one of them says.

The library API is small::

    import newsprism
    b = newsprism.brief(["a.txt", "b.html"])            # paths, Articles or RawDocuments
    print(newsprism.render(b, "markdown"))

Heavy modules (spaCy, torch) are imported only when a brief is built.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from newsprism.compare.analysis import AnalysisCache
    from newsprism.config import Settings
    from newsprism.model import Article, Brief, RawDocument
    from newsprism.nlp import Models


def load_articles(
    inputs: Iterable[str | Article | RawDocument], settings: Settings
) -> list[Article]:
    """Read and clean inputs (paths, RawDocuments) into Articles; a bad input raises its error."""
    from newsprism.model import Article, Failure, RawDocument, Rejection
    from newsprism.pipeline import clean_one, clean_sources

    out: list[Article] = []
    for item in inputs:
        outcomes = (
            [item]
            if isinstance(item, Article)
            else [clean_one(item, settings)]
            if isinstance(item, RawDocument)
            else list(clean_sources([item], settings))
        )
        for o in outcomes:
            if isinstance(o, Failure):
                raise o.error
            if isinstance(o, Rejection):
                from newsprism.errors import InputError

                raise InputError(f"{o.reason}: {o.detail}", origin=o.origin)
            out.append(o)
    return out


def brief(
    articles: Iterable[str | Article | RawDocument],
    *,
    settings: Settings | None = None,
    models: Models | None = None,
    cache: AnalysisCache | None = None,
) -> Brief:
    """The cross-source brief of articles about one event."""
    from newsprism.compare.brief import build_brief
    from newsprism.config import load_settings
    from newsprism.nlp import Models

    settings = settings or load_settings()
    loaded = load_articles(articles, settings)
    return build_brief(loaded, models=models or Models(settings), settings=settings, cache=cache)


def render(b: Brief, fmt: str = "markdown") -> str:
    """Render a brief as "markdown", "json" or "html"."""
    from newsprism.formats import render as _render

    return _render(b, fmt)


__all__ = ["__version__", "brief", "load_articles", "render"]
