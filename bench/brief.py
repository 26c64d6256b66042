"""Speed of a brief on 3 and on 10 articles, cold and warm, next to sumy's LexRank.

Cold = a fresh Python process that imports, loads its models and produces the result (what a user
waits for on the first `newsprism brief`); warm = the same work in a process whose models are
already loaded (a server, a batch). newsprism's warm time includes the per-article analysis (the
analysis cache is fresh for every run). LexRank gets the same articles as one document and a
tokenizer of ours (its default needs NLTK data that is not installed), and summarises to 8
sentences: it is the reference for "an extractive summary", while newsprism also aligns sources,
finds conflicts, quotes and entities. Data: one BASIL event (3 outlets) and 10 WikiRef220 articles
on the MH370 disappearance.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench._common import ROOT, eval_dir, write_results

LEXRANK_SNIPPET = """
import json, re, sys
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.parsers.plaintext import PlaintextParser
from newsprism.clean.segment import split_sentences

class Tok:
    language = "english"
    def to_sentences(self, text):
        return [s.text for s in split_sentences(text)]
    def to_words(self, sentence):
        return re.findall(r"\\w+", sentence)

docs = json.load(open(sys.argv[1]))
parser = PlaintextParser.from_string("\\n\\n".join(d["text"] for d in docs), Tok())
summary = LexRankSummarizer()(parser.document, 8)
print(len(summary))
"""

NEWSPRISM_SNIPPET = """
import json, sys
import newsprism
from newsprism.model import RawDocument, SourceKind
docs = [RawDocument(origin=d["id"], kind=SourceKind.TEXT, content=d["text"], title=d.get("title"),
        outlet=d.get("outlet"), published=d.get("date")) for d in json.load(open(sys.argv[1]))]
b = newsprism.brief(docs)
print(len(b.summary), len(b.conflicts))
"""


def basil_event() -> list[dict[str, str]]:
    rows = [json.loads(line) for line in (eval_dir("basil") / "basil.jsonl").open()]
    first = rows[0]["cluster"]
    return [r for r in rows if r["cluster"] == first]


def mh370(n: int = 10) -> list[dict[str, str]]:
    base = eval_dir("wikiref220")
    names = [
        line.split("\t")[0]
        for line in (base / "labels.tsv").read_text().splitlines()[1:]
        if line.split("\t")[1] == "malaysia.airlines.flight"
    ]
    out = []
    for name in sorted(names)[:n]:
        text = (base / "docs" / name).read_text(encoding="utf-8", errors="replace")
        title, _, body = text.partition("\n")
        out.append({"id": name, "title": title.strip(), "text": body})
    return out


def run_cold(snippet: str, payload: Path, arg: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", snippet, arg], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import re

    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    import newsprism
    from newsprism.clean.segment import split_sentences
    from newsprism.config import load_settings
    from newsprism.model import RawDocument, SourceKind
    from newsprism.nlp import Models

    class Tok:
        language = "english"

        def to_sentences(self, text: str) -> list[str]:
            return [s.text for s in split_sentences(text)]

        def to_words(self, sentence: str) -> list[str]:
            return re.findall(r"\w+", sentence)

    settings = load_settings()
    models = Models(settings)
    figures: dict[str, dict[str, float]] = {}
    tmp = ROOT / "bench" / "results" / ".brief-input.json"
    for label, docs in (
        ("3 articles (BASIL event)", basil_event()),
        ("10 articles (WikiRef MH370)", mh370()),
    ):
        tmp.write_text(json.dumps(docs))
        words = sum(len(d["text"].split()) for d in docs)
        raws = [
            RawDocument(
                origin=d["id"],
                kind=SourceKind.TEXT,
                content=d["text"],
                title=d.get("title"),
                outlet=d.get("outlet"),
                published=d.get("date"),
            )
            for d in docs
        ]
        cold_np = statistics.median(
            run_cold(NEWSPRISM_SNIPPET, tmp, str(tmp)) for _ in range(args.repeat)
        )
        cold_lr = statistics.median(
            run_cold(LEXRANK_SNIPPET, tmp, str(tmp)) for _ in range(args.repeat)
        )
        newsprism.brief(raws, settings=settings, models=models)  # loads the models once
        warm_np = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            newsprism.brief(raws, settings=settings, models=models)
            warm_np.append(time.perf_counter() - t)
        warm_lr = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            parser = PlaintextParser.from_string("\n\n".join(d["text"] for d in docs), Tok())
            LexRankSummarizer()(parser.document, 8)
            warm_lr.append(time.perf_counter() - t)
        figures[label] = {
            "words": words,
            "newsprism_cold_s": round(cold_np, 2),
            "lexrank_cold_s": round(cold_lr, 2),
            "newsprism_warm_s": round(statistics.median(warm_np), 3),
            "lexrank_warm_s": round(statistics.median(warm_lr), 3),
        }
    tmp.unlink(missing_ok=True)
    print(
        f"{'input':<30} {'words':>6} {'cold np':>8} {'cold LR':>8} {'warm np':>8} {'warm LR':>8} {'warm ratio':>10}"
    )
    for label, f in figures.items():
        ratio = f["newsprism_warm_s"] / max(f["lexrank_warm_s"], 1e-9)
        f["warm_ratio"] = round(ratio, 2)
        print(
            f"{label:<30} {f['words']:>6} {f['newsprism_cold_s']:>8} {f['lexrank_cold_s']:>8} "
            f"{f['newsprism_warm_s']:>8} {f['lexrank_warm_s']:>8} {ratio:>10.2f}"
        )
    print("written:", write_results("brief", figures))


if __name__ == "__main__":
    main()
