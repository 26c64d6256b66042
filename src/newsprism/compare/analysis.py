"""Per-article analysis for the brief: sentences, entities, typed values, quotes, roles, main
predicates, embeddings.

This is the expensive, per-sentence work (spaCy parse and NER, MiniLM embeddings). It runs only when a
brief is asked for, once per article: :class:`AnalysisCache` keeps results by article id (a content
hash), and the store persists them so a stored story's brief reuses them. Later stages read what
they need of the parse from here; none parses a sentence again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from newsprism.clean.segment import split_sentences
from newsprism.compare.quotes import extract_quotes
from newsprism.compare.values import extract_values
from newsprism.model import Article, Quote, Sentence, Span, Value
from newsprism.nlp import Models
from newsprism.timing import StageTimes

if TYPE_CHECKING:
    from newsprism.compare.claims import Predicate

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
_HONORIFIC = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|sen|rep|gov|gen|lt|col|sgt|capt|prof|rev|pres|president|senator|"
    r"governor|mayor|chief|judge|justice|secretary|minister|prime minister|speaker|sheriff|"
    r"officer|detective|chairman|chairwoman|director|ambassador|king|queen|prince|pope)\.?\s+)+",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention: ``text`` is ``article.text[span.start:span.end]``."""

    text: str
    label: str
    span: Span
    sentence: int


@dataclass(frozen=True, slots=True)
class RoleName:
    """A person named in a role: "the railroad spokesman, Dana Whitfield" -> role "railroad spokesman"."""

    role: str
    role_head: str
    name: str
    name_span: Span
    sentence: int


@dataclass(frozen=True, slots=True)
class ValueContext:
    """A typed value with what the comparison needs: its sentence and a slot description."""

    value: Value
    sentence: int
    slot_text: str  # the sentence with the value masked: what it is about


@dataclass(frozen=True, slots=True)
class Analysis:
    article: Article
    sentences: tuple[Sentence, ...]
    embeddings: Any  # np.ndarray (n_sentences, dim), L2-normalised
    mentions: tuple[Mention, ...]
    values: tuple[ValueContext, ...]
    value_embeddings: Any  # np.ndarray (n_values, dim): embeddings of slot_text
    quotes: tuple[Quote, ...]
    roles: tuple[RoleName, ...]
    lemmas: tuple[frozenset[str], ...]  # content-word lemmas per sentence
    #: The main predicate of each sentence (:func:`newsprism.compare.claims.predicate`), read from
    #: the article's parse; what the same-claim judgment compares.
    predicates: tuple[Predicate, ...] = ()


@dataclass(slots=True)
class AnalysisCache:
    """Analyses by article id, in memory. Ids are content hashes, so a changed article is a new
    entry. The corpus side subclasses it to read and write the store (see newsprism.service)."""

    items: dict[str, Analysis] = field(default_factory=dict)

    def get(self, article: Article) -> Analysis | None:
        return self.items.get(article.id)

    def put(self, analysis: Analysis) -> None:
        self.items[analysis.article.id] = analysis


def strip_honorific(name: str) -> str:
    return _HONORIFIC.sub("", name).strip()


def _sentence_of(offsets: Sequence[int], pos: int) -> int:
    """Index of the sentence whose start is the last one <= pos (offsets sorted)."""
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _roles(doc: Any, article_id: str, starts: Sequence[int]) -> list[RoleName]:
    """People named with a role noun: apposition ("the spokesman, Dana Whitfield,"), a title
    compound ("Railroad spokesman Dana Whitman"), or "Whitfield, a spokesman for ..."."""
    out: list[RoleName] = []
    for ent in doc.ents:
        if ent.label_ != "PERSON" or len(ent) > 4:
            continue
        root = ent.root
        role_tok = None
        # "spokesman Dana Whitman": role noun is a compound child of the name's head, left of it.
        for child in root.children:
            if child.dep_ == "compound" and child.i < ent.start and child.pos_ == "NOUN":
                role_tok = child
        # "the spokesman, Dana Whitfield" (name in apposition to the role) and the reverse.
        if role_tok is None and root.dep_ == "appos" and root.head.pos_ == "NOUN":
            role_tok = root.head
        if role_tok is None:
            for child in root.children:
                if child.dep_ == "appos" and child.pos_ == "NOUN":
                    role_tok = child
        if role_tok is None:
            continue
        mods = [
            t.lemma_.lower()
            for t in role_tok.children
            if t.dep_ in ("compound", "amod", "nmod")
            and t.i < role_tok.i
            and t.i not in range(ent.start, ent.end)
        ]
        preps = []
        for t in role_tok.children:
            if t.dep_ == "prep" and t.lower_ in ("for", "of", "at"):
                preps += [c.lemma_.lower() for c in t.subtree if c.pos_ in ("PROPN", "NOUN")][:3]
        head = role_tok.lemma_.lower()
        role = " ".join([*mods, head, *preps])
        name = strip_honorific(ent.text)
        if not name:
            continue
        start = ent.start_char + ent.text.find(name)
        out.append(
            RoleName(
                role=role,
                role_head=head,
                name=name,
                name_span=Span(article_id, start, start + len(name)),
                sentence=_sentence_of(starts, ent.start_char),
            )
        )
    return out


