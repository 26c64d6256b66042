"""Direct quotes and who said them.

``extract_quotes`` finds quoted stretches (curly, straight and doubled-apostrophe marks; quotes
that run over sentences and over paragraphs), then attributes each one with spaCy's dependency
parse: the reporting verb ("said", "told", "according to") nearest the quote in the quote's own
sentence, its subject, and the full name that subject stands for in the article. Of two reporting
verbs, one nested under the verb the parse hangs the quote on, and nearer the quote, introduces it
("The spot concludes with footage of Trump saying, “…”"); a reporting participle speaks for the
name right before it as an object ("footage of Clinton asking, “…”"), else, when the parse gives
it no subject, for the main clause's subject ("Mr. Trump …, asserting, “…”").

When the small model misparses the frame, the name right beside the reporting verb stands in for
its subject ('“…,” Tulsa police Chief Chuck Jordan said'; 'Said Ellis: “…”'); a line opening
with "Name:" credits a headline or transcript quote; a frame never reaches over a paragraph break.

No coreference model runs offline here, so a small mention-resolution layer does that last step:
full names seen in the article (a first name and surname the model typed ORG count too), surname
and first name -> full name, a role noun -> the person it named that the text last mentioned ("the
governor" after "Gov. Chris Christie"), a pronoun -> the most salient compatible mention
(centering with Lappin-Leass weights: nearest sentence first, main-clause subjects over other
subjects over objects over names buried in phrases). He/she are resolved front to back so each
joins its referent's chain; gender comes from honorifics, the
article's own pronouns and, as an overridable prior, census first names; a name inside an
"Asked whether X …," clause, or named in the quote itself, is not the pronoun's referent; "they"
means a group ("critics of the plan") or an organisation before it means a person.

Quotes of at most ``SCARE_MAX_WORDS`` words are kept only when a reporting verb in the same sentence
governs them: a lone "so-called “reform”" is emphasis, not attributed speech, and is skipped.
"""

from __future__ import annotations

import bisect
import functools
import importlib.resources
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from newsprism.compare import speakers
from newsprism.model import Quote, Span

#: Quotes this short (in words) are usually scare quotes or titles, kept only with a governing cue.
SCARE_MAX_WORDS = 3

#: Reporting verbs (lemmas). "according to" is handled on its own.
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "ask",
        "write",
        "tweet",
        "post",
        "note",
        "explain",
        "claim",
        "insist",
        "argue",
        "declare",
        "state",
        "continue",
        "reply",
        "respond",
        "announce",
        "warn",
        "recall",
        "joke",
        "quip",
        "admit",
        "acknowledge",
        "contend",
        "suggest",
        "complain",
        "conclude",
        "testify",
        "shout",
        "yell",
        "scream",
        "chant",
        "cry",
        "whisper",
        "call",
        "predict",
        "promise",
        "vow",
        "boast",
        "brag",
        "concede",
        "counter",
        "charge",
        "allege",
        "assert",
        "observe",
        "remark",
        "report",
        "emphasize",
        "emphasise",
        "stress",
        "urge",
        "demand",
        "proclaim",
        "exclaim",
        "wonder",
        "muse",
        "read",
        "quote",
        "recount",
        "reiterate",
        "repeat",
        "lament",
        "deny",
        "confirm",
        "agree",
        "caution",
        "pledge",
        "accuse",
        "criticize",
        "criticise",
        "describe",
        "mock",
        "blast",
        "slam",
        "fire",
        "retort",
        "interject",
        "sing",
        "put",
        "begin",
        "start",
        "tease",
        "thunder",
        "rail",
        "scoff",
        "sneer",
        "mutter",
        "murmur",
        "plead",
        "lecture",
        "implore",
    ]
)

_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_ORG_PRONOUNS = frozenset({"it", "they", "we"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "madam": "f"}
# Titles stripped from the front of a name so "Sen. Elizabeth Warren" and "Warren" meet.
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "president",
        "vice",
        "secretary",
        "gen",
        "general",
        "adm",
        "admiral",
        "lt",
        "col",
        "sgt",
        "judge",
        "justice",
        "rev",
        "sir",
        "madam",
        "mayor",
        "former",
        "the",
        "candidate",
        "nominee",
        "speaker",
        "chairman",
        "chairwoman",
        "leader",
        "ambassador",
        "attorney",
    ]
)
# "Gov. Chris Christie" introduces the person "the governor" later means.
_ROLE_ALIASES = {
    "gov": "governor",
    "sen": "senator",
    "rep": "representative",
    "congressman": "representative",
    "congresswoman": "representative",
    "gen": "general",
    "adm": "admiral",
    "sec": "secretary",
    "pres": "president",
    "prof": "professor",
    "dr": "doctor",
    "atty": "attorney",
    "chairwoman": "chairman",
    "chair": "chairman",
    "spokeswoman": "spokesman",
    "spokesperson": "spokesman",
}
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
# Lappin & Leass salience factors: recency, subject, object, head-noun and non-adverbial emphasis,
# plus our own bonus for the subject of the main or a reporting verb (a speaker).
_W_RECENT, _W_SUBJ, _W_OBJ, _W_HEAD, _W_NONADV, _W_MAIN = 100.0, 80.0, 50.0, 80.0, 50.0, 40.0
_SPEAKER_WEIGHT = _W_RECENT + _W_SUBJ + _W_HEAD + _W_NONADV + _W_MAIN
_EMBEDDED_DEPS = frozenset({"poss", "compound", "pobj", "nmod", "amod", "npadvmod"})
_DECAY = 0.25
_SIDE_CLAUSE_DEPS = frozenset({"advcl", "relcl", "acl", "ccomp"})
_NAME_LABELS = frozenset({"PERSON"})
# Platforms a person posts on: the small model often types them PERSON ("took to Twitter"), and
# then a later "he tweeted" resolves to the platform.
_PLATFORMS = frozenset({"twitter", "facebook", "instagram", "youtube", "tiktok", "snapchat"})
_ORG_LABELS = frozenset({"ORG", "NORP", "GPE"})

_OPENERS = {"”": "”", "“": "”", '"': '"', "''": "''", "``": "''", "‘": "’"}
_OPEN_RE = re.compile(r"“|\"|''|``|‘")
_STRAY_OPEN = re.compile("”")
_PARA_RE = re.compile(r"\n\s*\n|\n")
# closing mark, a dash, then a capitalised name up to the end of the line or a comma
_DASH_CREDIT = re.compile(r"[”\"’']*\s*[―—–-]{1,2}\s*([A-Z][^\n,;(]{1,60}?)\s*(?:[,;(.]|\n|$)")
_QUOTE_PUNCT = frozenset(["“", "”", '"', "''", "``", "‘", "’"])
# a name, then a comma, opening a quote: the person it addresses
_VOCATIVE_RE = re.compile(r"([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}),")
_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True, slots=True)
class _Stretch:
    """One quoted stretch: content ``[start, end)``; ``continues`` links a paragraph continuation."""

    start: int
    end: int
    paragraph: int
    continues: int | None


