"""Cleaning cannot silently lose text: every visible character of the input is either in the
article's body or in ``dropped`` with a reason (issue #15).

Checked on hand-written archival wire copy (tests/fixtures/archival), scraped pages
(tests/fixtures/scraped*), real pages rendered to their visible text (tests/golden/html), and
generated text; for HTML, on trafilatura's extracted body of the real pages.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from bench.visible_text import visible_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.property.test_clean_properties import _ANY, _NEWSY

from newsprism.clean import clean_document
from newsprism.clean.html import blocks_from_trafilatura, postprocess, trafilatura_body
from newsprism.config import load_settings
from newsprism.model import Article, RawDocument, Rejection, SourceKind

SETTINGS = load_settings()
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOLDEN_HTML = sorted(
    [*(FIXTURES.parent / "golden" / "html").glob("*.html"), *(FIXTURES / "html").glob("*.html")]
)
TEXTS = sorted(
    [
        *(FIXTURES / "archival").glob("*.txt"),
        *(FIXTURES / "scraped").glob("*.txt"),
        *(FIXTURES / "scraped_front").glob("*.txt"),
    ]
)
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def visible(text: str) -> Counter[str]:
    """The characters a reader sees, as a multiset: spacing and invisible marks do not count."""
    text = unicodedata.normalize("NFC", text)
    return Counter(c for c in text if not c.isspace() and c not in _INVISIBLE)


def unaccounted(content: str, result: Article | Rejection) -> Counter[str]:
    """Characters of ``content`` neither in the body nor in ``dropped`` (and the reverse)."""
    out = visible(result.text) if isinstance(result, Article) else Counter()
    for d in result.dropped:
        assert d.reason, d
        out += visible(d.text)
    given_ = visible(content)
    return (given_ - out) + (out - given_)


def _clean_text(origin: str, content: str) -> Article:
    result = clean_document(RawDocument(origin, SourceKind.TEXT, content), SETTINGS)
    assert isinstance(result, Article), result
    return result


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_character_of_a_fixture_is_kept_or_dropped_with_a_reason(path: Path) -> None:
    content = path.read_text(encoding="utf-8")
    assert unaccounted(content, _clean_text(path.name, content)) == Counter()


@pytest.mark.parametrize("path", GOLDEN_HTML, ids=lambda p: p.stem)
def test_every_character_of_a_real_page_as_text_is_accounted_for(path: Path) -> None:
    content = "\n".join(visible_lines(path.read_text(encoding="utf-8")))
    assert unaccounted(content, _clean_text(path.name, content)) == Counter()


@pytest.mark.parametrize("path", GOLDEN_HTML, ids=lambda p: p.stem)
def test_every_character_trafilatura_extracted_is_kept_or_dropped(path: Path) -> None:
    from trafilatura.utils import load_html

    body = trafilatura_body(load_html(path.read_text(encoding="utf-8")), None)
    assert body is not None
    extracted = visible("".join(body.itertext()))
    blocks = blocks_from_trafilatura(body)
    assert sum((visible(b.text) for b in blocks), Counter()) == extracted
    kept, dropped = postprocess(blocks, title=None)
    assert sum((visible(b.text) for b in [*kept, *dropped]), Counter()) == extracted


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_NEWSY, _ANY))
def test_generated_text_is_accounted_for_even_when_rejected(content: str) -> None:
    result = clean_document(RawDocument("p", SourceKind.TEXT, content), SETTINGS)
    if isinstance(result, Rejection):
        # The only rejection: nothing that could be a sentence was found; what there was is
        # still listed, with the reason it went.
        assert result.reason == "empty"
        assert all(d.reason for d in result.dropped)
        assert not any(
            d.reason == "no-text" and any(c.isalnum() for c in d.text) for d in result.dropped
        )
    assert unaccounted(content, result) == Counter()
