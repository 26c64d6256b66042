"""Direct quotes and their speakers on PolNeAR (political news, 2016), ours vs a simple baseline.

Data: ``polnear/<split>/text/<doc>.txt`` and ``attributions/<doc>_<annotator>.ann`` (brat standoff:
T lines are Source / Cue / Content spans, E lines link one attribution). Most documents have one
annotator file; where there are several we use the first in sorted order, so the run is
deterministic and every gold attribution comes from one consistent annotator.

Gold direct quotes are the Content spans whose text starts with a quote mark. For each one:

* detection: some predicted quote overlaps one of its pieces (the piece sets of a split quote are
  discontinuous brat spans); the predicted quote with the largest overlap is the match;
* speaker: the prediction is right when, after case-folding and stripping titles and possessives,
  it equals an acceptable name or shares its last name (containment both ways). Acceptable names
  are the gold Source string, the article's full name for it (a gold "Trump" accepts "Donald
  Trump"), and, when the gold Source is anaphoric (a pronoun, a relative pronoun or a "the <role>"
  description), the nearest preceding *named* gold Source of the same annotator and its full name.
  That last rule is a stand-in for coreference gold PolNeAR does not have, and it cuts both ways:
  reading the dev errors by hand, it marks some right answers wrong (the "she" of a person who is
  never a gold Source resolves to an earlier Source) and could accept a wrong one. So we also
  report the strict mention-level figure (the predicted ``speaker_span`` overlaps the gold Source
  span, i.e. we found the right mention, whatever it resolves to), over all gold quotes and over
  the found ones.

A few annotations name no speaker: no Source at all, a Source span that is its Cue, or Source and
Cue exchanged ("said" as Source, "Hester" as Cue). The headline accuracy counts them as they are;
``speaker_accuracy_usable_gold`` leaves out the first two and reads the swapped ones the right way
round (a one-word lower-case Source with a capitalised Cue).

Precision counts a predicted quote right when it overlaps any gold Content span (direct or
indirect: a partial quote inside reported speech is still attributed speech).

The baseline uses our detected quote spans and takes the nearest PERSON entity outside the quote in
the quote's sentence, else the last PERSON of the previous sentence.

``--sample N`` takes N documents round-robin by publisher (``metadata.tsv``; each publisher's
documents in name order), so a train check covers all seven publishers' house styles instead of
the first N names of the sorted list (which are all Breitbart).

``--rules-only`` scores the rules' speakers without the fitted speaker model
(``compare/speakers.py``) and prints, without writing results, for a before/after comparison;
``words_per_second_extract_only`` times ``extract_quotes`` alone, so it is comparable with cached
parses too.

Run: ``.venv/bin/python -m bench.quotes [--split dev] [--limit N | --sample N] [--errors FILE]``
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._common import eval_dir, write_results
from bench.split import part
from newsprism.compare.quotes import extract_quotes, find_quoted
from newsprism.config import load_settings
from newsprism.model import Quote
from newsprism.nlp import Models

QUOTE_MARKS = ("“", '"', "''", "``", "‘", "'")
PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "i",
        "we",
        "you",
        "him",
        "her",
        "them",
        "who",
        "which",
        "that",
        "whom",
        "this",
    ]
)
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sen",
        "senator",
        "rep",
        "gov",
        "president",
        "secretary",
        "gen",
        "judge",
        "rev",
        "the",
        "a",
        "an",
        "former",
        "vice",
    ]
)


@dataclass(frozen=True)
class TSpan:
    kind: str
    pieces: tuple[tuple[int, int], ...]
    text: str

    @property
    def start(self) -> int:
        return self.pieces[0][0]


@dataclass(frozen=True)
class Gold:
    content: TSpan
    source: TSpan | None
    accept: tuple[str, ...]
    usable: bool  # the annotation names a speaker at all (see ``source_usable``)
    # accept, with a Source/Cue swap ("said" as Source, "Hester" as Cue) put right
    accept_fixed: tuple[str, ...]
    cue: TSpan | None = None


def read_ann(path: Path) -> tuple[dict[str, TSpan], list[dict[str, str]]]:
    spans: dict[str, TSpan] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            kind, offs = parts[1].split(" ", 1)
            pieces = tuple((int(a), int(b)) for a, b in (p.split() for p in offs.split(";")))
            spans[parts[0]] = TSpan(kind, pieces, parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(x.split(":", 1) for x in parts[1].split()))
    return spans, events


def norm(s: str) -> list[str]:
    s = re.sub(r"['’]s\b", "", s.lower())
    words = re.findall(r"[a-z0-9][a-z0-9\-]*", s)
    while words and words[0] in TITLES:
        words = words[1:]
    return words


def is_anaphoric(s: str) -> bool:
    s = s.strip()  # some spans end in a no-break space ("He\xa0")
    words = s.split()
    if not words:
        return True
    if s.lower() in PRONOUNS:
        return True
    # "the president", "The New York businessman": a definite description with a common head
    return words[0].lower() in ("the", "this") and words[-1][:1].islower()


def is_named(s: str) -> bool:
    return not is_anaphoric(s) and any(w[:1].isupper() for w in s.split()[1:] or s.split())


def head_name(s: str) -> str:
    """The name part of a long Source span: "Mr. McGinley, the law professor" -> "Mr. McGinley"."""
    return re.split(r",|\(| who | whose ", s, maxsplit=1)[0].strip()


def span_person(doc: Any, span: TSpan) -> str | None:
    """The first PERSON entity inside a gold Source span ("The minister of the economy, Mr.
    Guajardo Villarreal," -> "Guajardo Villarreal"): how we read the name out of a long span."""
    lo, hi = span.pieces[0][0], span.pieces[-1][1]
    for e in doc.ents:
        if e.label_ == "PERSON" and lo <= e.start_char and e.end_char <= hi:
            return str(e.text)
    return None


def full_name(persons: Sequence[str], name: str) -> str | None:
    """The article's full form of a one-word name ("Trump" -> "Donald Trump"): the most frequent
    PERSON entity of two or more words ending in it."""
    words = norm(head_name(name))
    if len(words) != 1 or name.strip().lower() in PRONOUNS:
        return None
    cands = [p for p in persons if len(norm(p)) >= 2 and norm(p)[-1] == words[0]]
    return max(set(cands), key=cands.count) if cands else None


def names_for(doc: Any, persons: Sequence[str], span: TSpan) -> list[str]:
    out = [span.text]
    person = span_person(doc, span)
    if person:
        out.append(person)
    for n in list(out):
        fn = full_name(persons, n)
        if fn:
            out.append(fn)
    return out


def source_usable(source: TSpan | None, cue: TSpan | None) -> bool:
    """False for an attribution with no Source, or whose Source span is its Cue ("said"): an
    annotation slip that no prediction can match."""
    if source is None:
        return False
    if cue is None:
        return True
    return not any(overlap(a, b) for a in source.pieces for b in cue.pieces)


def swapped(source: TSpan, cue: TSpan) -> bool:
    """An annotation with Source and Cue exchanged: the Source is one lower-case word (the verb)
    and the Cue is capitalised (the name)."""
    return (
        len(source.text.split()) == 1
        and source.text.islower()
        and source.text.strip().lower() not in PRONOUNS
        and cue.text[:1].isupper()
    )


def gold_quotes(doc: Any, spans: dict[str, TSpan], events: list[dict[str, str]]) -> list[Gold]:
    persons = [str(e.text) for e in doc.ents if e.label_ == "PERSON"]
    named = sorted(
        (s for s in spans.values() if s.kind == "Source" and is_named(s.text)),
        key=lambda s: s.start,
    )
    people = [s for s in named if span_person(doc, s) or full_name(persons, s.text)]
    out: list[Gold] = []
    for ev in events:
        content = spans.get(ev.get("Content", ""))
        if content is None or not content.text.startswith(QUOTE_MARKS):
            continue
        source = spans.get(ev.get("Source", ""))
        accept: list[str] = []
        if source is not None:
            accept += names_for(doc, persons, source)
            if is_anaphoric(source.text):
                # he/she/I/who point at a person; they/it/which at anything named
                personal = source.text.strip().lower() in ("he", "she", "i", "who", "him", "her")
                pool = people if personal else named
                earlier = [s for s in pool if s.start < source.start]
                if earlier:
                    accept += names_for(doc, persons, earlier[-1])
        cue = spans.get(ev.get("Cue", ""))
        fixed = accept
        if source is not None and cue is not None and swapped(source, cue):
            fixed = names_for(doc, persons, cue)
        out.append(
            Gold(content, source, tuple(accept), source_usable(source, cue), tuple(fixed), cue)
        )
    return out


#: The kinds of gold quote the error listing counts, in the order they are printed.
CATEGORIES = (
    "pronoun",
    "description",
    "organisation",
    "first name only",
    "speaker before quote",
    "speaker after quote",
    "according to",
    "no cue (ours)",
    "multi-paragraph",
    "split",
    "nested",
)


def categories(
    doc: Any, text: str, quoted: Sequence[tuple[int, int, int | None]], g: Gold, pred: Quote | None
) -> list[str]:
    """The kinds of attribution a gold quote is (several may apply), for reading errors by kind:
    what the gold Source is (a pronoun, a "the <role>" description, an organisation, a first name
    alone), where it stands, the cue, and the quote's shape; ``quoted`` is ``find_quoted(text)``."""
    out: list[str] = []
    src = g.source
    if src is not None:
        s = src.text.strip()
        if s.lower() in PRONOUNS:
            out.append("pronoun")
        elif is_anaphoric(s):
            out.append("description")
        else:
            persons = [str(e.text) for e in doc.ents if e.label_ == "PERSON"]
            if span_person(doc, src) is None and full_name(persons, s) is None:
                words = norm(head_name(s))
                firsts = {norm(p)[0] for p in persons if len(norm(p)) >= 2}
                lasts = {norm(p)[-1] for p in persons if len(norm(p)) >= 2}
                if len(words) == 1 and words[0] in firsts and words[0] not in lasts:
                    out.append("first name only")
                elif not (len(words) == 1 and words[0] in lasts):
                    out.append("organisation")
        c0, c1 = g.content.pieces[0][0], g.content.pieces[-1][1]
        if src.pieces[-1][1] <= c0:
            out.append("speaker before quote")
        elif src.start >= c1:
            out.append("speaker after quote")
    if g.cue is not None and "accord" in g.cue.text.lower():
        out.append("according to")
    if pred is not None and pred.cue is None:
        out.append("no cue (ours)")
    c0 = g.content.start
    # a quote carried on from the paragraph before (it opens a paragraph, the last one left a
    # quote open), or one annotated over a paragraph break
    if any("\n" in text[a:b] for a, b in g.content.pieces) or any(
        a <= c0 + 1 < b and cont is not None for a, b, cont in quoted
    ):
        out.append("multi-paragraph")
    if len(g.content.pieces) > 1:
        out.append("split")
    inner = g.content.text[1:-1]
    if any(m in inner for m in ("“", "‘", "``")) or any(
        a < c0 and c0 + 1 < b for a, b, _ in quoted
    ):
        out.append("nested")
    return out


def speaker_ok(pred: str | None, accept: Sequence[str]) -> bool:
    if not pred:
        return False
    p = norm(pred) or pred.lower().split()
    for a in accept:
        g = norm(head_name(a)) or head_name(a).lower().split()
        if not g or not p:
            continue
        if p == g or p[-1] in g or g[-1] in p:
            return True
    return False


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def baseline_speaker(doc: Any, q: Quote) -> str | None:
    sents = list(doc.sents)
    starts = [s.start_char for s in sents]
    k = max(0, bisect.bisect_right(starts, q.span.start) - 1)
    persons = [e for e in sents[k].ents if e.label_ == "PERSON"]
    outside = [
        e for e in persons if overlap((e.start_char, e.end_char), (q.span.start, q.span.end)) == 0
    ]
    if outside:
        best = min(
            outside,
            key=lambda e: min(abs(e.start_char - q.span.end), abs(q.span.start - e.end_char)),
        )
        return str(best.text)
    if k > 0:
        prev = [e for e in sents[k - 1].ents if e.label_ == "PERSON"]
        if prev:
            return str(prev[-1].text)
    return None


def sample_by_publisher(root: Path, docs: Sequence[str], n: int) -> list[str]:
    """N documents taken round-robin over publishers, each publisher's in name order."""
    meta = root.parent / "metadata.tsv"
    publisher: dict[str, str] = {}
    with meta.open(encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        i_name, i_pub = header.index("filename"), header.index("publisher")
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) > max(i_name, i_pub):
                publisher[cols[i_name]] = cols[i_pub]
    queues: dict[str, list[str]] = {}
    for d in docs:
        queues.setdefault(publisher.get(d, d.split("_", 1)[0]), []).append(d)
    out: list[str] = []
    lists = [queues[p] for p in sorted(queues)]
    k = 0
    while len(out) < n and any(k < len(q) for q in lists):
        out += [q[k] for q in lists if k < len(q)][: n - len(out)]
        k += 1
    return sorted(out)


def parse(nlp: Any, text: str, cache: Path | None) -> Any:
    """``nlp(text)``, read from or written to ``cache`` when given (the parse is the slow part)."""
    from spacy.tokens import DocBin

    if cache is not None and cache.exists():
        return next(iter(DocBin().from_disk(cache).get_docs(nlp.vocab)))
    doc = nlp(text)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=[doc], store_user_data=True).to_disk(cache)
    return doc


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--sample", type=int, default=0, help="N docs round-robin by publisher")
    ap.add_argument("--errors", type=Path, help="write speaker errors here for inspection")
    ap.add_argument(
        "--part",
        choices=["fit", "check"],
        help="only the documents of this part of bench/split.py (fit: tune; check: report only)",
    )
    ap.add_argument(
        "--doc-cache",
        type=Path,
        help="keep the spaCy parses here (DocBin per document) so a re-run only re-attributes",
    )
    ap.add_argument(
        "--rules-only",
        action="store_true",
        help="speakers as the rules pick them, without the fitted speaker model (for comparing)",
    )
    args = ap.parse_args(argv)
    if args.errors and args.part == "check":
        ap.error("the check part is scored, never read: --errors is for dev and the fit part")

    root = eval_dir("polnear") / args.split
    models = Models(load_settings())
    nlp = models.spacy
    docs = sorted(p.stem for p in (root / "text").glob("*.txt"))
    if args.sample:
        docs = sample_by_publisher(root, docs, args.sample)
    elif args.limit:
        docs = docs[: args.limit]
    if args.part:
        docs = [d for d in docs if part(d) == args.part]

    n_gold = n_found = n_ours = n_base = n_mention = 0
    n_usable = n_usable_ours = n_usable_base = 0
    n_pred = n_pred_ok = 0
    words = 0
    secs = 0.0
    extract_secs = 0.0  # extract_quotes alone: comparable with cached parses too
    errors: list[str] = []
    # per category: gold quotes, wrong or missed ones, and the wrong ones whose mention was right
    by_cat: dict[str, list[int]] = {c: [0, 0, 0] for c in CATEGORIES}
    for name in docs:
        anns = sorted((root / "attributions").glob(f"{name}_*.ann"))
        if not anns:
            continue
        text = (root / "text" / f"{name}.txt").read_text(encoding="utf-8")
        spans, events = read_ann(anns[0])
        contents = [p for s in spans.values() if s.kind == "Content" for p in s.pieces]

        t0 = time.perf_counter()
        doc = parse(
            nlp, text, args.doc_cache / f"{args.split}-{name}.spacy" if args.doc_cache else None
        )
        t1 = time.perf_counter()
        quotes = extract_quotes(text, name, doc, rules_only=args.rules_only)
        secs += time.perf_counter() - t0
        extract_secs += time.perf_counter() - t1
        golds = gold_quotes(doc, spans, events)
        quoted = find_quoted(text)
        words += len(text.split())

        n_pred += len(quotes)
        n_pred_ok += sum(
            any(overlap((q.span.start, q.span.end), c) for c in contents) for q in quotes
        )
        for g in golds:
            n_gold += 1
            n_usable += g.usable
            best: Quote | None = None
            best_ov = 0
            for q in quotes:
                ov = sum(overlap((q.span.start, q.span.end), p) for p in g.content.pieces)
                if ov > best_ov:
                    best, best_ov = q, ov
            cats = categories(doc, text, quoted, g, best)
            for c in cats:
                by_cat[c][0] += 1
            if best is None:
                for c in cats:
                    by_cat[c][1] += 1
                errors.append(f"MISS {name}\t{g.content.text[:80]!r}\tgold={g.accept}")
                continue
            n_found += 1
            ok = speaker_ok(best.speaker, g.accept)
            base_ok = speaker_ok(baseline_speaker(doc, best), g.accept)
            n_ours += ok
            n_base += base_ok
            n_usable_ours += g.usable and speaker_ok(best.speaker, g.accept_fixed)
            n_usable_base += g.usable and speaker_ok(baseline_speaker(doc, best), g.accept_fixed)
            mention_ok = (
                g.source is not None
                and best.speaker_span is not None
                and any(
                    overlap((best.speaker_span.start, best.speaker_span.end), p) > 0
                    for p in g.source.pieces
                )
            )
            n_mention += mention_ok
            if not ok:
                for c in cats:
                    by_cat[c][1] += 1
                    by_cat[c][2] += mention_ok
                lo = max(0, text.rfind("\n", 0, max(0, g.content.start - 300)))
                hi = min(len(text), best.span.end + 120)
                errors.append(
                    f"WRONG {name}\t{g.content.text[:70]!r}\tpred={best.speaker!r} "
                    f"cue={best.cue!r}\tgold={g.accept}\n    [{', '.join(cats)}]"
                    f"{' right mention' if mention_ok else ''}"
                    f" source={g.source.text if g.source else None!r}\n    | "
                    + text[lo:hi].strip().replace("\n", "\n    | ")
                )

    def r(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0

    figures = {
        "split": args.split,
        "documents": len(docs),
        "gold_direct_quotes": n_gold,
        "predicted_quotes": n_pred,
        "detection_recall": r(n_found, n_gold),
        "detection_precision_vs_all_content": r(n_pred_ok, n_pred),
        "ours": {
            "speaker_accuracy": r(n_ours, n_gold),
            "speaker_accuracy_found": r(n_ours, n_found),
            "speaker_mention_overlap_found": r(n_mention, n_found),
            "speaker_mention_overlap_all": r(n_mention, n_gold),
            "speaker_accuracy_usable_gold": r(n_usable_ours, n_usable),
        },
        "baseline_nearest_person": {
            "speaker_accuracy": r(n_base, n_gold),
            "speaker_accuracy_found": r(n_base, n_found),
            "speaker_accuracy_usable_gold": r(n_usable_base, n_usable),
        },
        "gold_with_usable_source": n_usable,
    }
    if args.doc_cache is None:  # with cached parses the time is not the parse's
        figures["words_per_second_parse_and_extract"] = round(words / secs) if secs else 0
    figures["words_per_second_extract_only"] = round(words / extract_secs) if extract_secs else 0
    print(
        f"PolNeAR {args.split}: {len(docs)} docs, {n_gold} gold direct quotes, {n_pred} predicted"
    )
    print(
        f"  detection recall {figures['detection_recall']:.3f}   "
        f"precision vs all Content {figures['detection_precision_vs_all_content']:.3f}"
    )
    print(f"  {'':28} {'acc (all gold)':>15} {'acc (found)':>12}")
    print(f"  {'ours':28} {r(n_ours, n_gold):15.3f} {r(n_ours, n_found):12.3f}")
    print(f"  {'baseline: nearest PERSON':28} {r(n_base, n_gold):15.3f} {r(n_base, n_found):12.3f}")
    print(
        f"  ours, strict (speaker mention overlaps gold Source): {r(n_mention, n_gold):.3f} (all), "
        f"{r(n_mention, n_found):.3f} (found)"
    )
    print(
        f"  on the {n_usable} gold quotes with a usable Source: ours {r(n_usable_ours, n_usable):.3f}"
        f", baseline {r(n_usable_base, n_usable):.3f}"
    )
    if args.errors:
        # by kind, for reading the errors of the parts rules are written on (never the check part)
        print(
            f"  {'errors by kind of gold quote':28} {'gold':>6} {'wrong':>6} {'acc':>6} {'mention ok':>10}"
        )
        for c, (n, bad, men) in by_cat.items():
            print(f"  {c:28} {n:6d} {bad:6d} {r(n - bad, n):6.3f} {men:10d}")
        args.errors.write_text("\n".join(errors) + "\n", encoding="utf-8")
    if args.part:
        figures["part"] = args.part
    suffix = f"_{args.part}" if args.part else ""
    if args.rules_only:  # a comparison printed, never the figures of record
        speed = {k: v for k, v in figures.items() if k.startswith("words_per_second")}
        print(f"  rules only: {speed}")
    elif args.sample:
        figures["sample_round_robin_by_publisher"] = args.sample
        print(
            "results:",
            write_results(f"quotes_{args.split}_sample{args.sample}{suffix}", figures),
        )
    elif args.part:
        print("results:", write_results(f"quotes_{args.split}{suffix}", figures))
    elif args.limit == 0:
        print(
            "results:",
            write_results("quotes" if args.split == "dev" else f"quotes_{args.split}", figures),
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
