"""Whether two sentences of different articles state the same claim, not just the same topic.

Embeddings put "Republicans urged him not to declare" next to "McConnell supported the
decision", and "leaving on January 1" next to "retiring at the end of February": same topic,
different claims. A fact is corroborated only by sentences that state its claim, so the brief asks
a fitted model, over general features of a sentence pair:

* how alike the sentences are: MiniLM cosine, the story-rare words they share, the wording;
* who they name, and whether the doer of the main predicate is the same;
* the main predicate itself (reporting verbs looked through: "officials said the plan was ..."
  is a claim about the plan): the same lemma, or a near one;
* polarity ("not", "never", "refused to", "urged ... not to") and modality ("will", "would",
  "plans to", "may" against what happened) of that predicate;
* the typed values both state in one slot: agreeing figures are evidence, a figure that cannot
  also hold (``$3.5 billion`` / ``$3.6 billion``) rules the pair out: that is a conflict or an
  update, the conflict detector's business, not a corroboration.

The weights are a logistic regression fitted by ``bench/claims.py fit`` on sentence pairs of the
benchmark's *fit* events read by hand (``bench/gold/same_claim_fit.jsonl``) and shipped as
``compare/data/claim_model.json`` with the thresholds chosen on the same pairs. Reading it needs
no scikit-learn.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from newsprism.compare import scorer
from newsprism.compare.analysis import Analysis
from newsprism.compare.names import same_person, surname
from newsprism.compare.scorer import Logistic
from newsprism.errors import ModelError

Embed = Callable[[Sequence[str]], Any]

#: Below this cosine similarity (MiniLM) a pair is not considered at all unless it shares a
#: figure or most of its rare words: nearly no sentence pair of the fit events below it states
#: one claim, and it bounds the parsing work per story.
CANDIDATE_SIM = 0.45
CANDIDATE_RARE = 0.5

#: Verbs that report a claim rather than make one: the claim is their complement.
_REPORTING = frozenset(
    [
        "say",
        "tell",
        "announce",
        "report",
        "add",
        "note",
        "state",
        "claim",
        "insist",
        "confirm",
        "write",
        "explain",
        "argue",
        "acknowledge",
        "admit",
        "allege",
        "assert",
        "contend",
        "declare",
        "maintain",
        "reveal",
        "suggest",
        "testify",
        "warn",
        "recall",
        "indicate",
        "conclude",
        "estimate",
        "predict",
        "according",
        "believe",
        "think",
        "know",
        "show",
        "find",
        "continue",
    ]
)
#: Predicates that deny what follows them ("refused to testify" is "did not testify").
_NEGATIVE_VERBS = frozenset(
    [
        "refuse",
        "decline",
        "deny",
        "reject",
        "fail",
        "oppose",
        "cancel",
        "halt",
        "block",
        "veto",
        "abandon",
        "drop",
        "scrap",
        "stop",
        "withdraw",
        "resist",
        "dismiss",
    ]
)
#: Predicates and auxiliaries of what has not happened: a plan, a possibility, a wish.
_IRREALIS_VERBS = frozenset(
    [
        "plan",
        "expect",
        "intend",
        "hope",
        "propose",
        "consider",
        "threaten",
        "vow",
        "promise",
        "seek",
        "want",
        "aim",
        "weigh",
        "prepare",
        "schedule",
        "urge",
        "ask",
        "push",
        "call",
    ]
)
_IRREALIS_AUX = frozenset(
    ["will", "would", "could", "may", "might", "should", "shall", "'ll", "wo", "ca", "going"]
)
_LOOK_THROUGH = _REPORTING | _NEGATIVE_VERBS | _IRREALIS_VERBS
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl", "agent"})
_PRONOUNS = frozenset(
    ["i", "you", "he", "she", "it", "we", "they", "this", "that", "who", "which", "what", "there"]
)


@dataclass(frozen=True, slots=True)
class Predicate:
    """The main predicate of a sentence, reporting verbs looked through."""

    lemma: str
    negated: bool  # an odd number of negations on the way to it
    irrealis: bool  # planned, possible, wished or future, not what happened
    subject: str | None  # its doer: a name, or a noun's lemma; None for a pronoun or none
    named: bool = False  # the doer is a named person, organisation or place


def _subject(tok: Any) -> tuple[str, bool] | None:
    """The doer of ``tok``: (a surname or an organisation's name, True), or (a noun's lemma,
    False); None for a pronoun or no subject."""
    for child in tok.children:
        if child.dep_ in _SUBJECTS:
            if child.lower_ in _PRONOUNS or child.pos_ == "PRON":
                return None
            ent = next((e for e in child.doc.ents if e.start <= child.i < e.end), None)
            if ent is not None and ent.label_ == "PERSON":
                return surname(str(ent.text)), True
            if ent is not None and ent.label_ in ("ORG", "GPE", "NORP"):
                return " ".join(str(ent.text).lower().split()), True
            return str(child.lemma_).lower(), False
    return None


def predicate(sent: Any) -> Predicate:
    """Walk from the root through reporting verbs ("X said that ...") and control verbs ("urged
    him not to declare") to the predicate that carries the claim, counting negations and
    irrealis markers on the way."""
    tok = sent.root
    negated = False
    irrealis = False
    subject: tuple[str, bool] | None = None
    for _ in range(6):
        kids = list(tok.children)
        lemma = str(tok.lemma_).lower()
        if any(c.dep_ == "neg" for c in kids):
            negated = not negated
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in _IRREALIS_AUX for c in kids):
            irrealis = True
        subject = _subject(tok) or subject
        comp = next(
            (c for c in kids if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")), None
        )
        if lemma not in _LOOK_THROUGH or comp is None:
            break
        # "refused to testify" denies the testimony; "plans to leave" has not left yet.
        negated ^= lemma in _NEGATIVE_VERBS
        irrealis |= lemma in _IRREALIS_VERBS
        if comp.dep_ == "ccomp":
            subject = None  # "officials said he is retiring": he retires, not the officials
        tok = comp
    if tok.pos_ == "AUX" or str(tok.lemma_) == "be":
        # "The bill was a mistake": the claim is about the attribute, not the copula.
        attr = next((c for c in tok.children if c.dep_ in ("attr", "acomp")), None)
        lemma = str(attr.lemma_).lower() if attr is not None else str(tok.lemma_).lower()
    else:
        lemma = str(tok.lemma_).lower()
    doer = _subject(tok) or subject
    return Predicate(
        lemma, negated, irrealis, doer[0] if doer else None, doer[1] if doer else False
    )


# -- the story: what the pair features read, computed once per story ----------------------------


def _name_key(text: str, label: str) -> str:
    return surname(text) if label == "PERSON" else " ".join(text.lower().split())


def _published_day(an: Analysis) -> float | None:
    p = an.article.published
    if p is None:
        return None
    return (p if p.tzinfo else p.replace(tzinfo=UTC)).timestamp() / 86400.0


@dataclass(frozen=True, slots=True)
class ValueEvidence:
    """What the conflict detector's slot scorer says about the values of two sentences: the
    highest probability that an agreeing pair of their values fills one slot, and the highest
    that a disagreeing pair does."""

    agree: float = 0.0
    conflict: float = 0.0


class ClaimStory:
    """The sentences of one story, indexed ``0..n-1`` in the order of ``refs`` ((article index,
    sentence index) pairs), with what the pair features need."""

    def __init__(
        self,
        analyses: Sequence[Analysis],
        refs: Sequence[tuple[int, int]],
        sims: np.ndarray,
        values: dict[tuple[int, int], ValueEvidence],
        embed: Embed | None = None,
    ) -> None:
        self.analyses = analyses
        self.refs = list(refs)
        self.sims = sims
        self.values = values
        self._embed = embed
        self.texts = [analyses[a].sentences[s].text for a, s in self.refs]
        self.lemmas = [analyses[a].lemmas[s] for a, s in self.refs]
        n = max(len(self.refs), 1)
        df: dict[str, int] = {}
        for ls in self.lemmas:
            for w in ls:
                df[w] = df.get(w, 0) + 1
        self.idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
        # Each sentence's content weight, summed once: every pair feature divides by it.
        self.weights = [self._weight(ls) for ls in self.lemmas]
        names: dict[tuple[int, int], set[str]] = {}
        for ai, an in enumerate(analyses):
            for m in an.mentions:
                key = _name_key(m.text, m.label)
                if key:
                    names.setdefault((ai, m.sentence), set()).add(key)
        self.names = [frozenset(names.get(r, ())) for r in self.refs]
        self.day = [_published_day(analyses[a]) for a, _ in self.refs]
        self._preds: dict[int, Predicate] = {}
        self._pred_vecs: dict[str, Any] = {}
        self._word_vecs: dict[str, Any] = {}

    def _weight(self, words: Iterable[str]) -> float:
        return sum(self.idf.get(w, 0.0) for w in words)

    def rare_shared(self, i: int, j: int) -> float:
        """Share of the lighter sentence's content words, weighted by rarity in the story, that
        the other also uses."""
        low = min(self.weights[i], self.weights[j])
        return self._weight(self.lemmas[i] & self.lemmas[j]) / low if low > 0 else 0.0

    def rare_jaccard(self, i: int, j: int) -> float:
        li, lj = self.lemmas[i], self.lemmas[j]
        union = self._weight(li | lj)
        return self._weight(li & lj) / union if union > 0 else 0.0

    def prepare(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Read the predicates of the sentences of ``pairs`` from the analyses (the article's
        parse, :attr:`Analysis.predicates`) and embed them in one batch."""
        for k in sorted({k for p in pairs for k in p} - self._preds.keys()):
            a, s = self.refs[k]
            preds = self.analyses[a].predicates
            if s < len(preds):
                self._preds[k] = preds[s]
        lemmas = sorted({p.lemma for p in self._preds.values()} - self._pred_vecs.keys())
        if lemmas and self._embed is not None:
            vecs = np.asarray(self._embed(lemmas))
            self._pred_vecs.update(zip(lemmas, vecs, strict=True))

    def predicate(self, k: int) -> Predicate | None:
        return self._preds.get(k)

    def prepare_words(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Embed the content words of the sentences of ``pairs`` that are not shared by both
        sides of some pair (a shared word aligns with itself), in one batch."""
        if self._embed is None:
            return
        need: set[str] = set()
        for i, j in pairs:
            li, lj = self.lemmas[i], self.lemmas[j]
            need |= li ^ lj
        words = sorted(need - self._word_vecs.keys())
        if words:
            vecs = np.asarray(self._embed(words))
            self._word_vecs.update(zip(words, vecs, strict=True))

    def _covered(self, src: frozenset[str], dst: frozenset[str], total: float) -> float:
        """How much of ``src``'s content, weighted by rarity in the story, ``dst`` says too: a
        shared word counts fully, another word by its nearest word of ``dst`` (cosine of word
        embeddings), so "dismissed" is mostly covered by "fired"."""
        if total <= 0:
            return 0.0
        got = self._weight(src & dst)
        rest_dst = [self._word_vecs[w] for w in dst - src if w in self._word_vecs]
        rest_src = [w for w in src - dst if w in self._word_vecs]
        if rest_dst and rest_src:
            a = np.vstack([self._word_vecs[w] for w in rest_src])
            best = np.clip((a @ np.vstack(rest_dst).T).max(axis=1), 0.0, 1.0)
            got += float(sum(self.idf.get(w, 0.0) * b for w, b in zip(rest_src, best, strict=True)))
        return got / total

    def word_alignment(self, i: int, j: int) -> tuple[float, float]:
        """The soft coverage of the lighter sentence's content by the other, and of the
        heavier's: both high when they say the same thing in other words, the second low when
        one says more than the other."""
        if self.weights[i] > self.weights[j]:
            i, j = j, i
        li, lj = self.lemmas[i], self.lemmas[j]
        return self._covered(li, lj, self.weights[i]), self._covered(lj, li, self.weights[j])

    def predicate_similarity(self, a: Predicate, b: Predicate) -> float:
        if a.lemma == b.lemma:
            return 1.0
        va, vb = self._pred_vecs.get(a.lemma), self._pred_vecs.get(b.lemma)
        if va is None or vb is None:
            return 0.0
        return float(np.dot(va, vb))


# -- the features -----------------------------------------------------------------------------


def _quoted(text: str) -> bool:
    return text.count('"') >= 2 or ("\u201c" in text and "\u201d" in text)


def _same_doer(a: str, b: str) -> bool:
    return same_person(a, b) or a == b or a in b.split() or b in a.split()


def _shorter_first(s: ClaimStory, i: int, j: int) -> tuple[int, int]:
    return (i, j) if len(s.texts[i]) <= len(s.texts[j]) else (j, i)


def features(s: ClaimStory, i: int, j: int) -> np.ndarray:
    """The feature row of sentences ``i`` and ``j`` (see :data:`FEATURE_NAMES`)."""
    ti, tj = s.texts[i], s.texts[j]
    wi, wj = len(ti.split()), len(tj.split())
    short, long_ = _shorter_first(s, i, j)
    shared = len(s.names[i] & s.names[j])
    missing = len(s.names[short] - s.names[long_])
    pi, pj = s.predicate(i), s.predicate(j)
    ev = s.values.get((min(i, j), max(i, j)), ValueEvidence())
    di, dj = s.day[i], s.day[j]
    light, heavy = s.word_alignment(i, j)
    same_pred = pred_sim = polarity = modality = same_subj = diff_subj = 0.0
    if pi is not None and pj is not None:
        same_pred = 1.0 if pi.lemma == pj.lemma else 0.0
        pred_sim = s.predicate_similarity(pi, pj)
        # Opposite polarity or modality says most when the predicates are alike: "supported the
        # decision" / "urged him not to declare" differ in everything anyway.
        polarity = pred_sim if pi.negated != pj.negated else 0.0
        modality = pred_sim if pi.irrealis != pj.irrealis else 0.0
        if pi.subject is not None and pj.subject is not None:
            if _same_doer(pi.subject, pj.subject):
                same_subj = 1.0
            elif pi.named and pj.named:
                diff_subj = 1.0
    return np.array(
        [
            float(s.sims[i, j]),
            s.rare_shared(i, j),
            s.rare_jaccard(i, j),
            fuzz.token_set_ratio(ti.lower(), tj.lower()) / 100.0,
            min(wi, wj) / max(wi, wj, 1),
            min(3, shared) / 3.0,
            min(3, missing) / 3.0,
            same_pred,
            pred_sim,
            polarity,
            modality,
            same_subj,
            diff_subj,
            ev.agree,
            ev.conflict,
            1.0 if _quoted(ti) and _quoted(tj) else 0.0,
            min(3.0, abs(di - dj)) / 3.0 if di is not None and dj is not None else 0.0,
            light,
            heavy,
            fuzz.partial_ratio(s.texts[short].lower(), s.texts[long_].lower()) / 100.0,
        ],
        dtype=np.float64,
    )


FEATURE_NAMES: tuple[str, ...] = (
    "similarity",
    "rare_shared",
    "rare_jaccard",
    "wording",
    "length_ratio",
    "shared_names",
    "names_missing",
    "same_predicate",
    "predicate_similarity",
    "polarity_mismatch",
    "modality_mismatch",
    "same_doer",
    "different_doer",
    "values_agree",
    "values_conflict",
    "both_quoted",
    "days_apart",
    "aligned_light",
    "aligned_heavy",
    "contained",
)


def value_evidence(
    analyses: Sequence[Analysis], refs: Sequence[tuple[int, int]], pairs: Iterable[Any]
) -> dict[tuple[int, int], ValueEvidence]:
    """Per sentence pair (indices into ``refs``, lower first), the slot scorer's verdicts on their
    values. ``pairs`` are :func:`newsprism.compare.conflicts.value_pairs`' pairs (``.a``/``.b``
    with ``.key``, ``.disagree``, ``.probability``)."""
    ids = {an.article.id: ai for ai, an in enumerate(analyses)}
    index = {r: k for k, r in enumerate(refs)}
    out: dict[tuple[int, int], ValueEvidence] = {}
    for p in pairs:
        (aa, sa), (ab, sb) = p.a.key, p.b.key
        i = index.get((ids.get(aa, -1), sa))
        j = index.get((ids.get(ab, -1), sb))
        if i is None or j is None or i == j:
            continue
        key = (min(i, j), max(i, j))
        ev = out.get(key, ValueEvidence())
        prob = float(p.probability)
        if p.disagree:
            ev = ValueEvidence(ev.agree, max(ev.conflict, prob))
        else:
            ev = ValueEvidence(max(ev.agree, prob), ev.conflict)
        out[key] = ev
    return out


def candidates(s: ClaimStory, allowed: np.ndarray) -> list[tuple[int, int]]:
    """Sentence pairs worth judging: ``allowed`` (n, n) says which pairs may be (different
    articles); of those, the ones alike enough, or sharing a figure or most of their rare words."""
    ii, jj = np.nonzero(np.triu(allowed & (s.sims >= CANDIDATE_SIM - 0.15), k=1))
    out = []
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        ev = s.values.get((i, j))
        if (
            s.sims[i, j] >= CANDIDATE_SIM
            or (ev is not None and ev.agree >= 0.5)
            or s.rare_shared(i, j) >= CANDIDATE_RARE
        ):
            out.append((i, j))
    return out


# -- the fitted model -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimModel:
    """Two fitted judgments over the same features: that two sentences state the *same* claim
    (what corroboration needs), and that they *share* a claim, one stating what the other does
    among other things (what rules a detail out of "only one source says it")."""

    features: tuple[str, ...]
    same: Logistic
    shared: Logistic
    #: ``same`` probability at which two sentences corroborate each other.
    corroborate: float
    #: ``same`` probability at which a summary sentence cites another source's sentence.
    cite: float
    #: ``shared`` probability at which a sentence of another origin states a detail's claim.
    stated: float
    #: Slot probability of a disagreeing value pair at which two sentences are not one claim.
    conflict: float
    meta: dict[str, Any]


def model_from_dict(raw: dict[str, Any]) -> ClaimModel:
    t = raw["thresholds"]
    m = ClaimModel(
        features=tuple(raw["features"]),
        same=Logistic.read(raw["same"]),
        shared=Logistic.read(raw["shared"]),
        corroborate=float(t["corroborate"]),
        cite=float(t["cite"]),
        stated=float(t["stated"]),
        conflict=float(t["conflict"]),
        meta=dict(raw.get("meta", {})),
    )
    n = len(m.features)
    for part in (m.same, m.shared):
        if not (len(part.coef) == len(part.mean) == len(part.scale) == n):
            raise ModelError("claim_model.json: features, weights and scales differ in length")
        if not all(math.isfinite(float(c)) for c in part.coef):
            raise ModelError("claim_model.json: a weight is not a finite number")
    if m.features != FEATURE_NAMES:
        raise ModelError(
            "the fitted claim model was fitted on other features than the code computes: "
            "refit it with `python -m bench.claims fit`"
        )
    return m


def model_to_dict(m: ClaimModel) -> dict[str, Any]:
    return {
        "features": list(m.features),
        "same": m.same.to_dict(),
        "shared": m.shared.to_dict(),
        "thresholds": {
            "corroborate": round(m.corroborate, 4),
            "cite": round(m.cite, 4),
            "stated": round(m.stated, 4),
            "conflict": round(m.conflict, 4),
        },
        "meta": m.meta,
    }


@functools.cache
def load() -> ClaimModel:
    """The fitted model shipped with the package (``compare/data/claim_model.json``)."""
    return model_from_dict(scorer.read_data("claim_model", "claim model"))


# -- judging a story's pairs ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Judged:
    """The model's verdicts on one sentence pair."""

    same: float  # probability that both state the same claim
    shared: float  # probability that one states the other's claim (perhaps among others)
    conflict: bool  # a value of one slot disagrees: not one claim, whatever else they share
    #: One says it happened (or will), the other that it did not, or one that it did and the other
    #: that it is planned or possible: not one claim, however alike the words.
    contrary: bool = False

    @property
    def excluded(self) -> bool:
        return self.conflict or self.contrary


#: Two sentences this nearly word for word the same (one inside the other) state one claim even
#: if the parser reads their predicates differently ("..., the statement continued").
VERBATIM = 95.0


def contrary(s: ClaimStory, i: int, j: int) -> bool:
    """Opposite polarity or modality of the main predicates of two sentences that are not the
    same words."""
    pi, pj = s.predicate(i), s.predicate(j)
    if pi is None or pj is None:
        return False
    if pi.negated == pj.negated and pi.irrealis == pj.irrealis:
        return False
    a, b = s.texts[i].lower(), s.texts[j].lower()
    return fuzz.partial_ratio(a, b) < VERBATIM


def judge(
    s: ClaimStory, pairs: Sequence[tuple[int, int]], m: ClaimModel
) -> dict[tuple[int, int], Judged]:
    """Verdicts on ``pairs`` (lower index first)."""
    if not pairs:
        return {}
    s.prepare(pairs)
    s.prepare_words(pairs)
    x = np.vstack([features(s, i, j) for i, j in pairs])
    same = m.same.probability(x)
    shared = m.shared.probability(x)
    out = {}
    for n, (i, j) in enumerate(pairs):
        ev = s.values.get((i, j), ValueEvidence())
        out[(i, j)] = Judged(
            float(same[n]), float(shared[n]), ev.conflict >= m.conflict, contrary(s, i, j)
        )
    return out
