"""The three renderings of a brief (markdown, JSON, HTML) and the JSON Schema of the JSON one.

The briefs here are built by hand from short texts written for the tests, with every span found
in its text, so ``text[start:end]`` is honest by construction.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import hashlib
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from html import unescape
from html.parser import HTMLParser
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from newsprism.formats import RenderError, check_brief, render
from newsprism.formats.html import segments
from newsprism.formats.jsonout import SCHEMA_ID, brief_to_json, load_schema
from newsprism.formats.markdown import code_in_table, escape
from newsprism.model import (
    Brief,
    Cited,
    Conflict,
    ConflictKind,
    ConflictSide,
    Entity,
    LeftOut,
    Quote,
    QuoteAgreement,
    QuoteEntry,
    Source,
    Span,
    TimelineEntry,
)

EST = timezone(timedelta(hours=-5))

WIRE = (
    "A freight train carrying industrial chemicals derailed outside Carverton late Tuesday, "
    "sending 23 cars off the tracks and forcing about 1,200 residents from their homes, "
    "officials said.\n\n"
    "The derailment happened at about 11:40 p.m. on a stretch of track between the Hollis River "
    "and Route 9. Four people were injured, none of them seriously.\n\n"
    "Gov. Ellen Marsh met with emergency officials in Columbus for three hours on Wednesday "
    "morning and later declared a state of emergency for Hollis County.\n\n"
    'A railroad spokesman, Dana Whitfield, said the company was "cooperating fully" with '
    "investigators.\n\n"
    '"We are not leaving until every car is off that track," said Mayor Luis Ortega.'
)
RADIO = (
    "Officials in Carverton on Wednesday afternoon raised the number of evacuated residents to "
    "1,500 after a freight train derailed late Tuesday.\n\n"
    "Governor Ellen Marsh met with state officials for two and a half hours on Wednesday before "
    "declaring a state of emergency.\n\n"
    "Volunteers from the Hollis County Red Cross served 400 hot meals at the high school shelter "
    "overnight, coordinator Ann Pike said.\n\n"
    '"We are not leaving until every car is off that track," said Mayor Luis Ortega.'
)
LEDGER = (
    "Twenty-five cars of a Great Lakes Northern freight train left the rails east of Carverton "
    "late Tuesday.\n\n"
    "Four people were hurt in the derailment, the fire department said; none was badly injured.\n\n"
    '"We are not leaving until every car is off that track," railroad spokesman Dana Whitman '
    "told reporters on Wednesday.\n\n"
    "The Ledger has asked the railroad for its inspection records for the bridge."
)
COPY = WIRE.rsplit("\n\n", 1)[0]  # the syndicated copy drops the last paragraph


def sp(source: Source, needle: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``needle`` in ``source``'s text."""
    start = -1
    for _ in range(nth + 1):
        start = source.text.index(needle, start + 1)
    return Span(source.id, start, start + len(needle))


def cite(source: Source, needle: str, *support: Span, origins: int = 1) -> Cited:
    span = sp(source, needle)
    return Cited(span, source.text[span.start : span.end], tuple(support), origins, 1.0, "test")


def side(source: Source, sentence: str, value: str, normalised: str) -> ConflictSide:
    s = sp(source, sentence)
    v = Span(
        source.id, s.start + sentence.index(value), s.start + sentence.index(value) + len(value)
    )
    return ConflictSide(s, sentence, v, value, normalised, source.published)


def make_source(
    sid: str,
    label: str,
    text: str,
    outlet: str,
    title: str,
    published: datetime,
    *,
    copy_of: str | None = None,
    url: str | None = None,
) -> Source:
    return Source(
        id=sid,
        label=label,
        origin=f"{outlet.lower().replace(' ', '-')}.txt",
        text=text,
        url=url,
        outlet=outlet,
        title=title,
        published=published,
        byline="By Maria Keller" if label == "S1" else None,
        origin_id=copy_of or sid,
        copy_of=copy_of,
        copy_similarity=0.97 if copy_of else None,
    )


