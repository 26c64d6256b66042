"""Content-Security-Policy headers: one for every response, fitted to what it is.

* the app's own pages: only the app's CSS and JS file (:data:`PAGE_CSP`);
* brief pages: the policy their ``<meta>`` states (their one inline style and script, by hash),
  sent as a header too, with ``frame-ancestors``, which a ``<meta>`` cannot carry;
* the API docs page: Swagger UI's files from this server and its one inline script, by hash;
* everything else (JSON, markdown, errors of the API): nothing may load at all.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re

PAGE_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
NONE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

_META_CSP = re.compile(
    r'<meta http-equiv="Content-Security-Policy" content="([^"<>]+)">', re.IGNORECASE
)
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def csp_of_page(page: str) -> str:
    """The header for a standalone page carrying its own policy in a ``<meta>`` (a brief
    page); the app's page policy when it carries none."""
    match = _META_CSP.search(page[:8192])
    if match is None:
        return PAGE_CSP
    # The attribute is HTML: its quotes come escaped (&#39;), a header wants them bare.
    return f"{html.unescape(match.group(1))}; frame-ancestors 'none'"


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def docs_csp(html: str) -> str:
    """Swagger UI's page: its bundle and stylesheet from this server (the package's copy), its
    inline start-up script by hash, the OpenAPI document from this server. Nothing from
    elsewhere, so the page works without a network."""
    scripts = " ".join(_sha256(s) for s in _INLINE_SCRIPT.findall(html))
    return (
        f"default-src 'none'; script-src 'self' {scripts}; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