def find_quoted(text: str) -> list[tuple[int, int, int | None]]:
    """Quoted stretches as ``(start, end, continues)``, content only, marks excluded.

    ``continues`` is the index of the stretch this one continues (a quote left open at the end of a
    paragraph goes on in the next paragraph that opens with a quote mark), else ``None``.
    Hand-written because no maintained library tracks quote state across paragraphs.
    """
    return [(s.start, s.end, s.continues) for s in _scan(text)]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_RE.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _is_open_single(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()


def _close_at(text: str, i: int, closer: str) -> bool:
    if not text.startswith(closer, i):
        return False
    if closer == "’":  # an apostrophe inside a word ("don’t") is not a closing mark
        nxt = text[i + 1] if i + 1 < len(text) else " "
        return not nxt.isalnum()
    return True


def _scan(text: str) -> list[_Stretch]:
    stretches: list[_Stretch] = []
    open_tail: int | None = None  # stretch left open at the end of the previous paragraph
    for p_index, (p_start, p_end) in enumerate(_paragraphs(text)):
        i = p_start
        first = True
        carried = open_tail
        open_tail = None
        while i < p_end:
            m = _OPEN_RE.search(text, i, p_end)
            lead = p_start + len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip())
            if first and text.startswith("”", lead) and (m is None or m.start() > lead):
                m = _STRAY_OPEN.match(text, lead)  # '”Fear. …”': a closing mark typed as opener
            if m is None:
                break
            mark = m.group()
            if mark == "‘" and not _is_open_single(text, m.start()):
                i = m.end()
                continue
            # a paragraph that opens with a mark continues the quote left open before it
            leading = first and not text[p_start : m.start()].strip()
            first = False
            closer = _OPENERS[mark]
            j = m.end()
            close = -1
            while j < p_end:
                if _close_at(text, j, closer):
                    close = j
                    break
                # mixed marks from sloppy markup: '“…"' and '"…”'
                if (closer, text[j]) in (("”", '"'), ('"', "”")):
                    close = j
                    break
                j += 1
            c_start = m.end()
            c_end = close if close >= 0 else p_end
            while c_end > c_start and text[c_end - 1].isspace():
                c_end -= 1
            while c_start < c_end and text[c_start].isspace():
                c_start += 1
            if c_end > c_start:
                stretches.append(_Stretch(c_start, c_end, p_index, carried if leading else None))
                if close < 0:
                    open_tail = len(stretches) - 1
            i = close + len(closer) if close >= 0 else p_end
    return stretches


# --------------------------------------------------------------------------- mention resolution


@functools.cache
def first_name_frequency() -> Mapping[str, tuple[float, float]]:
    """First name (upper case) -> (percent of men, percent of women) having it, from the 1990 US
    census lists the ``names`` package ships (MIT). Read-only and loaded once; empty without the
    package."""
    try:
        root = importlib.resources.files("names")
    except ModuleNotFoundError:
        return MappingProxyType({})
    freq: dict[str, list[float]] = {}
    for k, fname in ((0, "dist.male.first"), (1, "dist.female.first")):
        for line in root.joinpath(fname).read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                freq.setdefault(parts[0], [0.0, 0.0])[k] = float(parts[1])
    return MappingProxyType({name: (f[0], f[1]) for name, f in freq.items()})


@functools.cache
def _first_name_gender() -> Mapping[str, str]:
    """First name -> "m"/"f" (see :func:`first_name_frequency`). A name counts only when one sex
    has it at least four times as often ("Donald", "Hillary"; not "Jordan", "Leslie")."""
    out: dict[str, str] = {}
    for name, (m, w) in first_name_frequency().items():
        if m >= 4 * w:
            out[name] = "m"
        elif w >= 4 * m:
            out[name] = "f"
    return MappingProxyType(out)


def _clean_name(s: str) -> tuple[str, str | None]:
    """Strip possessive and leading titles; return the name and a gender an honorific gives."""
    s = re.sub(r"['’]s?$", "", s.strip()).strip(" ,.")
    words = s.split()
    gender: str | None = None
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
        gender = gender or _HONORIFIC_GENDER.get(words[0].lower().rstrip("."))
        words = words[1:]
    return " ".join(words), gender


@dataclass(slots=True)
class _Mention:
    pos: int
    end: int
    name: str
    sent: int
    subject: bool
    kind: str  # "person" or "org"
    main: bool = False  # subject of the sentence's root or of a reporting verb
    weight: float = _SPEAKER_WEIGHT  # salience this mention adds (see ``_salience_weight``)
    # inside "Asked whether X …," / "Responding to X,": the participle's unstated subject is the
    # main clause's, so a pronoun subject there does not mean X
    in_participle: bool = False


@dataclass(slots=True)
class _Names:
    """Names seen in one article and the mentions of them, in text order."""

    fulls: Counter[str] = field(default_factory=Counter)
    by_last: dict[str, Counter[str]] = field(default_factory=dict)
    by_first: dict[str, Counter[str]] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)  # from honorifics and the text
    # from census first names: a prior that the text's own evidence overrides ("Lindsey Graham")
    name_prior: dict[str, str] = field(default_factory=dict)
    roles: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    mentions: list[_Mention] = field(default_factory=list)
    first_seen: dict[str, int] = field(default_factory=dict)

    def register(self, raw: str, pos: int) -> None:
        name, gender = _clean_name(raw)
        words = name.split()
        if len(words) >= 2:
            self.fulls[name] += 1
            self.first_seen.setdefault(name, pos)
            self.by_last.setdefault(words[-1].lower(), Counter())[name] += 1
            self.by_first.setdefault(words[0].lower(), Counter())[name] += 1
        if gender:
            self.gender.setdefault(self.canonical(name), gender)
        prior = _first_name_gender().get(words[0].upper()) if len(words) >= 2 else None
        if prior:
            self.name_prior.setdefault(self.canonical(name), prior)

    def canonical(self, raw: str) -> str:
        name, _ = _clean_name(raw)
        words = name.split()
        if not words:
            return raw.strip()
        if len(words) >= 2:
            if name in self.fulls:
                return name
            # "Hillary Clinton" and "Hillary Rodham Clinton": the more frequent full form
            family = self.by_last.get(words[-1].lower(), Counter[str]())
            same_first = [c for c in family if c.split()[0].lower() == words[0].lower()]
            if same_first:
                return max(same_first, key=lambda c: (family[c], -self.first_seen[c]))
            return name
        key = words[0].lower()
        for table in (self.by_last, self.by_first):
            cands = table.get(key)
            if cands:
                return max(cands, key=lambda c: (cands[c], -self.first_seen[c]))
        return name

    def add_role(self, role: str, pos: int, name: str) -> None:
        role = _ROLE_ALIASES.get(role, role)
        self.roles.setdefault(role, []).append((pos, name))

    def role(self, role: str, pos: int) -> str | None:
        """The person last named with this role before ``pos``."""
        role = _ROLE_ALIASES.get(role, role)
        earlier = [(p, n) for p, n in self.roles.get(role, ()) if p < pos]
        if not earlier:
            return None
        # of several people given the role ("Gov. Christie", "former Gov. Whitman"), the one the
        # text is talking about: the latest mentioned, not the latest introduced
        holders = {n for _, n in earlier}
        mentioned = [m for m in self.mentions if m.end <= pos and m.name in holders]
        return mentioned[-1].name if mentioned else max(earlier)[1]

    def note_gender(self, name: str, pronoun: str) -> None:
        g = _PRONOUN_GENDER.get(pronoun.lower())
        if g:
            self.gender.setdefault(name, g)

    def add_mention(self, m: _Mention) -> None:
        keys = [x.pos for x in self.mentions]
        self.mentions.insert(bisect.bisect(keys, m.pos), m)

    def gender_of(self, name: str) -> str | None:
        return self.gender.get(name) or self.name_prior.get(name)

    def rename_at(self, pos: int, name: str) -> None:
        for m in self.mentions:
            if m.pos == pos:
                m.name = name

    def has_mention_at(self, pos: int) -> bool:
        keys = [x.pos for x in self.mentions]
        k = bisect.bisect_left(keys, pos)
        return k < len(keys) and keys[k] == pos

    def salient(
        self,
        pos: int,
        sent: int,
        pronoun: str,
        window: int = 6,
        exclude: frozenset[str] = frozenset(),
    ) -> _Mention | None:
        """The person (or organisation, for "it"/"they") a pronoun at ``pos`` most likely means.

        Centering-style: the nearest sentence back with a compatible mention wins, and within it
        the mention with the highest Lappin-Leass weight (subject of the main or a reporting verb
        over other subjects, over objects, over names buried in a phrase or a side clause). Earlier
        pronouns join the chain of the name they resolved to, so "Fowler noted … he said … he
        argued" keeps Fowler in front. Gender (from honorifics, first names and earlier pronouns)
        and ``exclude`` (people the quote itself talks about) rule candidates out.
        """
        p = pronoun.lower()
        want_org = p in _ORG_PRONOUNS
        g = _PRONOUN_GENDER.get(p)
        before = [m for m in self.mentions if m.end <= pos and 0 <= sent - m.sent <= window]
        if p == "they":
            # "they" is a group or an organisation; a person only when neither is in reach
            groups = [m for m in before if m.kind in ("org", "group")]
            before = groups or [m for m in before if m.kind == "person"]
        elif want_org:
            before = [m for m in before if m.kind == "org"]
        else:
            before = [m for m in before if m.kind == "person"]

        def ok(m: _Mention) -> bool:
            if m.name in exclude:
                return False
            known = self.gender_of(m.name)
            return g is None or known is None or known == g

        for s in range(sent, sent - window - 1, -1):
            in_sent = [m for m in before if m.sent == s and ok(m)]
            if s == sent:
                in_sent = [m for m in in_sent if not m.in_participle]
            if in_sent:
                return max(in_sent, key=lambda m: (m.weight, m.pos))
        return None


