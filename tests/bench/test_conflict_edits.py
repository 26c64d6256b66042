"""The conflict benchmark's edit maker: seeded, one value per edit, exact ranges."""

from __future__ import annotations

import random
import re

import pytest
from bench.conflict_edits import (
    Doc,
    EditKind,
    find_candidates,
    find_values,
    make_edit,
    new_duration,
    parse_number,
    select_edits,
    sentences,
)
from hypothesis import given
from hypothesis import strategies as st


def _persons(text: str, names: list[str]) -> tuple[tuple[int, int], ...]:
    spans = []
    for name in names:
        for m in re.finditer(re.escape(name), text):
            spans.append((m.start(), m.end()))
    return tuple(sorted(spans))


A = (
    "The storm killed 12 people in the coastal town of Marlow on Tuesday, officials said.\n\n"
    "Rescue crews searched for three hours before the river flooded the main bridge.\n\n"
    "The city will spend $4.5 million to repair the harbor, about 30 percent of its budget.\n\n"
    "“We have never seen water rise this fast in our whole lives,” Mayor Dana Whitfield said "
    "at a news conference.\n\n"
    "The state engineer, Paul Okafor, inspected the bridge on March 3."
)
B = (
    "Officials said on Tuesday that 12 people were killed when the storm hit the coastal town "
    "of Marlow.\n\n"
    "Crews searched the river for three hours before flooding closed the main bridge.\n\n"
    "Repairs to the harbor will cost the city $4.5 million, roughly 30 percent of its budget.\n\n"
    "“We have never seen water rise this fast in our whole lives,” Whitfield said, standing "
    "beside the fire chief, Omar Reyes.\n\n"
    "Paul Okafor, the state engineer, inspected the damaged bridge on March 3."
)
DOCS = {
    "a": Doc("a", "Outlet A", A, _persons(A, ["Dana Whitfield", "Paul Okafor"])),
    "b": Doc("b", "Outlet B", B, _persons(B, ["Whitfield", "Omar Reyes", "Paul Okafor"])),
}


def test_values_found_with_kinds_and_keys() -> None:
    got = {(m.kind, A[m.start : m.end], m.key) for m in find_values(A, sentences(A))}
    assert (EditKind.COUNT, "12", "12") in got
    assert (EditKind.DURATION, "three hours", "10800 s") in got
    assert (EditKind.MONEY, "4.5", "USD 4.5e+06") in got
    assert (EditKind.PERCENT, "30", "30 %") in got
    assert (EditKind.DATE, "Tuesday", "tuesday") in got
    assert (EditKind.DATE, "3", "03-03") in got


def test_years_ages_and_singulars_are_not_counts() -> None:
    text = "In 2016, Smith, 45, said one man and a 30-year-old woman left after 9/11."
    counts = [text[m.start : m.end] for m in find_values(text, sentences(text))]
    assert counts == []


def test_candidates_cover_every_kind_in_the_pair() -> None:
    kinds = {c.kind for c in find_candidates(list(DOCS.values()))}
    assert {
        EditKind.COUNT,
        EditKind.DURATION,
        EditKind.MONEY,
        EditKind.PERCENT,
        EditKind.DATE,
        EditKind.NAME,
        EditKind.SPEAKER,
    } <= kinds


@pytest.mark.parametrize("seed", [0, 1, 2, 13, 99])
def test_each_edit_changes_exactly_one_value_at_its_range(seed: int) -> None:
    cands = {"c": find_candidates(list(DOCS.values()))}
    edits = select_edits(cands, {"c": DOCS}, seed=seed, target=20, per_cluster=20)
    assert edits
    for _, e in edits:
        text = DOCS[e.doc].text
        assert text[e.start : e.end] == e.old
        assert e.new != e.old
        edited = e.apply(text)
        start, end = e.new_range
        assert edited[start:end] == e.new
        assert edited[:start] == text[: e.start] and edited[end:] == text[e.end :]
        # the edit changes the value and nothing else: the other values stay where they were
        before = {(m.kind, m.key) for m in find_values(text, sentences(text))}
        after = {(m.kind, m.key) for m in find_values(edited, sentences(edited))}
        if e.kind not in (EditKind.NAME, EditKind.SPEAKER):
            assert len(before - after) == 1, (e, before - after)
        assert e.partner != e.doc


def test_same_seed_same_edits_other_seed_differs() -> None:
    cands = {"c": find_candidates(list(DOCS.values()))}
    runs = [select_edits(cands, {"c": DOCS}, seed=s, target=20, per_cluster=20) for s in (7, 7)]
    assert runs[0] == runs[1]
    others = [select_edits(cands, {"c": DOCS}, seed=s, target=20, per_cluster=20) for s in range(8)]
    assert len({tuple(o) for o in others}) > 1


def test_name_edit_uses_a_surname_absent_from_the_cluster() -> None:
    cands = [c for c in find_candidates(list(DOCS.values())) if c.kind is EditKind.NAME]
    banned = frozenset(w.lower() for d in DOCS.values() for w in re.findall(r"[A-Za-z]+", d.text))
    for seed in range(10):
        e = make_edit(cands[0], DOCS, random.Random(seed), banned=banned)
        assert e is not None and e.old == "Okafor"
        assert e.new.lower() not in banned


def test_speaker_edit_names_another_person_of_the_same_article() -> None:
    cands = [c for c in find_candidates(list(DOCS.values())) if c.kind is EditKind.SPEAKER]
    assert cands
    for seed in range(10):
        e = make_edit(cands[0], DOCS, random.Random(seed), banned=frozenset())
        assert e is not None and e.old == "Whitfield"
        persons = {DOCS[e.doc].text[s:t].split()[-1] for s, t in DOCS[e.doc].persons}
        assert e.new in persons - {"Whitfield"}


def test_no_singular_plural_mismatch_in_count_edits() -> None:
    text = "Officials said 2 people were hurt in the crash on the highway near the bridge."
    other = "Two people were hurt in the crash near the bridge on the highway, officials said."
    docs = {"a": Doc("a", "A", text), "b": Doc("b", "B", other)}
    cand = next(c for c in find_candidates(list(docs.values())) if c.kind is EditKind.COUNT)
    for seed in range(30):
        e = make_edit(cand, docs, random.Random(seed), banned=frozenset())
        assert e is not None
        assert parse_number(e.new.lower()) not in (None, 0.0, 1.0)
        assert abs(parse_number(e.new.lower()) - 2) >= 2  # type: ignore[operator]


@given(
    st.sampled_from(["three hours", "90-minute", "two weeks", "35 days", "three-day"]),
    st.integers(0, 10_000),
)
def test_duration_edits_differ_clearly_and_keep_agreement(surface: str, seed: int) -> None:
    new = new_duration(surface, random.Random(seed))
    assert new is not None and new != surface
    assert not re.search(r"\b(?:one|1) \w+s\b", new)
    if "-" in surface and "and-a-half" not in new:
        assert re.fullmatch(r"[\w]+-\w+", new), new  # adjectival stays "N-unit", singular


@given(st.integers(2, 5_000_000), st.integers(0, 10_000))
def test_numbers_change_by_a_clear_amount(value: int, seed: int) -> None:
    from bench.conflict_edits import new_number

    new = new_number(float(value), random.Random(seed))
    assert new >= 2
    assert max(new, value) / min(new, value) >= 1.25 or abs(new - value) >= 2