def carverton() -> Brief:
    s1 = make_source(
        "a1b2c3d4e5f60001",
        "S1",
        WIRE,
        "Lakeshore Wire",
        "Freight train derails near Carverton, forcing evacuation of 1,200 residents",
        datetime(2026, 11, 18, 6, 5, tzinfo=EST),
        url="https://lakeshorewire.example/2026/11/18/carverton-derailment",
    )
    s2 = make_source(
        "a1b2c3d4e5f60002",
        "S2",
        RADIO,
        "Ohio Valley Public Radio",
        "Carverton evacuation widens to 1,500 residents",
        datetime(2026, 11, 18, 15, 40, tzinfo=EST),
    )
    s3 = make_source(
        "a1b2c3d4e5f60003",
        "S3",
        LEDGER,
        "The Carverton Ledger",
        "25 cars derail east of town",
        datetime(2026, 11, 18, 9, 30, tzinfo=EST),
    )
    s4 = make_source(
        "a1b2c3d4e5f60004",
        "S4",
        COPY,
        "Midwest Daily",
        "Chemical train derails in Ohio",
        datetime(2026, 11, 18, 7, 0, tzinfo=EST),
        copy_of=s1.id,
    )
    derail1 = (
        "A freight train carrying industrial chemicals derailed outside Carverton late Tuesday"
    )
    injured1 = "Four people were injured, none of them seriously."
    marsh1 = "Gov. Ellen Marsh met with emergency officials in Columbus for three hours on Wednesday morning"
    marsh2 = "Governor Ellen Marsh met with state officials for two and a half hours on Wednesday"
    quote = "We are not leaving until every car is off that track"
    summary = (
        cite(
            s1,
            derail1 + ", sending 23 cars off the tracks and forcing about 1,200 residents from "
            "their homes, officials said.",
            sp(s3, "left the rails east of Carverton late Tuesday."),
            sp(s4, derail1),
            origins=2,
        ),
        cite(s1, injured1, sp(s3, "Four people were hurt in the derailment"), origins=2),
        cite(s2, "raised the number of evacuated residents to 1,500", origins=1),
        cite(
            s1,
            marsh1 + " and later declared a state of emergency for Hollis County.",
            sp(s2, marsh2),
            origins=2,
        ),
        cite(s2, "Volunteers from the Hollis County Red Cross served 400 hot meals"),
    )
    facts = (
        cite(
            s1,
            derail1,
            sp(s2, "after a freight train derailed late Tuesday"),
            sp(s3, "left the rails east of Carverton late Tuesday"),
            sp(s4, derail1),
            origins=3,
        ),
        cite(
            s1,
            injured1,
            sp(s3, "Four people were hurt in the derailment"),
            sp(s4, injured1),
            origins=2,
        ),
        cite(
            s1, "declared a state of emergency", sp(s2, "declaring a state of emergency"), origins=2
        ),
    )
    s1_cars = (
        "A freight train carrying industrial chemicals derailed outside Carverton late Tuesday, "
        "sending 23 cars off the tracks and forcing about 1,200 residents from their homes, "
        "officials said."
    )
    conflicts = (
        Conflict(
            "c-cars",
            ConflictKind.COUNT,
            "cars derailed",
            (
                side(s1, s1_cars, "23 cars", "23 car"),
                side(
                    s3,
                    "Twenty-five cars of a Great Lakes Northern freight train left the rails east "
                    "of Carverton late Tuesday.",
                    "Twenty-five cars",
                    "25 car",
                ),
            ),
            update=False,
            reason="23 car vs 25 car",
        ),
        Conflict(
            "c-evac",
            ConflictKind.COUNT,
            "residents evacuated",
            (
                side(s1, s1_cars, "about 1,200 residents", "1200 resident"),
                side(
                    s2,
                    "Officials in Carverton on Wednesday afternoon raised the number of evacuated "
                    "residents to 1,500 after a freight train derailed late Tuesday.",
                    "1,500",
                    "1500 resident",
                ),
            ),
            update=True,
            reason="later source, larger count, 'raised'",
        ),
        Conflict(
            "c-meeting",
            ConflictKind.DURATION,
            "duration of the governor's meeting",
            (
                side(
                    s1,
                    marsh1 + " and later declared a state of emergency for Hollis County.",
                    "three hours",
                    "10800 s",
                ),
                side(
                    s2,
                    marsh2 + " before declaring a state of emergency.",
                    "two and a half hours",
                    "9000 s",
                ),
            ),
            update=False,
            reason="10800 s vs 9000 s",
        ),
        Conflict(
            "c-spokes",
            ConflictKind.NAME,
            "railroad spokesman",
            (
                side(
                    s1,
                    'A railroad spokesman, Dana Whitfield, said the company was "cooperating '
                    'fully" with investigators.',
                    "Dana Whitfield",
                    "Dana Whitfield",
                ),
                side(
                    s3,
                    '"We are not leaving until every car is off that track," railroad '
                    "spokesman Dana Whitman told reporters on Wednesday.",
                    "Dana Whitman",
                    "Dana Whitman",
                ),
            ),
            update=False,
            reason="same role, different surname",
        ),
    )
    details = (
        cite(
            s2,
            "Volunteers from the Hollis County Red Cross served 400 hot meals at the high "
            "school shelter overnight, coordinator Ann Pike said.",
        ),
        cite(s3, "The Ledger has asked the railroad for its inspection records for the bridge."),
        cite(
            s1,
            "The derailment happened at about 11:40 p.m. on a stretch of track between the "
            "Hollis River and Route 9.",
        ),
    )

    def q(
        source: Source,
        speaker: str,
        speaker_text: str,
        agreement: QuoteAgreement,
        others: tuple[Span, ...],
        other_speakers: tuple[str | None, ...],
    ) -> QuoteEntry:
        span = sp(source, quote)
        return QuoteEntry(
            Quote(span, quote, speaker, sp(source, speaker_text), "said"),
            source.id,
            agreement,
            others,
            other_speakers,
        )

    quotes = (
        q(
            s1,
            "Luis Ortega",
            "Mayor Luis Ortega",
            QuoteAgreement.VERBATIM,
            (sp(s2, quote), sp(s3, quote)),
            ("Luis Ortega", "Dana Whitman"),
        ),
        QuoteEntry(
            Quote(
                sp(s1, "cooperating fully"),
                "cooperating fully",
                "Dana Whitfield",
                sp(s1, "Dana Whitfield"),
                "said",
            ),
            s1.id,
            QuoteAgreement.NONE,
        ),
    )
    entities = (
        Entity(
            "Ellen Marsh",
            "PERSON",
            ("Gov. Ellen Marsh", "Governor Ellen Marsh"),
            (sp(s1, "Ellen Marsh"), sp(s2, "Ellen Marsh")),
            (s1.id, s2.id),
        ),
        Entity(
            "Carverton",
            "GPE",
            ("Carverton",),
            (sp(s1, "Carverton"), sp(s2, "Carverton"), sp(s3, "Carverton"), sp(s4, "Carverton")),
            (s1.id, s2.id, s3.id, s4.id),
        ),
        Entity(
            "Hollis County Red Cross", "ORG", (), (sp(s2, "Hollis County Red Cross"),), (s2.id,)
        ),
    )
    timeline = (
        TimelineEntry(
            "2026-11-17T23:40:00-05:00",
            "event",
            "The derailment happened at about 11:40 p.m.",
            s1.id,
            sp(s1, "The derailment happened at about 11:40 p.m."),
        ),
        TimelineEntry(
            "2026-11-18T06:05:00-05:00", "published", "Lakeshore Wire: first report", s1.id
        ),
        TimelineEntry(
            "2026-11-18T15:40:00-05:00",
            "published",
            "Ohio Valley Public Radio: evacuation widened",
            s2.id,
        ),
    )
    return Brief(
        sources=(s1, s2, s3, s4),
        summary=summary,
        facts=facts,
        conflicts=conflicts,
        details=details,
        quotes=quotes,
        entities=entities,
        timeline=timeline,
        title="Freight train derails near Carverton, Ohio",
        generated=datetime(2026, 11, 18, 21, 0, tzinfo=UTC),
    )