# --------------------------------------------------------------------------- attribution


@dataclass(slots=True)
class _Attribution:
    speaker: str | None
    speaker_span: tuple[int, int] | None
    cue: str | None
    cue_pos: int | None = None
    governed: bool = False
    #: how it was found: "cue" (a reporting verb of the quote's sentence), "credit" (a dash or a
    #: "Name:" line), "context" (a quote before it, a sentence beside it)
    origin: str = "context"


@dataclass(frozen=True, slots=True)
class _CueLink:
    """A reporting verb of a quote's frame and one mention that could be its subject."""

    cue: Any
    subject: Any
    governs: bool  # the parse hangs the quote on this verb
    speech: bool  # a reporting verb or "according to", not just a verb the quote hangs on
    according: bool
    rank: int  # the verb's place in the order the rules try them
    fallback: bool  # not the parse's subject: a name beside the verb, an object, the main clause's
    rules_take: bool  # the subject the rules take for this verb
    cue_text: str
    governed: bool


class _Article:
    """One parsed article: sentences, quoted stretches, names."""

    def __init__(self, text: str, doc: Any) -> None:
        self.text = text
        self.doc = doc
        self.sents: list[Any] = list(doc.sents)
        self.sent_starts = [s.start_char for s in self.sents]
        self.stretches = _scan(text)
        self.quote_starts = [s.start for s in self.stretches]
        self.names = _Names()
        self.ent_of: dict[int, Any] = {}
        self.pronoun_ref: dict[int, str] = {}  # token index of a he/she -> the name it stands for
        for ent in doc.ents:
            for tok in ent:
                self.ent_of[tok.i] = ent
        self._collect_names()

    # -- positions
    def sent_index(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, char) - 1)

    def in_quote(self, char: int) -> bool:
        k = bisect.bisect_right(self.quote_starts, char) - 1
        return k >= 0 and self.stretches[k].start <= char < self.stretches[k].end

    def _collect_names(self) -> None:
        ents = [e for e in self.doc.ents if e.text.lower() not in _PLATFORMS]
        for ent in ents:
            if (ent.label_ in _NAME_LABELS or _first_last_as_org(ent)) and not self.in_quote(
                ent.start_char
            ):
                self.names.register(ent.text, ent.start_char)
        for ent in ents:
            if self.in_quote(ent.start_char):
                continue
            if ent.label_ in _NAME_LABELS or ent.label_ in _ORG_LABELS:
                kind = "person" if ent.label_ in _NAME_LABELS or self._known_person(ent) else "org"
                if kind == "org" and ent.label_ != "ORG":
                    continue
                subj = next((t for t in ent if t.dep_ in _SUBJECT_DEPS), None)
                if (
                    subj is None
                    and ent.root.dep_ == "appos"
                    and ent.root.head.dep_ in _SUBJECT_DEPS
                ):
                    subj = ent.root.head
                name = self.names.canonical(ent.text) if kind == "person" else ent.text
                main = subj is not None and _main_subject(subj)
                if ent.root.dep_ == "pobj" and _is_according_to(ent.root.head):
                    subj, main = ent.root, True  # "according to X": X is a speaker
                self.names.add_mention(
                    _Mention(
                        ent.start_char,
                        ent.end_char,
                        name,
                        self.sent_index(ent.start_char),
                        subj is not None,
                        kind,
                        main,
                        _salience_weight(
                            subj if subj is not None else ent.root, subj is not None, main
                        ),
                        _in_participle(ent.root),
                    )
                )
                if kind == "person":
                    self._note_role(ent, name)
        self._propn_subjects()
        self._group_subjects()
        self._infer_gender()
        self._resolve_pronouns()

    def _group_subjects(self) -> None:
        """Plural noun-phrase subjects ("Critics of the program", "Small groups of protesters"):
        what a later "they said" most often means in news."""
        for tok in self.doc:
            if tok.tag_ != "NNS" or tok.dep_ not in _SUBJECT_DEPS or self.in_quote(tok.idx):
                continue
            if tok.i in self.ent_of:
                continue
            s0, s1 = _np_span(tok)
            main = _main_subject(tok)
            self.names.add_mention(
                _Mention(
                    s0,
                    s1,
                    self.text[s0:s1],
                    self.sent_index(tok.idx),
                    True,
                    "group",
                    main,
                    _salience_weight(tok, True, main),
                    _in_participle(tok),
                )
            )

    def _resolve_pronouns(self) -> None:
        """Resolve he/she/him/her outside quotes in text order, each joining its referent's chain.

        Done once, front to back, so salience builds up the way a reader's does: "Fowler noted …
        he said … he argued" keeps Fowler ahead of the names mentioned in passing in between.
        """
        for tok in self.doc:
            lower = tok.lower_
            if lower not in ("he", "she", "him") and not (lower == "her" and tok.dep_ != "poss"):
                continue
            if tok.pos_ != "PRON" or self.in_quote(tok.idx):
                continue
            sent = self.sent_index(tok.idx)
            m = self.names.salient(tok.idx, sent, lower)
            if m is None:
                continue
            self.pronoun_ref[tok.i] = m.name
            self.names.note_gender(m.name, lower)
            subject = tok.dep_ in _SUBJECT_DEPS
            main = subject and _main_subject(tok)
            self.names.add_mention(
                _Mention(
                    tok.idx,
                    tok.idx + len(tok),
                    m.name,
                    sent,
                    subject,
                    "person",
                    main,
                    _salience_weight(tok, subject, main),
                )
            )

    def _known_person(self, ent: Any) -> bool:
        """An entity the model typed ORG/GPE whose text is the surname of a person named earlier."""
        name, _ = _clean_name(ent.text)
        words = name.split()
        if _first_last_as_org(ent):
            return True
        return len(words) == 1 and words[0].lower() in self.names.by_last

    def _propn_subjects(self) -> None:
        """The small model misses many surnames as PERSON ("Ham said"); a proper-noun subject that
        matches a name already seen, or is a common first name, is a person mention all the same."""
        covered = {m.pos for m in self.names.mentions}
        for tok in self.doc:
            according = tok.dep_ == "pobj" and _is_according_to(tok.head)
            subject = tok.dep_ in _SUBJECT_DEPS or according
            if tok.pos_ != "PROPN" or self.in_quote(tok.idx) or tok.lower_ in _PLATFORMS:
                continue
            ent = self.ent_of.get(tok.i)
            if ent is not None and (ent.start_char in covered or ent.label_ in _NAME_LABELS):
                continue
            key = tok.text.lower()
            # a lone first name the model did not tag ("Melanie thought …") is a person too
            first_gender = _first_name_gender().get(tok.text.upper()) if ent is None else None
            known = key in self.names.by_last or key in self.names.by_first
            if not known and (first_gender is None or tok.text[:1].islower() or not subject):
                continue
            if not subject and tok.dep_ == "compound":
                continue  # "Trump campaign", "Clinton Foundation": not a mention of the person
            name = self.names.canonical(tok.text)
            if first_gender is not None and " " not in name:
                self.names.name_prior.setdefault(name, first_gender)
            self.names.add_mention(
                _Mention(
                    tok.idx,
                    tok.idx + len(tok),
                    name,
                    self.sent_index(tok.idx),
                    subject,
                    "person",
                    according or (subject and _main_subject(tok)),
                    _SPEAKER_WEIGHT
                    if according
                    else _salience_weight(tok, subject, subject and _main_subject(tok)),
                    _in_participle(tok),
                )
            )

    def _infer_gender(self) -> None:
        """Gender from the article itself: he/she pronouns in a sentence (and the one after) where
        a single person is named. A weak cue, used only to rule candidates out."""
        votes: dict[str, Counter[str]] = {}
        by_sent: dict[int, set[str]] = {}
        for m in self.names.mentions:
            if m.kind == "person":
                by_sent.setdefault(m.sent, set()).add(m.name)
        for s, names in by_sent.items():
            if len(names) != 1:
                continue
            (name,) = names
            scope = [s] + ([s + 1] if s + 1 < len(self.sents) and s + 1 not in by_sent else [])
            for k in scope:
                for tok in self.sents[k]:
                    g = _PRONOUN_GENDER.get(tok.lower_)
                    # subject pronouns only: "his"/"her" often point at someone else
                    if g and tok.dep_ in _SUBJECT_DEPS and not self.in_quote(tok.idx):
                        votes.setdefault(name, Counter())[g] += 1
        for name, c in votes.items():
            (g, n), *rest = c.most_common()
            other = rest[0][1] if rest else 0
            prior = self.names.name_prior.get(name)
            # overturning the first-name prior takes more than a vote or two: the pronouns may
            # belong to someone the model did not tag as a person
            needed = 1 if prior in (None, g) else 3
            if n >= needed and n >= 2 * other + 1:
                self.names.gender.setdefault(name, g)

    def _note_role(self, ent: Any, name: str) -> None:
        """Remember "spokesman Josh Earnest" / "the spokesman, Josh Earnest" so "the spokesman"
        later means him."""
        root = ent.root
        for tok in self.doc[max(0, ent.start - 3) : ent.start]:
            if tok.pos_ in ("NOUN", "PROPN") and tok.head.i in range(ent.start, ent.end):
                self.names.add_role(tok.lemma_.lower().rstrip("."), ent.start_char, name)
        # "President Barack Obama" is often one entity with the title inside it
        first = self.doc[ent.start]
        if ent.end - ent.start >= 3 and first.lower_.rstrip(".") in _TITLES:
            self.names.add_role(first.lower_.rstrip("."), ent.start_char, name)
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            self.names.add_role(root.head.lemma_.lower(), ent.start_char, name)
        for child in root.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                self.names.add_role(child.lemma_.lower(), ent.start_char, name)

    # -- the frame: the words around a quote in its own sentence(s)
    def frame_tokens(self, start: int, end: int) -> list[Any]:
        first = self.sent_index(start)
        last = self.sent_index(max(start, end - 1))
        idx = {first, last}
        # "…win.” he said." may be split off as a sentence of its own
        if last + 1 < len(self.sents):
            nxt = self.sents[last + 1]
            stripped = self.text[end : nxt.start_char].strip("”\"'’ \t")
            if not stripped and len(nxt) <= 25 and self._lower_or_cue_start(nxt):
                idx.add(last + 1)
        # the model's sentences run over paragraph breaks; a paragraph's quote is framed in it
        p0 = self.text.rfind("\n", 0, start) + 1
        p1 = self.text.find("\n", end)
        p1 = len(self.text) if p1 < 0 else p1
        toks = [t for i in sorted(idx) for t in self.sents[i] if p0 <= t.idx < p1]
        # "Smith said:" then the quote, even in a paragraph of its own
        if first > 0 and self.sents[first - 1].text.rstrip().endswith(":"):
            toks = list(self.sents[first - 1]) + toks
        return [t for t in toks if not self.in_quote(t.idx) and not t.is_punct]

    def _lower_or_cue_start(self, sent: Any) -> bool:
        words = [t for t in sent if not t.is_punct]
        if not words:
            return False
        if words[0].text[:1].islower():
            return True
        return any(t.lemma_.lower() in SPEECH_VERBS for t in words[:6])

    def attribute_in_sentence(self, start: int, end: int) -> _Attribution | None:
        dashed = self._dash_attribution(end) or self._colon_credit(start)
        if dashed is not None:
            return dashed
        frame = self.frame_tokens(start, end)
        if not frame:
            return None
        for link in self.cue_links(start, end, frame):
            if not link.rules_take:
                continue
            speaker, span = self.resolve_mention(link.subject, (start, end))
            return _Attribution(speaker, span, link.cue_text, link.cue.idx, link.governed, "cue")
        return None

    def cue_links(self, start: int, end: int, frame: list[Any] | None = None) -> list[_CueLink]:
        """The reporting verbs of a quote's frame with who could be their subject, in the order
        the rules try them (a verb the quote hangs on first, then the nearest): for each verb the
        parse's subject, else the name beside it, a participle's object or the main clause's
        subject. The rules take the first; the speaker model sees them all."""
        frame = self.frame_tokens(start, end) if frame is None else frame
        quote_toks = {t.i for t in self.doc if start <= t.idx < end}
        cands: list[tuple[tuple[int, int], Any, bool]] = []
        for tok in frame:
            lemma = tok.lemma_.lower()
            according = lemma == "accord" or tok.lower_ == "according"
            if tok.pos_ not in ("VERB", "AUX") and not according:
                continue
            governs = any(self.doc[q].head.i == tok.i for q in quote_toks)
            if not (lemma in SPEECH_VERBS or according or governs):
                continue
            # 'the so-called “reform” was passed': a quote that is a non-reporting verb's subject
            # is a thing being talked about, not speech
            if lemma not in SPEECH_VERBS and any(
                self.doc[q].head.i == tok.i and self.doc[q].dep_ in _SUBJECT_DEPS
                for q in quote_toks
            ):
                continue
            if according and not any(c.lower_ == "to" for c in tok.children):
                continue
            dist = start - (tok.idx + len(tok)) if tok.idx < start else tok.idx - end
            speech = lemma in SPEECH_VERBS or according
            # a reporting verb the parse hangs the quote on beats one that merely sits nearby
            rank = 0 if (speech and governs) else 1 if speech else 2
            cands.append(((rank, abs(dist)), tok, governs))
        out: list[_CueLink] = []
        ordered = _prefer_embedded_speech(sorted(cands, key=lambda c: c[0]), start)
        for rank, (_, cue, governs) in enumerate(ordered):
            speech = cue.lemma_.lower() in SPEECH_VERBS
            according = cue.lower_ == "according"
            tried: list[tuple[Any | None, bool]] = [
                (self._participle_object(cue) or self._subject(cue), False)
            ]
            if governs or speech:
                tried.append((self._adjacent_subject(cue), True))
            if cue.tag_ == "VBG" and speech:
                tried.append((self._main_clause_subject(cue), True))
            first = True  # the first subject found is the one the rules take for this verb
            for subj, fallback in tried:
                if subj is None:
                    continue
                if not self.in_quote(subj.idx):
                    out.append(
                        _CueLink(
                            cue=cue,
                            subject=subj,
                            governs=governs,
                            speech=speech or according,
                            according=according,
                            rank=rank,
                            fallback=fallback,
                            rules_take=first,
                            cue_text="according to" if according else cue.text,
                            governed=governs or cue.lemma_ in SPEECH_VERBS,
                        )
                    )
                first = False
        return out

    def _colon_credit(self, start: int) -> _Attribution | None:
        """'Trump: ‘I’m the worst thing …’', 'RAMOS: Secretary Clinton, …': a line that opens with
        a name and a colon, the way headlines and transcripts credit a quote, with no verb."""
        line0 = self.text.rfind("\n", 0, start) + 1
        mark = start
        while mark > line0 and self.text[mark - 1] in "“\"'‘`":
            mark -= 1
        prefix = self.text[line0:mark].rstrip()
        if not prefix.endswith(":") or not 1 <= _words(prefix) <= 10:
            return None
        toks = [t for t in self.doc if line0 <= t.idx < line0 + len(prefix) - 1]
        if not toks or any(t.lemma_.lower() in SPEECH_VERBS and t.pos_ == "VERB" for t in toks):
            return None
        for t in toks:
            ent = self.ent_of.get(t.i)
            if ent is not None and ent.label_ in _NAME_LABELS:
                name = self.names.canonical(ent.text)
                return _Attribution(
                    name, (ent.start_char, ent.end_char), None, governed=True, origin="credit"
                )
        lead: list[Any] = []
        for t in toks[:4]:
            # headlines are title-cased, so the tagger often calls the name a common noun
            if t.pos_ != "PROPN" and not (t.pos_ == "NOUN" and t.text.istitle()):
                break
            lead.append(t)
        if not lead:
            return None
        s0, s1 = lead[0].idx, lead[-1].idx + len(lead[-1])
        return _Attribution(
            self.names.canonical(self.text[s0:s1]), (s0, s1), None, governed=True, origin="credit"
        )

    def _dash_attribution(self, end: int) -> _Attribution | None:
        """'“…” ― Carla Sanchez': a name after a dash, the way lists of reactions are credited."""
        m = _DASH_CREDIT.match(self.text, end)
        if m is None:
            return None
        s0, s1 = m.span(1)
        toks = [t for t in self.doc if s0 <= t.idx < s1]
        if not toks or toks[0].pos_ != "PROPN":
            return None
        ent = self.ent_of.get(toks[0].i)
        if ent is not None and ent.start_char >= s0:
            s1 = ent.end_char
            name = self.names.canonical(ent.text) if ent.label_ in _NAME_LABELS else ent.text
        else:
            name = self.names.canonical(self.text[s0:s1])
        return _Attribution(name, (s0, s1), None, governed=True, origin="credit")

    def _subject(self, cue: Any) -> Any | None:
        if cue.lower_ == "according":
            for to in cue.children:
                if to.lower_ == "to":
                    for obj in to.children:
                        if obj.dep_ == "pobj":
                            return obj
            return None
        tok = cue
        for _ in range(3):
            for child in tok.children:
                # the parser often makes a word of the quote itself a second subject, or a dash
                # before the name a first one ("made public ― Trump boasted")
                if (
                    child.dep_ in _SUBJECT_DEPS
                    and not self.in_quote(child.idx)
                    and any(c.isalnum() for c in child.text)
                ):
                    return child
            for child in tok.children:  # "was quoted by X", "told by X"
                if child.dep_ == "agent":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            return obj
            # "footage of Clinton asking, “…”", "a man yelling “…”": the noun the participle modifies
            speech = tok.lemma_.lower() in SPEECH_VERBS
            if speech and tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
                return tok.head
            if tok.dep_ in ("conj", "xcomp", "advcl", "ccomp") and tok.head.i != tok.i:
                tok = tok.head
            else:
                break
        return None

    def _participle_object(self, cue: Any) -> Any | None:
        """The name or pronoun right before a reporting participle, as an object: 'footage of
        Hillary Clinton asking, “…”', 'caught him saying “…”'. The one speaking is that object, not
        the subject of the verb the participle hangs on (the parse's "The ad uses …")."""
        if cue.tag_ != "VBG" or cue.lemma_.lower() not in SPEECH_VERBS or cue.i == 0:
            return None
        prev = self.doc[cue.i - 1]
        if prev.dep_ not in ("dobj", "pobj", "dative") or self.in_quote(prev.idx):
            return None
        ent = self.ent_of.get(prev.i)
        if ent is not None and ent.label_ in _MUTE_LABELS:
            return None  # "issued a statement on Tuesday saying": a date does not speak
        if prev.pos_ == "PROPN" or prev.lower_ in ("him", "her", "them"):
            return prev
        return None

    def _main_clause_subject(self, cue: Any) -> Any | None:
        """The subject of the main clause before a subjectless reporting participle: 'Mr. Trump
        hardly clarified the matter, … and, when questioned, asserting, “…”'. A participle's unstated
        subject is the main clause's; the parse often loses the link when the quote sits between."""
        for tok in cue.sent:
            if tok.i >= cue.i:
                break
            if (
                tok.dep_ == "nsubj"
                and tok.pos_ in ("PROPN", "PRON", "NOUN")
                and not self.in_quote(tok.idx)
                and not any(a.dep_ in ("advcl", "relcl", "acl") for a in tok.ancestors)
            ):
                return tok
        return None

    def _adjacent_subject(self, cue: Any) -> Any | None:
        """The name right beside a reporting verb the parser left without a subject.

        After a quote the small model often misparses the frame ('“…,” Tulsa police Chief Chuck
        Jordan said' with "Tulsa" as a verb; 'Said Ellis: “…”' with "Ellis" as the root). The
        words between the quote (or the sentence start) and the verb, or right after the verb, are
        then the speaker when they hold a proper noun and no other verb.
        """
        sent = cue.sent
        relative = self._before_relative_clause(cue)
        if relative is not None:
            return relative
        before: list[Any] = []
        for tok in reversed(self.doc[sent.start : cue.i]):
            if self.in_quote(tok.idx) or tok.text in _QUOTE_PUNCT:
                break
            before.insert(0, tok)
        runs = [before]
        # inversion: the verb right after the quote or opening the sentence ('Said Ellis:')
        if not [t for t in before if not (t.is_punct or t.is_space)] and cue.lemma_ != "tell":
            after: list[Any] = []
            for tok in self.doc[cue.i + 1 : sent.end]:
                if self.in_quote(tok.idx) or tok.is_punct or tok.pos_ in ("VERB", "AUX", "ADP"):
                    break
                after.append(tok)
            runs.append(after)
        for run in runs:
            words = [t for t in run if not (t.is_punct or t.is_space)]
            if not words or len(words) > 12 or any(t.pos_ == "AUX" for t in words):
                continue
            if any(t.pos_ == "VERB" and t.i != words[0].i for t in words):
                continue
            people = [t for t in words if t.ent_type_ in _NAME_LABELS]
            if people:
                return self.ent_of[people[0].i].root
            names = [t for t in words if t.pos_ == "PROPN" or t.ent_type_ in _ORG_LABELS]
            if names:
                return names[-1]
        return None

    def _before_relative_clause(self, cue: Any) -> Any | None:
        """'Trump, who would have to hand over ... the country, said, “…”': the name that a
        relative clause ending right before the verb describes. The parse often hangs such a
        name elsewhere ("Asked how genuine his ambition is, Trump, ...") and leaves the verb
        without a subject."""
        k = cue.i - 1
        while k >= cue.sent.start and self.doc[k].is_punct:
            k -= 1
        if k < cue.sent.start:
            return None
        for anc in self.doc[k].ancestors:
            if anc.dep_ == "relcl" and anc.head.i < cue.i:
                head = anc.head
                if head.ent_type_ in _NAME_LABELS and not self.in_quote(head.idx):
                    return head
                return None
        return None

    def names_in(self, start: int, end: int) -> frozenset[str]:
        """People a quote talks about by name: a speaker seldom names themself in the third person,
        so a pronoun introducing the quote is unlikely to mean them."""
        out = set()
        # a quote within the quote may address the speaker by name ("he always told me, ‘Billie
        # Jean King, you are the queen’"): such a vocative says nothing against the speaker
        vocatives: list[tuple[int, int]] = []
        for a, b, _ in find_quoted(self.text[start:end]):
            m = _VOCATIVE_RE.match(self.text, start + a, start + b)
            if m is not None:
                vocatives.append(m.span(1))
        for tok in self.doc.char_span(start, end, alignment_mode="expand") or ():
            if tok.pos_ != "PROPN" or any(a <= tok.idx < b for a, b in vocatives):
                continue
            key = tok.text.lower()
            if key in self.names.by_last or key in self.names.by_first:
                out.add(self.names.canonical(tok.text))
        return frozenset(out)

    def resolve_mention(
        self, tok: Any, quote: tuple[int, int] | None = None, *, commit: bool = True
    ) -> tuple[str | None, tuple[int, int]]:
        """The name a subject token stands for, and where it is mentioned; ``quote`` is the quote
        the token introduces, whose named people a pronoun then does not mean. ``commit=False``
        looks without letting a pronoun's answer teach gender or correct its chain (for
        describing candidates that may not be chosen)."""
        lower = tok.lower_
        if lower in _RELATIVE and tok.head.dep_ == "relcl":
            tok = tok.head.head
            lower = tok.lower_
        span = (tok.idx, tok.idx + len(tok))
        if tok.pos_ == "PRON" or lower in _PRONOUN_GENDER or lower in _ORG_PRONOUNS:
            if lower in ("i", "me", "you", "we") and lower != "we":
                return None, span
            exclude = self.names_in(*quote) if quote is not None else frozenset()
            if tok.i in self.pronoun_ref and self.pronoun_ref[tok.i] not in exclude:
                return self.pronoun_ref[tok.i], span
            m = self.names.salient(tok.idx, self.sent_index(tok.idx), lower, exclude=exclude)
            if m is None:
                return None, span
            if not commit:
                return m.name, span
            if m.kind == "person":
                self.names.note_gender(m.name, lower)
            if tok.i in self.pronoun_ref:  # the chain now goes on with the corrected referent
                self.pronoun_ref[tok.i] = m.name
                self.names.rename_at(tok.idx, m.name)
            return m.name, span
        issuer = self._issuer(tok)
        if issuer is not None:
            return self.resolve_mention(issuer, quote, commit=commit)
        ent = self.ent_of.get(tok.i)
        if ent is not None and ent.label_ in _NAME_LABELS:
            return self.names.canonical(ent.text), (ent.start_char, ent.end_char)
        # "the spokesman, John Doe," / "White House spokesman Josh Earnest"
        for child in tok.children:
            if child.dep_ in ("appos", "compound"):
                sub = self.ent_of.get(child.i)
                if sub is not None and sub.label_ in _NAME_LABELS:
                    return self.names.canonical(sub.text), (sub.start_char, sub.end_char)
        if ent is not None and ent.label_ in _ORG_LABELS:
            # the small model often types a surname ORG ("Trump saying"): the person named earlier
            name = self.names.canonical(ent.text) if self._known_person(ent) else ent.text
            return name, (ent.start_char, ent.end_char)
        if tok.pos_ == "PROPN":
            left = tok
            while (
                left.i > 0
                and self.doc[left.i - 1].pos_ == "PROPN"
                and self.doc[left.i - 1].head.i == tok.i
            ):
                left = self.doc[left.i - 1]
            raw = self.doc[left.i : tok.i + 1].text
            return self.names.canonical(raw), (left.idx, tok.idx + len(tok))
        role = tok.lemma_.lower()
        det = [c for c in tok.children if c.dep_ == "det"]
        definite = bool(det) and det[0].lower_ in ("the", "this", "that")
        named = self.names.role(role, tok.idx) if definite else None
        if named is not None:
            return named, span
        # an unnamed but described source ("a senior aide", "the campaign")
        parts = [c for c in tok.lefts if c.dep_ in ("det", "amod", "compound", "nmod", "poss")]
        left_i = min([tok.i, *(c.i for c in parts)])
        phrase = self.doc[left_i : tok.i + 1]
        return phrase.text, (phrase.start_char, phrase.end_char)

    def _issuer(self, tok: Any) -> Any | None:
        """Who put out the statement, video or sign a quote is read from: 'Mr. Trump issued a
        statement saying, “…”', 'Trump released a video that said “…”'. A document does not
        speak; the person or organisation that issued it does (the subject of the verb the
        document is the object of)."""
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in _ISSUED or tok.dep_ != "dobj":
            return None
        verb = tok.head
        for child in verb.children:
            named = child.pos_ in ("PROPN", "PRON") or child.i in self.ent_of
            if child.dep_ == "nsubj" and named and not self.in_quote(child.idx):
                return child
        return None

    def speaker_in_sentence(self, index: int) -> _Attribution | None:
        """A reporting verb with a subject anywhere in sentence ``index`` (outside quotes)."""
        sent = self.sents[index]
        for tok in sent:
            if self.in_quote(tok.idx) or tok.lemma_.lower() not in SPEECH_VERBS:
                continue
            if tok.pos_ != "VERB":
                continue
            subj = self._subject(tok)
            if subj is None or self.in_quote(subj.idx):
                continue
            speaker, span = self.resolve_mention(subj)
            if speaker is not None:
                return _Attribution(speaker, span, tok.text, tok.idx)
        return None


