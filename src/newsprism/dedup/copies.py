"""Wire copies and near-duplicates across a corpus, linked to their original as articles arrive.

Two MinHash LSH indexes over 5-word shingles of the cleaned text (see :mod:`.minhash`):

* the **document** index finds full copies: a syndication partner's re-run of a wire story, with
  a new headline, a trimmed ending, a changed word or dateline. A candidate (from this index, or
  any article one of the new article's paragraphs matched) becomes a FULL link when the
  estimated *containment* of the new article's shingles in it reaches ``full_containment``
  (0.7): Jaccard would miss a copy trimmed to half its original. 0.7, not 0.8: on a copy of 100
  words the MinHash estimate of containment has a standard error of about 0.06, and a lightly
  edited copy (true containment 0.9) fell under 0.8 on the benchmark; a partial copy or a
  same-event report sits far lower (0.5 and under 0.2).
* the **paragraph** index finds partial copies: an outlet's own article that embeds paragraphs
  of another. Paragraphs of at least ``min_paragraph_words`` words are indexed. A paragraph
  matches an earlier one at Jaccard ``para_threshold`` or more, and its *evidence* is how many
  of its words outside quotation marks the two are estimated to share. The new article is a
  PARTIAL copy of an origin when its paragraphs matching that origin hold ``min_copied_words``
  (20) words of evidence in ``min_copied_paragraphs`` (2) or more paragraphs, or twice that
  evidence in a single one. 20 was chosen on bench/dedup.py over five seeds of its copy maker:
  at 15 same-event originals got linked, at 25 and 30 pastes of mostly quoted paragraphs were
  lost; a paste of nothing but quotes is not told from independent quoting, by design. Why outside quotes: same-event articles by different outlets carry
  the same quotes verbatim; counting matched paragraphs alone linked 4 of BASIL's 150
  independent articles to another outlet's, each time through two paragraphs that were nearly
  all quote. What a pasted wire passage shares with its source is the reporter's own sentences.
  Why two paragraphs (or a long one): one short shared sentence may be a stock phrase. When the
  matched paragraphs hold ``full_containment`` of the new article's words it is a FULL copy.

Ingest is in time order, so the original is the earlier-added article. Links always name the
*root* of a chain: a copy of a copy links to the first original, and a pasted paragraph that was
itself pasted from elsewhere links to where it came from, so every chain counts as one
independent origin (:meth:`CopyDetector.origin_of`). An article that pastes paragraphs from two
origins is linked to the one it takes more from (one :class:`CopyLink` per article).

Cost per article is one numpy pass to hash and a few dict look-ups per band: it does not grow
with the corpus (bench/dedup.py measures this). Memory grows with it: about 3 KB of signatures
and some 20 bucket entries per paragraph; ``window_days`` bounds it for a long-running corpus
by forgetting articles older than the window (a copy published later than that is not linked).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from newsprism.config import Settings
from newsprism.dedup.index import BandIndex
from newsprism.dedup.minhash import Hasher, Signature, containment, jaccard
from newsprism.errors import ConfigError
from newsprism.model import Article, CopyKind, CopyLink

_ROW_BITS = 20  # paragraph items are (article number << 20) | paragraph row
_ROW_MASK = (1 << _ROW_BITS) - 1


@dataclass(frozen=True, slots=True)
class CopyParams:
    """What a copy is, stated as goals; LSH bands and rows are derived from the thresholds."""

    shingle: int = 5  # words per shingle
    num_perm: int = 128  # permutations of the document signature
    para_perm: int = 64  # of those, kept for paragraph signatures
    seed: int = 13
    doc_threshold: float = 0.5  # Jaccard goal of the document index (candidates only)
    full_containment: float = 0.7  # estimated share of the new article found in the original
    para_threshold: float = 0.5  # Jaccard of two paragraphs that makes one a copy of the other
    min_paragraph_words: int = 8  # shorter paragraphs are not indexed
    min_copied_paragraphs: int = 2
    min_copied_words: int = 20  # shared words outside quotes in the copied paragraphs
    window_days: float | None = None  # only compare with articles this recent; None: all
    max_bucket: int = 500

    def __post_init__(self) -> None:
        if self.shingle < 1 or self.num_perm < 2 or not 0 < self.para_perm <= self.num_perm:
            raise ConfigError("copy detection needs shingle >= 1 and 0 < para_perm <= num_perm")
        for name in ("doc_threshold", "full_containment", "para_threshold"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ConfigError(f"copy detection {name} must be in (0, 1]")
        if min(self.min_copied_paragraphs, self.max_bucket, self.min_paragraph_words) < 1:
            raise ConfigError(
                "copy detection needs min_copied_paragraphs, min_paragraph_words, max_bucket >= 1"
            )
        if self.window_days is not None and self.window_days <= 0:
            raise ConfigError("copy detection window_days must be positive (or None)")

    @classmethod
    def from_settings(cls, settings: Settings) -> CopyParams:
        return cls(seed=settings.seed)


@dataclass(slots=True)
class _Entry:
    number: int
    sig: Signature
    stamp: datetime | None
    root: str  # the independent origin of the whole article
    para_root: list[str]  # the origin of each indexed paragraph (row of ``sig.para``)
    indexed: bool = True  # False for a full copy: its original stands for it in the indexes


@dataclass(slots=True)
class _Keys:
    """An article's band keys, computed once for both the look-up and the insert."""

    doc: list[int] | None = None
    para: list[list[int]] | None = None


