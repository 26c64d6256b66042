"""MinHash signatures of an article and of each of its paragraphs, computed in one numpy pass.

The values are exactly datasketch's ``affine32`` MinHash of the article's word shingles (a test
says so): ``MinHash(num_perm, seed, scheme="affine32", hashfunc=<our shingle hash>)``. They are
computed here rather than with ``MinHash.update_batch`` because datasketch hashes and permutes
in a Python loop per shingle; applying the permutations to all shingles of an article as one
(num_perm x shingles) array and taking paragraph minima with ``np.minimum.reduceat`` gives the
document signature and every paragraph signature for the cost of one.

Shingle hashes must be the same in every process (signatures are stored and compared across
runs and workers), so words are hashed with CRC-32, never with Python's salted ``hash``.

datasketch itself is imported only where one of its objects is made (:meth:`Hasher.lean_minhash`):
importing it imports SciPy (for its LSH parameter search), 0.4 CPU-seconds in every worker
process, which only hashes.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from newsprism.errors import ConfigError, StoreError
from newsprism.model import Article

if TYPE_CHECKING:
    from datasketch import LeanMinHash

U16 = npt.NDArray[np.uint16]
U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

#: ASCII punctuation becomes a word break and ASCII capitals lower case in one ``bytes.translate``.
_ASCII_PUNCT = b"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_ASCII_TABLE = bytes.maketrans(
    _ASCII_PUNCT + b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    b" " * len(_ASCII_PUNCT) + b"abcdefghijklmnopqrstuvwxyz",
)
#: Typographic punctuation that outlets swap for ASCII when they re-run a wire story.
_UNICODE_PUNCT = re.compile(
    "[\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2013\u2014\u2015\u2026"
    "\u00ab\u00bb\u2032\u2033\u00b7\u2022]"
)
#: Double quotation marks: what lies between them is someone's quote, not the reporter's words.
_DOUBLE_QUOTE = re.compile("''|``|[\"\u201c\u201d\u201e\u201f\u00ab\u00bb]")


def tokens(text: str) -> list[bytes]:
    """Lower-cased words without punctuation, as UTF-8 bytes (what shingles are made of).

    Five times cheaper than ``re.findall(r"\\w+")`` on a 600-word article, which matters at
    ingest rate; non-ASCII letters are kept as they are (after ``str.lower``).
    """
    text = text.lower()
    if not text.isascii():
        text = _UNICODE_PUNCT.sub(" ", text)
    return text.encode("utf-8").translate(_ASCII_TABLE).split()


def quoted_tokens(paragraph: str) -> tuple[list[bytes], list[int], list[bool]]:
    """The paragraph's :func:`tokens` in runs that alternate outside and inside double quotes:
    (words, run lengths, run is inside quotes). A paragraph that opens a quote it does not close
    (a quote running on into the next paragraph) stays inside it to its end."""
    words: list[bytes] = []
    lengths: list[int] = []
    inside: list[bool] = []
    for i, run in enumerate(_DOUBLE_QUOTE.split(paragraph)):
        toks = tokens(run)
        if toks:
            words.extend(toks)
            lengths.append(len(toks))
            inside.append(i % 2 == 1)
    return words, lengths, inside


def affine32_permutations(num_perm: int, seed: int) -> tuple[U32, U32]:
    """The (a, b) of datasketch's ``MinHash(num_perm, seed, scheme="affine32").permutations``.

    Drawn here as datasketch draws them (same generator, same calls, same order) rather than
    taken from a ``MinHash``, so that hashing does not import datasketch (see the module's
    docstring); ``tests/dedup`` checks the values equal datasketch's.
    """
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: U32) -> U32:
    # datasketch's pre-mix for the affine32 scheme (MurmurHash3's finaliser); uint32 arrays wrap.
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


_MAGIC = b"NPMH"
_VERSION = 1
_HEADER = struct.Struct("<4sBBHHIIIII")


@dataclass(frozen=True, slots=True)
class Signature:
    """The MinHash sketch of one article: the whole text and each paragraph long enough to index.

    ``para_index`` holds indices into ``article.paragraphs``; ``para`` has one row (the low 16
    bits of ``para_perm`` MinHash values) per indexed paragraph, ``para_words`` its words and ``para_own`` its words outside quotation marks (the
    reporter's own words: quotes are shared verbatim by independent outlets, so they are weak
    evidence of copying). ``doc_size`` counts distinct shingles, to turn a Jaccard estimate into
    a containment estimate.
    """

    article: str
    published: datetime | None
    n_paragraphs: int
    words: int
    doc: U32 = field(compare=False, repr=False)
    doc_size: int
    para_index: I64 = field(compare=False, repr=False)
    para_words: I64 = field(compare=False, repr=False)
    para_own: I64 = field(compare=False, repr=False)
    para: U16 = field(compare=False, repr=False)

    def to_bytes(self, hasher: Hasher) -> bytes:
        """Compact little-endian encoding: a header naming the hashing parameters, then arrays."""
        head = _HEADER.pack(
            _MAGIC,
            _VERSION,
            hasher.shingle,
            hasher.num_perm,
            hasher.para_perm,
            hasher.seed & 0xFFFFFFFF,
            self.n_paragraphs,
            self.words,
            self.doc_size,
            len(self.para_index),
        )
        # Paragraph numbers and word counts fit in 16 bits for any real article; clipped, a
        # count can only understate the evidence of a copy.
        small = np.stack([self.para_index, self.para_words, self.para_own]).clip(0, 0xFFFF)
        return b"".join(
            (
                head,
                self.doc.astype("<u4").tobytes(),
                small.astype("<u2").tobytes(),
                self.para.astype("<u2").tobytes(),
            )
        )

    @classmethod
    def from_bytes(
        cls, data: bytes, hasher: Hasher, *, article: str, published: datetime | None
    ) -> Signature:
        """Decode :meth:`to_bytes`; a sketch made with other hashing parameters is refused."""
        if len(data) < _HEADER.size:
            raise StoreError("copy sketch is truncated", origin=article)
        magic, version, shingle, num_perm, para_perm, seed, n_par, words, doc_size, m = (
            _HEADER.unpack_from(data)
        )
        if magic != _MAGIC or version != _VERSION:
            raise StoreError("not a newsprism copy sketch (or an unknown version)", origin=article)
        made = (shingle, num_perm, para_perm, seed)
        wanted = (hasher.shingle, hasher.num_perm, hasher.para_perm, hasher.seed & 0xFFFFFFFF)
        if made != wanted:
            raise StoreError(
                f"copy sketch made with (shingle, num_perm, para_perm, seed)={made}, "
                f"the detector uses {wanted}: rebuild the sketches",
                origin=article,
            )
        expected = _HEADER.size + 4 * num_perm + 6 * m + 2 * m * para_perm
        if len(data) != expected:
            raise StoreError(
                f"copy sketch has {len(data)} bytes, expected {expected}", origin=article
            )
        pos = _HEADER.size
        doc = np.frombuffer(data, "<u4", num_perm, pos).astype(np.uint32)
        pos += 4 * num_perm
        small = np.frombuffer(data, "<u2", 3 * m, pos).astype(np.int64).reshape(3, m)
        pos += 6 * m
        para = np.frombuffer(data, "<u2", m * para_perm, pos).astype(np.uint16)
        return cls(
            article=article,
            published=published,
            n_paragraphs=n_par,
            words=words,
            doc=doc,
            doc_size=doc_size,
            para_index=small[0],
            para_words=small[1],
            para_own=small[2],
            para=para.reshape(m, para_perm),
        )


@dataclass(frozen=True, slots=True)
class Shingles:
    """An article's word shingles; none spans two paragraphs."""

    hashes: U32  # one 32-bit hash per shingle
    paragraph: I64  # the paragraph index of each shingle
    words: I64  # words per paragraph
    own_words: I64  # words outside quotation marks, per paragraph


