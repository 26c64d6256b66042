"""The brief as markdown, for a terminal or a document.

Article text is untrusted: an outlet's sentence must not become a link, an image, raw HTML or a
table break in the rendered document. :func:`escape` neutralises it for CommonMark and GFM.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newsprism.formats import cited_sources, iso_text, ordered_ids, when_text
from newsprism.formats.human import confidence_text, human_value, slot_label, why_flagged
from newsprism.model import (
    Brief,
    Cited,
    Conflict,
    ConflictSide,
    QuoteAgreement,
    QuoteEntry,
    Source,
    Span,
)

# Hand-written because no maintained library escapes markdown for *display of untrusted text*
# (mdformat and markdown-it parse or render; they do not escape). CommonMark lets any ASCII
# punctuation be backslash-escaped, but escaping all of it makes the text unreadable in a
# terminal, so only the characters that start markup anywhere in a line are escaped:
# \ ` * _ [ ] < > | ~ (code, emphasis, links/images, raw HTML/autolinks, GFM tables, strikethrough).
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# "&amp;" or "&#60;" would be decoded as an entity; a lone "&" (AT&T) is left alone.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# GFM turns bare URLs into links; breaking "://" and "www." with an escape keeps them plain text.
_AUTOLINK = re.compile(r"(?<=[A-Za-z]):(?=//)|(?<=\bwww)\.", re.IGNORECASE)
# Markup that only counts at the start of a line: headings, lists, quotes, setext underlines.
_LINE_START = re.compile(r"^(?:([#+\-=])|(\d+)([.)]))")
_NEWLINES = re.compile(r"\s*[\r\n]\s*")


def escape(text: str, *, line_start: bool = True) -> str:
    """``text`` as literal markdown on one line: nothing in it is read as markup.

    ``line_start=False`` is for a piece that follows other text on its line, where list and
    heading markers mean nothing and escaping them would only add backslashes.
    """
    text = _NEWLINES.sub(" ", text)
    if line_start:
        text = text.lstrip()  # four spaces of indent would start a code block
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _AUTOLINK.sub(lambda m: "\\" + m.group(0), text)
    m = _LINE_START.match(text) if line_start else None
    if m is not None:
        # A digit cannot be escaped; escaping the "." or ")" after it ends the list marker.
        text = "\\" + text if m.group(1) else m.group(2) + "\\" + text[m.end(2) :]
    return text


def code_in_table(text: str) -> str:
    """``text`` as a code span in a GFM table cell: literal, never a link, even for a URL."""
    text = _NEWLINES.sub(" ", text).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else ""


class _Ctx:
    """Label and metadata lookups for one brief."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.by_id: dict[str, Source] = {s.id: s for s in brief.sources}

    def label(self, source_id: str) -> str:
        s = self.by_id.get(source_id)
        return s.label if s is not None else source_id

    def text(self, span: Span) -> str:
        return self.by_id[span.source].text[span.start : span.end]

    def markers(self, spans: Iterable[Span]) -> str:
        return "".join(f"[{self.label(sid)}]" for sid in cited_sources(self.brief, spans))

    def labels(self, ids: Iterable[str]) -> str:
        return ", ".join(self.label(sid) for sid in ordered_ids(self.brief, ids))


def _quoted(text: str) -> str:
    return f"“{escape(text.strip())}”"


def _sources_section(ctx: _Ctx) -> list[str]:
    out = [
        "## Sources",
        "",
        "| | Outlet | Published | Title | Notes | Read from |",
        "|---|---|---|---|---|---|",
    ]
    for s in ctx.brief.sources:
        notes: list[str] = []
        if s.byline:
            notes.append(escape(s.byline))
        if s.copy_of is not None:
            copy = f"copy of {ctx.label(s.copy_of)}"
            if s.copy_similarity is not None:
                copy += f" ({s.copy_similarity:.0%} similar)"
            notes.append(copy)
        out.append(
            f"| **{s.label}** | {escape(s.outlet or '')} | {when_text(s.published)} | "
            f"{escape(s.title or '')} | {'; '.join(notes)} | {code_in_table(s.url or s.origin)} |"
        )
    origins = len({s.origin_id for s in ctx.brief.sources})
    out += ["", f"{len(ctx.brief.sources)} sources, {origins} independent origins."]
    if ctx.brief.left_out:
        out += ["", f"Left out ({len(ctx.brief.left_out)}):", ""]
        out += [
            f"- {code_in_table(x.origin)}: {escape(x.reason)}"
            + (f" ({escape(x.detail)})" if x.detail else "")
            for x in ctx.brief.left_out
        ]
    return out


