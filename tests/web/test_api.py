"""The JSON API over a real store: lists, briefs in the CLI's schema, articles, search, ingest,
compare, errors a person can act on, tokens, and request limits."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest
from fastapi.testclient import TestClient

from newsprism.config import load_settings
from newsprism.formats.jsonout import load_schema
from newsprism.web import create_app
from tests.web.conftest import PAYLOAD, WRITE_TOKEN, WebCase

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}


def _error(r: object) -> str:
    body = r.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert body["error"]["status"] == r.status_code  # type: ignore[attr-defined]
    message: str = body["error"]["message"]
    assert len(message) > 10
    return message


def test_stories_list_pages_and_filters(client: TestClient, web_case: WebCase) -> None:
    r = client.get("/api/stories", params={"order": "biggest", "limit": 1})
    assert r.status_code == 200
    page = r.json()
    assert page["limit"] == 1 and page["offset"] == 0 and page["next_offset"] == 1
    first = page["items"][0]
    assert first["id"] == web_case.derailment
    assert first["article_count"] >= 3 and first["origins"] >= 2 and len(first["outlets"]) >= 3
    assert {a["id"] for a in first["articles"]} and all(a["outlet"] for a in first["articles"])
    everything = client.get("/api/stories", params={"limit": 200}).json()
    assert everything["next_offset"] is None
    ids = [s["id"] for s in everything["items"]]
    assert len(ids) == len(set(ids)) >= 3
    rest = client.get("/api/stories", params={"limit": 1, "offset": 1, "order": "biggest"}).json()
    assert rest["items"][0]["id"] != first["id"]
    lakeshore = client.get("/api/stories", params={"outlet": "lakeshore wire"}).json()["items"]
    assert [s["id"] for s in lakeshore] == [web_case.derailment]
    found = client.get("/api/stories", params={"q": "pantry"}).json()["items"]
    assert [s["id"] for s in found] == [web_case.payload_story]


def test_story_brief_follows_the_cli_schema(client: TestClient, web_case: WebCase) -> None:
    r = client.get(f"/api/stories/{web_case.derailment}/brief")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    brief = r.json()
    jsonschema.Draft202012Validator(load_schema()).validate(brief)
    assert len(brief["sources"]) >= 3 and brief["conflicts"]
    # every span shown is the source text at those offsets
    texts = {s["id"]: s["text"] for s in brief["sources"]}
    for fact in brief["facts"]:
        span = fact["span"]
        assert texts[span["source"]][span["start"] : span["end"]] == fact["text"]
    again = client.get(f"/api/stories/{web_case.derailment}/brief")
    assert again.text == r.text  # served from the cache, identical
    md = client.get(f"/api/stories/{web_case.derailment}/brief", params={"format": "markdown"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert brief["title"] in md.text


def test_article_has_text_metadata_and_spans(client: TestClient, web_case: WebCase) -> None:
    story = client.get(f"/api/stories/{web_case.derailment}").json()
    aid = story["articles"][0]["id"]
    a = client.get(f"/api/articles/{aid}").json()
    assert a["id"] == aid and a["story"] == web_case.derailment and a["outlet"]
    assert a["text"] and a["paragraphs"] and a["sentences"]
    for start, end in a["sentences"]:
        assert 0 <= start < end <= len(a["text"])


def test_search_pages(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "derailment", "limit": 2})
    page = r.json()
    assert r.status_code == 200 and len(page["items"]) == 2 and page["next_offset"] == 2
    assert all("derail" in h["snippet"].lower() and h["story"] for h in page["items"])
    assert client.get("/api/search", params={"q": "zzzqqqxxx"}).json()["items"] == []


def test_errors_say_what_to_do(client: TestClient) -> None:
    r = client.get("/api/stories/nope/brief")
    assert r.status_code == 404 and "/api/stories" in _error(r)
    r = client.get("/api/stories", params={"limit": 0})
    assert r.status_code == 422 and "limit" in _error(r)
    r = client.get("/api/stories", params={"since": "not a date at all"})
    assert r.status_code == 400 and "2026-11-18" in _error(r)
    r = client.get("/api/articles/none")
    assert r.status_code == 404 and "none" in _error(r)
    r = client.get("/api/search", params={"q": "!!!"})
    assert r.status_code == 400 and _error(r)


def test_writes_need_the_token(client: TestClient, web_case: WebCase) -> None:
    body = {"articles": [{"text": "A short one."}]}
    r = client.post("/api/articles", json=body)
    assert r.status_code == 401 and "api_token" in _error(r)
    r = client.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong-token"})
    assert r.status_code == 403
    r = client.delete(f"/api/stories/{web_case.derailment}")
    assert r.status_code == 401
    assert client.get(f"/api/stories/{web_case.derailment}").status_code == 200


def test_writes_refused_without_a_configured_token(web_case: WebCase) -> None:
    settings = web_case.settings.model_copy(update={"api_token": None})
    with TestClient(create_app(settings)) as c:
        r = c.post("/api/articles", json={"articles": [{"text": "x"}]}, headers=AUTH)
        assert r.status_code == 403 and "api_token" in _error(r)


def test_reads_can_be_closed(web_case: WebCase) -> None:
    settings = web_case.settings.model_copy(update={"read_token": "read-token-abcdefghijk"})
    with TestClient(create_app(settings)) as c:
        assert c.get("/api/stories").status_code == 401
        r = c.get("/")
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Basic")
        ok = c.get("/api/stories", headers={"Authorization": "Bearer read-token-abcdefghijk"})
        assert ok.status_code == 200
        assert c.get("/", auth=("anyone", "read-token-abcdefghijk")).status_code == 200
        assert c.get("/api/stories", headers=AUTH).status_code == 200


def test_ingest_then_delete(client: TestClient) -> None:
    text = (
        "Harbor ferry service resumed on Monday after a two-day strike by deckhands ended with "
        "a new contract. The ferry operator said 14 crossings would run on the first day and "
        "the full timetable of 32 crossings would return by Wednesday, when inspections of the "
        "two older vessels are finished. Commuters crowded the terminal before dawn."
    )
    body = {"articles": [{"text": text, "title": "Ferry strike ends", "outlet": "Harbor News"}]}
    r = client.post("/api/articles", json=body, headers=AUTH)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["new"] == 1 and out["rejected"] == []
    story = out["articles"][0]["story"]
    assert client.get(f"/api/stories/{story}").json()["outlets"] == ["Harbor News"]
    again = client.post("/api/articles", json=body, headers=AUTH).json()
    assert again["new"] == 0 and again["duplicates"] == 1
    assert client.delete(f"/api/stories/{story}", headers=AUTH).status_code == 200
    assert client.get(f"/api/stories/{story}").status_code == 404


def test_ingest_refuses_local_paths_and_bad_bodies(client: TestClient) -> None:
    for url in ("file:///etc/passwd", "/etc/passwd", "ftp://example.org/x"):
        r = client.post("/api/articles", json={"articles": [{"url": url}]}, headers=AUTH)
        assert r.status_code in (400, 422) and "http" in _error(r)
    r = client.post("/api/articles", json={"articles": [{"text": "a", "url": "x"}]}, headers=AUTH)
    assert r.status_code == 400 and "exactly one" in _error(r)
    r = client.post("/api/articles", content=b"{not json", headers=AUTH)
    assert r.status_code == 422


def test_request_size_limit(web_case: WebCase) -> None:
    settings = web_case.settings.model_copy(update={"max_request_bytes": 1000})
    with TestClient(create_app(settings)) as c:
        big = {"articles": [{"text": "word " * 500}, {"text": "more " * 500}]}
        r = c.post("/api/compare", json=big)
        assert r.status_code == 413 and "max_request_bytes" in _error(r)

        def chunks() -> object:
            yield json.dumps(big).encode()

        r = c.post("/api/compare", content=chunks())  # no Content-Length: counted as it comes
        assert r.status_code == 413


def test_compare_posted_articles(client: TestClient) -> None:
    from newsprism.cli import sample_dir

    texts = [
        (sample_dir() / n).read_text(encoding="utf-8") for n in ("ovpr.txt", "lakeshore-wire.txt")
    ]
    r = client.post("/api/compare", json={"articles": [{"text": t} for t in texts]})
    assert r.status_code == 200, r.text
    brief = r.json()
    jsonschema.Draft202012Validator(load_schema()).validate(brief)
    assert len(brief["sources"]) == 2
    r = client.post("/api/compare", json={"articles": [{"text": texts[0]}]})
    assert r.status_code == 400 and "two" in _error(r)


@pytest.mark.parametrize("path", ["/", "/search?q=pantry", "/compare"])
def test_pages_escape_untrusted_text(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert "<script>window" not in r.text and "onerror=" not in r.text.replace("onerror=&#34;", "")
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_story_page_escapes_payload(client: TestClient, web_case: WebCase) -> None:
    r = client.get(f"/stories/{web_case.payload_story}")
    assert r.status_code == 200
    assert "&lt;script&gt;window.__pwned" in r.text
    assert "<script>window" not in r.text and "<img" not in r.text
    assert PAYLOAD[:20] in r.text


def test_serve_command_builds_the_app_from_settings(
    web_case: WebCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer
    import uvicorn
    from typer.testing import CliRunner

    from newsprism.web.cli import serve_command

    seen: dict[str, object] = {}

    def fake_run(app: object, host: str, port: int, **_: object) -> None:
        seen.update(app=app, host=host, port=port)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    cli = typer.Typer()
    cli.command("serve")(serve_command)
    cli.command("other")(lambda: None)  # two commands, so typer keeps the subcommand name
    result = CliRunner().invoke(cli, ["serve", "--db", web_case.settings.db, "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    with TestClient(seen["app"]) as c:  # type: ignore[arg-type]
        assert c.get("/api/stories").json()["items"]


def test_story_brief_and_article_agree_on_copies(client: TestClient, web_case: WebCase) -> None:
    """The brief of a stored story counts the copies the store recorded (what the article
    pages show), not a count of its own: the sample's syndicated wire copy is one."""
    brief = client.get(f"/api/stories/{web_case.derailment}/brief").json()
    copies = 0
    for s in brief["sources"]:
        stored = client.get(f"/api/articles/{s['id']}").json()["copy_of"]
        assert s["copy_of"] == stored, s["id"]
        copies += stored is not None
    assert copies >= 1


