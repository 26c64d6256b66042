"""Per-article analysis for the brief: sentences, entities, typed values, quotes, roles, embeddings.

This is the expensive, per-sentence work (spaCy parse and NER, MiniLM embeddings). It runs only when a
brief is asked for, once per article: :class:`AnalysisCache` keeps results by article id (a content
hash), and the store persists them so a stored story's brief reuses them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsprism.clean.segment import split_sentences
from newsprism.compare.quotes import extract_quotes
from newsprism.compare.values import extract_values
from newsprism.model import Article, Quote, Sentence, Span, Value
from newsprism.nlp import Models
from newsprism.timing import StageTimes

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


def _embedded(parsed: Sequence[_Parsed], models: Models, timer: StageTimes) -> list[Analysis]:
    """Sentences and value slots of all the articles in one call, so the embedder's batches are
    full (sorted by length inside) instead of one short batch per article."""
    batch: list[str] = []
    for p in parsed:
        batch += [s.text for s in p.sentences]
        batch += [v.slot_text for v in p.values]
    with timer.stage("embed"):
        # Each distinct text once: wire copies and syndicated paragraphs repeat sentences
        # word for word, and a value's slot text is often a whole short sentence.
        distinct = list(dict.fromkeys(batch))
        if distinct:
            unique_vecs = np.asarray(
                models.embedder.encode(
                    distinct, batch_size=64, normalize_embeddings=True, show_progress_bar=False
                )
            )
            row = {text: i for i, text in enumerate(distinct)}
            vecs = unique_vecs[[row[text] for text in batch]]
        else:
            vecs = np.zeros((0, 384), dtype=np.float32)
    out = []
    at = 0
    for p in parsed:
        n_s, n_v = len(p.sentences), len(p.values)
        out.append(
            Analysis(
                article=p.article,
                sentences=p.sentences,
                embeddings=vecs[at : at + n_s],
                mentions=p.mentions,
                values=p.values,
                value_embeddings=vecs[at + n_s : at + n_s + n_v],
                quotes=p.quotes,
                roles=p.roles,
                lemmas=p.lemmas,
            )
        )
        at += n_s + n_v
    return out


def analyse(article: Article, models: Models, timer: StageTimes | None = None) -> Analysis:
    timer = timer if timer is not None else StageTimes()
    with timer.stage("parse"):
        doc = models.spacy(article.text)
    return _embedded([_parsed(article, doc, timer)], models, timer)[0]


def analyse_all(
    articles: Sequence[Article],
    models: Models,
    cache: AnalysisCache | None = None,
    timer: StageTimes | None = None,
) -> list[Analysis]:
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
        with timer.stage("parse"):
            docs = models.spacy.pipe([a.text for a in todo.values()])
        for a in todo.values():
            with timer.stage("parse"):
                doc = next(docs)
            parsed.append(_parsed(a, doc, timer))
        for analysis in _embedded(parsed, models, timer):
            found[analysis.article.id] = analysis
            if cache is not None:
                cache.put(analysis)
    return [found[a.id] for a in articles]
