"""Page furniture at the foot of an article body, told apart by fitted line features.

After the last paragraph of an article, pages put lines that read like sentences but are not the
article: a notice that comments are closed or moved elsewhere, an invitation to discuss the story
on social networks, a newsletter prompt, a disclaimer, teasers for other stories. Their wording
varies by outlet, so no phrase list is used; instead each line is described by a few features of
its shape and its context (how many of its words the article uses elsewhere, whether it speaks
to the reader, its punctuation and capitals, how far it stands from the end, and how typical its
words are of furniture on many sites' pages), and a logistic model scores it. The weights live in ``furniture_weights.json``, fitted by ``bench/fit_lines.py``
on the fit part of the debris benchmark only; the threshold there was chosen on the same part so
that no article sentence of it is lost.

Only a contiguous stretch at the very end of the body is ever removed: a line the model doubts
stops the trimming, so an article paragraph that happens to score high in the middle stays.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = ["FEATURES", "Weights", "candidate", "furniture_tail", "line_features", "load_weights"]

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CONTENT_MIN = 4  # letters: shorter words are function words in most languages we see
# Grammatical person is closed-class grammar, not an outlet's phrasing: a line that speaks to the
# reader ("you", "your") or as the outlet ("we", "our", "us") is rare in a news report's
# narration, common in the page's prompts.
_READER = frozenset({"you", "your", "yours", "we", "our", "us"})
_LETTERS = re.compile(r"[^\W\d_]+")
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]?|‘[^’]*’?")
_SENT_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_PUNCT = re.compile(r"[,;:()\"“”‘’—–-]")
_LINKISH = re.compile(r"@\w|https?://|www\.|\b[\w.-]+\.(?:com|org|net|co)\b", re.IGNORECASE)
_TAIL_REACH = 8
_CANDIDATE_WORDS = 4
_UNSPACED = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
)  # lines from the end of the body that may be furniture

FEATURES = (
    "bias",
    "log_words",
    "sentence_end",
    "question",
    "capitalised_share",
    "punctuation_per_word",
    "digit_share",
    "reader_share",
    "quote_marks",
    "linkish",
    "shared_words",
    "from_end",
    "prose_after",
    "headline_shaped",
    "after_headline_shaped",
    "repeated_nearby",
    "furniture_words",
)


@dataclass(frozen=True, slots=True)
class Weights:
    coef: tuple[float, ...]
    threshold: float
    #: Log-odds of a word standing in page furniture rather than in article text, learned from
    #: the lines of many outlets' pages (only words seen on the furniture of several sites).
    lexicon: Mapping[str, float] = field(default_factory=dict)


@cache
def load_weights() -> Weights:
    """The fitted weights (read once; a frozen value, so sharing it is safe)."""
    text = (resources.files("newsprism.clean") / "furniture_weights.json").read_text("utf-8")
    data = json.loads(text)
    if tuple(data["features"]) != FEATURES:
        raise ValueError("furniture_weights.json does not match the features; refit it")
    lexicon = {str(w): float(v) for w, v in data["lexicon"].items()}
    return Weights(tuple(float(c) for c in data["coef"]), float(data["threshold"]), lexicon)


def _content_words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text) if len(w) >= _CONTENT_MIN}


def line_features(
    lines: Sequence[str], i: int, prose: Sequence[bool], lexicon: Mapping[str, float]
) -> list[float]:
    """The features of body line ``i`` among the body ``lines``; ``prose[k]`` says whether line
    k is a full paragraph (the cleaner's own reading of its shape)."""
    text = lines[i]
    words = text.split()
    n = max(1, len(words))
    lettered = [w for w in words if w[:1].isalpha()]
    capitalised = sum(1 for w in lettered if w[0].isupper())
    # Words inside quotation marks are someone else's: "We owe it to them," she said.
    unquoted = _QUOTED.sub(" ", text).split()
    folded = [w.strip(".,;:!?\"'“”‘’()").casefold() for w in unquoted]
    own = _content_words(text)
    elsewhere: set[str] = set()
    for k, other in enumerate(lines):
        if k != i:
            elsewhere |= _content_words(other)
    from_end = len(lines) - 1 - i
    return [
        1.0,
        math.log(n),
        float(bool(_SENT_END.search(text))),
        float(text.rstrip("\"'”’)]").endswith("?")),
        capitalised / max(1, len(lettered)),
        len(_PUNCT.findall(text)) / n,
        sum(c.isdigit() for c in text) / max(1, len(text)),
        sum(1 for w in folded if w in _READER) / n,
        float(any(q in text for q in '"“”«»')),
        float(bool(_LINKISH.search(text))),
        len(own & elsewhere) / len(own) if own else 0.0,
        min(from_end, _TAIL_REACH) / _TAIL_REACH,
        float(min(sum(prose[i + 1 :]), 3)) / 3,
        float(_headline_shaped(text)),
        float(i > 0 and _headline_shaped(lines[i - 1])),
        float(any(_same_start(text, lines[k]) for k in range(max(0, i - 2), i))),
        lexicon_score(text, lexicon),
    ]


def lexicon_score(text: str, lexicon: Mapping[str, float]) -> float:
    """Mean furniture log-odds of the line's words (unknown words count 0)."""
    words = [w.casefold() for w in _LETTERS.findall(text)]
    return sum(lexicon.get(w, 0.0) for w in words) / len(words) if words else 0.0


def _headline_shaped(text: str) -> bool:
    """A few words, a capital first, no full stop: a link to another story."""
    words = text.split()
    return 3 <= len(words) <= 20 and text[:1].isupper() and not _SENT_END.search(text)


def _same_start(a: str, b: str) -> bool:
    """A teaser repeats its headline as the start of its blurb, or twice in a row."""
    wa, wb = a.split()[:5], b.split()[:5]
    return len(wa) >= 3 and wa == wb


def score(features: Sequence[float], weights: Weights) -> float:
    """Probability that the line is furniture."""
    z = sum(c * f for c, f in zip(weights.coef, features, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def candidate(text: str) -> bool:
    """Whether a line may be judged at all: a sentence of a few spaced words. Lists (tour dates,
    results), headings and text in scripts written without spaces are left to the shape rules of
    :mod:`newsprism.clean.text`; the notices this module is for are sentences."""
    return (
        len(text.split()) >= _CANDIDATE_WORDS
        and bool(_SENT_END.search(text))
        and not _UNSPACED.search(text)
        and not text[:1].isdigit()
    )


def furniture_tail(lines: Sequence[str], prose: Sequence[bool]) -> int:
    """How many lines at the end of the body are furniture (0 when the last line is not).

    The last line of all is never the whole body: at least one line stays.
    """
    weights = load_weights()
    cut = 0
    for i in range(len(lines) - 1, max(0, len(lines) - 1 - _TAIL_REACH), -1):
        if (
            not candidate(lines[i])
            or score(line_features(lines, i, prose, weights.lexicon), weights) < weights.threshold
        ):
            break
        cut += 1
    return min(cut, len(lines) - 1)