def test_a_stored_story_brief_takes_the_stored_copy_links(
    client: TestClient, web_case: WebCase, tmp_path: Path
) -> None:
    """A link the store holds (here one written by hand between two independent reports)
    is what the brief counts: it does not recompute copies with a rule of its own."""
    from newsprism.corpus.briefs import story_brief
    from newsprism.model import CopyKind, CopyLink
    from newsprism.store import open_store

    client.get(f"/api/stories/{web_case.derailment}/brief")  # analyses stored once
    copy = tmp_path / "store.db"
    with sqlite3.connect(web_case.settings.db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    settings = load_settings(db=str(copy))
    with open_store(settings.db, settings) as store:
        story = store.get_story(web_case.derailment)
        assert story is not None
        own = [a for a in story.articles if store.copy_of(a) is None]
        original, article = own[0], own[1]
        with store.transaction():
            store.add_copy(CopyLink(article, original, CopyKind.FULL, 0.5))
        models = web_case.app.state.service.models
        brief = story_brief(store, story.id, models=models, settings=settings, snapshot=False)
    by_id = {s.id: s for s in brief.sources}
    assert by_id[article].copy_of == original
    assert by_id[article].origin_id == by_id[original].origin_id


def test_story_page_serves_the_stored_brief_and_never_a_blank_wait(
    client: TestClient, web_case: WebCase
) -> None:
    """A story not briefed yet shows that it is being prepared (and refreshes itself) while the
    worker builds its brief; then the page serves the stored brief."""
    import time

    from newsprism.corpus.briefs import current_brief
    from newsprism.web.service import Posted

    svc = web_case.app.state.service
    text = (
        "Harbor ferry service resumed on Monday after a two-week halt, the port authority said. "
        "The authority said 14 crossings a day would run until the new dock opens in March, "
        "and that the repairs to the old ramp had cost about $2.3 million in all."
    )
    with svc._build_lock:  # the worker cannot finish while we look
        report = svc.ingest([Posted(text=text, title="Ferry service resumes", outlet="Bay Post")])
        story = report.articles[0]["story"]
        r = client.get(f"/stories/{story}")
        assert r.status_code == 202
        assert "being prepared" in r.text and "Ferry service resumes" in r.text
        assert '<meta http-equiv="refresh" content="2">' in r.text
        assert r.headers["retry-after"] == "2"
        assert svc.briefs.pending(story)
    deadline = time.monotonic() + 300
    while svc.briefs.pending(story) and time.monotonic() < deadline:
        time.sleep(0.1)
    st = svc.store().get_story(story)
    stored = current_brief(svc.store(), st, svc.settings)
    assert stored is not None and "Harbor ferry service resumed" in stored.brief_json
    r = client.get(f"/stories/{story}")
    assert r.status_code == 200
    assert "being prepared" not in r.text
    assert "Harbor ferry service resumed" in r.text and "All stories" in r.text


def test_a_restarted_app_serves_stored_briefs_without_building(web_case: WebCase) -> None:
    app = create_app(web_case.settings.model_copy(update={"brief_worker": False}))
    with TestClient(app) as c:
        r = c.get(f"/api/stories/{web_case.derailment}/brief")
        assert r.status_code == 200
        jsonschema.validate(r.json(), load_schema())
        page = c.get(f"/stories/{web_case.derailment}")
        assert page.status_code == 200 and "being prepared" not in page.text
    models = app.state.service.models
    assert models._spacy is None and models._embedder is None  # nothing was built
