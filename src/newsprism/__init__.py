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
    from newsprism.model import Article, Brief, LeftOut, RawDocument
    from newsprism.nlp import Models


def load_articles(
    inputs: Iterable[str | Article | RawDocument], settings: Settings
) -> list[Article]:
    """Read and clean inputs (paths, RawDocuments) into Articles; a bad input raises its error."""
    from newsprism.errors import InputError

    articles, left_out = read_articles(inputs, settings)
    for x in left_out:
        raise InputError(f"{x.reason}: {x.detail}", origin=x.origin)
    return articles


def read_articles(
    inputs: Iterable[str | Article | RawDocument], settings: Settings
) -> tuple[list[Article], list[LeftOut]]:
    """Read and clean inputs (paths, RawDocuments) into Articles, and list the inputs that
    yielded none (rejected by cleaning, or unreadable) with the reason, as the CLI does."""
    from newsprism.model import Article, Failure, LeftOut, RawDocument, Rejection
    from newsprism.pipeline import clean_one, clean_sources

    out: list[Article] = []
    left_out: list[LeftOut] = []
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
                left_out.append(LeftOut(o.origin, "failed", o.message))
            elif isinstance(o, Rejection):
                left_out.append(LeftOut(o.origin, o.reason, o.detail))
            else:
                out.append(o)
    return out, left_out


def brief(
    articles: Iterable[str | Article | RawDocument],
    *,
    settings: Settings | None = None,
    models: Models | None = None,
    cache: AnalysisCache | None = None,
) -> Brief:
    """The cross-source brief of articles about one event.

    An input that yields no article (rejected by cleaning, or unreadable) does not stop the
    brief: it is left out and listed, with the reason, in the brief's ``left_out``. Only when no
    input yields an article is :class:`~newsprism.errors.InputError` raised.
    """
    from dataclasses import replace

    from newsprism.compare.brief import build_brief
    from newsprism.config import load_settings
    from newsprism.errors import InputError
    from newsprism.nlp import Models

    settings = settings or load_settings()
    loaded, left_out = read_articles(articles, settings)
    if not loaded:
        reasons = "; ".join(f"{x.origin}: {x.reason}: {x.detail}" for x in left_out)
        raise InputError(f"no article to build a brief from ({reasons or 'no input'})")
    built = build_brief(loaded, models=models or Models(settings), settings=settings, cache=cache)
    return replace(built, left_out=tuple(left_out)) if left_out else built


def render(b: Brief, fmt: str = "markdown") -> str:
    """Render a brief as "markdown", "json" or "html"."""
    from newsprism.formats import render as _render

    return _render(b, fmt)


__all__ = ["__version__", "brief", "load_articles", "read_articles", "render"]
