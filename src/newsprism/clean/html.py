"""HTML main-text extraction: trafilatura, a selective readability second opinion, debris rules.

trafilatura finds the article body and the page metadata. It runs in its fast mode (no internal
readability/justext comparison) with recall focus: on the article-extraction benchmark, with our
rules after it, that scored F1 0.975-0.976 against 0.973 for its default cascade, in about half
the time (bench/extraction.py). Where its result is short for the page, readability-lxml gives a
second opinion, and the longer body wins only when it also contains what trafilatura found.

The debris rules below work on the blocks of the chosen body and remove what extractors keep but a
reader would not call the article: the headline and standfirst (they are metadata), related-link
teasers, orphaned headings, newsletter and app promotions, social-media sign-offs and reporting
credits. Every removed block is returned as a :class:`Dropped` with its reason. The rules are
general (wording, link density, position; never a site name) and were checked page by page on
the benchmark, which is also where they were tuned: its F1 is a development figure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from newsprism.clean.parts import CleanedParts
from newsprism.clean.text import classify_line
from newsprism.config import Settings
from newsprism.errors import ExtractionError
from newsprism.model import Dropped

__all__ = ["Block", "extract_html", "postprocess"]

_WORD = re.compile(r"\w+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")  # \w also matches "_", and "___" is a separator


@dataclass(frozen=True, slots=True)
class Block:
    """One body block before debris removal.

    ``kind`` is ``p`` (paragraph), ``head`` (heading), ``item`` (list item), ``row`` (table row)
    or ``quote``; ``link_chars`` counts the characters of its text that sit inside links.
    """

    kind: str
    text: str
    link_chars: int = 0
    level: int = 0  # 1-6 for headings (h1-h6), 0 when unknown or not a heading

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))

    @property
    def link_density(self) -> float:
        size = len(self.text.strip())
        return min(1.0, self.link_chars / size) if size else 0.0


# --------------------------------------------------------------------------- tree -> blocks


def _text_of(el: etree._Element) -> str:
    """Text of a trafilatura body element; ``<lb/>`` becomes a newline (itertext would glue lines)."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag == "lb":
            parts.append("\n")
        elif node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return "".join(parts).strip()


def _link_chars(el: etree._Element) -> int:
    return sum(len(_text_of(ref)) for ref in el.iter("ref"))


def _block(kind: str, el: etree._Element) -> Block | None:
    text = _text_of(el)
    return Block(kind, text, _link_chars(el)) if text else None


# trafilatura's XML: these elements start a block of their own; everything else (hi, ref, lb,
# del, graphic, span, ...) is inline inside the block that holds it.
_XML_BLOCKS = frozenset(
    {"p", "head", "list", "item", "table", "row", "cell", "quote", "div", "code"}
)
_XML_KIND = {"item": "item", "quote": "quote", "head": "head", "code": "p"}


def blocks_from_trafilatura(body: etree._Element) -> list[Block]:
    """Blocks of trafilatura's XML body in reading order: list items and table rows each apart.

    Every text node of the body lands in exactly one block: text that stands between block
    elements (the tail after a paragraph, an item's own words before its nested list, loose
    text in a quote) becomes a block of its own rather than being lost.
    """
    out: list[Block | None] = []

    def leaf(kind: str, el: etree._Element) -> None:
        block = _block(kind, el)
        if block is not None and kind == "head":
            rend = el.get("rend", "")
            level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 0
            block = Block("head", block.text, block.link_chars, level)
        out.append(block)

    def container(el: etree._Element, kind: str) -> None:
        # Inline runs between the block children become blocks of the container's kind.
        run = etree.Element(el.tag)
        run.text = el.text
        for child in el:
            if child.tag in _XML_BLOCKS:
                leaf(kind, run)
                run = etree.Element(el.tag)
                run.text = child.tail
                walk(child, "quote" if kind == "quote" else None)
            else:
                run.append(_detached_copy(child))
        leaf(kind, run)

    def walk(el: etree._Element, inherited: str | None = None) -> None:
        # A paragraph inside a quote is quoted text.
        kind = inherited if inherited and el.tag == "p" else _XML_KIND.get(str(el.tag), "p")
        if el.tag == "row":
            cells = [_text_of(c) for c in el.iter("cell")]
            text = " ".join(c for c in cells if c)
            if len(cells) == 0:
                text = _text_of(el)
            out.append(Block("row", text, _link_chars(el)) if text else None)
        elif el.tag == "table":
            container(el, "row")
        elif any(child.tag in _XML_BLOCKS for child in el):
            container(el, kind)
        else:
            leaf(kind, el)

    container(body, "p")
    return [b for b in out if b is not None]