HOSTILE_TEXT = (
    "Officials said <script>alert(1)</script> nothing.\n\n"
    "A photo <img src=x onerror=alert(1)> was posted.\n\n"
    "Read [the report](javascript:alert(1)) and ![pixel](http://tracker.example/p.gif) now.\n\n"
    "# Breaking\n\n"
    "* not a list | not | a table ~~struck~~ `code` <b>bold</b> &lt;i&gt; https://evil.example "
    "and www.evil.example too."
)


def hostile() -> Brief:
    bad = Source(
        id="feedfacefeedface",
        label="S1",
        origin="evil.html",
        text=HOSTILE_TEXT,
        url="javascript:alert(1)",
        outlet="<b>Evil</b> [Outlet](javascript:alert(2))",
        title='"><script>alert(3)</script>',
        published=None,
        byline="<i>Mallory</i>",
        origin_id="feedfacefeedface",
    )
    good = make_source(
        "0000000000000002",
        "S2",
        "Officials said nothing.",
        "Calm",
        "Calm",
        datetime(2026, 1, 1, tzinfo=UTC),
    )

    def c(needle: str) -> Cited:
        return cite(bad, needle)

    s_sent = "Officials said <script>alert(1)</script> nothing."
    return Brief(
        sources=(bad, good),
        summary=(c(s_sent), c("A photo <img src=x onerror=alert(1)> was posted.")),
        facts=(cite(bad, s_sent, sp(good, "Officials said nothing."), origins=2),),
        conflicts=(
            Conflict(
                "c-x",
                ConflictKind.NAME,
                "<script>slot</script>",
                (
                    side(bad, s_sent, "<script>alert(1)</script>", "x"),
                    side(good, "Officials said nothing.", "nothing", "y"),
                ),
                update=False,
                reason="<img src=x onerror=alert(4)>",
            ),
        ),
        details=(
            c(
                "Read [the report](javascript:alert(1)) and ![pixel](http://tracker.example/p.gif) now."
            ),
            c("# Breaking"),
            c(HOSTILE_TEXT[HOSTILE_TEXT.index("* not a list") :]),
        ),
        quotes=(
            QuoteEntry(
                Quote(sp(bad, "<b>bold</b>"), "<b>bold</b>", "<i>Eve</i>"),
                bad.id,
                QuoteAgreement.NONE,
            ),
        ),
        entities=(
            Entity(
                "<script>E</script>",
                "ORG",
                ("[x](javascript:1)",),
                (sp(bad, "alert(1)"),),
                (bad.id,),
            ),
        ),
        timeline=(
            TimelineEntry(
                "2026-01-01",
                "event",
                "<img src=x onerror=alert(5)>",
                bad.id,
                sp(bad, "<img src=x onerror=alert(1)>"),
            ),
        ),
        title="<script>alert('title')</script>",
    )