def _prefer_embedded_speech(
    cands: list[tuple[tuple[int, int], Any, bool]], start: int
) -> list[tuple[tuple[int, int], Any, bool]]:
    """Put a reporting verb nested under the chosen cue, and nearer the quote on the same side,
    first: the parser hangs a quote on the sentence's main verb ("The spot concludes with footage
    of Trump saying, “…”"; "Clinton attacked him for saying, “…”"), but the nearer embedded
    reporting verb is the one that introduces it."""
    if not cands:
        return cands
    (_, top_dist), top, _ = cands[0]
    before = top.idx < start
    nested = [
        c
        for c in cands[1:]
        if c[1].lemma_.lower() in SPEECH_VERBS
        and top.is_ancestor(c[1])
        and (c[1].idx < start) == before
        and c[0][1] < top_dist
    ]
    if not nested:
        return cands
    best = min(nested, key=lambda c: c[0][1])
    return [best, *(c for c in cands if c is not best)]


def _first_last_as_org(ent: Any) -> bool:
    """An ORG entity that is a common first name and one more proper noun ("Carly Fiorina"): the
    small model types some politicians' names ORG, and then no he/she can mean them."""
    if ent.label_ != "ORG" or len(ent) != 2:
        return False
    first, last = ent[0], ent[1]
    return bool(
        first.pos_ == "PROPN"
        and last.pos_ == "PROPN"
        and first.text.istitle()
        and last.text[:1].isupper()
        and first.text.upper() in _first_name_gender()
    )


