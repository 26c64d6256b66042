"""One store and one app per test session: the bundled sample (a real derailment story from four
outlets, with planted conflicts) plus a stored article carrying script payloads. The app is
shared by the API tests (TestClient) and the browser tests (uvicorn), so the models load once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsprism.cli import sample_dir
from newsprism.config import Settings, load_settings
from newsprism.corpus.executors import SerialExecutor
from newsprism.corpus.ingest import ingest
from newsprism.store import open_store
from newsprism.web import create_app
from newsprism.web.service import Posted

WRITE_TOKEN = "test-write-token-0123456789"

#: Untrusted article text: must show as text, never run.
PAYLOAD = (
    "Riverside pantry payload test. <script>window.__pwned = 1; alert('xss')</script> "
    'The pantry manager said <img src=x onerror="window.__pwned = 2"> the shelves were bare '
    "after a week of heavy demand, and volunteers worked late on Thursday to restock them. "
    "Donations of canned food and rice arrived from two churches and a school, the manager said, "
    'and a sign reading <a href="javascript:window.__pwned=3">click</a> was taped to the door.'
)


@dataclass(frozen=True)
class WebCase:
    settings: Settings
    app: FastAPI
    derailment: str  # the story id of the sample's derailment (several outlets)
    payload_story: str


@pytest.fixture(scope="session")
def web_case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebCase]:
    db = tmp_path_factory.mktemp("web") / "store.db"
    settings = load_settings(db=str(db), api_token=WRITE_TOKEN)
    with open_store(settings.db, settings) as store:
        ingest([str(sample_dir().parent)], store, settings, executor=SerialExecutor(settings))
        derailment = max(store.list_stories(limit=50), key=lambda s: len(s.articles)).id
    app = create_app(settings)
    service = app.state.service
    report = service.ingest(
        [Posted(text=PAYLOAD, title="Pantry <b>payload</b>", outlet="Test <i>Outlet</i>")]
    )
    payload_story = report.articles[0]["story"]
    assert payload_story is not None
    # As under `serve`: the worker briefs every story before readers come (models load once).
    service.briefs.scan()
    deadline = time.monotonic() + 600
    while not service.briefs.idle() and time.monotonic() < deadline:
        time.sleep(0.2)
    yield WebCase(settings, app, derailment, payload_story)
    service.close()


@pytest.fixture(scope="session")
def client(web_case: WebCase) -> Iterator[TestClient]:
    with TestClient(web_case.app) as c:
        yield c


ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "web"