class Hasher:
    """Word-shingle MinHash with fixed, seeded permutations (datasketch's own, scheme affine32).

    ``para_perm`` (<= ``num_perm``) is how many of the permutations paragraph signatures keep:
    a paragraph has a few dozen shingles, so more values buy little accuracy and cost index
    memory and sketch bytes. Paragraphs under ``min_paragraph_words`` words are not indexed.
    """

    def __init__(
        self, *, num_perm: int, para_perm: int, shingle: int, seed: int, min_paragraph_words: int
    ) -> None:
        if not 0 < para_perm <= num_perm:
            raise ConfigError("para_perm must be in 1..num_perm")
        self.num_perm = num_perm
        self.para_perm = para_perm
        self.shingle = shingle
        self.seed = seed
        self.min_paragraph_words = max(min_paragraph_words, shingle)
        a, b = affine32_permutations(num_perm, seed)
        self._a: U32 = a[:, None]
        self._b: U32 = b[:, None]
        # Odd multipliers make the shingle hash depend on word order, not just the bag of words.
        rng = np.random.default_rng(seed)
        self._mult: U64 = rng.integers(1, 2**63, size=shingle, dtype=np.uint64) * np.uint64(
            2
        ) + np.uint64(1)

    def shingles(self, article: Article) -> Shingles:
        text = article.text
        words: list[bytes] = []
        runs: list[int] = []
        inside: list[bool] = []
        counts: list[int] = []
        for start, end in article.paragraphs:
            w, r, q = quoted_tokens(text[start:end])
            words.extend(w)
            runs.extend(r)
            inside.extend(q)
            counts.append(len(w))
        k = self.shingle
        n = len(words) - k + 1
        per_par = np.asarray(counts, dtype=np.int64)
        pid_words = np.repeat(np.arange(len(counts), dtype=np.int64), per_par)
        quoted = np.repeat(np.asarray(inside, dtype=bool), runs)
        own_words = np.bincount(pid_words[~quoted], minlength=len(counts)).astype(np.int64)
        if n <= 0:
            return Shingles(np.zeros(0, np.uint32), np.zeros(0, np.int64), per_par, own_words)
        h = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
        x = h[:n] * self._mult[0]
        for j in range(1, k):
            x = x + h[j : j + n] * self._mult[j]
        inside_par = pid_words[:n] == pid_words[k - 1 : k - 1 + n]
        x = x[inside_par]
        folded = ((x >> np.uint64(32)) ^ x).astype(np.uint32)
        return Shingles(folded, pid_words[:n][inside_par], per_par, own_words)

    def signature(self, article: Article) -> Signature:
        sh = self.shingles(article)
        n_par = len(article.paragraphs)
        words = int(sh.words.sum())
        none = np.zeros(0, np.int64)
        if len(sh.hashes) == 0:
            empty = np.zeros((0, self.para_perm), np.uint16)
            full = np.full(self.num_perm, 0xFFFFFFFF, np.uint32)
            return Signature(
                article.id, article.published, n_par, words, full, 0, none, none, none, empty
            )
        # (num_perm, shingles): datasketch's affine32 permutations, wrapping mod 2^32.
        permuted = self._a * _fmix32(sh.hashes)[None, :] + self._b
        doc = permuted.min(axis=1)
        doc_size = int(np.count_nonzero(np.diff(np.sort(sh.hashes)))) + 1
        starts = np.flatnonzero(np.r_[True, sh.paragraph[1:] != sh.paragraph[:-1]])
        groups = sh.paragraph[starts]
        keep = sh.words[groups] >= self.min_paragraph_words
        mins = np.minimum.reduceat(permuted[: self.para_perm], starts, axis=1)
        kept = groups[keep]
        return Signature(
            article=article.id,
            published=article.published,
            n_paragraphs=n_par,
            words=words,
            doc=doc,
            doc_size=doc_size,
            para_index=kept,
            para_words=sh.words[kept],
            para_own=sh.own_words[kept],
            # 16 bits of each value (b-bit MinHash): two paragraphs' values now agree by chance
            # once in 65,536, a negligible bias, for half the memory and sketch bytes.
            para=np.ascontiguousarray(mins[:, keep].T).astype(np.uint16),
        )

    def lean_minhash(self, signature: Signature) -> LeanMinHash:
        """The document signature as a datasketch object (for use with datasketch's own tools)."""
        from datasketch import LeanMinHash

        return LeanMinHash(seed=self.seed, hashvalues=signature.doc, scheme="affine32")


def jaccard(a: U32 | U16, b: U32 | U16) -> float:
    """MinHash estimate of the Jaccard similarity of two signatures of equal length."""
    return float(np.count_nonzero(a == b)) / len(a)


def containment(jac: float, size_a: int, size_b: int) -> float:
    """Estimated share of A's shingles found in B, from their Jaccard estimate and set sizes:
    |A & B| = J (|A| + |B|) / (1 + J)."""
    if size_a == 0:
        return 0.0
    return min(1.0, jac * (size_a + size_b) / ((1.0 + jac) * size_a))
