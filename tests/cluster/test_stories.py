from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.cluster import ClusterParams, Sketch, StoryClusterer
from newsprism.errors import InputError
from newsprism.model import Article, SourceKind, StoryEventKind, article_id

DAY = datetime(2024, 3, 4, 9, 0)


def art(title: str, text: str, outlet: str, day: float, url: str | None = None) -> Article:
    return Article(
        id=article_id(url or f"https://{outlet.lower().replace(' ', '')}.example/{title}", text),
        origin=f"{outlet}:{title}",
        kind=SourceKind.TEXT,
        text=text,
        paragraphs=((0, len(text)),),
        title=title,
        outlet=outlet,
        published=DAY + timedelta(days=day),
    )


BRIDGE = [
    art(
        "Carverton bridge collapses into Mill River during rush hour",
        "The Harlan Street bridge in Carverton collapsed into the Mill River on Tuesday morning, "
        "sending four cars into the water. Mayor Dana Whitfield said two drivers were rescued by "
        "fire crews and the span had been inspected last spring.",
        "Carverton Ledger",
        0.0,
    ),
    art(
        "Four cars plunge as Harlan Street bridge fails in Carverton",
        "Rescue crews pulled two drivers from the Mill River after the Harlan Street bridge gave way "
        "in Carverton. Whitfield, the mayor, promised an inquiry into the collapse and said state "
        "engineers would examine the remaining spans.",
        "Lakeshore Wire",
        0.4,
    ),
    art(
        "Carverton mayor orders inquiry after bridge collapse",
        "Mayor Dana Whitfield ordered an independent inquiry on Wednesday into the collapse of the "
        "Harlan Street bridge, a day after four cars fell into the Mill River in Carverton. Divers "
        "searched the river for a missing driver.",
        "Midwest Daily",
        1.2,
    ),
]

SCHOOL = [
    art(
        "Lakeside school board approves budget with teacher raises",
        "The Lakeside school board voted 5-2 to approve a budget that gives teachers a four percent "
        "raise. Superintendent Maria Okafor said the district would cover the cost by delaying "
        "the renovation of Pinecrest Elementary.",
        "Lakeside Herald",
        0.6,
    ),
    art(
        "Teachers win raise as Lakeside board passes budget",
        "Teachers in Lakeside will get a raise of four percent after the school board approved the "
        "district budget in a 5-2 vote. Okafor said the Pinecrest Elementary renovation would wait "
        "a year.",
        "Valley Times",
        0.9,
    ),
]

SHOOTINGS = [
    art(
        "Gunman kills three at Denver shopping mall, police say",
        "A gunman opened fire at the Cherry Creek mall in Denver on Saturday, killing three people "
        "before police shot him, Chief Ron Tallis said. Witnesses described shoppers fleeing as "
        "shots rang out near the food court.",
        "Denver Post",
        2.0,
    ),
    art(
        "Police say gunman wounded two at Tampa high school",
        "A gunman wounded two students at Hillsborough High School in Tampa on Monday before "
        "officers arrested him, Sheriff Alma Rios said. Police said the shooting began in a "
        "parking lot as classes ended.",
        "Tampa Bay Times",
        4.0,
    ),
]


def stream() -> list[Article]:
    return sorted([*BRIDGE, *SCHOOL, *SHOOTINGS], key=lambda a: a.published or DAY)


def run(arts: list[Article], params: ClusterParams | None = None) -> StoryClusterer:
    cl = StoryClusterer(params)
    for a in arts:
        cl.add(a)
    return cl


def test_same_event_from_different_outlets_joins_one_story() -> None:
    cl = run(stream())
    bridge = {cl.story_of(a.id) for a in BRIDGE}
    school = {cl.story_of(a.id) for a in SCHOOL}
    assert len(bridge) == 1
    assert len(school) == 1
    assert bridge != school


def test_different_events_sharing_words_stay_apart() -> None:
    cl = run(stream())
    assert cl.story_of(SHOOTINGS[0].id) != cl.story_of(SHOOTINGS[1].id)
    assert len(cl) == 4


def test_time_window_is_respected() -> None:
    later = replace(BRIDGE[1], id="late-copy", published=DAY + timedelta(days=40))
    cl = run([BRIDGE[0], later])
    assert cl.story_of(BRIDGE[0].id) != cl.story_of("late-copy")
    # Within the window the same two articles join.
    cl = run([BRIDGE[0], BRIDGE[1]])
    assert cl.story_of(BRIDGE[0].id) == cl.story_of(BRIDGE[1].id)


def test_late_article_joins_a_story_that_followed_it() -> None:
    # Ingested out of order: the story's span is after the article, still inside the window.
    cl = run([BRIDGE[1], BRIDGE[2], replace(BRIDGE[0], published=DAY - timedelta(days=2))])
    assert len({cl.story_of(a.id) for a in BRIDGE}) == 1


def test_story_ids_are_stable_as_articles_arrive() -> None:
    arts = stream()
    cl = StoryClusterer()
    seen: dict[str, str] = {}
    for a in arts:
        asg = cl.add(a)
        seen[a.id] = asg.story_id
        for earlier, sid in seen.items():
            assert cl.story_of(earlier) == sid
    # The id of a story is derived from its first article and never changes.
    first = arts[0]
    assert seen[first.id] == StoryClusterer()._new_id(first.id)


