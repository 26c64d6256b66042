"""The store contract: every test runs against SQLite and PostgreSQL (see conftest.py)."""

from __future__ import annotations

import contextlib
import dataclasses
import random
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from newsprism.config import Settings
from newsprism.errors import StoreError
from newsprism.model import (
    Article,
    CopyKind,
    CopyLink,
    Dropped,
    SourceKind,
    Story,
    StoryEvent,
    StoryEventKind,
    article_id,
)
from newsprism.store import (
    HIT_END,
    HIT_START,
    AddStatus,
    SourceStatus,
    Store,
    StoredBrief,
    StoreIntegrityError,
    StoreQueryError,
    StoryFlag,
    StoryMarks,
    StoryOrder,
    members_key,
    open_store,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def art(
    text: str,
    *,
    url: str | None = None,
    outlet: str | None = "Daily",
    published: datetime | None = T0,
    title: str | None = "A title",
) -> Article:
    return Article(
        id=article_id(url, text),
        origin=f"file:{abs(hash(text)) % 10_000}.txt",
        kind=SourceKind.HTML,
        text=text,
        paragraphs=((0, len(text)),),
        title=title,
        outlet=outlet,
        published=published,
        byline="By Jo Lee",
        dateline="CARVERTON",
        url=url,
        dropped=(Dropped("Subscribe now", "boilerplate"), Dropped("Ad", "ad")),
    )


def story(sid: str, *ids: str, title: str = "Levee vote") -> Story:
    return Story(sid, title, ids, None, None)


# ----------------------------------------------------------------------------- lifecycle


def test_schema_version_and_reopen_is_idempotent(store_url: str, settings: Settings) -> None:
    with open_store(store_url, settings) as s:
        v = s.schema_version()
        assert v >= 1
        s.add_article(art("Kept across reopen."))
    with open_store(store_url, settings) as s:
        assert s.schema_version() == v
        assert s.count_articles() == 1
        assert s.check() == []


def test_closed_store_raises_store_error(store_url: str, settings: Settings) -> None:
    s = open_store(store_url, settings)
    s.close()
    s.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        s.count_articles()


# ----------------------------------------------------------------------------- articles


def test_article_round_trips_every_field(store: Store) -> None:
    a = art("The council voted 5-2.", url="https://x.example/a")
    assert store.add_article(a).status is AddStatus.NEW
    got = store.get_article(a.id)
    assert got == a
    assert got is not None and got.dropped == a.dropped and got.byline == a.byline


def test_naive_datetimes_are_taken_as_utc_and_zones_normalised(store: Store) -> None:
    naive = art("Naive time.", published=datetime(2026, 3, 1, 12, 0))
    zoned = art(
        "Zoned time.", published=datetime(2026, 3, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    )
    store.add_articles([naive, zoned])
    for a in (naive, zoned):
        got = store.get_article(a.id)
        assert got is not None and got.published == T0 and got.published.tzinfo == UTC


def test_duplicate_is_a_no_op(store: Store) -> None:
    a = art("Same text twice.", url="https://x.example/d")
    first = store.add_article(a)
    again = store.add_article(a)
    assert (first.status, again.status) == (AddStatus.NEW, AddStatus.DUPLICATE)
    assert again.revision == 1
    assert store.count_articles() == 1


def test_revision_of_same_url_is_linked(store: Store) -> None:
    v1 = art("First version.", url="https://www.x.example/story/?utm_source=feed")
    v2 = art("Second version, corrected.", url="http://x.example/story")
    v3 = art("Third version.", url="https://x.example/story/")
    r = [store.add_article(a) for a in (v1, v2, v3)]
    assert [x.status for x in r] == [AddStatus.NEW, AddStatus.REVISION, AddStatus.REVISION]
    assert [x.revision for x in r] == [1, 2, 3]
    assert [x.previous for x in r] == [None, v1.id, v2.id]
    assert [a.id for a in store.articles_by_url("https://x.example/story")] == [v1.id, v2.id, v3.id]
    assert store.revision_of(v3.id) == r[2]
    assert store.stats().revisions == 2


def test_articles_without_url_are_never_revisions(store: Store) -> None:
    r = store.add_articles([art("No URL one."), art("No URL two.")])
    assert [x.status for x in r] == [AddStatus.NEW, AddStatus.NEW]
    assert store.articles_by_url("") == []


def test_batch_add_reports_each_article(store: Store) -> None:
    a, b = art("Batch A."), art("Batch B.")
    store.add_article(a)
    res = store.add_articles([a, b, b])
    assert [x.status for x in res] == [AddStatus.DUPLICATE, AddStatus.NEW, AddStatus.DUPLICATE]


def test_get_articles_keeps_order_and_skips_unknown(store: Store) -> None:
    arts = [art(f"Article {i}.") for i in range(5)]
    store.add_articles(arts)
    ids = [arts[3].id, "nope", arts[0].id, arts[4].id]
    assert [a.id for a in store.get_articles(ids)] == [arts[3].id, arts[0].id, arts[4].id]
    assert store.get_article("nope") is None


def test_iter_articles_orders_by_time_then_id_and_pages(store: Store) -> None:
    arts = [art(f"Timed {i}.", published=T0 + timedelta(minutes=i // 2)) for i in range(1203)]
    arts.append(art("Undated.", published=None))
    store.add_articles(arts)
    got = list(store.iter_articles())
    dated = sorted((a for a in arts if a.published), key=lambda a: (a.published, a.id))
    assert [a.id for a in got] == [a.id for a in dated] + [arts[-1].id]
    window = list(
        store.iter_articles(since=T0 + timedelta(minutes=10), until=T0 + timedelta(minutes=20))
    )
    assert len(window) == 20
    assert all(
        T0 + timedelta(minutes=10) <= a.published < T0 + timedelta(minutes=20)
        for a in window
        if a.published
    )


# ----------------------------------------------------------------------------- caches


def test_analysis_cache_by_version(store: Store) -> None:
    a = art("Analysed.")
    store.add_article(a)
    store.put_analysis(a.id, "v1", b"\x00one")
    store.put_analysis(a.id, "v1", b"\x00uno")
    assert store.get_analysis(a.id, "v1") == b"\x00uno"
    assert store.get_analysis(a.id, "v2") is None
    with pytest.raises(StoreIntegrityError, match="not stored"):
        store.put_analysis("missing", "v1", b"x")


def test_sketches_by_kind_and_time(store: Store) -> None:
    arts = [art(f"Sketched {i}.", published=T0 + timedelta(days=i)) for i in range(4)]
    arts.append(art("Sketched undated.", published=None))
    store.add_articles(arts)
    for i, a in enumerate(arts):
        store.put_sketch(a.id, "minhash", bytes([i]) * 8)
        store.put_sketch(a.id, "embed", b"e")
    rows = list(store.iter_sketches("minhash"))
    assert [r.article_id for r in rows] == [a.id for a in arts]
    assert rows[0].payload == b"\x00" * 8 and rows[0].published == T0
    assert rows[-1].published is None
    recent = list(store.iter_sketches("minhash", since=T0 + timedelta(days=2)))
    assert [r.article_id for r in recent] == [arts[2].id, arts[3].id]
    with pytest.raises(StoreIntegrityError):
        store.put_sketch("missing", "minhash", b"x")


# ----------------------------------------------------------------------------- copies


def test_copy_links(store: Store) -> None:
    orig, c1, c2 = art("Wire original."), art("Copy one."), art("Copy two.")
    store.add_articles([orig, c1, c2])
    store.add_copy(CopyLink(c1.id, orig.id, CopyKind.FULL, 0.97, (0,)))
    store.add_copy(CopyLink(c2.id, orig.id, CopyKind.PARTIAL, 0.6, (0, 2)))
    assert store.copy_of(c1.id) == CopyLink(c1.id, orig.id, CopyKind.FULL, 0.97, (0,))
    assert store.copy_of(orig.id) is None
    assert [c.article for c in store.copies_of(orig.id)] == [c1.id, c2.id]
    with pytest.raises(StoreIntegrityError, match="missing"):
        store.add_copy(CopyLink(c1.id, "missing", CopyKind.FULL, 1.0))
    assert store.stats().copies == 2


# ----------------------------------------------------------------------------- stories


def test_story_upsert_derives_fields_and_moves_articles(store: Store) -> None:
    a = art("A in Daily.", outlet="Daily", published=T0)
    b = art("B in Wire.", outlet="Wire", published=T0 + timedelta(hours=3))
    c = art("C copy of B.", outlet="Gazette", published=T0 + timedelta(hours=1))
    store.add_articles([a, b, c])
    store.add_copy(CopyLink(c.id, b.id, CopyKind.FULL, 0.95))
    s1 = store.save_story(story("s1", a.id, b.id))
    assert s1.articles == (a.id, b.id)
    assert (s1.first_published, s1.last_published) == (T0, T0 + timedelta(hours=3))
    assert s1.outlets == ("Daily", "Wire") and s1.origins == 2
    store.assign(c.id, "s1")
    s1 = store.get_story("s1")
    assert s1 is not None and s1.articles == (a.id, b.id, c.id)
    assert s1.origins == 2 and s1.outlets == ("Daily", "Gazette", "Wire")
    # b moves to a new story: s1 is recomputed, c now counts as its own origin there
    store.save_story(story("s2", b.id, title="Split off"))
    assert store.story_of(b.id) == "s2"
    s1 = store.get_story("s1")
    assert s1 is not None and s1.articles == (a.id, c.id) and s1.origins == 2
    assert s1.last_published == T0 + timedelta(hours=1)
    store.assign(b.id, "s1")
    assert store.get_story("s2").articles == ()  # type: ignore[union-attr]
    store.delete_story("s2")
    assert store.get_story("s2") is None
    assert store.check() == []


def test_derived_fields_follow_appends_copies_and_rollbacks(store: Store) -> None:
    """Ingest's pattern: stories gain new members one by one (fields updated from the newcomers
    alone), copy links come before or after either end joins, and inner savepoints fail."""
    rng = random.Random(7)
    outlets = ["Daily", "Wire", None, "Gazette"]
    arts = [
        art(
            f"Article number {i} about the levee.",
            outlet=outlets[i % 4],
            published=None if i % 5 == 0 else T0 + timedelta(hours=rng.randint(-48, 48)),
        )
        for i in range(60)
    ]
    store.add_articles(arts)
    store.save_story(story("s0", arts[0].id))
    store.save_story(story("s1", arts[1].id))
    for batch in range(6):
        with store.transaction():
            for a in arts[2 + batch * 9 : 2 + (batch + 1) * 9]:
                earlier = arts[rng.randrange(0, arts.index(a))]
                kind = CopyKind.FULL if rng.random() < 0.7 else CopyKind.PARTIAL
                # Even batches are ingest's order (a link, then its copy joins a story): the
                # stories' fields are updated from the newcomers alone.
                if batch % 2 == 0 or rng.random() < 0.5:
                    store.add_copy(CopyLink(a.id, earlier.id, kind, 0.9))
                    store.assign(a.id, f"s{rng.randrange(2)}")
                else:
                    store.assign(a.id, f"s{rng.randrange(2)}")
                    store.add_copy(CopyLink(a.id, earlier.id, kind, 0.9))
                if batch % 2 == 1 and rng.random() < 0.3:
                    with contextlib.suppress(RuntimeError), store.transaction():
                        other = arts[rng.randrange(len(arts))]
                        store.assign(other.id, f"s{rng.randrange(2)}")
                        raise RuntimeError("inner step fails")
            if batch == 3:
                # An earlier member becomes a copy of a newcomer of the same story.
                store.add_copy(CopyLink(arts[1].id, arts[30].id, CopyKind.FULL, 0.8))
            assert store.check() == []
    assert store.check() == []
    sizes = [len(s.articles) for s in store.list_stories(limit=10)]
    assert sum(sizes) == sum(1 for a in arts if store.story_of(a.id) is not None)


def test_save_story_returns_what_is_stored_with_other_stories_pending(store: Store) -> None:
    """Ingest's batch: save_story derives only its own story's fields; the stories it leaves
    pending (appends, members it took from them) are derived at commit, to the same values."""
    a, b, c, d = (
        art(f"Member {i} of the levee story.", outlet=o, published=T0 + timedelta(hours=i))
        for i, o in enumerate(["Daily", "Wire", "Gazette", None])
    )
    store.add_articles([a, b, c, d])
    store.save_story(story("s0", a.id))
    with store.transaction():
        store.add_copy(CopyLink(c.id, a.id, CopyKind.FULL, 0.9))
        store.assign(b.id, "s0")  # pending: an append to another story
        saved = store.save_story(story("s1", c.id, a.id, title="Takes a from s0"))
        assert saved == store.get_story("s1")
        assert saved.articles == (c.id, a.id) and saved.origins == 1
        assert saved.outlets == ("Daily", "Gazette")
        store.assign(d.id, "s1")  # after the save: an append to the saved story
    after = dataclasses.replace(
        saved, articles=(c.id, a.id, d.id), last_published=T0 + timedelta(hours=3), origins=2
    )
    assert store.get_story("s1") == after
    s0 = store.get_story("s0")
    assert s0 is not None and s0.articles == (b.id,) and s0.origins == 1
    assert (s0.first_published, s0.outlets) == (T0 + timedelta(hours=1), ("Wire",))
    assert store.check() == []


def test_assign_unknown_story_or_article_fails_cleanly(store: Store) -> None:
    a = art("Lonely.")
    store.add_article(a)
    with pytest.raises(StoreIntegrityError, match="story nope"):
        store.assign(a.id, "nope")
    with pytest.raises(StoreIntegrityError, match="ghost"):
        store.save_story(story("s", a.id, "ghost"))
    assert store.get_story("s") is None and store.story_of(a.id) is None


def test_list_stories_filters_and_orders(store: Store) -> None:
    arts = {
        "a": art("Flood waters rose over the levee.", outlet="Daily", published=T0),
        "b": art(
            "The levee held, engineers said.", outlet="Wire", published=T0 + timedelta(days=1)
        ),
        "c": art(
            "Budget vote on the new bridge.", outlet="Gazette", published=T0 + timedelta(days=5)
        ),
        "d": art("Mayor opens bridge.", outlet="Daily", published=T0 + timedelta(days=6)),
        "e": art("Second bridge story.", outlet="Wire", published=T0 + timedelta(days=6)),
    }
    store.add_articles(arts.values())
    store.save_story(story("flood", arts["a"].id, arts["b"].id))
    store.save_story(story("bridge", arts["c"].id, arts["d"].id, arts["e"].id))
    store.put_entities(arts["d"].id, [("Mayor  Jane Roe", "PERSON"), ("Carverton", "GPE")])
    ids = lambda stories: [s.id for s in stories]  # noqa: E731
    assert ids(store.list_stories()) == ["bridge", "flood"]
    assert ids(store.list_stories(order=StoryOrder.BIGGEST)) == ["bridge", "flood"]
    assert ids(store.list_stories(outlet="gazette")) == ["bridge"]
    assert ids(store.list_stories(entity="mayor jane roe")) == ["bridge"]
    assert ids(store.list_stories(text="levee")) == ["flood"]
    assert ids(store.list_stories(text="levee OR bridge")) == ["bridge", "flood"]
    assert ids(store.list_stories(until=T0 + timedelta(days=2))) == ["flood"]
    assert ids(store.list_stories(since=T0 + timedelta(days=2))) == ["bridge"]
    assert ids(store.list_stories(limit=1, offset=1)) == ["flood"]
    with pytest.raises(StoreQueryError):
        store.list_stories(limit=-1)


def test_story_marks_filter_sort_and_count(store: Store) -> None:
    ids = []
    for i in range(4):
        a = art(f"Marked story {i} text.", published=T0 + timedelta(hours=i))
        store.add_article(a)
        store.save_story(story(f"m{i}", a.id))
        ids.append(a.id)
    # m0: nothing found; m1: two conflicts; m2: one update; m3: never briefed
    for sid, (c, p, u) in {"m0": (0, 0, 0), "m1": (1, 1, 0), "m2": (0, 0, 1)}.items():
        store.put_story_marks(sid, StoryMarks(c, p, u, 1, members_key([sid]), T0))
    assert store.count_stories() == 4
    assert store.count_stories(flag=StoryFlag.CONFLICTS) == 1
    assert store.count_stories(flag=StoryFlag.ANY) == 2
    assert [s.id for s in store.list_stories(flag=StoryFlag.UPDATES)] == ["m2"]
    ordered = [s.id for s in store.list_stories(order=StoryOrder.CONFLICTS)]
    assert ordered[:2] == ["m1", "m2"] and set(ordered) == {"m0", "m1", "m2", "m3"}
    marks = store.story_marks(["m1", "m3"])
    assert set(marks) == {"m1"} and (marks["m1"].conflicts, marks["m1"].possible) == (1, 1)
    m1 = store.get_story("m1")
    assert m1 is not None and not marks["m1"].current(m1)
    assert StoryMarks(0, 0, 0, 1, members_key(m1.articles), T0).current(m1)
    with pytest.raises(StoreIntegrityError):
        store.put_story_marks("nope", StoryMarks(0, 0, 0, 0, "", T0))


def test_copy_keys_find_stored_articles(store: Store) -> None:
    a, b = art("Copy key one."), art("Copy key two.")
    store.add_articles([a, b])
    big = (1 << 64) - 5  # unsigned keys above the signed range round-trip
    store.put_copy_keys(a.id, [11, big, 13])
    store.put_copy_keys(a.id, [11, big, 13])  # again: a no-op
    store.put_copy_keys(b.id, [11, 99, 98])
    assert store.copy_key_matches([11, big, 0]) == [a.id, b.id]  # a shares two bands
    assert store.copy_key_matches([0, big, 0]) == [a.id]
    assert store.copy_key_matches([99, 11, 0]) == []  # same key, other band
    assert store.copy_key_matches([]) == []


def test_alerts_are_recorded_once_per_key_and_cursors_persist(store: Store) -> None:
    first = store.add_alert("k1", "conflict", "s1", T0, "Title", "Summary", {"n": 1})
    assert first is not None and first.seq > 0
    assert store.add_alert("k1", "conflict", "s1", T0, "Again", "", {}) is None
    second = store.add_alert("k2", "update", "s2", T0, "T2", "S2", {"sides": ["a", "b"]})
    assert second is not None and second.seq > first.seq
    assert [x.key for x in store.alerts()] == ["k1", "k2"]
    assert [x.key for x in store.alerts(after=first.seq)] == ["k2"]
    assert [x.key for x in store.alerts(story_id="s1")] == ["k1"]
    assert [x.key for x in store.alerts(newest_first=True, limit=1)] == ["k2"]
    assert store.alerts(after=second.seq) == []
    assert store.alerts()[1].payload == {"sides": ["a", "b"]}
    assert store.get_cursor("log") is None
    store.set_cursor("log", 5)
    store.set_cursor("log", 7)
    assert store.get_cursor("log") == 7
    assert store.latest_event_seq() == 0
    store.add_article(a := art("Event article."))
    store.save_story(story("e1", a.id))
    store.add_story_event(StoryEvent("e1", StoryEventKind.CREATE, T0, article=a.id))
    assert store.latest_event_seq() >= 1


def test_story_events_in_time_order(store: Store) -> None:
    events = [
        StoryEvent("s1", StoryEventKind.JOIN, T0 + timedelta(hours=1), article="x"),
        StoryEvent("s1", StoryEventKind.CREATE, T0, article="w"),
        StoryEvent(
            "s1", StoryEventKind.MERGE, T0 + timedelta(hours=1), other="s9", detail="same event"
        ),
        StoryEvent("s2", StoryEventKind.CREATE, T0),
    ]
    for e in events:
        store.add_story_event(e)
    assert store.story_events("s1") == [events[1], events[0], events[2]]


def test_ingest_runs_and_the_events_after_them(store: Store) -> None:
    assert store.open_ingest_run() is None
    store.add_story_event(StoryEvent("s1", StoryEventKind.CREATE, T0, article="a"))
    with store.transaction():
        run = store.start_ingest_run(b"\x00base\xff")
    assert store.open_ingest_run() == run and run.base == b"\x00base\xff"
    later = [
        StoryEvent("s2", StoryEventKind.JOIN, T0 + timedelta(hours=2), article="c"),
        StoryEvent("s1", StoryEventKind.JOIN, T0 - timedelta(hours=9), article="b"),
        StoryEvent("s1", StoryEventKind.MERGE, T0, other="s2"),
    ]
    for e in later:
        store.add_story_event(e)
    assert store.story_events_after(run.events_after) == later  # in the order they were added
    with store.transaction():
        second = store.start_ingest_run(b"")
    assert store.open_ingest_run() == run  # the oldest unfinished one
    store.finish_ingest_run(run.id)
    assert store.open_ingest_run() == second
    store.finish_ingest_run(second.id)
    assert store.open_ingest_run() is None


def test_a_done_source_keeps_how_many_articles_it_gave(store: Store) -> None:
    store.mark_source("a.jsonl", "10:1", SourceStatus.DONE, articles=12)
    record = store.source_record("a.jsonl", "10:1")
    assert record is not None and (record.status, record.articles) == (SourceStatus.DONE, 12)
    assert store.source_record("a.jsonl", "10:2") is None
    store.mark_source("a.jsonl", "10:1", SourceStatus.FAILED, "gone")
    record = store.source_record("a.jsonl", "10:1")
    assert record is not None and (record.status, record.articles) == (SourceStatus.FAILED, 0)


# ----------------------------------------------------------------------------- search


def test_search_words_phrases_or_and_snippets(store: Store) -> None:
    a = art("The levee broke after heavy rain flooded the river valley.", title="Levee breaks")
    b = art("Engineers inspected the bridge; the levee was not mentioned.", title="Bridge check")
    c = art("Storms are forecast for the weekend.", title="Weather")
    store.add_articles([a, b, c])
    hits = store.search_articles("levee")
    assert next(h.article_id for h in hits) == a.id  # title match ranks first
    assert {h.article_id for h in hits} == {a.id, b.id}
    assert f"{HIT_START}levee{HIT_END}".lower() in hits[0].snippet.lower()
    assert [h.article_id for h in store.search_articles('"heavy rain"')] == [a.id]
    assert store.search_articles('"rain heavy"') == []
    assert {h.article_id for h in store.search_articles("storms OR bridge")} == {b.id, c.id}
    assert [h.article_id for h in store.search_articles("levee flooding")] == [a.id]  # stemmed
    assert len(store.search_articles("the levee", limit=1)) == 1
    assert [h.article_id for h in store.search_articles("levee", limit=1, offset=1)] == [b.id]


def test_search_sees_articles_of_the_open_transaction_and_other_connections(
    store: Store, store_url: str, settings: Settings
) -> None:
    with open_store(store_url, settings) as other:
        other.add_article(art("Written by another connection about pelicans."))
    with store.transaction():
        store.add_article(art("Written inside the transaction about herons."))
        assert len(store.search_articles("herons")) == 1
    assert len(store.search_articles("pelicans")) == 1


@pytest.mark.parametrize(
    "query",
    ['"unclosed levee', "levee AND", "OR levee OR", "NOT levee", "levee*", "(levee", "le-vee",
     "levee: x", "'levee'", "NEAR(levee)", '""levee""', "^levee", "levee\\", "l'evee \"\""],
)  # fmt: skip
def test_hostile_queries_never_crash(store: Store, query: str) -> None:
    store.add_article(art("The levee held."))
    hits = store.search_articles(query)
    assert isinstance(hits, list)


@pytest.mark.parametrize("query", ["", "   ", '""', "OR", "!!! ???", "-- ;"])
def test_queries_without_words_raise_store_query_error(store: Store, query: str) -> None:
    with pytest.raises(StoreQueryError, match="no word"):
        store.search_articles(query)


def test_search_filters(store: Store) -> None:
    a = art("Levee report from the Daily.", outlet="Daily", published=T0)
    b = art("Levee report from the Wire.", outlet="Wire", published=T0 + timedelta(days=3))
    store.add_articles([a, b])
    store.put_entities(b.id, [("Army Corps", "ORG")])
    assert [h.article_id for h in store.search_articles("levee", outlet="WIRE")] == [b.id]
    assert [h.article_id for h in store.search_articles("levee", entity="army corps")] == [b.id]
    assert [h.article_id for h in store.search_articles("levee", until=T0 + timedelta(days=1))] == [
        a.id
    ]
    assert store.entities_of(b.id) == [("Army Corps", "ORG")]
    store.put_entities(b.id, [])
    assert store.entities_of(b.id) == []


# ----------------------------------------------------------------------------- briefs, ingest


def test_brief_snapshots(store: Store) -> None:
    a = art("Briefed.")
    store.add_article(a)
    store.save_story(story("s1", a.id))
    for h in (2, 0, 1):
        store.save_brief("s1", T0 + timedelta(hours=h), f'{{"v": {h}}}')
    store.save_brief("s1", T0, '{"v": "replaced"}')
    assert [b.at for b in store.briefs("s1")] == [T0 + timedelta(hours=h) for h in (0, 1, 2)]
    snap = store.brief_at("s1", T0 + timedelta(minutes=90))
    assert snap is not None and snap.brief_json == '{"v": 1}'
    assert store.brief_at("s1", T0 - timedelta(seconds=1)) is None
    assert store.brief_at("s1", T0).brief_json == '{"v": "replaced"}'  # type: ignore[union-attr]
    with pytest.raises(StoreIntegrityError):
        store.save_brief("nope", T0, "{}")


def test_stored_briefs(store: Store) -> None:
    a = art("Stored brief.")
    store.add_article(a)
    store.save_story(story("s1", a.id))
    assert store.get_stored_brief("s1") is None
    first = StoredBrief("s1", "k1", "v1", T0, '{"v": 1}', "<p>one</p>")
    store.put_stored_brief(first)
    assert store.get_stored_brief("s1") == first
    second = first._replace(articles_key="k2", at=T0 + timedelta(hours=1), page_html="<p>2</p>")
    store.put_stored_brief(second)
    assert store.get_stored_brief("s1") == second
    with pytest.raises(StoreIntegrityError):
        store.put_stored_brief(first._replace(story_id="nope"))
    store.delete_story("s1")
    assert store.get_stored_brief("s1") is None


def test_ingest_bookkeeping_and_stats(store: Store) -> None:
    assert store.source_status("feed.jsonl:3", "abc") is None
    store.mark_source("feed.jsonl:3", "abc", "failed", "timeout")
    store.mark_source("feed.jsonl:4", "def", SourceStatus.FAILED, "bad JSON")
    store.mark_source("feed.jsonl:3", "abc", "done")
    assert store.source_status("feed.jsonl:3", "abc") is SourceStatus.DONE
    assert [f.origin for f in store.failed_sources()] == ["feed.jsonl:4"]
    store.record_rejection("x.txt", "empty", "0 chars after cleaning")
    with pytest.raises(StoreIntegrityError, match="status"):
        store.mark_source("x", "y", "maybe")
    st_ = store.stats()
    assert (st_.failures, st_.sources_done, st_.rejections, st_.articles) == (1, 1, 1, 0)


# ----------------------------------------------------------------------------- transactions


def test_transaction_rolls_back_everything(store: Store) -> None:
    a = art("Rolled back.")
    with pytest.raises(RuntimeError), store.transaction():
        store.add_article(a)
        store.put_sketch(a.id, "minhash", b"x")
        store.save_story(story("s", a.id))
        raise RuntimeError("boom")
    assert store.count_articles() == 0 and store.get_story("s") is None
    assert list(store.iter_sketches("minhash")) == []
    assert store.check() == []


def test_nested_transaction_is_a_savepoint(store: Store) -> None:
    a, b = art("Outer."), art("Inner.")
    with store.transaction():
        store.add_article(a)
        with pytest.raises(RuntimeError), store.transaction():
            store.add_article(b)
            raise RuntimeError("inner fails")
        # a failed write inside the outer transaction does not poison it
        with pytest.raises(StoreIntegrityError):
            store.assign(a.id, "no-such-story")
        store.save_story(story("s", a.id))
    assert store.get_article(a.id) is not None and store.get_article(b.id) is None
    assert store.story_of(a.id) == "s"


def test_errors_name_the_database(store: Store) -> None:
    with pytest.raises(StoreError) as info:
        store.assign("x", "y")
    assert store.name in str(info.value) and "NP5" in str(info.value)


# ----------------------------------------------------------------------------- property


@hsettings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(min_size=1, max_size=200).filter(lambda t: "\x00" not in t),
    title=st.none() | st.text(max_size=40).filter(lambda t: "\x00" not in t),
    query=st.text(max_size=30).filter(lambda t: "\x00" not in t),
)
def test_any_text_round_trips_and_any_query_is_safe(
    store: Store, text: str, title: str | None, query: str
) -> None:
    # ids normalise whitespace, so derive a fresh one: every example is a new article
    a = dataclasses.replace(art(text, title=title), id=uuid.uuid4().hex[:16])
    assert store.add_article(a).status is AddStatus.NEW
    assert store.get_article(a.id) == a
    with contextlib.suppress(StoreQueryError):
        store.search_articles(query)


def test_comparisons_are_kept_until_they_expire(store: Store) -> None:
    later = T0 + timedelta(days=7)
    store.put_comparison("c1", T0, later, "Title", "<p>page</p>", '{"x": 1}')
    assert store.get_comparison("c1", T0 + timedelta(days=1)) == ("<p>page</p>", '{"x": 1}')
    assert store.get_comparison("c1", later + timedelta(seconds=1)) is None
    assert store.get_comparison("nope", T0) is None
    # a new comparison clears the expired ones
    store.put_comparison("c2", later + timedelta(days=1), later + timedelta(days=8), "T", "p", "{}")
    assert store.get_comparison("c1", T0) is None