# ------------------------------------------------------------------------------- JSON and schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def walk_spans(doc: Any) -> list[dict[str, Any]]:
    """Every span object ({source, start, end}) anywhere in a JSON document."""
    found: list[dict[str, Any]] = []
    if isinstance(doc, dict):
        if set(doc) == {"source", "start", "end"}:
            found.append(doc)
        for v in doc.values():
            found += walk_spans(v)
    elif isinstance(doc, list):
        for v in doc:
            found += walk_spans(v)
    return found


@pytest.mark.parametrize("make", [carverton, hostile])
def test_json_validates_against_schema(
    make: Any, validator: jsonschema.Draft202012Validator
) -> None:
    doc = json.loads(render(make(), "json"))
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, errors[0].message
    assert doc["schema"] == SCHEMA_ID == load_schema()["$id"]
    assert doc["version"].startswith("1.")


def test_json_spans_round_trip_against_included_text() -> None:
    brief = carverton()
    doc = brief_to_json(brief)
    texts = {s["id"]: s["text"] for s in doc["sources"]}
    spans = walk_spans(doc)
    assert len(spans) > 40
    for span in spans:
        assert 0 <= span["start"] <= span["end"] <= len(texts[span["source"]])
    # Every text the document carries for a span is exactly that span's text.
    pairs = [(c["span"], c["text"]) for key in ("summary", "facts", "details") for c in doc[key]]
    pairs += [(q["span"], q["text"]) for q in doc["quotes"]]
    for conflict in doc["conflicts"]:
        for s in conflict["sides"]:
            pairs += [(s["sentence"], s["sentence_text"]), (s["value"], s["value_text"])]
    assert len(pairs) == 5 + 3 + 3 + 2 + 4 * 4
    for span, text in pairs:
        assert texts[span["source"]][span["start"] : span["end"]] == text


def test_json_datetimes_are_iso_8601() -> None:
    doc = brief_to_json(carverton())
    assert doc["generated"] == "2026-11-18T21:00:00+00:00"
    assert doc["sources"][0]["published"] == "2026-11-18T06:05:00-05:00"
    assert doc["sources"][3]["copy_of"] == doc["sources"][0]["id"]
    assert doc["sources"][3]["origin_id"] == doc["sources"][0]["id"]
    assert datetime.fromisoformat(doc["conflicts"][1]["sides"][1]["published"]).hour == 15


