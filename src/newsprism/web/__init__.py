"""The web app: a JSON API under ``/api`` (OpenAPI at ``/docs``) and server-rendered pages.

>>> from newsprism.web import create_app
>>> app = create_app(settings)     # doctest: +SKIP  (then: uvicorn, or `newsprism serve`)

Nothing from a request reaches the file system: stores are opened from the settings only,
templates and static files come from the package, and posted URLs must be http(s).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsprism import __version__
from newsprism.config import Settings
from newsprism.web.headers import NONE_CSP, PAGE_CSP
from newsprism.web.service import WebService

__all__ = ["PAGE_CSP", "create_app"]


class LimitsAndHeaders:
    """Refuse bodies over ``max_bytes`` (by Content-Length, or by reading chunked ones),
    add security headers to every response (a Content-Security-Policy included, when the
    route set none of its own), and answer HEAD wherever GET is answered. Plain ASGI so it
    sees the raw stream."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        head = scope.get("method") == "HEAD"
        if head:
            # HEAD is GET without the body (RFC 9110): the route runs as GET, the body is dropped.
            scope = {**scope, "method": "GET"}
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    size = self.max_bytes + 1
                if size > self.max_bytes:
                    await self._too_large(path, send)
                    return
        if scope.get("method") in ("POST", "PUT", "PATCH") and not any(
            name == b"content-length" for name, _ in scope.get("headers", [])
        ):
            # A body without a length is read here, up to the limit, then handed on whole.
            body = bytearray()
            more = True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    break
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > self.max_bytes:
                    await self._too_large(path, send)
                    return
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": bytes(body), "more_body": False}
                return await receive()

            receive = replay

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower(): v for k, v in headers}
                html = names.get(b"content-type", b"").startswith(b"text/html")
                extra = {
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"no-referrer",
                    b"x-frame-options": b"DENY",
                    b"content-security-policy": (PAGE_CSP if html else NONE_CSP).encode(),
                }
                headers += [(k, v) for k, v in extra.items() if k not in names]
                message = {**message, "headers": headers}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _too_large(self, path: str, send: Send) -> None:
        import json

        body = json.dumps(
            {
                "error": {
                    "status": 413,
                    "code": "NPW413",
                    "message": f"request body over {self.max_bytes} bytes; "
                    "post fewer or shorter articles (setting max_request_bytes)",
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"content-security-policy", NONE_CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def templates() -> Environment:
    # autoescape on for every template: article text is untrusted wherever it appears
    env = Environment(
        loader=PackageLoader("newsprism.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    return env


def create_app(settings: Settings) -> FastAPI:
    """A new app over the store named by ``settings.db``; it holds its own state."""
    from newsprism.web import api, errors, pages

    service = WebService(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.brief_worker:
            service.briefs.scan()  # stories ingested while no server ran get their briefs now
        yield
        service.close()

    app = FastAPI(
        title="newsprism",
        version=__version__,
        description="What outlets agree on, where they disagree, and what only one says: "
        "stories, briefs with cited spans, search, ingest and ad-hoc comparison.",
        lifespan=lifespan,
        # /docs is served below with a policy of its own; ReDoc (needing inline styles made at
        # run time) is not served.
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = service
    app.state.templates = templates()
    errors.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    _docs(app)
    # Swagger UI's files from the swagger-ui-bundle-v2 package (Apache-2.0): /docs works
    # offline and loads nothing from elsewhere. Mounted before /static, which would shadow it.
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")
    app.mount("/static", StaticFiles(packages=[("newsprism.web", "static")]), name="static")
    app.add_middleware(LimitsAndHeaders, max_bytes=settings.max_request_bytes)
    return app


def _docs(app: FastAPI) -> None:
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse

    from newsprism.web.headers import docs_csp

    page = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=app.title,
        swagger_js_url="/static/swagger/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger/swagger-ui.css",
        swagger_favicon_url="/static/swagger/favicon-32x32.png",
    )
    html = bytes(page.body).decode()
    policy = docs_csp(html)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(html, headers={"Content-Security-Policy": policy})