def _summary_section(ctx: _Ctx) -> list[str]:
    if not ctx.brief.summary:
        return ["## Summary", "", "_No summary._"]
    sentences = [
        f"{escape(c.text.strip())} {ctx.markers((c.span, *c.support))}" for c in ctx.brief.summary
    ]
    return ["## Summary", "", " ".join(sentences)]


def _cited_list(ctx: _Ctx, items: Sequence[Cited], *, counts: bool) -> list[str]:
    out: list[str] = []
    for n, c in enumerate(items, 1):
        head = f"{n}. {escape(c.text.strip())} {ctx.markers([c.span])}"
        if counts:
            labels = ctx.labels(s.source for s in (c.span, *c.support))
            plural = "s" if c.origins != 1 else ""
            head += f" — **{c.origins} independent origin{plural}** ({labels})"
        out.append(head)
        for s in c.support:
            out.append(f"   - {ctx.label(s.source)}: {_quoted(ctx.text(s))}")
    return out


def _facts_section(ctx: _Ctx) -> list[str]:
    out = ["## Corroborated facts", ""]
    if not ctx.brief.facts:
        return [*out, "_No fact is stated by two independent origins._"]
    return out + _cited_list(ctx, ctx.brief.facts, counts=True)


def _side_sentence(side: ConflictSide) -> str:
    """The side's sentence, quoted, with its value in bold."""
    s, v = side.sentence, side.value
    if v.source != s.source or not s.start <= v.start <= v.end <= s.end:
        return f"{_quoted(side.sentence_text)} (value: **{escape(side.value_text.strip())}**)"
    before = side.sentence_text[: v.start - s.start]
    value = side.sentence_text[v.start - s.start : v.end - s.start]
    after = side.sentence_text[v.end - s.start :]
    # Emphasis delimiters must touch non-space characters, so whitespace moves outside the **.
    lead = value[: len(value) - len(value.lstrip())]
    trail = value[len(value.rstrip()) :]
    core = value.strip()
    bold = f"**{escape(core)}**" if core else ""
    text = (
        escape(before.lstrip())
        + escape(lead, line_start=False)
        + bold
        + escape(trail + after.rstrip(), line_start=not (before.strip() or core))
    )
    return f"“{text}”"


def _conflict_block(ctx: _Ctx, n: int, c: Conflict) -> list[str]:
    what = escape(slot_label(c), line_start=False)
    values = [escape(human_value(side), line_start=False) for side in c.sides]
    out: list[str] = []
    if c.update:
        out += [
            f"### {n}. Update: {what}",
            "",
            "_The value changed as the story developed; this is an update, not a contradiction._",
            "",
        ]
        steps = []
        for side, value in zip(c.sides, values, strict=True):
            when = when_text(side.published or ctx.by_id[side.sentence.source].published)
            label = ctx.label(side.sentence.source)
            steps.append(f"**{value}** ({label}{', ' + when if when else ''})")
        out += [" → ".join(steps), ""]
    elif c.possible:
        out += [
            f"### {n}. Possible conflict: {what}: {' or '.join(dict.fromkeys(values))}",
            "",
            "_The values differ, but the evidence that they are about the same thing is weaker: "
            "check before relying on it._",
            "",
        ]
    else:
        out += [f"### {n}. Conflict: {what}: {' or '.join(dict.fromkeys(values))}", ""]
    for i, side in enumerate(c.sides):
        src = ctx.by_id[side.sentence.source]
        when = when_text(side.published or src.published)
        if c.update:
            when = f"as of {when}" if when else ""
        meta = ", ".join(x for x in (escape(src.outlet or ""), when) if x)
        lead = "then " if c.update and i else ""
        out.append(f"- {lead}**{src.label}** {meta}: {_side_sentence(side)}")
    labels = [ctx.label(side.sentence.source) for side in c.sides]
    out += ["", f"_Why flagged:_ {escape(why_flagged(c, labels), line_start=False)}"]
    out += ["", f"_Confidence:_ {escape(confidence_text(c), line_start=False)}"]
    return out