def _detached_copy(el: etree._Element) -> etree._Element:
    """A copy of an inline element with its tail, to collect a run of inline content."""
    copy = deepcopy(el)
    copy.tail = el.tail
    return copy


_READABILITY_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr")
_READABILITY_CONTAINERS = {"div", "article", "section", "main", "body", "td", "th", "span", "font"}


def blocks_from_readability(summary: HtmlElement) -> list[Block]:
    """Blocks of readability's summary: its block elements, plus text loose in container divs."""
    out: list[Block] = []

    def add(kind: str, el: HtmlElement, level: int = 0) -> None:
        text = el.text_content().strip()
        if text:
            links = sum(len(a.text_content().strip()) for a in el.iter("a"))
            out.append(Block(kind, text, links, level))

    def walk(node: HtmlElement) -> None:
        if not isinstance(node.tag, str):
            return
        tag = node.tag.lower()
        if tag in _READABILITY_BLOCKS:
            if tag[0] == "h" and tag[1:].isdigit():
                add("head", node, int(tag[1:]))
            else:
                add({"li": "item", "tr": "row", "blockquote": "quote"}.get(tag, "p"), node)
            return
        if tag in _READABILITY_CONTAINERS:
            loose = (node.text or "").strip()
            if loose:
                out.append(Block("p", loose))
            for child in node:
                walk(child)
                tail = (child.tail or "").strip()
                if tail:
                    out.append(Block("p", tail))

    walk(summary)
    return out


# --------------------------------------------------------------------------- debris rules


def _tokens(text: str) -> list[str]:
    return [t.casefold() for t in _WORD.findall(text)]


def _same_line(block: str, reference: str | None) -> bool:
    """True when ``block`` is ``reference`` (the page title), give or take a site suffix."""
    if not reference:
        return False
    a, b = " ".join(_tokens(block)), " ".join(_tokens(reference))
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    # "Headline | Site" titles, or an h1 that adds a kicker: one contains the other nearly whole
    return shorter in longer and len(shorter) >= 0.6 * len(longer) and len(shorter.split()) >= 3


_RELATED_LEAD = re.compile(
    r"^\W*(related|read more|read also|see more|see also|more|also|also on|also read|also see"
    r"|recommended|more on this|more from|don'?t miss|watch|listen|trending|popular|click here"
    r"|leggi anche|lire aussi|mehr zum thema|lea también)\b",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^\W*(additional\s+)?(reporting|writing|editing)\s+by\b"
    r"|\b(editing|reporting|writing)\s+by\s+[A-Z]"
    r"|\bcontributed\s+(reporting|to\s+this\s+(report|story|article))\b"
    r"|^\W*(contributing|source|sources|photo|photos|image|images|picture|credit|credits)\s*:"
    r"|^\W*(©|\(c\)|copyright\b)|\ball rights reserved\b|\bpersonal,? non-commercial use\b"
    r"|^\W*with\s+(post\s+)?wires?\W*$"
    r"|^\W*(staff|wire)\s+reports?\W*$",
    re.IGNORECASE,
)
_PROMO_START = re.compile(
    r"^\W*(subscribe|sign\s+up|get|download|click|tap|follow|listen|watch|join|like\s+this|share"
    r"|write\s+to|e-?mail|contact|reach"
    r"|have\s+a\s+tip|for\s+more|don'?t\s+miss)\b",
    re.IGNORECASE,
)
_PROMO_WORD = re.compile(
    r"\b(newsletters?|inbox|subscri\w+|sign\s+up|app|apps|here|podcasts?|twitter|facebook"
    r"|instagram|youtube|linkedin|e-?mail|letterbox|friends?)\b",
    re.IGNORECASE,
)
_SOCIAL = re.compile(
    r"\bfollow\s+(us|him|her|them|me|[\w.@' -]{1,60}?)\s+on\s+(twitter|facebook|instagram|youtube|linkedin)",
    re.IGNORECASE,
)
_CONTACT_ONLY = re.compile(
    r"^\W*([\w.+-]+@[\w-]+(\.[\w-]+)+|(https?://|www\.|twitter\.com/)\S+|@\w+)\W*$", re.IGNORECASE
)