def _break(doc: dict[str, Any], how: str) -> None:
    if how == "missing field":
        del doc["sources"][0]["text"]
    elif how == "unknown field":
        doc["facts"][0]["colour"] = "red"
    elif how == "bad conflict kind":
        doc["conflicts"][0]["kind"] = "vibes"
    elif how == "negative offset":
        doc["summary"][0]["span"]["start"] = -1
    elif how == "one-sided conflict":
        doc["conflicts"][0]["sides"] = doc["conflicts"][0]["sides"][:1]
    elif how == "wrong schema id":
        doc["schema"] = "https://example.com/other"
    elif how == "bad agreement":
        doc["quotes"][0]["agreement"] = "mostly"
    elif how == "bad date":
        doc["sources"][0]["published"] = "18 November 2026"
    elif how == "zero origins":
        doc["facts"][0]["origins"] = 0


@pytest.mark.parametrize(
    "how",
    [
        "missing field",
        "unknown field",
        "bad conflict kind",
        "negative offset",
        "one-sided conflict",
        "wrong schema id",
        "bad agreement",
        "bad date",
        "zero origins",
    ],
)
def test_broken_documents_fail_validation(
    how: str, validator: jsonschema.Draft202012Validator
) -> None:
    doc = copy.deepcopy(brief_to_json(carverton()))
    validator.validate(doc)
    _break(doc, how)
    assert not validator.is_valid(doc)


def _properties_without_description(node: Any, path: str = "") -> list[str]:
    missing: list[str] = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            if "description" not in sub:
                missing.append(f"{path}/{name}")
        for key, sub in node.items():
            missing += _properties_without_description(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            missing += _properties_without_description(sub, f"{path}/{i}")
    return missing


def test_schema_documents_every_field_and_closes_every_object() -> None:
    schema = load_schema()
    assert _properties_without_description(schema) == []
    objects = [schema, *[d for d in schema["$defs"].values() if d.get("type") == "object"]]
    assert all(o["additionalProperties"] is False for o in objects)
    assert all(set(o["required"]) == set(o["properties"]) for o in objects)
    kinds = schema["$defs"]["conflict"]["properties"]["kind"]["enum"]
    assert kinds == [k.value for k in ConflictKind]
    agreements = schema["$defs"]["quote"]["properties"]["agreement"]["enum"]
    assert agreements == [a.value for a in QuoteAgreement]


# ------------------------------------------------------------------------------------- markdown


def test_markdown_has_every_section_with_citations() -> None:
    md = render(carverton(), "markdown")
    for heading in (
        "# Freight train derails near Carverton, Ohio",
        "## Sources",
        "## Summary",
        "## Corroborated facts",
        "## Conflicts and updates",
        "## Single-source details",
        "## Quotes",
        "## Entities",
        "## Timeline",
    ):
        assert heading + "\n" in md
    assert "| **S4** | Midwest Daily |" in md and "copy of S1 (97% similar)" in md
    assert "4 sources, 3 independent origins." in md
    # Each summary sentence carries its citation markers, in source order.
    assert "officials said. [S1][S3][S4]" in md
    assert "**3 independent origins** (S1, S2, S3, S4)" in md
    assert "   - S3: “left the rails east of Carverton late Tuesday”" in md
    # A conflict shows each value in bold inside its quoted sentence, with label and date.
    assert "- **S1** Lakeshore Wire, 2026-11-18 06:05 -05:00: “A freight train" in md
    assert "sending **23 cars** off the tracks" in md
    assert "“**Twenty\\-five cars** of a Great Lakes" not in md  # only line starts are escaped
    assert "“**Twenty-five cars** of a Great Lakes" in md
    # An update is an update, in time order, not a contradiction.
    assert "### 2. Update: the number of residents evacuated" in md
    assert "**1,200 residents** (S1, 2026-11-18 06:05 -05:00) → **1,500 residents** (S2," in md
    assert "- then **S2** Ohio Valley Public Radio, as of 2026-11-18 15:40 -05:00:" in md
    assert "### 1. Conflict: the number of cars derailed: 23 cars or 25 cars" in md
    # Conflicts come first, each with why it was flagged and how sure newsprism is.
    assert md.index("## Conflicts and updates") < md.index("## Sources") < md.index("## Summary")
    assert "_Why flagged:_ S1 says 23 cars and S3 says 25 cars" in md
    assert "_Confidence:_ very likely (1.00)" in md
    # Details are grouped under their source, in source order.
    assert (
        md.index("### S1 · Lakeshore Wire")
        < md.index("### S2 · Ohio Valley")
        < md.index("### S3 · The Carverton Ledger")
    )
    assert "— **Luis Ortega** [S1]; also verbatim in S2, S3; S3 attributes it to Dana Whitman" in md
    assert "| Ellen Marsh | person | Gov. Ellen Marsh, Governor Ellen Marsh | S1, S2 |" in md
    assert "| 2026-11-18 06:05 -05:00 | _Published:_ Lakeshore Wire: first report | S1 |" in md


def _md_to_html(md: str) -> str:
    return str(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md))


