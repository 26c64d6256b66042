"""The per-article stage of ingest, the part every executor fans out: read, clean, hash, encode.

Everything here depends on nothing but the document and the settings, so it runs where the
document is cleaned, and the driver's corpus-wide stage (:class:`newsprism.corpus.ingest.CorpusState`)
only decides and writes. The driver's time per article is what bounds every executor's speed-up,
so the stage also does whatever the driver would otherwise redo for it:

* **reading**: a local text or HTML file is sent to the worker as its path (:class:`ReadFile`);
  the worker reads it. Containers (JSONL, WARC, feeds) and URLs stay read by the driver: a
  container's documents are numbered as they are read, and a fetcher's per-host delays must be
  kept in one place.
* **hashing**: the wire-copy MinHash signature and the story sketch, as the store keeps them.
* **encoding**: the article comes back as the row the store writes (:class:`Prepared`), a tuple
  of strings that crosses a process boundary for a fraction of what an :class:`Article` costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from newsprism.cluster import ClusterParams, StoryClusterer
from newsprism.config import Settings
from newsprism.dedup import CopyDetector, CopyParams
from newsprism.ingest.readers import read_document
from newsprism.model import Article, Failure, RawDocument, Rejection
from newsprism.pipeline import clean_one
from newsprism.store.codec import ArticleRow, encode_article


def copy_params(settings: Settings) -> CopyParams:
    return CopyParams.from_settings(settings)


def cluster_params(settings: Settings) -> ClusterParams:
    return ClusterParams(seed=settings.seed)


@dataclass(frozen=True, slots=True)
class ReadFile:
    """A local file holding one document, to be read where it is cleaned
    (see :func:`newsprism.ingest.readers.holds_one_document`)."""

    path: str


class Prepared(NamedTuple):
    """A cleaned article as the store writes it, with its sketches as the store keeps them.

    A NamedTuple, like :class:`~newsprism.store.codec.ArticleRow`, because one crosses a process
    boundary per article: it pickles in C."""

    row: ArticleRow
    copy_sketch: bytes
    story_sketch: bytes

    @property
    def origin(self) -> str:
        return self.row.origin


StageInput = RawDocument | Failure | ReadFile
StageResult = Prepared | Rejection | Failure


class ArticleStage:
    """Read, clean, hash and encode one document; built once per worker (the hashers hold
    their permutations)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._copies = CopyDetector(copy_params(settings))
        self._stories = StoryClusterer(cluster_params(settings))

    def prepare(self, article: Article) -> Prepared:
        return Prepared(
            encode_article(article), self._copies.sketch(article), self._stories.sketch(article)
        )

    def __call__(self, item: StageInput) -> StageResult:
        if isinstance(item, ReadFile):
            item = read_document(item.path, self.settings)
        if isinstance(item, Failure):
            return item
        outcome = clean_one(item, self.settings)
        return self.prepare(outcome) if isinstance(outcome, Article) else outcome