_SENTENCE_END = re.compile(r"[.!;][\W_]*$")  # not "?": teasers are often questions


def _is_related_links(block: Block) -> bool:
    """A teaser for another page: a lead-in ("Read more:") and a link, or a headline-like link.

    Whole paragraphs can be links too (a tweetable quote, a product name in a deals post), so a
    fully linked block counts only when it is short and reads like a headline (no sentence end).
    """
    if block.link_density >= 0.5 and _RELATED_LEAD.match(block.text):
        return True
    return block.link_density >= 0.9 and block.words <= 25 and not _SENTENCE_END.search(block.text)


def _is_promo(block: Block) -> bool:
    if block.words > 40:
        return False
    if _SOCIAL.search(block.text) or _CONTACT_ONLY.match(block.text):
        return True
    return bool(_PROMO_START.match(block.text) and _PROMO_WORD.search(block.text))


def _is_credit(block: Block) -> bool:
    if block.words <= _SHORT_CREDIT_WORDS and classify_line(block.text) == "credit":
        # The plain-text cleaner's reading of a credit's shape: "(Jane Doe/Reuters) Instagram:
        # @jdoe", "Getty Images", "Photo: ...".
        return True
    return block.words <= 40 and bool(_CREDIT.search(block.text))


_SHORT_CREDIT_WORDS = 12


_HEADLINE_WITHIN = 6
_MAX_STANDFIRST = 2


#: The reasons :func:`postprocess` can give, one per rule (bench/extraction.py measures each).
RULES = (
    "before-headline",
    "title",
    "standfirst",
    "related-links",
    "credit",
    "promo",
    "orphan-heading",
    "label",
)


def postprocess(
    blocks: Sequence[Block], *, title: str | None, skip: frozenset[str] = frozenset()
) -> tuple[list[Block], list[Dropped]]:
    """Remove headline, standfirst and page debris from extracted blocks; say why for each.

    ``skip`` names rules (see :data:`RULES`) not to apply: the benchmark measures what each pays.
    """
    reasons: list[str | None] = [None] * len(blocks)

    def drop(i: int, reason: str) -> bool:
        """Record why block ``i`` goes, unless that rule is skipped; True when it goes."""
        if reason in skip:
            return False
        reasons[i] = reason
        return True

    # Teasers an extractor picked up above the headline: the article starts at its headline.
    for i, block in enumerate(blocks[:_HEADLINE_WITHIN]):
        if block.kind == "head" and _same_line(block.text, title):
            for k in range(i):
                drop(k, "before-headline")
            break

    # Headline and standfirst: the title, and a heading or two, before the first body paragraph.
    # A longer run of leading headings is the body's own sections (a deals list, a Q&A).
    leading: list[int] = []
    for i, block in enumerate(blocks):
        if reasons[i] is not None:
            continue
        if _same_line(block.text, title):
            drop(i, "title")
        elif block.kind == "head":
            leading.append(i)
        elif not _LETTER_OR_DIGIT.search(block.text) or (
            block.link_density >= 0.9 and block.words <= 3
        ):
            # A kicker or a separator above the headline is passed over, not dropped: dropping
            # it gained nothing on the fit pages (bench/extraction.py --rules).
            continue
        else:
            break
    if len(leading) <= _MAX_STANDFIRST:
        for i in leading:
            drop(i, "standfirst")

    for i, block in enumerate(blocks):
        if reasons[i] is not None:
            continue
        # (A rule that dropped separators, blocks without a letter or digit, cost F1 on the
        # fit pages: they are left in, as text, like the rest.)
        _ = (
            (_is_related_links(block) and drop(i, "related-links"))
            or (_is_credit(block) and drop(i, "credit"))
            or (_is_promo(block) and drop(i, "promo"))
        )

    # Labels and headings left with nothing under them ("You may also like", "More:", a heading
    # whose section was all teasers): walk backwards so a run of them goes at once.
    next_kept: Block | None = None
    for i in range(len(blocks) - 1, -1, -1):
        if reasons[i] is not None:
            continue
        block = blocks[i]
        follows_removed = i + 1 < len(blocks) and reasons[i + 1] not in (None, "title")
        if (
            block.kind == "head"
            and (
                next_kept is None
                or (next_kept.kind == "head" and _level(next_kept) <= _level(block))
            )
            and drop(i, "orphan-heading")
        ):
            continue
        if (
            block.words <= 5
            and (follows_removed or next_kept is None)
            and _is_label(block)
            and drop(i, "label")
        ):
            continue
        next_kept = block

    kept = [b for b, r in zip(blocks, reasons, strict=True) if r is None]
    dropped = [Dropped(b.text, r) for b, r in zip(blocks, reasons, strict=True) if r is not None]
    return kept, dropped