_STOP_POS = frozenset(
    {"DET", "ADP", "PRON", "AUX", "CCONJ", "SCONJ", "PUNCT", "PART", "SPACE", "NUM", "SYM"}
)


#: Characters of context each side of a value that describe its slot. A whole sentence often
#: carries two facts; the words next to a value say what it measures ("derailed ..., sending X off
#: the tracks" and "derailed ..., scattering X along the river").
SLOT_LEFT, SLOT_RIGHT = 90, 60


def slot_text(text: str, s_start: int, s_end: int, v_start: int, v_end: int) -> str:
    """The value's neighbourhood within its sentence, the value itself masked, cut at words."""
    left = max(s_start, v_start - SLOT_LEFT)
    right = min(s_end, v_end + SLOT_RIGHT)
    while left > s_start and not text[left - 1].isspace():
        left -= 1
    while right < s_end and not text[right].isspace():
        right += 1
    return f"{text[left:v_start]}X{text[v_end:right]}".strip()


def _predicates(doc: Any, sentences: Sequence[Sentence]) -> tuple[Predicate, ...]:
    """The main predicate of each sentence, from the article's parse. Where the parser splits
    what the segmenter kept whole, the longest piece carries it (a quote and its "he said" tag
    often come apart)."""
    from newsprism.compare.claims import Predicate, predicate  # claims reads Analysis

    bounds = [(s.start, s.end) for s in doc.sents]
    out = []
    k = 0
    for s in sentences:
        span = doc.char_span(s.start, s.end, alignment_mode="expand")
        if span is None or not len(span):  # pragma: no cover - a sentence has a token
            out.append(Predicate("", False, False, None))
            continue
        while k < len(bounds) and bounds[k][1] <= span.start:
            k += 1
        pieces = []
        j = k
        while j < len(bounds) and bounds[j][0] < span.end:
            pieces.append(doc[max(bounds[j][0], span.start) : min(bounds[j][1], span.end)])
            j += 1
        pieces = [p for p in pieces if len(p)]
        out.append(predicate(max(pieces, key=len) if pieces else span))
    return tuple(out)


def _parsed(article: Article, doc: Any, timer: StageTimes) -> _Parsed:
    """Everything of one article that reads its spaCy parse; embeddings come after, in one
    batch for all the articles of a brief."""
    text = article.text
    with timer.stage("parse"):
        sentences = split_sentences(text, article.id)
        starts = [s.start for s in sentences]
        mentions = [
            Mention(
                e.text,
                e.label_,
                Span(article.id, e.start_char, e.end_char),
                _sentence_of(starts, e.start_char),
            )
            for e in doc.ents
            if e.label_ in ENTITY_LABELS
        ]
        lemma_sets: list[set[str]] = [set() for _ in sentences]
        for tok in doc:
            if tok.pos_ not in _STOP_POS and not tok.is_stop and tok.is_alpha and sentences:
                lemma_sets[_sentence_of(starts, tok.idx)].add(tok.lemma_.lower())
        roles = tuple(_roles(doc, article.id, starts)) if sentences else ()
        predicates = _predicates(doc, sentences)
    with timer.stage("values"):
        values: list[ValueContext] = []
        for i, s in enumerate(sentences):
            for v in extract_values(
                text, article.id, published=article.published, doc=doc, start=s.start, end=s.end
            ):
                values.append(
                    ValueContext(v, i, slot_text(text, s.start, s.end, v.span.start, v.span.end))
                )
    with timer.stage("quotes"):
        quotes = extract_quotes(text, article.id, doc)
    return _Parsed(
        article=article,
        sentences=sentences,
        mentions=tuple(mentions),
        values=tuple(values),
        quotes=quotes,
        roles=roles,
        lemmas=tuple(frozenset(s) for s in lemma_sets),
        predicates=predicates,
    )


