"""Speed of a brief, cold and warm, next to sumy's LexRank on the same articles in the same run.

Cold = a fresh process: the ``newsprism brief`` command on a JSONL file of the articles (what a
user waits for on a first run), LexRank as a fresh Python that imports sumy and summarises; warm =
the same work in a process whose models are already loaded (a server, a batch), with a fresh
analysis cache each run. LexRank gets the articles as one document and a tokenizer of ours (its
default needs NLTK data that is not installed) and summarises to 8 sentences: the reference for
"an extractive summary", while newsprism also aligns sources, finds conflicts, quotes and entities.

Data: one BASIL event (3 outlets); WikiRef220 articles in name order: 10 and 25 on the MH370
disappearance, 50 = the 39 MH370 ones and 11 on the 2015 Paris attacks, 100 = MH370, Paris (36)
and 25 on Michelle Obama. Above 39 the articles are not one event (the set has no bigger one):
what those rows measure is how the cost grows with the number of articles.

``--profile`` prints, for 3, 10, 25, 50 and 100 articles, where a warm and a cold brief spend
their time by stage (see ``newsprism.timing``), and writes ``bench/results/brief_profile.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._common import ROOT, eval_dir, write_results

#: The budgets of issue #16, printed beside the figures.
WARM_10_BUDGET_S = 1.0
PER_ARTICLE_GROWTH_BUDGET = 1.2
COLD_3_BUDGET_S = 4.0
SIZES = (3, 10, 25, 50, 100)

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

docs = [json.loads(line) for line in open(sys.argv[1])]
parser = PlaintextParser.from_string("\\n\\n".join(d["text"] for d in docs), Tok())
summary = LexRankSummarizer()(parser.document, 8)
print(len(summary))
"""

#: A cold brief, stage by stage: imports, model loading, then the brief's own stages.
PROFILE_SNIPPET = """
import json, sys, time
t0 = time.perf_counter()
from newsprism import load_articles
from newsprism.compare.brief import build_brief
from newsprism.config import load_settings
from newsprism.formats import render
from newsprism.model import RawDocument, SourceKind
from newsprism.nlp import Models
from newsprism.timing import StageTimes
timer = StageTimes()
timer.seconds["import"] = time.perf_counter() - t0
settings = load_settings()
models = Models(settings)
with timer.stage("load models"):
    models.spacy, models.embedder
docs = [json.loads(line) for line in open(sys.argv[1])]
raws = [RawDocument(origin=d["id"], kind=SourceKind.TEXT, content=d["text"], title=d.get("title"),
        outlet=d.get("outlet"), published=d.get("date")) for d in docs]
with timer.stage("read"):
    articles = load_articles(raws, settings)
b = build_brief(articles, models=models, settings=settings, timer=timer)
with timer.stage("render"):
    render(b, "json"), render(b, "html")
print(json.dumps(timer.seconds))
"""


def basil_event() -> list[dict[str, str]]:
    rows = [json.loads(line) for line in (eval_dir("basil") / "basil.jsonl").open()]
    first = rows[0]["cluster"]
    return [r for r in rows if r["cluster"] == first]


def wikiref(topic: str, n: int) -> list[dict[str, str]]:
    base = eval_dir("wikiref220")
    names = [
        line.split("\t")[0]
        for line in (base / "labels.tsv").read_text().splitlines()[1:]
        if line.split("\t")[1] == topic
    ]
    out = []
    for name in sorted(names)[:n]:
        text = (base / "docs" / name).read_text(encoding="utf-8", errors="replace")
        title, _, body = text.partition("\n")
        out.append({"id": name, "title": title.strip(), "text": body})
    return out


def mh370(n: int = 10) -> list[dict[str, str]]:
    return wikiref("malaysia.airlines.flight", n)


def articles(n: int) -> tuple[str, list[dict[str, str]]]:
    """The n articles of a row and its label."""
    if n == 3:
        return "3 articles (BASIL event)", basil_event()
    if n <= 39:
        return f"{n} articles (WikiRef MH370)", mh370(n)
    docs = mh370(39) + wikiref("ParisAttacks2015", n - 39)
    if len(docs) < n:
        docs += wikiref("michelle.obama", n - len(docs))
    return f"{n} articles (WikiRef, {'2' if n <= 75 else '3'} topics)", docs


