"""Entities of a story (kinds by agreement, gazetteer and person cues; variants merged), who is
the same person, and each quotation once with one speaker. Hand-made analyses: the mentions and
quotes are what spaCy and the quote extractor hand over, wrong kinds included."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import numpy as np

from newsprism.clean.segment import split_sentences
from newsprism.compare.analysis import Analysis, Mention
from newsprism.compare.entities import (
    EntityIndex,
    cross_quotes,
    different_people,
    merge_entities,
    quote_speaker,
    same_speaker,
)
from newsprism.compare.origins import Origins
from newsprism.model import Article, Entity, Quote, QuoteAgreement, SourceKind, Span


def analysis(
    aid: str,
    text: str,
    mentions: list[tuple[str, str]] | None = None,
    quotes: list[tuple[str, str | None, str | None]] | None = None,
    outlet: str | None = None,
) -> Analysis:
    """``mentions``: (text, spaCy label), each at its first occurrence not yet used;
    ``quotes``: (quoted words, speaker as resolved, mention naming the speaker)."""
    art = Article(
        id=aid,
        origin=f"{aid}.txt",
        kind=SourceKind.TEXT,
        text=text,
        paragraphs=((0, len(text)),),
        outlet=outlet,
        published=datetime(2026, 1, 14, tzinfo=UTC),
    )
    sentences = split_sentences(text, aid)
    used: set[int] = set()
    ms = []
    for name, label in mentions or []:
        start = next(m.start() for m in re.finditer(re.escape(name), text) if m.start() not in used)
        used.add(start)
        sent = next(s.index for s in sentences if s.start <= start < s.end)
        ms.append(Mention(name, label, Span(aid, start, start + len(name)), sent))
    qs = []
    for words, speaker, mention in quotes or []:
        start = text.index(words)
        sp = None
        if mention is not None:
            at = text.index(mention, start + len(words))
            sp = Span(aid, at, at + len(mention))
        qs.append(
            Quote(Span(aid, start, start + len(words)), words, speaker, sp, "said" if sp else None)
        )
    return Analysis(
        article=art,
        sentences=sentences,
        embeddings=np.zeros((len(sentences), 4)),
        mentions=tuple(ms),
        values=(),
        value_embeddings=np.zeros((0, 4)),
        quotes=tuple(qs),
        roles=(),
        lemmas=tuple(frozenset() for _ in sentences),
    )


def by_name(entities: list[Entity], name: str) -> Entity:
    return next(e for e in entities if name in e.variants)


def own_origins(*analyses: Analysis) -> Origins:
    ids = {a.article.id: a.article.id for a in analyses}
    return Origins(ids, {}, {})


MATTIS_A = (
    "Defense Secretary Jim Mattis resigned on Thursday. Mattis told President Donald Trump "
    "he would leave. Trump said the general was retiring. Superintendent Angela Price closed "
    "the schools in Ohio."
)
MATTIS_B = (
    "Donald J. Trump accepted the resignation of Mattis. Trump praised him. Kellyanne Conway "
    "and George Conway disagreed about it in Ohio."
)


def test_kinds_by_agreement_gazetteer_and_person_cues() -> None:
    a = analysis(
        "a",
        MATTIS_A,
        [
            ("Jim Mattis", "PERSON"),
            ("Mattis", "GPE"),  # the small model's mistake, outvoted by the full name
            ("Donald Trump", "PERSON"),
            ("Trump", "ORG"),
            ("Superintendent Angela Price", "ORG"),  # a title and a first name: a person
            ("Ohio", "PERSON"),  # the gazetteer knows a US state
        ],
    )
    b = analysis(
        "b",
        MATTIS_B,
        [
            ("Donald J. Trump", "PERSON"),
            ("Mattis", "GPE"),
            ("Trump", "ORG"),
            ("Kellyanne Conway", "PERSON"),
            ("George Conway", "PERSON"),
            ("Ohio", "GPE"),
        ],
    )
    ents = merge_entities([a, b])
    mattis = by_name(ents, "Mattis")
    assert mattis.name == "Jim Mattis" and mattis.label == "PERSON"
    assert set(mattis.sources) == {"a", "b"}
    trump = by_name(ents, "Trump")
    assert set(trump.variants) == {"Donald Trump", "Donald J. Trump", "Trump"}
    assert trump.label == "PERSON"
    assert by_name(ents, "Angela Price").label == "PERSON"
    assert by_name(ents, "Ohio").label == "GPE"
    # two people who share a surname stay two
    assert by_name(ents, "George Conway") is not by_name(ents, "Kellyanne Conway")


def test_nicknames_merge_and_middle_initials_tell_people_apart() -> None:
    text = (
        "Sen. Richard J. Durbin spoke. Dick Durbin is from Illinois. George H.W. Bush and "
        "George W. Bush were both presidents."
    )
    a = analysis(
        "a",
        text,
        [
            ("Richard J. Durbin", "PERSON"),
            ("Dick Durbin", "PERSON"),
            ("George H.W. Bush", "PERSON"),
            ("George W. Bush", "PERSON"),
        ],
    )
    ents = merge_entities([a])
    assert by_name(ents, "Dick Durbin") is by_name(ents, "Richard J. Durbin")
    assert by_name(ents, "George H.W. Bush") is not by_name(ents, "George W. Bush")


def test_a_title_ending_the_sentence_before_is_no_person_cue() -> None:
    text = "He served a short tenure as press secretary.\n\nWhite House officials declined."
    ents = merge_entities([analysis("a", text, [("White House", "ORG")])])
    assert by_name(ents, "White House").label == "ORG"


def test_same_person_is_never_two_speakers() -> None:
    a = analysis(
        "a",
        MATTIS_A,
        [("Donald Trump", "PERSON"), ("Trump", "ORG"), ("Jim Mattis", "PERSON")],
    )
    b = analysis(
        "b",
        MATTIS_B,
        [
            ("Donald J. Trump", "PERSON"),
            ("Kellyanne Conway", "PERSON"),
            ("George Conway", "PERSON"),
            ("Ohio", "GPE"),
        ],
    )
    index = EntityIndex.build(merge_entities([a, b]))
    assert not different_people(index, "Trump", "Donald J. Trump")
    assert not different_people(index, "President Trump", "Donald Trump")
    assert different_people(index, "Donald Trump", "Jim Mattis")
    # one source names both Conways: two people
    assert different_people(index, "George Conway", "Kellyanne Conway")
    # "Conway" alone may be either
    assert not different_people(index, "Conway", "Kellyanne Conway")
    # non-persons are never a person who said something else
    assert not different_people(index, "the statement", "Donald Trump")
    assert not different_people(index, "Ohio", "Donald Trump")
    assert same_speaker(merge_entities([a, b]), "Trump", "Donald Trump")


def test_places_publications_and_texts_never_speak() -> None:
    a = analysis("a", MATTIS_A, [("Ohio", "GPE"), ("Jim Mattis", "PERSON")], outlet="Daily Planet")
    index = EntityIndex.build(merge_entities([a]))
    outlets = frozenset({"daily planet"})
    assert quote_speaker(index, a, "Ohio", "", outlets) is None
    assert quote_speaker(index, a, "CNN", "", outlets) is None
    assert quote_speaker(index, a, "Daily Planet", "", outlets) is None
    assert quote_speaker(index, a, "the statement", "", outlets) is None
    assert quote_speaker(index, a, "Mattis", "", outlets) == "Jim Mattis"
    assert quote_speaker(index, a, "a senior aide", "", outlets) == "a senior aide"
    # an organisation speaks through a statement only
    assert quote_speaker(index, a, "Acme Corp", "Acme Corp said in a statement.", outlets)
    assert quote_speaker(index, a, "Acme Corp", "Acme Corp said.", outlets) is None


WORDS = "We are not leaving until every car is off that track"


def test_a_repeated_quotation_is_one_entry_with_one_speaker() -> None:
    s1 = analysis(
        "s1",
        f"Trump spoke in Ohio. “{WORDS},” Trump said on Friday.",
        [("Trump", "ORG"), ("Ohio", "GPE")],
        [(WORDS, "Trump", "Trump")],
    )
    s2 = analysis(
        "s2",
        f"“{WORDS},” President Donald Trump said.",
        [("Donald Trump", "PERSON")],
        [(WORDS, "Donald Trump", "Donald Trump")],
    )
    s3 = analysis(
        "s3",
        f"In Ohio, the statement read: “{WORDS}.” The Ohio crowd cheered.",
        [("Ohio", "GPE")],
        [(WORDS, "Ohio", "Ohio")],
    )
    analyses = [s1, s2, s3]
    entries = cross_quotes(analyses, own_origins(*analyses), merge_entities(analyses))
    assert len(entries) == 1
    (e,) = entries
    assert e.quote.speaker == "Donald Trump"
    assert e.agreement is QuoteAgreement.VERBATIM
    assert {s.source for s in e.others} == {"s1", "s2", "s3"} - {e.source}
    # same person under other names, and a place: nobody "attributes it to" anyone else
    assert all(w is None for w in e.other_speakers)


def test_two_different_people_named_for_the_same_words_are_flagged() -> None:
    s1 = analysis(
        "s1",
        f"Mayor Luis Ortega was at the site. “{WORDS},” Ortega said.",
        [("Luis Ortega", "PERSON"), ("Ortega", "PERSON")],
        [(WORDS, "Luis Ortega", "Ortega")],
    )
    s2 = analysis(
        "s2",
        f"Dana Whitman is the railroad spokesman. “{WORDS},” Whitman said.",
        [("Dana Whitman", "PERSON"), ("Whitman", "PERSON")],
        [(WORDS, "Dana Whitman", "Whitman")],
    )
    analyses = [s1, s2]
    (e,) = cross_quotes(analyses, own_origins(*analyses), merge_entities(analyses))
    assert e.quote.speaker == "Luis Ortega"
    assert e.other_speakers == ("Dana Whitman",)


def test_a_quoted_title_is_not_a_quotation() -> None:
    s1 = analysis(
        "s1",
        "He told “Meet the Press On Sunday” that he agreed.",
        [],
        [("Meet the Press On Sunday", "Donald Trump", None)],
    )
    assert cross_quotes([s1], own_origins(s1), merge_entities([s1])) == []
