"""Entities of a story with name variants merged, cross-source quotes, and the timeline."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from newsprism.compare.analysis import Analysis, Mention, strip_honorific
from newsprism.compare.conflicts import quote_matches, same_person
from newsprism.compare.origins import Origins
from newsprism.model import Entity, QuoteAgreement, QuoteEntry, Span, TimelineEntry, ValueKind

_POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
# spaCy's small model splits organisation / place labels inconsistently across outlets
# ("Hollis County" as GPE in one, LOC in another): merge within these families.
_FAMILY = {
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "ORG": "ORG",
    "NORP": "NORP",
    "PERSON": "PERSON",
    "EVENT": "EVENT",
}


def _clean(m: Mention) -> str:
    name = _POSSESSIVE.sub("", m.text.strip())
    name = _LEADING_THE.sub("", name)
    if m.label == "PERSON":
        name = strip_honorific(name)
    return " ".join(name.split())


def merge_entities(analyses: Sequence[Analysis]) -> list[Entity]:
    """Group mentions into entities. People: a surname or a titled name ("President Smith",
    "Smith") joins the full name that ends with it ("Jane Smith") when exactly one such full name
    exists in the story; otherwise names merge only when identical (case-insensitive)."""
    by_key: dict[tuple[str, str], list[tuple[str, Mention]]] = defaultdict(list)
    for a in analyses:
        for m in a.mentions:
            name = _clean(m)
            if len(name) < 2:
                continue
            by_key[(_FAMILY.get(m.label, m.label), name.lower())].append((name, m))
    # People: attach short forms to the unique full name that ends with them.
    full_by_surname: dict[str, set[str]] = defaultdict(set)
    for fam, key in by_key:
        if fam == "PERSON" and len(key.split()) >= 2:
            full_by_surname[key.split()[-1]].add(key)
    target: dict[tuple[str, str], tuple[str, str]] = {}
    for fam, key in by_key:
        if fam == "PERSON" and len(key.split()) == 1 and len(full_by_surname.get(key, ())) == 1:
            target[(fam, key)] = (fam, next(iter(full_by_surname[key])))
    merged: dict[tuple[str, str], list[tuple[str, Mention]]] = defaultdict(list)
    for k, items in by_key.items():
        merged[target.get(k, k)].extend(items)
    out = []
    for (_fam, _key), items in merged.items():
        variants = sorted({n for n, _ in items}, key=lambda n: (-len(n.split()), -len(n), n))
        labels = [m.label for _, m in items]
        # Ties go to the first label in sorted order: a set's order changes with the hash seed,
        # so the same story got GPE in one process and LOC in the next.
        label = max(sorted(set(labels)), key=labels.count)
        mentions = tuple(sorted({m.span for _, m in items}, key=lambda s: (s.source, s.start)))
        sources = tuple(sorted({s.source for s in mentions}))
        out.append(
            Entity(
                name=variants[0],
                label=label,
                variants=tuple(variants),
                mentions=mentions,
                sources=sources,
            )
        )
    out.sort(key=lambda e: (-len(e.sources), -len(e.mentions), e.name))
    return out


def cross_quotes(analyses: Sequence[Analysis], origins: Origins) -> list[QuoteEntry]:
    """Each quote once, with whether other origins carry the same words verbatim, reworded, or
    not. A quote that other sources repeat is listed at its first source (sources are in
    publication order); a repeat is listed again only when it names a different speaker, since
    that disagreement is news. Wire copies are skipped: their quotes are their original's."""
    originals = [a for a in analyses if origins.article_origin[a.article.id] == a.article.id]
    out: list[QuoteEntry] = []
    covered: set[tuple[str, int, int]] = set()
    for a in originals:
        for q in a.quotes:
            if len(q.text.split()) < 3:
                continue
            verbatim: list[tuple[Span, str | None]] = []
            close: list[tuple[Span, str | None]] = []
            for b in originals:
                if b is a:
                    continue
                for qb in b.quotes:
                    score = quote_matches(q, qb)
                    if score >= 100:
                        verbatim.append((qb.span, qb.speaker))
                    elif score >= 70:
                        close.append((qb.span, qb.speaker))
            key = (q.span.source, q.span.start, q.span.end)
            if key in covered:
                continue
            matches = verbatim or close
            for span, speaker in matches:
                if speaker is None or q.speaker is None or same_person(speaker, q.speaker):
                    covered.add((span.source, span.start, span.end))
            agreement = (
                QuoteAgreement.VERBATIM
                if verbatim
                else QuoteAgreement.PARAPHRASE
                if close
                else QuoteAgreement.NONE
            )
            out.append(
                QuoteEntry(
                    quote=q,
                    source=a.article.id,
                    agreement=agreement,
                    others=tuple(s for s, _ in matches),
                    other_speakers=tuple(sp for _, sp in matches),
                )
            )
    return out


def timeline(analyses: Sequence[Analysis]) -> list[TimelineEntry]:
    """Publication times, and events dated in the text (resolved against the article's date)."""
    entries: list[TimelineEntry] = []
    for a in analyses:
        art = a.article
        if art.published:
            entries.append(
                TimelineEntry(
                    when=art.published.isoformat(),
                    kind="published",
                    text=art.title or art.outlet or art.origin,
                    source=art.id,
                )
            )
    seen: set[tuple[str, str]] = set()
    for a in analyses:
        for ctx in a.values:
            v = ctx.value
            if v.kind not in (ValueKind.DATE, ValueKind.WEEKDAY) or not v.date:
                continue
            s = a.sentences[ctx.sentence]
            key = (v.date, s.text[:60])
            if key in seen:
                continue
            seen.add(key)
            entries.append(
                TimelineEntry(
                    when=v.date, kind="event", text=s.text, source=a.article.id, span=s.span
                )
            )
    entries.sort(key=lambda e: (e.when[:10], e.kind != "event", e.when))
    return entries