def _main_subject(tok: Any) -> bool:
    """Subject of the sentence's main verb or of a reporting verb: the salient kind of subject."""
    head = tok.head
    return bool(head.dep_ == "ROOT" or head.lemma_.lower() in SPEECH_VERBS)


def _np_span(tok: Any) -> tuple[int, int]:
    """Character span of a noun phrase: its modifiers on the left and an "of" phrase on the right
    ("small groups of protesters"), without relative clauses or other trailing material."""
    left = [c for c in tok.lefts if c.dep_ in ("det", "amod", "compound", "nummod", "poss", "nmod")]
    first = min([tok, *left], key=lambda t: t.i)
    first = min(first.subtree, key=lambda t: t.i) if left else first
    last = tok
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ == "of":
            last = max(c.subtree, key=lambda t: t.i)
            break
    return first.idx, last.idx + len(last)


def _is_according_to(tok: Any) -> bool:
    return bool(tok.lower_ == "to" and tok.head.lower_ == "according")


def _in_participle(tok: Any) -> bool:
    """Whether ``tok`` sits under a subjectless participle clause ("Asked about X, she …")."""
    for a in tok.ancestors:
        if (
            a.tag_ in ("VBN", "VBG")
            and a.dep_ in ("advcl", "ROOT", "csubj")
            and not any(c.dep_ in _SUBJECT_DEPS for c in a.children)
            and a.i < a.head.i
        ):
            return True
    return False