def test_markdown_escapes_article_text() -> None:
    md = render(hostile(), "markdown")
    html = _md_to_html(md)
    for bad in (
        "<script",
        "<img",
        "<a ",
        "<b>",
        "<i>",
        "<code>code<",
        "<s>",
        "<del>",
        "<h1>Breaking",
    ):
        assert bad not in html, bad
    assert "href=" not in html and "src=" not in html.replace("img src=x", "")
    # The text still reads as the article wrote it.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[the report](javascript:alert(1))" in html
    assert "&amp;lt;i&amp;gt;" in html  # an entity in the article stays literal text
    assert "https\\://evil.example" in md and "www\\.evil.example" in md
    assert "<code>javascript:alert(1)</code>" in html  # the source's URL, as inert text
    assert code_in_table("a`|`b") == "``a`\\|`b``"
    # The markdown tables still have their columns: a "|" in the text did not add cells.
    assert html.count("<th>") == 6 + 4 + 3


_MARKUP = st.sampled_from([*"#*_-+=>|~`[]()!<&;:/.\\ \t\r\n1w", "www.", "://", "&lt;"])


@given(
    st.lists(st.characters(min_codepoint=32, max_codepoint=126) | _MARKUP, max_size=40).map("".join)
)
@settings(max_examples=300, deadline=None)
def test_escaped_text_renders_as_itself(text: str) -> None:
    expected = " ".join(text.split())
    for prefix in ("x ", ""):  # after a list marker or a label, and at the start of a line
        md = prefix + escape(text, line_start=not prefix)
        assert "\n" not in md
        shown = unescape(re.sub(r"<[^>]+>", "", _md_to_html(md)))
        assert " ".join(shown.split()) == (prefix + expected).strip()


# ----------------------------------------------------------------------------------------- HTML


