"""Analyses to bytes and back, so the store can cache per-sentence work between briefs.

JSON (zlib-compressed) with the embeddings as raw float32 bytes, not pickle: a team's shared
database must not be a way to run code on every reader's machine.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import numpy as np

from newsprism.compare import scorer
from newsprism.compare.analysis import Analysis, Mention, RoleName, ValueContext
from newsprism.compare.claims import Predicate
from newsprism.config import Settings
from newsprism.model import Article, Quote, Sentence, Span, Value, ValueKind

#: Bump when what an analysis holds, or how it is computed, changes: older cached entries are
#: then ignored (the models' names are part of the version too).
# 2: paragraph breaks end spaCy sentences; future cue stops at clauses. 3: values carry their
# agent; weekdays after names and counts after names ("seven U.S. Capitol Police officers").
# 4: quote speakers ranked by the fitted speaker model (never a place or a work), statements
# spoken by their issuer.
# 5: each sentence's main predicate (the same-claim judgment reads it instead of parsing again).
ANALYSIS_FORMAT = 5


def analysis_version(settings: Settings) -> str:
    """What a cached analysis was computed with: its format, the models, and the fitted speaker
    model (a refit changes the speakers an analysis holds)."""
    return (
        f"{ANALYSIS_FORMAT}:{settings.spacy_model}:{settings.embedding_model}:"
        f"{scorer.digest('speaker_model')}"
    )


def _span(s: Span) -> list[int]:
    return [s.start, s.end]


def _array(a: Any) -> dict[str, Any]:
    arr = np.ascontiguousarray(np.asarray(a, dtype=np.float32))
    return {"shape": list(arr.shape), "data": base64.b64encode(arr.tobytes()).decode()}


def _unarray(d: dict[str, Any]) -> Any:
    raw = base64.b64decode(d["data"])
    return np.frombuffer(raw, dtype=np.float32).reshape(d["shape"]).copy()


def encode(a: Analysis) -> bytes:
    sid = a.article.id
    doc = {
        "article": sid,
        "sentences": [[s.start, s.end] for s in a.sentences],
        "embeddings": _array(a.embeddings),
        "mentions": [[m.label, *_span(m.span), m.sentence] for m in a.mentions],
        "values": [
            {
                "kind": c.value.kind.value,
                "span": _span(c.value.span),
                "number": c.value.number,
                "low": c.value.low,
                "high": c.value.high,
                "unit": c.value.unit,
                "qualifier": c.value.qualifier,
                "date": c.value.date,
                "head": c.value.head,
                "agent": c.value.agent,
                "sentence": c.sentence,
                "slot": c.slot_text,
            }
            for c in a.values
        ],
        "value_embeddings": _array(a.value_embeddings),
        "quotes": [
            {
                "span": _span(q.span),
                "speaker": q.speaker,
                "speaker_span": _span(q.speaker_span) if q.speaker_span else None,
                "cue": q.cue,
                "sentence": q.sentence_index,
            }
            for q in a.quotes
        ],
        "roles": [[r.role, r.role_head, r.name, *_span(r.name_span), r.sentence] for r in a.roles],
        "lemmas": [sorted(x) for x in a.lemmas],
        "predicates": [[p.lemma, p.negated, p.irrealis, p.subject, p.named] for p in a.predicates],
    }
    assert sid == a.article.id
    del doc["article"]
    return zlib.compress(json.dumps(doc, separators=(",", ":")).encode())


def decode(payload: bytes, article: Article) -> Analysis:
    """Rebuild an analysis of ``article`` (texts are sliced from the article, not stored)."""
    d = json.loads(zlib.decompress(payload))
    text, sid = article.text, article.id
    sentences = tuple(Sentence(sid, i, s, e, text[s:e]) for i, (s, e) in enumerate(d["sentences"]))
    values = tuple(
        ValueContext(
            Value(
                kind=ValueKind(v["kind"]),
                span=Span(sid, *v["span"]),
                surface=text[v["span"][0] : v["span"][1]],
                number=v["number"],
                low=v["low"],
                high=v["high"],
                unit=v["unit"],
                qualifier=v["qualifier"],
                date=v["date"],
                head=v["head"],
                agent=v.get("agent"),
            ),
            v["sentence"],
            v["slot"],
        )
        for v in d["values"]
    )
    quotes = tuple(
        Quote(
            span=Span(sid, *q["span"]),
            text=text[q["span"][0] : q["span"][1]],
            speaker=q["speaker"],
            speaker_span=Span(sid, *q["speaker_span"]) if q["speaker_span"] else None,
            cue=q["cue"],
            sentence_index=q["sentence"],
        )
        for q in d["quotes"]
    )
    return Analysis(
        article=article,
        sentences=sentences,
        embeddings=_unarray(d["embeddings"]),
        mentions=tuple(
            Mention(text[s:e], label, Span(sid, s, e), sent) for label, s, e, sent in d["mentions"]
        ),
        values=values,
        value_embeddings=_unarray(d["value_embeddings"]),
        quotes=quotes,
        roles=tuple(
            RoleName(role, head, name, Span(sid, s, e), sent)
            for role, head, name, s, e, sent in d["roles"]
        ),
        lemmas=tuple(frozenset(x) for x in d["lemmas"]),
        predicates=tuple(Predicate(*p) for p in d["predicates"]),
    )
