"""``newsprism serve``: the web app on the store, with uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def serve_command(
    db: Annotated[
        str | None, typer.Option("--db", help="SQLite file or postgresql:// URL (setting `db`).")
    ] = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on (setting `host`).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (setting `port`, 8000).")] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="TOML settings file (default: ./newsprism.toml)."),
    ] = None,
) -> None:
    """Serve the web pages and the JSON API (docs at /docs) on the store."""
    import os

    import uvicorn

    from newsprism.config import load_settings
    from newsprism.web import create_app

    if config is not None:
        os.environ["NEWSPRISM_CONFIG"] = str(config)
    settings = load_settings(db=db, host=host, port=port)
    from newsprism.store import require_store

    require_store(settings.db)  # a mistyped --db would serve a new, empty store
    where = f"http://{settings.host}:{settings.port}"
    typer.echo(f"newsprism: serving {settings.db} at {where} (API docs at {where}/docs)", err=True)
    if settings.api_token is None:
        typer.echo("writes (ingest, delete) are off: set api_token to allow them", err=True)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")
