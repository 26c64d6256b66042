"""Who may read and write. Writes (ingest, delete) need ``api_token``; without one set they are
refused. Reads are open unless ``read_token`` is set; then either token opens them. Making the
server fetch a URL (compare) needs ``api_token`` too, unless ``web_fetch_open`` is set: a fetch
spends the server's time and network on an address the visitor chose.

Tokens come as ``Authorization: Bearer <token>`` (API clients) or as the password of HTTP Basic
auth (browsers, which prompt for it on the pages when reads are closed).
"""

from __future__ import annotations

import base64
import binascii
import secrets

from fastapi import Request
from fastapi.security import HTTPBearer

from newsprism.config import Settings
from newsprism.web.errors import Forbidden, Unauthorized

#: Declares the scheme in the OpenAPI document; the check itself is below.
bearer = HTTPBearer(auto_error=False, description="The api_token (writes) or read_token.")


def _presented(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


def _matches(given: str | None, *tokens: str | None) -> bool:
    if given is None:
        return False
    # compare_digest on every configured token, so timing says nothing about which one matched
    ok = False
    for t in tokens:
        if t is not None and secrets.compare_digest(given.encode(), t.encode()):
            ok = True
    return ok


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.service.settings
    return settings


def require_read(request: Request) -> None:
    s = _settings(request)
    if s.read_token is None:
        return
    if not _matches(_presented(request), s.read_token, s.api_token):
        raise Unauthorized("reading needs a token: send 'Authorization: Bearer <read_token>'")


def require_write(request: Request) -> None:
    s = _settings(request)
    if s.api_token is None:
        raise Forbidden(
            "writes are disabled on this server: set api_token in newsprism.toml "
            "(or NEWSPRISM_API_TOKEN) and restart"
        )
    given = _presented(request)
    if given is None:
        raise Unauthorized("writing needs the api_token: send 'Authorization: Bearer <api_token>'")
    if not _matches(given, s.api_token):
        raise Forbidden("this token may not write: send the api_token set in the config")


def require_fetch(request: Request) -> None:
    """Whoever may make the server fetch URLs: api_token holders, or readers when
    ``web_fetch_open`` is set."""
    s = _settings(request)
    if s.web_fetch_open:
        return
    paste = "or paste the article's text or HTML instead of its link"
    if s.api_token is None:
        raise Forbidden(
            f"this server does not fetch URLs for its visitors: {paste} "
            "(the operator can set api_token, or web_fetch_open)"
        )
    given = _presented(request)
    if given is None:
        raise Unauthorized(
            f"making the server fetch a URL needs the api_token: send "
            f"'Authorization: Bearer <api_token>', {paste}"
        )
    if not _matches(given, s.api_token):
        raise Forbidden(
            f"this token may not make the server fetch URLs: send the api_token, {paste}"
        )
