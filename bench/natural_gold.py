"""Natural disagreements between outlets, found by reading (not by any program of ours).

Gold files ``bench/gold/conflicts_natural_<part>.jsonl`` hold, per BASIL event, pairs of value
mentions in two outlets' texts, each labelled:

* ``disagree``: both state one fact (the same thing measured, about the same event) with values
  that cannot both hold; ``update: true`` when the later article reports a later state (a toll
  that rose, a plan that changed), not a contradiction;
* ``trap``: values that look alike (same kind, similar words around them) but measure different
  things: a detector must not report them;
* ``compatible``: one fact with values that can both hold (rounding, a bound and a figure inside
  it: "about 30" / "34", "more than 1,000" / "1,200");
* ``agree``: one fact, the same value in different words ("three hours" / "180 minutes",
  "Tuesday" / "Nov. 17").

Each side gives the article id, the exact value text, its offsets into the article's ``text`` in
``basil.jsonl``, and the exact sentence it stands in, so it can be found again in cleaned text.
Events are split by :mod:`bench.split`; the check part's file is read by people building gold and
scored by the benchmark, never read to write a rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

GOLD = Path(__file__).resolve().parent / "gold"
LABELS = ("disagree", "trap", "compatible", "agree")
KINDS = (
    "count", "money", "percent", "duration", "date", "weekday", "time", "age", "quantity",
    "name", "place", "speaker",
)  # fmt: skip

Label = Literal["disagree", "trap", "compatible", "agree"]


@dataclass(frozen=True)
class Mention:
    doc: str
    start: int
    end: int
    text: str
    sentence: str


@dataclass(frozen=True)
class NaturalPair:
    event: str
    label: Label
    kind: str
    a: Mention
    b: Mention
    note: str
    update: bool = False


def _mention(raw: dict[str, Any]) -> Mention:
    return Mention(raw["doc"], int(raw["start"]), int(raw["end"]), raw["text"], raw["sentence"])


def load(part: str, texts: dict[str, str] | None = None) -> list[NaturalPair]:
    """The gold pairs of ``part`` ("fit" or "check"). With ``texts`` (article id -> basil.jsonl
    text), every side is checked: its text at its offsets, inside its sentence."""
    path = GOLD / f"conflicts_natural_{part}.jsonl"
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        pair = NaturalPair(
            event=raw["event"],
            label=raw["label"],
            kind=raw["kind"],
            a=_mention(raw["a"]),
            b=_mention(raw["b"]),
            note=raw.get("note", ""),
            update=bool(raw.get("update", False)),
        )
        problems = validate(pair, texts)
        if problems:
            raise ValueError(f"{path.name} line {n}: {'; '.join(problems)}")
        out.append(pair)
    return out


def validate(pair: NaturalPair, texts: dict[str, str] | None = None) -> list[str]:
    problems = []
    if pair.label not in LABELS:
        problems.append(f"unknown label {pair.label!r}")
    if pair.kind not in KINDS:
        problems.append(f"unknown kind {pair.kind!r}")
    if pair.a.doc == pair.b.doc:
        problems.append("both sides in one article")
    for side in (pair.a, pair.b):
        if not side.doc.startswith(pair.event):
            problems.append(f"{side.doc} is not an article of {pair.event}")
        if side.text not in side.sentence:
            problems.append(f"{side.text!r} is not inside its sentence")
        if texts is not None:
            body = texts.get(side.doc)
            if body is None:
                problems.append(f"no article {side.doc}")
            elif body[side.start : side.end] != side.text:
                problems.append(
                    f"{side.doc}[{side.start}:{side.end}] is {body[side.start : side.end]!r},"
                    f" not {side.text!r}"
                )
            elif side.sentence not in body:
                problems.append(f"sentence not found verbatim in {side.doc}")
    return problems


def basil_texts(basil_jsonl: Path) -> dict[str, str]:
    return {
        row["id"]: row["text"]
        for row in map(json.loads, basil_jsonl.read_text(encoding="utf-8").splitlines())
        if row
    }


if __name__ == "__main__":
    import sys
    from collections import Counter

    from bench._common import eval_dir

    texts = basil_texts(eval_dir("basil") / "basil.jsonl")
    for part in sys.argv[1:] or ["fit", "check"]:
        pairs = load(part, texts)
        print(part, len(pairs), dict(Counter((p.label, p.kind) for p in pairs)))