class _Page(HTMLParser):
    """Collects tags, each source's text and the marks of each item."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, str] = {}
        self.marked: dict[str, list[str]] = {}
        self._in_text: str | None = None
        self._mark_items: list[str] | None = None
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "div" and "text" in (a.get("class") or "").split():
            self._in_text = a["data-label"]
            self.texts[self._in_text or ""] = ""
        elif tag == "mark" and self._in_text:
            self._mark_items = (a.get("data-items") or "").split()
        elif tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self._in_text = None
        elif tag == "mark":
            self._mark_items = None
        elif tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        if self._in_text:
            self.texts[self._in_text] += data
            for item in self._mark_items or ():
                self.marked.setdefault(f"{self._in_text}:{item}", []).append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_html_shows_each_source_text_exactly_with_marks() -> None:
    brief = carverton()
    page = parse(render(brief, "html"))
    assert page.texts == {s.label: s.text for s in brief.sources}
    # fact-0 lights up one span in each of the four sources, each exactly its span's text.
    fact = brief.facts[0]
    by_id = {s.id: s for s in brief.sources}
    for span in (fact.span, *fact.support):
        label = by_id[span.source].label
        assert "".join(page.marked[f"{label}:fact-0"]) == span.text_in(by_id[span.source].text)
    # Both sides of a conflict carry their own value token, for the two colours.
    assert "".join(page.marked["S1:conf-0.v0"]) == "23 cars"
    assert "".join(page.marked["S3:conf-0.v1"]) == "Twenty-five cars"
    buttons = [a for t, a in page.tags if t == "button" and a.get("data-item")]
    items = {a["data-item"] for a in buttons}
    assert {"sum-0", "fact-2", "conf-3", "det-1", "quote-1", "ent-2", "time-0"} <= items
    assert all(a.get("type") == "button" for a in buttons)


def test_html_is_standalone_and_locked_down() -> None:
    page_html = render(carverton(), "html")
    page = parse(page_html)
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
        assert "src" not in attrs, (tag, attrs)
        assert "style" not in attrs, (tag, attrs)  # the CSP below would block it
    assert "@import" not in page_html and "url(" not in page_html
    hrefs = [a["href"] for t, a in page.tags if t == "a"]
    assert hrefs == [
        "#brief",
        "#h-conflicts",
        "https://lakeshorewire.example/2026/11/18/carverton-derailment",
    ]
    csp = next(
        a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None and "default-src 'none'" in csp
    [script] = page.scripts
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert {"main", "header", "footer"} <= {t for t, _ in page.tags}


def test_html_escapes_untrusted_text() -> None:
    out = render(hostile(), "html")
    page = parse(out)
    tags = [t for t, _ in page.tags]
    assert tags.count("script") == 1  # ours
    assert "img" not in tags and "i" not in tags and "b" not in tags
    assert "<script>alert(1)</script>" not in out
    assert "<img src=x onerror=alert(1)>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert page.texts["S1"] == HOSTILE_TEXT  # shown as text, character for character
    assert all(a.get("href") != "javascript:alert(1)" for t, a in page.tags if t == "a")
    title_tags = [a for t, a in page.tags if t == "title"]
    assert len(title_tags) == 1


@given(
    st.text(min_size=0, max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=8),
)
@settings(max_examples=200, deadline=None)
def test_segments_cover_text_and_list_covering_items(text: str, raw: list[tuple[int, int]]) -> None:
    marks = [
        (min(a, b, len(text)), min(max(a, b), len(text)), f"i{k}", True)
        for k, (a, b) in enumerate(raw)
    ]
    segs = segments(text, marks)
    assert "".join(s.text for s in segs) == text
    pos = 0
    for seg in segs:
        assert seg.text
        end = pos + len(seg.text)
        expected = {m[2] for m in marks if m[0] <= pos and end <= m[1]}
        assert set(seg.items) == expected
        # No span boundary falls inside a segment.
        assert not any(pos < m[0] < end or pos < m[1] < end for m in marks)
        pos = end


# ------------------------------------------------------------------------------------ contract


def test_unknown_format_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="unknown output format 'pdf'"):
        render(carverton(), "pdf")


def test_a_span_that_does_not_fit_is_refused() -> None:
    brief = carverton()
    fact = brief.facts[0]
    moved = Cited(Span(fact.span.source, fact.span.start + 1, fact.span.end + 1), fact.text)
    with pytest.raises(RenderError, match="facts\\[0\\]: text"):
        check_brief(Brief(**{**_fields(brief), "facts": (moved,)}))
    outside = Cited(Span(fact.span.source, 0, 10_000), fact.text)
    with pytest.raises(RenderError, match="runs past the end"):
        check_brief(Brief(**{**_fields(brief), "details": (outside,)}))
    ghost = Cited(Span("nope", 0, 1), "x")
    with pytest.raises(RenderError, match="unknown source 'nope'"):
        check_brief(Brief(**{**_fields(brief), "summary": (ghost,)}))


def _fields(brief: Brief) -> dict[str, Any]:
    return {name: getattr(brief, name) for name in Brief.__slots__}


def test_an_empty_brief_renders_in_every_format(validator: jsonschema.Draft202012Validator) -> None:
    brief = carverton()
    bare = Brief(
        sources=brief.sources[:1],
        summary=(),
        facts=(),
        conflicts=(),
        details=(),
        quotes=(),
        entities=(),
        timeline=(),
    )
    assert "_The sources state no differing values._" in render(bare, "markdown")
    validator.validate(json.loads(render(bare, "json")))
    assert "No fact is stated by two independent origins." in render(bare, "html")


def test_html_puts_conflicts_first_in_words_and_shows_no_local_path() -> None:
    b = carverton()
    hidden = dataclasses.replace(b.sources[0], origin="/home/jo/private/notes/lakeshore.txt")
    b = dataclasses.replace(
        b,
        sources=(hidden, *b.sources[1:]),
        left_out=(LeftOut("/home/jo/private/empty.html", "empty", "no text"),),
    )
    page = render(b, "html")
    assert "/home/jo" not in page
    assert "empty.html" in page  # the file's name says which input was left out
    assert page.index('id="h-conflicts"') < page.index('id="h-summary"')
    assert "Why flagged:" in page and "S1 says 23 cars and S3 says 25 cars" in page
    assert "Confidence:" in page and "very likely (1.00)" in page
    assert "the number of cars derailed" in page
    assert '<span class="badge conflict">3 conflicts</span>' in page
    assert '<span class="badge update">1 update</span>' in page
