"""The cheap representation an article is clustered on: hashed terms and names of title + lead.

An article is reduced to a :class:`Sketch`: the hashed features of its title and first words
(lowercased content words, and capitalised names found in the body), their counts, and the title
and outlet the story summary needs. The sketch is all the clusterer ever keeps of an article, and
it serialises to a few hundred bytes, so a corpus store can rebuild the clusterer after a restart
without re-reading article texts.

Hand-written rather than taken from scikit-learn's ``HashingVectorizer``: the clusterer needs the
counts per feature as plain ints (its centroid arithmetic is exact integer arithmetic, so replay is
bit-identical), needs names kept apart from other words, and must not pull scikit-learn into ingest.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections import Counter
from dataclasses import dataclass

from newsprism.errors import InputError

SKETCH_VERSION = 1

# Function words, reporting verbs and calendar words. Calendar words matter most: "Friday" or
# "March" would otherwise link unrelated events published on the same day. A short list of our own
# because no runtime dependency ships one without importing a heavy package.
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours yourself yourselves
    said says say saying told tell according asked added new news year years week weeks day days
    time times one two three first last like get got make made many much may might must us
    mr mrs ms dr sen rep gov gen st jr sr inc co corp ltd
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight
    january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    am pm est edt gmt utc et pt
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
# A run of capitalised words, allowing short connectors inside ("Bank of America").
_NAME_RUN = re.compile(
    r"(?:[A-Z][a-zA-Z'’\-]*[a-zA-Z]|[A-Z]\.)(?:\s+(?:of|de|la|von|van|al|bin)?\s*"
    r"(?:[A-Z][a-zA-Z'’\-]*[a-zA-Z]|[A-Z]\.))*"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;][\"'”’)\]]*\s+|[\"“‘(\[]\s*|—\s*|\n\s*)$")


def _norm(word: str) -> str:
    """Lowercase, no possessive, a crude plural strip: enough for title/lead overlap."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return w


def lead_text(text: str, words: int) -> str:
    """The first ``words`` words of the body (cut at a word boundary)."""
    if words <= 0:
        return ""
    for count, m in enumerate(re.finditer(r"\S+", text), start=1):
        if count == words:
            return text[: m.end()]
    return text


def content_words(text: str) -> list[str]:
    out = []
    for m in _WORD.finditer(text):
        w = _norm(m.group())
        if len(w) > 1 and w not in STOPWORDS:
            out.append(w)
    return out


def names_in(text: str) -> list[str]:
    """Capitalised names of the body: each full name ("michael steele") and each of its words
    ("steele"), so that a later "Mr. Steele" in another outlet still matches."""
    out: list[str] = []
    for m in _NAME_RUN.finditer(text):
        words = m.group().split()
        at_start = _SENTENCE_START.search(text, 0, m.start()) is not None
        if at_start and words and _norm(words[0]) in STOPWORDS:
            words = words[1:]  # "The", "But" opening a sentence are not names
        kept = [_norm(w) for w in words if w[0].isupper()]
        kept = [w for w in kept if len(w) > 1 and w not in STOPWORDS]
        if not kept:
            continue
        if at_start and len(kept) == 1 and len(words) == 1:
            # One capitalised word opening a sentence is as likely an ordinary word.
            continue
        out.extend(kept)
        if len(kept) > 1:
            out.append(" ".join(kept))
    return out


@dataclass(frozen=True, slots=True)
class Sketch:
    """What the clusterer keeps of an article. ``terms`` maps hashed word features and ``names``
    hashed name features to their (weighted) counts; the two feature spaces never collide because
    names are hashed with a different prefix."""

    terms: dict[int, int]
    names: dict[int, int]
    title: str
    outlet: str

    def to_bytes(self) -> bytes:
        t = sorted(self.terms.items())
        n = sorted(self.names.items())
        title = self.title.encode("utf-8")
        outlet = self.outlet.encode("utf-8")
        head = struct.pack("<BHHHH", SKETCH_VERSION, len(t), len(n), len(title), len(outlet))
        body = struct.pack(
            f"<{len(t)}I{len(t)}H{len(n)}I{len(n)}H",
            *(k for k, _ in t),
            *(min(v, 0xFFFF) for _, v in t),
            *(k for k, _ in n),
            *(min(v, 0xFFFF) for _, v in n),
        )
        return head + body + title + outlet

    @classmethod
    def from_bytes(cls, data: bytes, *, origin: str | None = None) -> Sketch:
        try:
            version, nt, nn, lt, lo = struct.unpack_from("<BHHHH", data, 0)
            if version != SKETCH_VERSION:
                raise InputError(f"story sketch version {version} is not {SKETCH_VERSION}")
            off = struct.calcsize("<BHHHH")
            fmt = f"<{nt}I{nt}H{nn}I{nn}H"
            vals = struct.unpack_from(fmt, data, off)
            off += struct.calcsize(fmt)
            title = data[off : off + lt].decode("utf-8")
            outlet = data[off + lt : off + lt + lo].decode("utf-8")
            if off + lt + lo != len(data):
                raise InputError("story sketch has trailing bytes")
        except (struct.error, UnicodeDecodeError) as exc:
            raise InputError(f"corrupt story sketch: {exc}", origin=origin) from exc
        terms = dict(zip(vals[:nt], vals[nt : 2 * nt], strict=True))
        names = dict(zip(vals[2 * nt : 2 * nt + nn], vals[2 * nt + nn :], strict=True))
        return cls(terms, names, title, outlet)


def make_sketch(
    title: str | None,
    text: str,
    outlet: str | None,
    *,
    lead_words: int,
    title_weight: int,
    name_weight: int,
    seed: int,
) -> Sketch:
    """Hash the title and lead into counts. Title words count ``title_weight`` times (a headline
    states the event), names ``name_weight`` times in their own space."""
    lead = lead_text(text, lead_words)
    terms: Counter[int] = Counter()
    salt = seed & 0xFFFFFFFF
    for w in content_words(title or ""):
        terms[zlib.crc32(w.encode(), salt)] += title_weight
    for w in content_words(lead):
        terms[zlib.crc32(w.encode(), salt)] += 1
    names: Counter[int] = Counter()
    for n in names_in(lead):
        names[zlib.crc32(b"\x01" + n.encode(), salt)] += name_weight
    return Sketch(dict(terms), dict(names), title or "", outlet or "")
