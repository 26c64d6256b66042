"""Writes articles the way ingest does (article, sketch, copy link, story: one transaction
each) and prints the index of each one committed. The crash test kills it with SIGKILL.

Run: python tests/store/crash_writer.py DB_URL START STOP
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsprism.model import Article, CopyKind, CopyLink, SourceKind, Story, article_id

WORDS = [
    "levee",
    "council",
    "budget",
    "flood",
    "river",
    "vote",
    "mayor",
    "bridge",
    "storm",
    "repair",
]


def make_article(i: int) -> Article:
    """Article ``i``: deterministic, with a unique searchable token ``uniq<i>``."""
    body = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(400))
    text = f"Report uniq{i} from the river town.\n\n{body}"
    url = f"https://news.example/{i // 3}/story-{i}"
    return Article(
        id=article_id(url, text),
        origin=f"feed:{i}",
        kind=SourceKind.TEXT,
        text=text,
        paragraphs=((0, text.index("\n\n")), (text.index("\n\n") + 2, len(text))),
        title=f"Story number {i}",
        outlet=f"Outlet {i % 4}",
        published=datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=i),
        url=url,
    )


def story_id(i: int) -> str:
    return f"story-{i // 5}"


def write_one(store: object, i: int) -> None:
    from newsprism.store import Store

    assert isinstance(store, Store)
    a = make_article(i)
    with store.transaction():
        store.add_article(a)
        store.put_sketch(a.id, "minhash", i.to_bytes(4, "big") * 64)
        if i % 5:
            store.add_copy(CopyLink(a.id, make_article(i - i % 5).id, CopyKind.FULL, 0.9))
            store.assign(a.id, story_id(i))
        else:
            store.save_story(Story(story_id(i), f"Story {i // 5}", (a.id,), None, None))
        store.mark_source(a.origin, a.id, "done")


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from newsprism.config import load_settings
    from newsprism.store import open_store

    url, start, stop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open_store(url, load_settings()) as store:
        for i in range(start, stop):
            write_one(store, i)
            print(i, flush=True)


if __name__ == "__main__":
    main()