def write_jsonl(docs: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            row = {"url": f"https://bench.example/{d['id']}", "text": d["text"]}
            row |= {k: d[k] for k in ("title", "outlet", "date") if d.get(k)}
            f.write(json.dumps(row) + "\n")


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t


def newsprism_command() -> list[str]:
    script = Path(sys.executable).parent / "newsprism"
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsprism.cli"]


class Warm:
    """newsprism and LexRank in this process, models loaded once."""

    def __init__(self) -> None:
        import re

        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer

        from newsprism.clean.segment import split_sentences
        from newsprism.config import load_settings
        from newsprism.nlp import Models

        class Tok:
            language = "english"

            def to_sentences(self, text: str) -> list[str]:
                return [s.text for s in split_sentences(text)]

            def to_words(self, sentence: str) -> list[str]:
                return re.findall(r"\w+", sentence)

        self.tok = Tok()
        self.parser, self.lexrank = PlaintextParser, LexRankSummarizer
        self.settings = load_settings()
        self.models = Models(self.settings)

    def newsprism(self, docs: list[dict[str, str]]) -> dict[str, float]:
        """Seconds by stage of one brief with a fresh analysis cache, rendering included."""
        from newsprism import load_articles
        from newsprism.compare.brief import build_brief
        from newsprism.formats import render
        from newsprism.model import RawDocument, SourceKind
        from newsprism.timing import StageTimes

        timer = StageTimes()
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
        with timer.stage("read"):
            arts = load_articles(raws, self.settings)
        b = build_brief(arts, models=self.models, settings=self.settings, timer=timer)
        with timer.stage("render"):
            render(b, "json")
            render(b, "html")
        return timer.seconds

    def wall_s(self, docs: list[dict[str, str]]) -> float:
        """Wall-clock seconds of one brief (stages overlap, so their sum is not the time)."""
        t = time.perf_counter()
        self.newsprism(docs)
        return time.perf_counter() - t

    def lexrank_s(self, docs: list[dict[str, str]]) -> float:
        t = time.perf_counter()
        parser = self.parser.from_string("\n\n".join(d["text"] for d in docs), self.tok)
        self.lexrank()(parser.document, 8)
        return time.perf_counter() - t


def print_profile(table: dict[str, dict[str, dict[str, float]]]) -> None:
    for kind, cols in table.items():
        if not cols:
            continue
        stages = list(dict.fromkeys(s for col in cols.values() for s in col))
        print(f"\n{kind} brief, seconds by stage (articles across)")
        print(f"{'stage':<12}" + "".join(f"{n:>9}" for n in cols))
        for s in stages:
            print(f"{s:<12}" + "".join(f"{col.get(s, 0.0):>9.2f}" for col in cols.values()))
        # "embed" runs beside "parse" on its own thread: the wall total leaves it out and counts
        # only the time the brief waited for it ("embed wait").
        wall = {n: sum(v for s, v in col.items() if s != "embed") for n, col in cols.items()}
        print(f"{'total':<12}" + "".join(f"{w:>9.2f}" for w in wall.values()))
        print(f"{'per article':<12}" + "".join(f"{w / int(n):>9.3f}" for n, w in wall.items()))


def profile(warm: Warm, sizes: tuple[int, ...], cold_sizes: tuple[int, ...]) -> None:
    """Seconds by stage; results are written after every size, so a long run keeps its part."""
    table: dict[str, dict[str, dict[str, float]]] = {"warm": {}, "cold": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            label, docs = articles(n)
            path = Path(tmp) / f"{n}.jsonl"
            path.write_text("".join(json.dumps(d) + "\n" for d in docs))
            if n in cold_sizes:
                out = subprocess.run(
                    [sys.executable, "-c", PROFILE_SNIPPET, str(path)],
                    check=True,
                    capture_output=True,
                    cwd=ROOT,
                    text=True,
                )
                table["cold"][str(n)] = json.loads(out.stdout.strip().splitlines()[-1])
            warm.newsprism(basil_event())  # models loaded before the first warm run
            table["warm"][str(n)] = warm.newsprism(docs)
            table["warm"][str(n)]["words"] = sum(len(d["text"].split()) for d in docs)
            print(f"profiled {label}", file=sys.stderr)
            rounded = {
                k: {m: {s: round(v, 3) for s, v in col.items()} for m, col in cols.items()}
                for k, cols in table.items()
            }
            write_results("brief_profile", rounded)
    for cols in table.values():
        for col in cols.values():
            col.pop("words", None)
    print_profile(table)
    print("written:", ROOT / "bench" / "results" / "brief_profile.json")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="seconds by stage, 3 to 100 articles")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="with --profile")
    ap.add_argument(
        "--cold-sizes", default="3,10,25", help="with --profile: sizes also profiled cold"
    )
    args = ap.parse_args()
    warm = Warm()
    if args.profile:
        profile(
            warm,
            tuple(int(n) for n in args.sizes.split(",")),
            tuple(int(n) for n in args.cold_sizes.split(",")),
        )
        return

    figures: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (3, 10, 100):
            label, docs = articles(n)
            path = Path(tmp) / f"{n}.jsonl"
            write_jsonl(docs, path)
            row: dict[str, Any] = {
                "articles": n,
                "words": sum(len(d["text"].split()) for d in docs),
            }
            repeat = args.repeat if n <= 10 else 1
            if n <= 10:
                cli = [*newsprism_command(), "brief", str(path), "-f", "json", "-o", os.devnull]
                row["newsprism_cold_s"] = round(
                    statistics.median(timed(cli) for _ in range(repeat)), 2
                )
                lexrank = [sys.executable, "-c", LEXRANK_SNIPPET, str(path)]
                row["lexrank_cold_s"] = round(
                    statistics.median(timed(lexrank) for _ in range(repeat)), 2
                )
            warm.newsprism(basil_event())  # loads the models once
            row["newsprism_warm_s"] = round(
                statistics.median(warm.wall_s(docs) for _ in range(repeat)), 3
            )
            row["lexrank_warm_s"] = round(
                statistics.median(warm.lexrank_s(docs) for _ in range(repeat)), 3
            )
            row["warm_ratio"] = round(row["newsprism_warm_s"] / max(row["lexrank_warm_s"], 1e-9), 2)
            row["newsprism_warm_per_article_s"] = round(row["newsprism_warm_s"] / n, 4)
            figures[label] = row

    print(
        f"{'input':<34} {'words':>6} {'cold np':>8} {'cold LR':>8} {'warm np':>8} {'warm LR':>8}"
        f" {'ratio':>6} {'np s/article':>12}"
    )
    for label, f in figures.items():
        print(
            f"{label:<34} {f['words']:>6} {f.get('newsprism_cold_s', '-'):>8} "
            f"{f.get('lexrank_cold_s', '-'):>8} {f['newsprism_warm_s']:>8} "
            f"{f['lexrank_warm_s']:>8} {f['warm_ratio']:>6} {f['newsprism_warm_per_article_s']:>12}"
        )
    rows = list(figures.values())
    ten, hundred = rows[1], rows[2]
    growth = hundred["newsprism_warm_per_article_s"] / ten["newsprism_warm_per_article_s"]
    checks = {
        "warm_10_s": (ten["newsprism_warm_s"], WARM_10_BUDGET_S),
        "per_article_100_over_10": (round(growth, 2), PER_ARTICLE_GROWTH_BUDGET),
        "cold_cli_3_s": (rows[0]["newsprism_cold_s"], COLD_3_BUDGET_S),
    }
    for name, (value, budget) in checks.items():
        print(f"{name:<26} {value:>7} budget {budget:>5}  {'ok' if value <= budget else 'OVER'}")
    figures["budgets"] = {k: {"value": v, "budget": b} for k, (v, b) in checks.items()}
    print("written:", write_results("brief", figures))


if __name__ == "__main__":
    main()