def _conflicts_section(ctx: _Ctx) -> list[str]:
    out = ["## Conflicts and updates", ""]
    if not ctx.brief.conflicts:
        return [*out, "_The sources state no differing values._"]
    for n, c in enumerate(ctx.brief.conflicts, 1):
        out += [*_conflict_block(ctx, n, c), ""]
    return out[:-1]


def _details_section(ctx: _Ctx) -> list[str]:
    out = ["## Single-source details", ""]
    if not ctx.brief.details:
        return [*out, "_Every detail is reported by more than one independent origin._"]
    for s in ctx.brief.sources:
        mine = [c for c in ctx.brief.details if c.span.source == s.id]
        if not mine:
            continue
        title = f"### {s.label}" + (f" · {escape(s.outlet)}" if s.outlet else "")
        out += [title, ""]
        out += [f"- {escape(c.text.strip())}" for c in mine]
        out.append("")
    return out[:-1]


def _agreement(ctx: _Ctx, q: QuoteEntry) -> str:
    others = ctx.labels(s.source for s in q.others)
    if q.agreement is QuoteAgreement.VERBATIM:
        text = f"also verbatim in {others}" if others else "carried verbatim elsewhere"
    elif q.agreement is QuoteAgreement.PARAPHRASE:
        text = f"paraphrased in {others}" if others else "paraphrased elsewhere"
    else:
        text = f"only in {ctx.label(q.source)}"
    differ = [
        f"{ctx.label(span.source)} attributes it to {escape(who)}"
        for span, who in zip(q.others, q.other_speakers, strict=False)
        if who and who != q.quote.speaker
    ]
    return "; ".join([text, *differ])


def _quotes_section(ctx: _Ctx) -> list[str]:
    out = ["## Quotes", ""]
    if not ctx.brief.quotes:
        return [*out, "_No direct quotes._"]
    for q in ctx.brief.quotes:
        speaker = escape(q.quote.speaker) if q.quote.speaker else "_unattributed_"
        out.append(
            f"- {_quoted(q.quote.text)} — **{speaker}** [{ctx.label(q.source)}]; {_agreement(ctx, q)}"
        )
    return out


_KINDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
    "FAC": "facility",
    "EVENT": "event",
}


def _entities_section(ctx: _Ctx) -> list[str]:
    out = ["## Entities", ""]
    if not ctx.brief.entities:
        return [*out, "_None found._"]
    out += ["| Name | Kind | Also written | Sources |", "|---|---|---|---|"]
    for e in ctx.brief.entities:
        variants = ", ".join(escape(v) for v in e.variants if v != e.name)
        kind = _KINDS.get(e.label, e.label.lower())
        out.append(f"| {escape(e.name)} | {kind} | {variants} | {ctx.labels(e.sources)} |")
    return out


def _timeline_section(ctx: _Ctx) -> list[str]:
    out = ["## Timeline", ""]
    if not ctx.brief.timeline:
        return [*out, "_No dated events._"]
    out += ["| When | What | Source |", "|---|---|---|"]
    for t in ctx.brief.timeline:
        what = escape(t.text.strip())
        if t.kind == "published":
            what = f"_Published:_ {what}"
        out.append(f"| {escape(iso_text(t.when))} | {what} | {ctx.label(t.source)} |")
    return out


def brief_to_markdown(brief: Brief) -> str:
    """The whole brief as one markdown document."""
    ctx = _Ctx(brief)
    title = escape(brief.title) if brief.title else "Brief"
    out = [f"# {title}", ""]
    if brief.generated is not None:
        out += [f"_Generated {when_text(brief.generated)} by newsprism._", ""]
    # Conflicts and updates first: they are what a reader scanning many stories looks for.
    for section in (
        _conflicts_section,
        _sources_section,
        _summary_section,
        _facts_section,
        _details_section,
        _quotes_section,
        _entities_section,
        _timeline_section,
    ):
        out += [*section(ctx), ""]
    return "\n".join(out).rstrip() + "\n"