def _utc(when: datetime | None) -> datetime | None:
    if when is None or when.tzinfo is not None:
        return when
    return when.replace(tzinfo=UTC)


class CopyDetector:
    """Links each added article to the earlier article it copies, if any.

    ``add`` checks an article against everything added before (within the time window) and then
    indexes it. ``sketch``/``load`` persist the signatures so an index can be rebuilt without
    re-hashing texts; pass the stored link to ``load`` so chains still resolve to their root.
    """

    def __init__(self, params: CopyParams | None = None) -> None:
        self.params = p = params or CopyParams()
        self.hasher = Hasher(
            num_perm=p.num_perm,
            para_perm=p.para_perm,
            shingle=p.shingle,
            seed=p.seed,
            min_paragraph_words=p.min_paragraph_words,
        )
        self._docs = BandIndex(
            threshold=p.doc_threshold, num_perm=p.num_perm, seed=p.seed, max_bucket=p.max_bucket
        )
        self._paras = BandIndex(
            threshold=p.para_threshold,
            num_perm=p.para_perm,
            seed=p.seed + 1,
            max_bucket=p.max_bucket,
        )
        self._entries: list[_Entry | None] = []
        self._live: deque[int] = deque()
        self._root: dict[str, str] = {}
        self._links: dict[str, CopyLink] = {}
        self._latest: datetime | None = None
        self._window = timedelta(days=p.window_days) if p.window_days is not None else None

    # ---------------------------------------------------------------- public API

    def signature(self, article: Article) -> Signature:
        return self.hasher.signature(article)

    def sketch(self, article: Article) -> bytes:
        """The article's signatures as bytes, for the store (about 3 KB for 700 words)."""
        return self.hasher.signature(article).to_bytes(self.hasher)

    def add(self, article: Article) -> CopyLink | None:
        return self.add_signature(self.hasher.signature(article))

    def add_signature(self, sig: Signature) -> CopyLink | None:
        """``add`` for a signature computed already (so the corpus side hashes a text once)."""
        if sig.article in self._root:
            return self._links.get(sig.article)
        self._expire(_utc(sig.published))
        keys = _Keys()
        link = self._match(sig, keys)
        self._insert(sig, link, keys)
        return link

    def load(
        self,
        article_id: str,
        published: datetime | None,
        sketch: bytes,
        link: CopyLink | None = None,
    ) -> None:
        """Index a stored sketch without checking it for copies (it was checked when added)."""
        if article_id in self._root:
            return
        sig = Signature.from_bytes(sketch, self.hasher, article=article_id, published=published)
        self._expire(_utc(published))
        self._insert(sig, link, _Keys())

    def doc_keys(self, sig: Signature) -> list[int]:
        """The band keys of the signature's document index entry (empty for an empty text):
        what a store keeps so copies of articles no longer in memory can be found."""
        if sig.doc_size == 0:
            return []
        return self._docs.keys(sig.doc[None, :])[0]

    def origin_of(self, article_id: str) -> str:
        """The independent origin of an added article: its original if it is a full copy."""
        return self._root.get(article_id, article_id)

    def link_of(self, article_id: str) -> CopyLink | None:
        return self._links.get(article_id)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._root

    def __len__(self) -> int:
        return len(self._live)

    # ---------------------------------------------------------------- matching

    def _match(self, sig: Signature, keys: _Keys) -> CopyLink | None:
        if sig.doc_size == 0:
            return None
        p = self.params
        partial, seen = self._match_paragraphs(sig, keys)
        if partial is not None and partial.kind is CopyKind.FULL:
            # Paragraph provenance is the finer record: a trimmed copy made only of paragraphs
            # that an earlier article pasted from the wire links to the wire, not to the paster.
            return partial
        # Full-copy candidates: the document index's, and every article a paragraph matched
        # (a copy trimmed to a third of a short original can fall below the document index's
        # Jaccard goal while its paragraphs still match).
        keys.doc = self._docs.keys(sig.doc[None, :])[0]
        candidates = self._docs.query(keys.doc) | seen
        best: tuple[float, int] | None = None
        for number in candidates:
            entry = self._entries[number]
            if entry is None:
                continue
            jac = jaccard(sig.doc, entry.sig.doc)
            share = containment(jac, sig.doc_size, entry.sig.doc_size)
            if share >= p.full_containment and (best is None or (share, -number) > best):
                best = (share, -number)
        if best is not None:
            root = self._entry(-best[1]).root
            return CopyLink(
                sig.article, root, CopyKind.FULL, round(best[0], 4), tuple(range(sig.n_paragraphs))
            )
        return partial

    def _match_paragraphs(self, sig: Signature, keys: _Keys) -> tuple[CopyLink | None, set[int]]:
        """The partial (or paragraph-covered full) link, and the articles any paragraph matched."""
        p = self.params
        seen: set[int] = set()
        # For each paragraph row of the new article: the best-matching earlier paragraph's
        # origin, and how many of the row's own words (outside quotes) it is estimated to share.
        matched: dict[str, list[tuple[int, float, float]]] = {}
        first_seen: dict[str, int] = {}
        keys.para = self._paras.keys(sig.para)
        for row, row_keys in enumerate(keys.para):
            best: tuple[float, int, str, int] | None = None
            for item in self._paras.query(row_keys):
                entry = self._entries[item >> _ROW_BITS]
                if entry is None:
                    continue
                other = item & _ROW_MASK
                jac = jaccard(sig.para[row], entry.sig.para[other])
                if jac < p.para_threshold:
                    continue
                seen.add(entry.number)
                if best is None or (jac, -item) > best[:2]:
                    best = (jac, -item, entry.para_root[other], int(entry.sig.para_words[other]))
            if best is not None:
                jac, item, root, other_words = best
                words, own = int(sig.para_words[row]), int(sig.para_own[row])
                # Words shared, |A & B| = J (|A| + |B|) / (1 + J), less those the quotes can
                # account for: what remains is shared reporting, the evidence of a paste.
                shared = min(words, jac * (words + other_words) / (1.0 + jac))
                evidence = max(0.0, min(own, shared - (words - own)))
                matched.setdefault(root, []).append((row, jac, evidence))
                first_seen.setdefault(root, -item)
        if not matched:
            return None, seen

        def strength(root: str) -> tuple[float, int, int]:
            rows = matched[root]
            return (sum(e for _, _, e in rows), len(rows), -first_seen[root])

        root = max(matched, key=strength)
        rows = matched[root]
        evidence, count, _ = strength(root)
        if evidence < p.min_copied_words or (
            count < p.min_copied_paragraphs and evidence < 2 * p.min_copied_words
        ):
            return None, seen
        covered = float(sum(int(sig.para_words[r]) for r, _, _ in rows)) / max(sig.words, 1)
        if covered >= p.full_containment:
            link = CopyLink(
                sig.article,
                root,
                CopyKind.FULL,
                round(min(covered, 1.0), 4),
                tuple(range(sig.n_paragraphs)),
            )
            return link, seen
        similarity = float(np.mean([j for _, j, _ in rows]))
        indices = tuple(sorted(int(sig.para_index[r]) for r, _, _ in rows))
        return CopyLink(sig.article, root, CopyKind.PARTIAL, round(similarity, 4), indices), seen

    # ---------------------------------------------------------------- index upkeep

    def _entry(self, number: int) -> _Entry:
        entry = self._entries[number]
        if entry is None:  # pragma: no cover - only live entries are ever matched
            raise KeyError(number)
        return entry

    def _insert(self, sig: Signature, link: CopyLink | None, keys: _Keys) -> None:
        number = len(self._entries)
        own = sig.article
        if link is not None and link.kind is CopyKind.FULL:
            root = self._root.get(link.original, link.original)
            para_root = [root] * len(sig.para_index)
        else:
            root = own
            copied = set(link.paragraphs) if link is not None else set()
            origin = self._root.get(link.original, link.original) if link is not None else own
            para_root = [origin if int(i) in copied else own for i in sig.para_index]
        stamp = _utc(sig.published) or self._latest
        # A full copy is not indexed: whatever matches it matches its original, to which it
        # would be linked anyway. Otherwise every copy of a much-syndicated wire story would
        # join the same buckets, and the cost of a lookup would grow with the number of copies.
        full_copy = link is not None and link.kind is CopyKind.FULL
        entry = _Entry(number, sig, stamp, root, para_root, indexed=not full_copy)
        self._entries.append(entry)
        self._live.append(number)
        self._root[own] = root
        if link is not None:
            self._links[own] = link
        if full_copy:
            return
        if sig.doc_size:
            if keys.doc is None:
                keys.doc = self._docs.keys(sig.doc[None, :])[0]
            self._docs.insert(number, keys.doc)
        if keys.para is None:
            keys.para = self._paras.keys(sig.para)
        base = number << _ROW_BITS
        for row, row_keys in enumerate(keys.para):
            self._paras.insert(base | row, row_keys)

    def _expire(self, now: datetime | None) -> None:
        if now is not None and (self._latest is None or now > self._latest):
            self._latest = now
        if self._window is None or self._latest is None:
            return
        cutoff = self._latest - self._window
        while self._live:
            entry = self._entries[self._live[0]]
            # An undated article added before any dated one is taken as older than the window.
            if entry is None or (entry.stamp is not None and entry.stamp >= cutoff):
                break
            self._live.popleft()
            self._remove(entry)

    def _remove(self, entry: _Entry) -> None:
        if not entry.indexed:
            self._entries[entry.number] = None
            return
        if entry.sig.doc_size:
            self._docs.remove(entry.number, self._docs.keys(entry.sig.doc[None, :])[0])
        base = entry.number << _ROW_BITS
        for row, keys in enumerate(self._paras.keys(entry.sig.para)):
            self._paras.remove(base | row, keys)
        self._entries[entry.number] = None