def _level(block: Block) -> int:
    return block.level or 7


def _is_label(block: Block) -> bool:
    """A short line that introduces what follows rather than saying something itself."""
    text = block.text.strip()
    return (
        block.kind == "head"
        or text.endswith((":", "...", "…"))
        or text.isupper()
        or (bool(_RELATED_LEAD.match(text)))
    )


# --------------------------------------------------------------------------- extraction


def _anchor_texts(tree: HtmlElement) -> list[str]:
    """Texts of the page's links, longest first.

    trafilatura can keep links in its body (include_links), but that changes what it extracts
    and cost F1 on the benchmark; matching the page's anchor texts against each block gives the
    same link density without touching the extraction.
    """
    texts = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    return sorted((t for t in texts if len(t) >= 4), key=len, reverse=True)


def _with_link_chars(blocks: list[Block], anchors: Sequence[str]) -> list[Block]:
    out = []
    for block in blocks:
        text = " ".join(block.text.split())
        linked = 0
        for anchor in anchors:
            if len(anchor) <= len(text) and anchor in text:
                linked += len(anchor)
                text = text.replace(anchor, " ")
        out.append(Block(block.kind, block.text, linked, block.level))
    return out


def _trafilatura(tree: HtmlElement, url: str | None) -> list[Block]:
    body = trafilatura_body(tree, url)
    return [] if body is None else blocks_from_trafilatura(body)


def trafilatura_body(tree: HtmlElement, url: str | None) -> etree._Element | None:
    """trafilatura's XML body of the page, as newsprism asks for it, or None."""
    from trafilatura import bare_extraction

    # fast: no internal readability/justext comparison (we ask readability ourselves, and only
    # where it can help). favor_recall: on the benchmark it skips trafilatura's recall retry,
    # which made extraction ~20% faster, and rescued one page extracted whole (F1 0.13 -> 0.83)
    # at the price of a little more boilerplate on five others; our debris rules take most of it.
    doc = bare_extraction(
        tree,
        url=url,
        fast=True,
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    if doc is None or isinstance(doc, dict):
        return None
    body: etree._Element | None = doc.body
    return body


_TIME_META = (
    '//meta[@property="article:published_time"]/@content',
    '//meta[@name="article:published_time"]/@content',
    '//meta[@itemprop="datePublished"]/@content',
    "//time[@datetime]/@datetime",
)


def _with_time(tree: HtmlElement, day: str | None) -> str | None:
    """htmldate gives the day; a timed story (updates, timelines) needs the time too. Take the
    full timestamp from the page's own publication metadata when it names the same day."""
    if not day:
        return day
    for path in _TIME_META:
        for value in tree.xpath(path):
            value = str(value).strip()
            if value.startswith(day) and value[10:11] == "T":
                try:
                    datetime.fromisoformat(value.replace("Z", "+00:00"))
                except ValueError:
                    continue
                return value
    return day


def _metadata(tree: HtmlElement, url: str | None) -> dict[str, str | None]:
    """trafilatura's metadata steps for the fields we keep.

    Its extract_metadata also looks for categories, tags and a licence, which newsprism does not
    use and which took over half of its time on the benchmark pages. The steps and their
    order are extract_metadata's (trafilatura is pinned, see pyproject.toml).
    """
    from htmldate import find_date
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )
    from trafilatura.settings import set_date_params

    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    # trafilatura guards this call the same way: its JSON-LD parser has known crashes
    with suppress(Exception):
        meta = extract_meta_json(tree, meta)
    title = meta.title or extract_title(tree)
    author = meta.author or extract_author(tree)
    canonical = meta.url or extract_url(tree, url)
    # htmldate's extensive search (free-text date patterns all over the page) took 15 ms a page,
    # as much as the main-text extraction, and found a date on 2 more of the 181 benchmark pages;
    # the front-matter step still reads a date line at the head of the body.
    date_params = set_date_params(False)
    date_params["url"] = canonical
    published = _with_time(tree, find_date(tree, **date_params))
    sitename = meta.sitename or extract_sitename(tree)
    if sitename:
        sitename = sitename.lstrip("@")
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
    elif canonical and (match := META_URL.match(canonical)):
        sitename = match[1]
    return {
        "title": title,
        "outlet": sitename or None,
        "published": published,
        "byline": author,
        "url": canonical,
    }