def test_assignment_reports_events() -> None:
    cl = StoryClusterer()
    a1 = cl.add(BRIDGE[0])
    a2 = cl.add(BRIDGE[1])
    assert a1.created and [e.kind for e in a1.events] == [StoryEventKind.CREATE]
    assert not a2.created and [e.kind for e in a2.events] == [StoryEventKind.JOIN]
    assert a2.story_id == a1.story_id and a2.score >= cl.params.threshold
    assert cl.events == [*a1.events, *a2.events]


def test_restore_from_sketches_gives_the_same_next_assignments() -> None:
    arts = stream()
    head, tail = arts[:4], arts[4:]
    live = StoryClusterer()
    rows = []
    for a in head:
        asg = live.add(a)
        rows.append((a.id, asg.story_id, a.published, live.sketch(a)))
    restored = StoryClusterer.restore(rows, live.params, merges=live.events)
    assert restored.stories() == live.stories()
    for a in tail:
        x, y = live.add(a), restored.add(a)
        assert (x.story_id, x.created, x.score, x.reason) == (
            y.story_id,
            y.created,
            y.score,
            y.reason,
        )
    assert restored.stories() == live.stories()


def test_merge_keeps_the_older_id_and_is_logged_and_restored() -> None:
    # A permissive merge rule makes the bridging article merge the two halves of one event.
    params = ClusterParams(threshold=0.1, merge_threshold=0.02)
    a = art(
        "Harlan Street bridge collapses",
        "The Harlan Street bridge collapsed into the Mill River in Carverton, crews said.",
        "Carverton Ledger",
        0.0,
    )
    b = art(
        "Divers search river after span gives way",
        "Divers searched the water for a missing driver after the span gave way, officials said "
        "while rescue boats circled.",
        "Lakeshore Wire",
        0.2,
    )
    bridge = art(
        "Divers search Mill River after Harlan Street bridge collapses",
        "Divers searched the Mill River for a missing driver after the Harlan Street bridge "
        "collapsed in Carverton and the span gave way, officials said.",
        "Midwest Daily",
        0.5,
    )
    live = StoryClusterer(params)
    rows = []
    for x in (a, b):
        asg = live.add(x)
        rows.append((x.id, asg.story_id, x.published, live.sketch(x)))
    assert live.story_of(a.id) != live.story_of(b.id)
    older = live.story_of(a.id)
    younger = live.story_of(b.id)
    asg = live.add(bridge)
    rows.append((bridge.id, asg.story_id, bridge.published, live.sketch(bridge)))
    merges = [e for e in asg.events if e.kind is StoryEventKind.MERGE]
    assert [(e.story, e.other) for e in merges] == [(older, younger)]
    assert asg.story_id == older
    assert live.story_of(b.id) == older and len(live) == 1
    restored = StoryClusterer.restore(rows, params, merges=live.events)
    assert restored.stories() == live.stories()


def test_summary_title_span_outlets_and_origins() -> None:
    cl = run(stream())
    sid = cl.story_of(BRIDGE[0].id)
    assert sid is not None
    story = cl.story(sid)
    assert story.title in {a.title for a in BRIDGE}
    assert story.first_published == BRIDGE[0].published
    assert story.last_published == BRIDGE[2].published
    assert story.outlets == ("Carverton Ledger", "Lakeshore Wire", "Midwest Daily")
    assert story.origins == 3
    # A wire copy counts once when the caller says so.
    copies = {BRIDGE[2].id: BRIDGE[1].id}
    assert cl.story(sid, origins=copies).origins == 2
    with pytest.raises(InputError):
        cl.story("nope")


def test_same_stream_gives_same_stories_and_seed_changes_ids() -> None:
    one, two = run(stream()), run(stream())
    assert one.stories() == two.stories()
    assert one.events == two.events
    other = run(stream(), ClusterParams(seed=99))
    assert {s.id for s in other.stories()}.isdisjoint({s.id for s in one.stories()})
    assert sorted(len(s.articles) for s in other.stories()) == sorted(
        len(s.articles) for s in one.stories()
    )


def test_adding_an_article_twice_is_a_no_op() -> None:
    cl = run(stream())
    before = cl.stories()
    asg = cl.add(BRIDGE[0])
    assert not asg.created and asg.events == ()
    assert cl.stories() == before


def test_corrupt_sketch_raises_input_error() -> None:
    cl = StoryClusterer()
    good = cl.sketch(BRIDGE[0])
    with pytest.raises(InputError):
        Sketch.from_bytes(good[:-3] + b"\xff\xfe\xfd")
    with pytest.raises(InputError):
        Sketch.from_bytes(b"\x09" + good[1:])


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(max_size=80),
    text=st.text(min_size=1, max_size=400),
    outlet=st.text(max_size=20),
)
def test_sketch_round_trips(title: str, text: str, outlet: str) -> None:
    cl = StoryClusterer()
    a = Article(
        id="x",
        origin="x",
        kind=SourceKind.TEXT,
        text=text,
        paragraphs=((0, len(text)),),
        title=title,
        outlet=outlet,
    )
    raw = cl.sketch(a)
    sk = Sketch.from_bytes(raw)
    assert sk.to_bytes() == raw
    assert sk.title == title and sk.outlet == outlet


@settings(max_examples=25, deadline=None)
@given(order=st.permutations(list(range(7))), cut=st.integers(0, 7))
def test_restore_matches_live_for_any_order_and_cut(order: list[int], cut: int) -> None:
    arts = [stream()[i] for i in order]
    live = StoryClusterer()
    rows = []
    for a in arts[:cut]:
        asg = live.add(a)
        rows.append((a.id, asg.story_id, a.published, live.sketch(a)))
    restored = StoryClusterer.restore(rows, merges=live.events)
    for a in arts[cut:]:
        assert live.add(a) == restored.add(a)
