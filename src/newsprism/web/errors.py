"""HTTP errors, and the one place where any error becomes a response a person can act on:
JSON ``{"error": {"status", "code", "message"}}`` under ``/api``, a small HTML page elsewhere."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsprism.errors import (
    FetchError,
    InputError,
    NewsprismError,
    StoreBusyError,
    StoreQueryError,
)

log = logging.getLogger("newsprism.web")


class WebError(Exception):
    status = 500
    code = "NPW500"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(WebError):
    status, code = 404, "NPW404"


class Unauthorized(WebError):
    status, code = 401, "NPW401"


class Forbidden(WebError):
    status, code = 403, "NPW403"


class TooLarge(WebError):
    status, code = 413, "NPW413"


class TooManyRequests(WebError):
    """Too many requests making the server fetch at once (from one client, or in all)."""

    status, code = 429, "NPW429"


def _status_of(exc: NewsprismError) -> int:
    if isinstance(exc, StoreBusyError):
        return 503
    if isinstance(exc, FetchError):
        return 422
    if isinstance(exc, InputError | StoreQueryError):
        return 400
    return 500


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors()[:5]:
        loc = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "request"
        parts.append(f"{loc}: {e.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


def respond(request: Request, status: int, code: str, message: str) -> Response:
    headers: dict[str, str] | None = None
    if status == 401:
        headers = {"WWW-Authenticate": 'Basic realm="newsprism", charset="UTF-8"'}
    elif status == 429:
        headers = {"Retry-After": "30"}
    if request.url.path.startswith("/api") or request.url.path.startswith("/openapi"):
        return JSONResponse(
            {"error": {"status": status, "code": code, "message": message}},
            status_code=status,
            headers=headers,
        )
    templates = request.app.state.templates
    return HTMLResponse(
        templates.get_template("error.html.j2").render(status=status, message=message, code=code),
        status_code=status,
        headers=headers,
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def _web(request: Request, exc: WebError) -> Response:
        return respond(request, exc.status, exc.code, exc.message)

    @app.exception_handler(NewsprismError)
    async def _np(request: Request, exc: NewsprismError) -> Response:
        status = _status_of(exc)
        if status == 500:
            log.error("request %s failed: %s", request.url.path, exc)
        return respond(request, status, exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return respond(request, 422, "NPW422", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if exc.status_code == 404:
            message = f"nothing at {request.url.path}; the API is described at /docs"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return respond(request, exc.status_code, f"NPW{exc.status_code}", message)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return respond(request, 500, "NPW500", "internal error: the server log has the details")