def _paragraph_chars(tree: HtmlElement) -> int:
    return sum(len(" ".join(p.text_content().split())) for p in tree.iter("p"))


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text)
    return Counter(tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)))


def _prefer_second(ours: Sequence[Block], second: Sequence[Block]) -> bool:
    """Take readability's body only when it is clearly longer and keeps what trafilatura found.

    That is the under-extraction case (an article body split over several containers, of
    which trafilatura took one). A *shorter* readability body is not trusted: on the benchmark
    it was as often a lost section as removed debris.
    """
    ours_text = "\n".join(b.text for b in ours)
    second_text = "\n".join(b.text for b in second)
    if not ours_text:
        return bool(second_text)
    if len(second_text) < _SECOND_LONGER * len(ours_text):
        return False
    mine = _shingles(ours_text)
    shared = sum((mine & _shingles(second_text)).values())
    return shared >= _SECOND_KEEPS * sum(mine.values())


# Measured on the benchmark (bench/extraction.py): the two pages where readability found more
# than trafilatura had 2.5x and 3x trafilatura's text in <p> elements; at 1.8x readability is
# asked on 15 of 181 pages (it costs as much as trafilatura, so asking everywhere would halve
# throughput) and taken on those two, for F1 +0.003. ``_SECOND_KEEPS`` keeps it from swapping in
# an unrelated longer block (a comment thread, another article).
_SECOND_WHEN_PAGE_HAS = 1.8
_SECOND_LONGER = 1.8
_SECOND_KEEPS = 0.85


def extract_html(html: str, *, origin: str, url: str | None, settings: Settings) -> CleanedParts:
    """Main text and metadata of one HTML page. Raises ExtractionError if it cannot be parsed."""
    from trafilatura.utils import HTML_PARSER, load_html

    try:
        tree = load_html(html)
        if any("Excessive depth" in str(e) for e in HTML_PARSER.error_log):
            # libxml2 stops at 256 nested elements and the text below is lost: parse again
            # without that limit (a page nested that deep is odd, not empty).
            tree = _parse_deep(html)
        if tree is None and "<" in html:
            # trafilatura refuses bare fragments ("<p>...</p>") as dubious; a wrapper makes a page
            tree = load_html(f"<html><body><div>{html}</div></body></html>")
    except (ValueError, TypeError, etree.ParserError) as exc:
        raise ExtractionError(f"cannot parse HTML: {exc}", origin=origin) from exc
    if tree is None:
        raise ExtractionError("cannot parse HTML: no document tree", origin=origin)

    anchors = _anchor_texts(tree)
    paragraph_chars = _paragraph_chars(tree)
    blocks = _trafilatura(tree, url)
    meta = _metadata(tree, url)
    title = meta["title"]
    kept, dropped = postprocess(_with_link_chars(blocks, anchors), title=title)

    if settings.html_second_opinion:
        ours = sum(len(b.text) for b in kept)
        if paragraph_chars > _SECOND_WHEN_PAGE_HAS * ours:
            second, second_dropped = postprocess(
                _with_link_chars(_readability(html), anchors), title=title
            )
            if _prefer_second(kept, second):
                kept, dropped = second, second_dropped

    return CleanedParts(
        blocks=tuple(b.text for b in kept),
        dropped=tuple(dropped),
        title=title,
        outlet=meta["outlet"],
        published=meta["published"],
        byline=meta["byline"],
        url=meta["url"] or url,
    )


def _parse_deep(html: str) -> Any:
    """``html`` parsed as trafilatura parses it, but without libxml2's nesting limit."""
    from lxml.html import HTMLParser, fromstring
    from trafilatura.utils import repair_faulty_html

    parser = HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )
    return fromstring(repair_faulty_html(html, html[:50].lower()).encode("utf-8"), parser=parser)


def _readability(html: str) -> list[Block]:
    from lxml.html import fromstring
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(html).summary(html_partial=True)
        return blocks_from_readability(fromstring(summary))
    except (Unparseable, etree.ParserError, ValueError):
        # A second opinion that fails is no opinion: trafilatura's result stands.
        return []