def _salience_weight(tok: Any, subject: bool, main: bool) -> float:
    """A mention's salience weight from its head token's place in the parse."""
    w = _W_RECENT
    if subject:
        w += _W_SUBJ + (_W_MAIN if main else 0.0)
    elif tok.dep_ in ("dobj", "dative", "attr"):
        w += _W_OBJ
    if tok.dep_ not in _EMBEDDED_DEPS:
        w += _W_HEAD
    if not any(a.dep_ in _SIDE_CLAUSE_DEPS for a in tok.ancestors):
        w += _W_NONADV
    return w


def _words(s: str) -> int:
    return len(_WORD_RE.findall(s))


#: Per quote, as :func:`extract_quotes` saw it: the quote's span and its speaker candidates,
#: each a mention span and its features (what ``bench/fit_quote_speakers.py`` fits on).
SpeakerTrace = list[tuple[tuple[int, int], list[tuple[tuple[int, int], dict[str, float]]]]]


def extract_quotes(
    text: str,
    source: str,
    doc: Any,
    *,
    rules_only: bool = False,
    model: speakers.SpeakerModel | None = None,
    trace: SpeakerTrace | None = None,
) -> tuple[Quote, ...]:
    """Direct quotes of ``text`` with their speakers; ``doc`` is ``models.spacy(text)``.

    Each quote's speaker is the best of its candidates by the fitted speaker model (``model``,
    else the one shipped); ``rules_only`` keeps the rules' choice. ``trace``, when given, receives
    every quote's candidates and their features."""
    ranker = None if rules_only else model or speakers.load()
    art = _Article(text, doc)
    out: list[Quote] = []
    resolved: list[_Attribution | None] = []
    last_by_para: dict[int, _Attribution] = {}
    previous: _Attribution | None = None
    for st in art.stretches:
        # in text order, so a pronoun can resolve to the speaker of the quote before it
        att = art.attribute_in_sentence(st.start, st.end)
        short = _words(text[st.start : st.end]) <= SCARE_MAX_WORDS
        if short and (att is None or not att.governed):
            resolved.append(None)
            continue
        continued = None
        if st.continues is not None and st.continues < len(resolved):
            continued = resolved[st.continues]
        rule_origin = att.origin if att is not None else "context"
        if att is None:
            att = continued
        if att is None:
            att = _context_attribution(art, st, last_by_para)
        if ranker is not None or trace is not None:
            context = _Context(continued, last_by_para.get(st.paragraph), previous)
            cands = _candidates(art, st, att, rule_origin, context)
            if trace is not None:
                trace.append(((st.start, st.end), [(c.span, c.features) for c in cands]))
            if ranker is not None and cands:
                att = _chosen(art, st, att, cands, ranker)
        resolved.append(att)
        if att is not None and att.speaker is not None:
            last_by_para[st.paragraph] = att
            previous = att
            if att.speaker_span is not None:
                # later pronouns prefer the last speaker: record them as subject mentions
                s0, s1 = att.speaker_span
                kind = _kind(art, att.speaker, s0)
                if kind is not None and not art.names.has_mention_at(s0):
                    art.names.add_mention(
                        _Mention(s0, s1, att.speaker, art.sent_index(s0), True, kind, True)
                    )
        out.append(
            Quote(
                span=Span(source, st.start, st.end),
                text=text[st.start : st.end],
                speaker=att.speaker if att else None,
                speaker_span=Span(source, *att.speaker_span) if att and att.speaker_span else None,
                cue=att.cue if att else None,
                sentence_index=art.sent_index(st.start),
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------- speaker candidates

_PRON_KINDS = {
    **dict.fromkeys(("he", "she", "him", "her"), "pron_person"),
    **dict.fromkeys(("they", "them", "it", "we", "us"), "pron_other"),
    **dict.fromkeys(("i", "me"), "pron_first"),
    **dict.fromkeys(("who", "whom", "that", "which"), "relative"),
}


@dataclass(frozen=True, slots=True)
class _Context:
    """The speakers a quote may go on from: the quote it continues, this paragraph's last
    speaker, and the last speaker of all."""

    continued: _Attribution | None
    paragraph: _Attribution | None
    previous: _Attribution | None


@dataclass(slots=True)
class _Candidate:
    span: tuple[int, int]
    name: str | None
    head: Any  # the mention's head token
    features: dict[str, float]
    link: _CueLink | None = None  # the reporting verb that makes it a speaker, if one does
    attribution: _Attribution | None = None  # the rules' or a context speaker's own record


def _candidates(
    art: _Article, st: _Stretch, rule: _Attribution | None, rule_origin: str, context: _Context
) -> list[_Candidate]:
    """Who could have said the quote ``st``: the rules' pick, every subject of a reporting verb
    in its frame, the names, groups and subject pronouns of its sentence(s), the sentence before
    and the one after, and the speakers it may go on from. One candidate per mention."""
    by_start: dict[int, _Candidate] = {}
    quote = (st.start, st.end)

    def add(span: tuple[int, int], name: str | None, head: Any) -> _Candidate:
        c = by_start.get(span[0])
        if c is None:
            c = by_start[span[0]] = _Candidate(span, name, head, {})
        return c

    def head_at(span: tuple[int, int]) -> Any | None:
        toks = art.doc.char_span(span[0], span[1], alignment_mode="expand")
        return toks.root if toks is not None and len(toks) else None

    if rule is not None and rule.speaker_span is not None:
        head = head_at(rule.speaker_span)
        if head is not None:
            c = add(rule.speaker_span, rule.speaker, head)
            c.attribution = rule
            c.features["rule"] = 1.0
            c.features[f"rule_{rule_origin}"] = 1.0
    for link in art.cue_links(st.start, st.end):
        name, span = art.resolve_mention(link.subject, quote, commit=False)
        c = add(span, name, link.subject)
        f = c.features
        kind = "cue_fallback" if link.fallback else "cue_subject"
        f[kind] = 1.0
        if c.link is None or link.rank < c.link.rank:
            c.link = link
            f["cue_rank"] = math.log1p(link.rank)
        f["cue_governs"] = max(f.get("cue_governs", 0.0), float(link.governs))
        f["cue_speech"] = max(f.get("cue_speech", 0.0), float(link.speech))
        f["cue_according"] = max(f.get("cue_according", 0.0), float(link.according))
    first = art.sent_index(st.start)
    last = art.sent_index(max(st.start, st.end - 1))
    p0 = art.text.rfind("\n", 0, st.start) + 1
    p1 = art.text.find("\n", st.end)
    p1 = len(art.text) if p1 < 0 else p1

    def near(pos: int, sent: int) -> bool:
        # the quote's paragraph, and the sentence before it even over a paragraph break
        return first - 1 <= sent <= last + 1 and (p0 <= pos < p1 or sent == first - 1)

    for m in art.names.mentions:
        if near(m.pos, m.sent) and not art.in_quote(m.pos):
            head = head_at((m.pos, m.end))
            if head is not None:
                c = add((m.pos, m.end), m.name, head)
                c.features[m.kind if m.kind in ("org", "group") else "named"] = 1.0
    lo = art.sents[max(0, first - 1)].start
    hi = art.sents[min(len(art.sents) - 1, last + 1)].end
    for tok in art.doc[lo:hi]:
        if (
            tok.lower_ in _PRON_KINDS
            and tok.pos_ == "PRON"
            and tok.dep_ in _SUBJECT_DEPS
            and near(tok.idx, art.sent_index(tok.idx))
            and not art.in_quote(tok.idx)
        ):
            name, span = art.resolve_mention(tok, quote, commit=False)
            add(span, name, tok)
    for att in (context.continued, context.paragraph, context.previous):
        if att is None or att.speaker_span is None or att.speaker is None:
            continue
        head = head_at(att.speaker_span)
        if head is not None:
            c = add(att.speaker_span, att.speaker, head)
            if c.attribution is None:
                c.attribution = att
    quoted_names = art.names_in(st.start, st.end)
    said_before: Counter[str] = Counter(m.name for m in art.names.mentions if m.end <= st.start)
    for c in by_start.values():
        _describe(art, st, c, context, quoted_names, said_before, (first, last, p0, p1))
    return sorted(by_start.values(), key=lambda c: c.span)


def _describe(
    art: _Article,
    st: _Stretch,
    c: _Candidate,
    context: _Context,
    quoted_names: frozenset[str],
    said_before: Counter[str],
    where: tuple[int, int, int, int],
) -> None:
    """Fill in a candidate's features (see :data:`newsprism.compare.speakers.FEATURES`)."""
    first, last, p0, p1 = where
    f = c.features
    tok = c.head
    named = f.pop("named", 0.0)
    pron = _PRON_KINDS.get(tok.lower_) if tok.pos_ == "PRON" else None
    if pron is not None:
        f[pron] = 1.0
    elif f.get("org") or f.get("group"):
        pass
    elif named or (c.name is not None and c.name in art.names.fulls):
        f["person"] = 1.0
    else:
        ent = art.ent_of.get(tok.i)
        if ent is not None and ent.label_ in _NAME_LABELS:
            f["person"] = 1.0
        elif ent is not None and ent.label_ in _ORG_LABELS:
            f["org"] = 1.0
        elif tok.pos_ == "PROPN":
            f["person" if c.name and c.name.split()[-1].lower() in art.names.by_last else "org"] = 1
        else:
            f["description"] = 1.0
    if c.name is None:
        f["unresolved"] = 1.0
    elif " " in c.name and c.name in art.names.fulls:
        f["full_name"] = 1.0
    s0, s1 = c.span
    before = s1 <= st.start
    f["before"] = float(before)
    sent = art.sent_index(s0)
    if first <= sent <= last:
        f["same_sentence"] = 1.0
    elif sent == first - 1:
        f["prev_sentence"] = 1.0
    elif sent == last + 1:
        f["next_sentence"] = 1.0
    if not p0 <= s0 < p1:
        f["other_paragraph"] = 1.0
    gap = art.text[s1 : st.start] if before else art.text[st.end : s0]
    f["log_distance"] = math.log1p(_words(gap))
    if tok.dep_ in _SUBJECT_DEPS:
        f["subject"] = 1.0
        if _main_subject(tok):
            f["main_subject"] = 1.0
    if _in_participle(tok):
        f["in_participle"] = 1.0
    if c.name is not None:
        f["salience"] = math.log1p(said_before[c.name])
        if c.name in quoted_names:
            f["named_in_quote"] = 1.0
        for key, att in (
            ("continued_speaker", context.continued),
            ("para_speaker", context.paragraph),
            ("prev_speaker", context.previous),
        ):
            if att is not None and att.speaker == c.name:
                f[key] = 1.0


#: What a person or an organisation issues and a quote is then read from (see
#: ``_Article._issuer``).
_ISSUED = frozenset(
    {"statement", "video", "sign", "post", "message", "email", "letter", "ad", "tweet", "memo"}
    | {"note", "release", "banner", "placard", "poster", "flyer", "mailer", "commercial"}
)

#: Entity types that never speak: places, dates, works, laws (a country or a city "said" only
#: through a government, which the rules credit by name when the text gives one).
_MUTE_LABELS = frozenset(
    {"GPE", "LOC", "FAC", "DATE", "TIME", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT", "LANGUAGE"}
    | {"MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL"}
)


def _may_speak(art: _Article, c: _Candidate) -> bool:
    """A candidate the model may pick over the rules: the subject of a verb of the quote's frame
    that is not a place, a date or a work."""
    if c.link is None:
        return False
    ent = art.ent_of.get(c.head.i)
    return ent is None or ent.label_ not in _MUTE_LABELS


def _chosen(
    art: _Article,
    st: _Stretch,
    rule: _Attribution | None,
    cands: list[_Candidate],
    model: speakers.SpeakerModel,
) -> _Attribution | None:
    """The attribution of the best-scoring candidate that may speak: the rules' own pick, or the
    subject of a verb of the quote's frame (see :func:`_may_speak`). A mention tied to no such
    verb (a place, a programme, a person the sentence only talks about) is scored but never
    picked over the rules: unrestricted, the model's pick on the quotes PolNeAR leaves
    unannotated (scare quotes, titles) was often a place or a publication ("the White House",
    "Mexico", "MSNBC"), and on the annotated ones it gained only a few quotes of dev + fit."""
    allowed = [c for c in cands if c.features.get("rule") or _may_speak(art, c)]
    if not allowed:
        return rule
    scores = model.scores([c.features for c in allowed])
    best = allowed[int(np.argmax(scores))]
    if best.features.get("rule"):
        return rule
    if best.link is not None:
        link = best.link
        speaker, span = art.resolve_mention(link.subject, (st.start, st.end))
        return _Attribution(speaker, span, link.cue_text, link.cue.idx, link.governed, "cue")
    if best.attribution is not None:
        return best.attribution
    if best.head is not None and best.head.pos_ == "PRON":
        speaker, span = art.resolve_mention(best.head, (st.start, st.end))
        return _Attribution(speaker, span, None)
    return _Attribution(best.name, best.span, None)


def _kind(art: _Article, name: str, pos: int) -> str | None:
    """ "person" or "org" for a named speaker; None for a description ("a statement", "the ad"),
    which a later pronoun should not be drawn to."""
    if name in art.names.fulls or (" " not in name and name[:1].isupper()):
        return "person"
    toks = art.doc.char_span(pos, pos + 1, alignment_mode="expand")
    ent = art.ent_of.get(toks[0].i) if toks else None
    return "org" if ent is not None and ent.label_ in _ORG_LABELS else None


def _context_attribution(
    art: _Article, st: _Stretch, last_by_para: dict[int, _Attribution]
) -> _Attribution | None:
    """A quote with no reporting verb in its sentence: who spoke just before or just after."""
    first = art.sent_index(st.start)
    last = art.sent_index(max(st.start, st.end - 1))
    # an earlier attributed quote in the same paragraph goes on speaking
    if st.paragraph in last_by_para:
        return last_by_para[st.paragraph]
    # "Smith told reporters on Tuesday." then the quote
    if first > 0:
        prev = art.speaker_in_sentence(first - 1)
        if prev is not None and _same_paragraph(art, art.sents[first - 1].start_char, st.start):
            return prev
    # the quote, then "That was how Smith put it." in the same paragraph
    if last + 1 < len(art.sents) and _same_paragraph(art, st.end, art.sents[last + 1].start_char):
        nxt = art.speaker_in_sentence(last + 1)
        if nxt is not None:
            return nxt
    # the speaker of the paragraph before
    if st.paragraph - 1 in last_by_para:
        return last_by_para[st.paragraph - 1]
    if first > 0:
        prev = art.speaker_in_sentence(first - 1)
        if prev is not None:
            return prev
    m = art.names.salient(st.start, first, "")
    if m is not None:
        return _Attribution(m.name, (m.pos, m.end), None)
    return None


def _same_paragraph(art: _Article, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return "\n" not in art.text[lo:hi]


# -- comparing quotes across articles ---------------------------------------------------------


def norm_quote(q: Quote) -> str:
    """A quote's words in lower case, for comparing quotes across articles."""
    return " ".join(re.findall(r"\w+", q.text.lower()))


def quote_matches(a: Quote, b: Quote) -> float:
    """How closely two quotes carry the same words: 100 for verbatim, ~70+ for a close variant."""
    na, nb = norm_quote(a), norm_quote(b)
    if not na or not nb:
        return 0.0
    if na == nb or (min(len(na), len(nb)) >= 25 and (na in nb or nb in na)):
        return 100.0
    wa, wb = na.split(), nb.split()
    if min(len(wa), len(wb)) < 4:
        return 0.0
    # A different wording of one statement shares most of its words, not just "the president":
    # token_set_ratio alone scores a short quote high against any long one that holds its few
    # common words.
    shared = len(set(wa) & set(wb))
    if shared < max(4, 0.6 * min(len(set(wa)), len(set(wb)))):
        return 0.0
    return float(fuzz.token_set_ratio(na, nb))
