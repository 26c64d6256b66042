"""Wire copies and partial copies, on texts written for these tests (a fictional event)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from newsprism.dedup import CopyDetector, CopyParams, Signature, tokens
from newsprism.dedup.minhash import affine32_permutations
from newsprism.errors import ConfigError, StoreError
from newsprism.model import Article, CopyKind, SourceKind, article_id

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# A wire story (Harbor Point crane collapse), fictional.
WIRE = [
    "A container crane collapsed at the Harbor Point terminal early Monday, crushing two parked "
    "trucks and sending a plume of dust over the waterfront as dock workers ran for cover, port "
    "officials said.",
    "No one was killed, but three workers were taken to Mercy General Hospital with injuries that "
    "officials described as not life-threatening. A fourth worker was treated at the scene for a "
    "cut to his arm and released.",
    "The crane, a 240-foot steel structure installed in 1998, buckled at about 5:40 a.m. while it "
    "was lifting an empty container from the deck of the cargo ship Meridian Star, according to "
    "the Harbor Point Port Authority.",
    "Port director Alma Reyes said the terminal would stay closed at least through Wednesday while "
    "engineers from the state labor department inspect the four remaining cranes on the same pier "
    "for cracks and worn cables.",
    "“We are going to look at every bolt on every crane on that pier before anyone goes back to "
    "work,” Reyes told reporters at a news conference outside the terminal gates.",
    "The collapse is the second serious accident at the terminal in two years. In 2024 a forklift "
    "driver was killed when a stack of containers toppled during a storm, and the port paid a "
    "fine of $180,000 after a federal safety review.",
    "Local 19 of the dockworkers' union said its members had complained for months about the age "
    "of the cranes and about maintenance crews being cut from twelve workers to seven on the "
    "overnight shift.",
    "“This was not an accident, this was a warning that nobody listened to,” said union steward "
    "Marcus Bell, who has worked at the terminal for twenty-two years.",
    "The port authority said the crane had passed its last annual inspection in October and that "
    "maintenance staffing met the manufacturer's recommendations, though it did not release the "
    "inspection report on Monday.",
    "Shipping lines were told to divert about a dozen vessels due this week to the Eastgate "
    "terminal across the bay, which officials said could handle the extra cargo with longer "
    "working hours.",
    "Mayor Lionel Ortega said the city would ask for an independent review of crane maintenance at "
    "all three of the city's terminals and would hold a public hearing on the findings next month.",
    "The Meridian Star, which arrived from Busan on Sunday, was not damaged, its operator said in a "
    "statement. Its crew of nineteen remained aboard.",
]

# The same event reported independently by another outlet: the same quotes, its own sentences.
OTHER_OUTLET = [
    "Dock workers at Harbor Point scrambled for safety on Monday morning when a towering container "
    "crane folded in half and came down across the pier, flattening two trucks below.",
    "Three people were hurt, none of them seriously, according to the port. Witnesses said the "
    "noise of the steel giving way could be heard across the bay in the old town.",
    "“We are going to look at every bolt on every crane on that pier before anyone goes back to "
    "work,” the port director, Alma Reyes, said at the gates on Monday.",
    "Union leaders were quick to blame staffing. “This was not an accident, this was a warning "
    "that nobody listened to,” Marcus Bell, a steward with Local 19, told the Herald.",
    "Our reporter at the scene counted at least six inspectors walking the pier by midday, some of "
    "them photographing the base of the fallen crane and the cable drums beside it.",
    "The port says the crane was inspected last fall. Workers we spoke to disputed that the "
    "inspection had looked at the cables at all, and several asked not to be named for fear of "
    "losing shifts.",
    "Cargo bound for Harbor Point this week will go to Eastgate instead, a change that truckers "
    "said would add an hour or more to every run into the city.",
]

# An unrelated article (a library levy vote) that will host pasted wire paragraphs.
HOST = [
    "Voters in Millbrook County approved a property tax levy for the public library system on "
    "Tuesday, ending a two-year fight over whether the county's nine branches should cut hours.",
    "The levy passed with 58 percent of the vote, according to unofficial results posted by the "
    "county elections board shortly before midnight.",
    "Library director Helen Okafor said the money would restore Sunday hours at the four largest "
    "branches and pay for a bookmobile that will visit rural schools twice a month.",
    "Opponents had argued that the library should cover its costs by selling the downtown annex, "
    "a brick building that has stood mostly empty since the children's room moved in 2019.",
    "Turnout was low, with about 22 percent of registered voters casting ballots in a special "
    "election that featured no other races in most precincts.",
    "The county commission must still approve the library's budget for next year, a vote that is "
    "expected in early December after two public hearings.",
    "Okafor said the first restored Sunday hours could begin as early as February if the budget "
    "is approved on schedule and new staff can be hired over the winter.",
    "A group of residents who campaigned for the levy said they would now turn to raising money "
    "for a new branch in the fast-growing northern part of the county.",
]


def make(
    paragraphs: list[str], *, title: str, outlet: str, when: datetime, url: str | None = None
) -> Article:
    text = "\n\n".join(paragraphs)
    spans, pos = [], 0
    for p in paragraphs:
        spans.append((pos, pos + len(p)))
        pos += len(p) + 2
    return Article(
        id=article_id(url, text),
        origin=f"{outlet}.txt",
        kind=SourceKind.TEXT,
        text=text,
        paragraphs=tuple(spans),
        title=title,
        outlet=outlet,
        published=when,
        url=url,
    )


def wire() -> Article:
    return make(WIRE, title="Crane collapses at Harbor Point", outlet="Wire", when=T0)


def syndicated(paragraphs: list[str], *, trim: int, outlet: str, when: datetime) -> Article:
    """What a syndication partner runs: new headline, dateline, a word changed, ending trimmed."""
    body = list(paragraphs[: len(paragraphs) - trim])
    body[0] = f"HARBOR POINT ({outlet}) — " + body[0]
    body[2] = body[2].replace("structure", "tower")
    return make(body, title=f"{outlet}: pier crane falls", outlet=outlet, when=when)


def test_full_copy_with_trimmed_ending_is_linked_to_its_original() -> None:
    det = CopyDetector()
    original = wire()
    copy = syndicated(WIRE, trim=3, outlet="Daily Courier", when=T0 + timedelta(hours=2))
    assert det.add(original) is None
    link = det.add(copy)
    assert link is not None
    assert (link.article, link.original, link.kind) == (copy.id, original.id, CopyKind.FULL)
    assert link.paragraphs == tuple(range(len(copy.paragraphs)))
    assert 0.7 <= link.similarity <= 1.0
    assert det.origin_of(copy.id) == original.id
    assert det.origin_of(original.id) == original.id


def test_partial_copy_names_the_three_pasted_paragraphs() -> None:
    det = CopyDetector()
    original = wire()
    det.add(original)
    body = HOST[:4] + WIRE[5:8] + HOST[4:]
    own = make(body, title="Library levy passes", outlet="Millbrook Times", when=T0 + timedelta(1))
    link = det.add(own)
    assert link is not None
    assert (link.original, link.kind) == (original.id, CopyKind.PARTIAL)
    assert link.paragraphs == (4, 5, 6)
    # Its own reporting is its own: it stays an independent origin.
    assert det.origin_of(own.id) == own.id


def test_same_event_by_another_outlet_is_not_a_copy() -> None:
    det = CopyDetector()
    det.add(wire())
    other = make(OTHER_OUTLET, title="Crane falls", outlet="Bay Herald", when=T0 + timedelta(1))
    assert det.add(other) is None
    assert det.origin_of(other.id) == other.id


def test_shared_quotes_alone_do_not_make_a_partial_copy() -> None:
    det = CopyDetector()
    det.add(wire())
    # The wire's two quotes word for word, attributed in the outlet's own words.
    quotes = [
        "“We are going to look at every bolt on every crane on that pier before anyone goes back "
        "to work,” the port director, Alma Reyes, said on Monday afternoon.",
        "Bell put it bluntly: “This was not an accident, this was a warning that nobody listened "
        "to,” he said by phone.",
    ]
    body = [*HOST[:3], *quotes, *HOST[3:]]
    assert det.add(make(body, title="x", outlet="Y", when=T0 + timedelta(1))) is None


def test_copy_of_a_copy_links_to_the_first_original() -> None:
    det = CopyDetector()
    original = wire()
    first = syndicated(WIRE, trim=1, outlet="Daily Courier", when=T0 + timedelta(hours=1))
    first_paragraphs = [first.text[s:e] for s, e in first.paragraphs]
    second = syndicated(first_paragraphs, trim=2, outlet="Metro Post", when=T0 + timedelta(2))
    det.add(original)
    det.add(first)
    link = det.add(second)
    assert link is not None and link.kind is CopyKind.FULL
    assert link.original == original.id
    assert det.origin_of(second.id) == original.id
    # A partial copy of the copy's paragraphs also goes back to the first original.
    body = HOST[:4] + first_paragraphs[5:8] + HOST[4:]
    pasted = make(body, title="levy", outlet="Millbrook Times", when=T0 + timedelta(3))
    link = det.add(pasted)
    assert link is not None and (link.kind, link.original) == (CopyKind.PARTIAL, original.id)


def test_adding_the_same_article_twice_returns_its_first_link() -> None:
    det = CopyDetector()
    original = wire()
    copy = syndicated(WIRE, trim=2, outlet="Daily Courier", when=T0 + timedelta(hours=1))
    det.add(original)
    link = det.add(copy)
    assert det.add(copy) == link
    assert det.add(original) is None
    assert len(det) == 2


def test_sketches_rebuild_an_index_that_answers_the_same() -> None:
    det = CopyDetector()
    articles = [
        wire(),
        syndicated(WIRE, trim=1, outlet="Daily Courier", when=T0 + timedelta(hours=1)),
        make(OTHER_OUTLET, title="Crane falls", outlet="Bay Herald", when=T0 + timedelta(1)),
    ]
    stored = [(a, det.sketch(a), det.add(a)) for a in articles]
    rebuilt = CopyDetector()
    for a, sketch, link in stored:
        rebuilt.load(a.id, a.published, sketch, link)
    assert rebuilt.origin_of(articles[1].id) == articles[0].id

    first = [articles[1].text[s:e] for s, e in articles[1].paragraphs]
    probes = [
        syndicated(first, trim=2, outlet="Metro Post", when=T0 + timedelta(2)),
        make(HOST[:4] + WIRE[5:8] + HOST[4:], title="l", outlet="M", when=T0 + timedelta(2)),
        make(HOST, title="levy", outlet="Millbrook Times", when=T0 + timedelta(2)),
    ]
    for probe in probes:
        assert rebuilt.add(probe) == det.add(probe)

    sig = det.signature(articles[0])
    back = Signature.from_bytes(
        sig.to_bytes(det.hasher), det.hasher, article=sig.article, published=sig.published
    )
    assert back == sig
    for name in ("doc", "para_index", "para_words", "para_own", "para"):
        assert np.array_equal(getattr(back, name), getattr(sig, name))
    assert len(det.sketch(articles[0])) < 2_500  # 400 words, 12 paragraphs


def test_a_sketch_made_with_other_parameters_is_refused() -> None:
    a = wire()
    sketch = CopyDetector(CopyParams(seed=1)).sketch(a)
    with pytest.raises(StoreError, match="rebuild"):
        CopyDetector(CopyParams(seed=2)).load(a.id, a.published, sketch)
    with pytest.raises(StoreError):
        CopyDetector().load(a.id, a.published, b"junk")
    with pytest.raises(StoreError):
        CopyDetector(CopyParams(seed=1)).load(a.id, a.published, sketch[:-4])


def test_document_signature_is_datasketch_minhash_of_the_shingles() -> None:
    det = CopyDetector()
    a = wire()
    hashes = det.hasher.shingles(a).hashes
    reference = MinHash(num_perm=128, seed=det.params.seed, scheme="affine32", hashfunc=int)
    reference.update_batch(hashes.tolist())
    assert np.array_equal(reference.hashvalues, det.signature(a).doc)
    assert det.hasher.lean_minhash(det.signature(a)).jaccard(reference) == 1.0


@pytest.mark.parametrize(("num_perm", "seed"), [(128, 1), (128, 7), (32, 0), (256, 2**31 + 5)])
def test_permutations_are_datasketchs(num_perm: int, seed: int) -> None:
    a, b = affine32_permutations(num_perm, seed)
    reference = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    assert a.dtype == b.dtype == np.uint32
    assert np.array_equal(np.stack([a, b]), reference)


def test_hashing_does_not_import_datasketch() -> None:
    """Workers only hash: importing datasketch (and SciPy with it) cost each one 0.4 CPU-s."""
    text = "\n\n".join(WIRE)
    code = (
        "import sys; from datetime import datetime;"
        "from newsprism.dedup import CopyDetector; from newsprism.model import Article, SourceKind;"
        f"text = {text!r}; bounds = [];"
        "[bounds.append((text.index(p), text.index(p) + len(p))) for p in text.split('\\n\\n')];"
        "a = Article(id='x', origin='x.txt', kind=SourceKind.TEXT, text=text,"
        " paragraphs=tuple(bounds), title='t', outlet='o', published=datetime(2026, 3, 2));"
        "assert len(CopyDetector().sketch(a)) > 1000;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('datasketch', 'scipy')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT / "src", capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


def test_hashing_is_the_same_in_another_process() -> None:
    a = wire()
    here = CopyDetector().sketch(a).hex()
    code = (
        "import sys; sys.path.insert(0, 'tests/dedup'); sys.path.insert(0, 'src');"
        "import test_copies as t; from newsprism.dedup import CopyDetector;"
        "print(CopyDetector().sketch(t.wire()).hex())"
    )
    for seed in ("1",):  # ours is random: pytest does not fix it
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == here


def test_time_window_forgets_old_articles() -> None:
    det = CopyDetector(CopyParams(window_days=7))
    det.add(wire())
    late = syndicated(WIRE, trim=1, outlet="Daily Courier", when=T0 + timedelta(days=30))
    assert det.add(late) is None
    assert len(det) == 1
    soon = syndicated(WIRE, trim=2, outlet="Metro Post", when=T0 + timedelta(days=31))
    link = det.add(soon)
    assert link is not None and link.original == late.id


def test_tokens_ignore_case_and_punctuation_styles() -> None:
    assert tokens("“Don’t,” she SAID — twice…") == tokens('"Don\'t," she said - twice...')
    assert tokens("Zürich's café") == [b"z\xc3\xbcrich", b"s", b"caf\xc3\xa9"]


def test_bad_parameters_are_a_config_error() -> None:
    with pytest.raises(ConfigError):
        CopyParams(para_perm=256)
    with pytest.raises(ConfigError):
        CopyParams(full_containment=0.0)
    with pytest.raises(ConfigError):
        dataclasses.replace(CopyParams(), window_days=-1)


BASIL = ROOT.parent / "shared" / "eval" / "basil" / "basil.jsonl"


@pytest.mark.skipif(not BASIL.exists(), reason="eval data not beside the checkout")
def test_basil_same_event_reports_by_three_outlets_are_never_linked() -> None:
    import json

    from newsprism.clean import clean_document
    from newsprism.config import load_settings
    from newsprism.model import RawDocument

    settings = load_settings()
    articles = []
    for line in BASIL.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        raw = RawDocument(
            origin=d["id"], kind=SourceKind.TEXT, content=d["text"], published=d["date"]
        )
        a = clean_document(raw, settings)
        assert isinstance(a, Article)
        articles.append(a)
    articles.sort(key=lambda a: (a.published or T0, a.id))
    det = CopyDetector()
    assert [link for link in map(det.add, articles) if link is not None] == []
