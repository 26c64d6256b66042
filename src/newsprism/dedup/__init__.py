"""Near-duplicates across a corpus: wire copies (full) and embedded wire paragraphs (partial).

Every copy is linked to its original, and a chain of copies to its first original, so that a
story counts one independent origin per chain (:class:`~newsprism.model.CopyLink`).
"""

from newsprism.dedup.copies import CopyDetector, CopyParams
from newsprism.dedup.minhash import Hasher, Signature, tokens

__all__ = ["CopyDetector", "CopyParams", "Hasher", "Signature", "tokens"]
