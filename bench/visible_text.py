"""Render an HTML page to its visible text, one line per block: what a scraper saving "the text
of the page" produces, and so the input the plain-text cleaner has to cope with.

Hand-written on lxml because the libraries that do this (html-text, inscriptis) either merge
blocks into paragraphs or lay out tables in columns; the debris benchmark needs exactly one line
per block-level element so that every line can be labelled article or debris.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

# Never rendered as text.
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "map",
        "input",
        "select",
        "textarea",
        "button",
    }
)
# A line break before and after each of these (the HTML block and table elements).
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "option",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WS = re.compile(r"[ \t\r\n\f\u00a0\u200b]+")


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def visible_lines(page: str) -> list[str]:
    """The visible text of ``page``: one stripped, whitespace-collapsed line per block."""
    root = lxml_html.document_fromstring(page)
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = _WS.sub(" ", "".join(buf)).strip()
        if line:
            lines.append(line)
        buf.clear()

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if not tag or tag in _SKIP or _hidden(el):
            # Comments and processing instructions are skipped too, but their tail is visible.
            return
        block = tag in _BLOCK
        if block:
            flush()
        if tag in ("td", "th"):
            # Cells of one row stay on one line, as a text scraper lays out a table.
            buf.append(" ")
        if tag == "br":
            flush()
        elif tag == "pre":
            for piece in (el.text_content() or "").split("\n"):
                buf.append(piece)
                flush()
        else:
            if el.text:
                buf.append(el.text)
            for child in el:
                walk(child)
                if child.tail:
                    buf.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return lines


def visible_text(page: str) -> str:
    return "\n".join(visible_lines(page))