@dataclass(frozen=True, slots=True)
class _Parsed:
    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    values: tuple[ValueContext, ...]
    quotes: tuple[Quote, ...]
    roles: tuple[RoleName, ...]
    lemmas: tuple[frozenset[str], ...]
    predicates: tuple[Predicate, ...]


class _Embeddings:
    """The embeddings of a brief's sentences and value slots, computed on a background thread
    while the caller parses the next article: ONNX Runtime and most of spaCy's parse release the
    GIL, so on two cores the two overlap instead of taking turns. Each distinct text is embedded
    once (wire copies repeat sentences word for word; a slot text is often a whole sentence)."""

    def __init__(self, models: Models, timer: StageTimes, *, overlap: bool = True) -> None:
        self.models = models
        self.timer = timer
        self.rows: dict[str, tuple[int, int]] = {}  # text -> (chunk, row in chunk)
        self.chunks: list[Future[np.ndarray]] = []
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="embed") if overlap else None

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self.timer.stage("embed"):
            return np.asarray(
                self.models.embedder.encode(
                    texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
                )
            )

    def add(self, texts: Sequence[str]) -> None:
        new = [t for t in dict.fromkeys(texts) if t not in self.rows]
        if not new:
            return
        for r, t in enumerate(new):
            self.rows[t] = (len(self.chunks), r)
        if self.pool is None:
            done: Future[np.ndarray] = Future()
            done.set_result(self._encode(new))
            self.chunks.append(done)
        else:
            self.chunks.append(self.pool.submit(self._encode, new))

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self.timer.stage("embed wait"):
            chunks = [c.result() for c in self.chunks]
        return np.stack([chunks[c][r] for c, r in (self.rows[t] for t in texts)])

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _texts(p: _Parsed) -> list[str]:
    return [s.text for s in p.sentences] + [v.slot_text for v in p.values]


def _analysis(p: _Parsed, embeddings: _Embeddings) -> Analysis:
    vecs = embeddings.vectors(_texts(p))
    n_s = len(p.sentences)
    return Analysis(
        article=p.article,
        sentences=p.sentences,
        embeddings=vecs[:n_s],
        mentions=p.mentions,
        values=p.values,
        value_embeddings=vecs[n_s:],
        quotes=p.quotes,
        roles=p.roles,
        lemmas=p.lemmas,
        predicates=p.predicates,
    )


def analyse(article: Article, models: Models, timer: StageTimes | None = None) -> Analysis:
    timer = timer if timer is not None else StageTimes()
    with timer.stage("parse"):
        doc = models.spacy(article.text)
    parsed = _parsed(article, doc, timer)
    embeddings = _Embeddings(models, timer, overlap=False)
    embeddings.add(_texts(parsed))
    return _analysis(parsed, embeddings)


def analyse_all(
    articles: Sequence[Article],
    models: Models,
    cache: AnalysisCache | None = None,
    timer: StageTimes | None = None,
    *,
    overlap: bool = True,
) -> list[Analysis]:
    """The analyses of ``articles``, from ``cache`` where it has them. ``overlap``: embed on a
    background thread while parsing (see :class:`_Embeddings`)."""
    timer = timer if timer is not None else StageTimes()
    found: dict[str, Analysis] = {}
    todo: dict[str, Article] = {}
    for a in articles:
        hit = cache.get(a) if cache is not None else None
        if hit is None:
            todo.setdefault(a.id, a)
        else:
            found[a.id] = hit
    if todo:
        parsed = []
        embeddings = _Embeddings(models, timer, overlap=overlap)
        try:
            with timer.stage("parse"):
                docs = models.spacy.pipe([a.text for a in todo.values()])
            for a in todo.values():
                with timer.stage("parse"):
                    doc = next(docs)
                p = _parsed(a, doc, timer)
                embeddings.add(_texts(p))
                parsed.append(p)
            for p in parsed:
                analysis = _analysis(p, embeddings)
                found[analysis.article.id] = analysis
                if cache is not None:
                    cache.put(analysis)
        finally:
            embeddings.close()
    return [found[a.id] for a in articles]
