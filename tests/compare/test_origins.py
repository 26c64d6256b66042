"""Independent origins of a brief come from copy links: the store's for a stored story, dedup's
rule over the articles for a brief of files. One rule, so the story list and its brief agree."""

from __future__ import annotations

from newsprism.compare.origins import copy_links, find_origins
from newsprism.model import CopyKind, CopyLink
from tests.compare.test_entities import analysis

WIRE = (
    "A freight train carrying industrial chemicals derailed outside the river town late on "
    "Tuesday, sending twenty three cars off the tracks and forcing about twelve hundred "
    "residents from their homes, county officials said on Wednesday morning. Crews worked "
    "through the night to stop a slow leak from one tank car, and the state environmental "
    "agency sent a team to test the air and the water of the river below the bridge. The "
    "railroad said it was cooperating fully with investigators and would pay for the cleanup. "
    "Schools in the county will stay closed until the end of the week, the superintendent said."
)
OWN = (
    "The mayor stood on the porch of the fire station and told reporters that nobody would go "
    "home until the last car was upright. Volunteers from two churches handed out blankets and "
    "soup in the high school gym, where about three hundred people spent a cold night on cots. "
    "A farmer who lives a mile from the bridge said he heard a sound like thunder and then saw "
    "the glow of the fire from his kitchen window, and his cattle would not settle until dawn."
)


def test_stored_links_decide_which_articles_are_copies() -> None:
    a = analysis("a", WIRE)
    b = analysis("b", WIRE)  # the same text, but the store did not link it
    c = analysis("c", OWN)  # linked by the store (say, an earlier version of the wire story)
    links = {"b": None, "c": CopyLink("c", "a", CopyKind.FULL, 0.82)}
    o = find_origins([a, b, c], links)
    assert o.article_origin == {"a": "a", "b": "b", "c": "a"}
    assert o.copy_of == {"c": ("a", 0.82)}


def test_a_partial_copy_stays_its_own_origin() -> None:
    a, c = analysis("a", WIRE), analysis("c", OWN)
    o = find_origins([a, c], {"c": CopyLink("c", "a", CopyKind.PARTIAL, 0.9, (0,))})
    assert o.article_origin["c"] == "c" and not o.copy_of


def test_copies_of_an_original_outside_the_brief_count_once() -> None:
    c, d = analysis("c", WIRE), analysis("d", WIRE + " More at eleven.")
    links = {
        "c": CopyLink("c", "x", CopyKind.FULL, 1.0),
        "d": CopyLink("d", "x", CopyKind.FULL, 0.97),
    }
    o = find_origins([c, d], links)
    assert o.article_origin == {"c": "c", "d": "c"}


def test_files_use_the_dedup_rule() -> None:
    a = analysis("a", WIRE)
    # a syndication partner's copy: a new first sentence and a trimmed ending
    trimmed = "Chemical train derails in Ohio. " + WIRE.rsplit(" Schools", 1)[0]
    b = analysis("b", trimmed)
    c = analysis("c", OWN)
    links = copy_links([a, b, c])
    assert set(links) == {"b"} and links["b"].original == "a"
    assert links["b"].kind is CopyKind.FULL
    o = find_origins([a, b, c])
    assert o.article_origin == {"a": "a", "b": "a", "c": "c"}
