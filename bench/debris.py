"""Debris removal on scraped plain text: how many article sentences survive, how much debris goes.

Data: the 181 pages of ``eval/article-extraction-benchmark``, each rendered to its visible text
(one line per block, :mod:`bench.visible_text`) as a scraper saving "the text of the page" would,
menus, footers and teasers included. Each page goes through the full ``clean_document`` path as a
TEXT document (debris removal, front matter, assembly).

Headline figure, the goal's own words ("keep every article sentence"): **sentence recall**. The
gold ``articleBody`` is split into sentences with :func:`newsprism.clean.segment.split_sentences`;
a gold sentence counts as kept when its text (NFKC, quotes and dashes folded, whitespace
collapsed, lower-cased) occurs in the cleaned article text. Front matter that cleaning moved to
metadata (headline, byline, date line, dateline prefix) counts as kept text: it is not lost, it
is filed. Gold sentences that do not occur in the page's visible text at all (the gold was taken
from elsewhere, e.g. JSON-LD or a hidden element) cannot be kept by any text cleaner and are left
out of the denominator; their number is reported. Recall is given by count and by characters.

Debris removed stays line-based: every line is labelled *article* or *debris* against the gold:

* a line of 4 or more word tokens is article when it is a substring of the gold body, or when at
  least 80% of its 4-token shingles occur in the gold paragraphs (this absorbs small differences
  such as a space before a comma or a footnote marker);
* a shorter line (a subheading, "Linebacker") is article only when it equals a whole gold
  paragraph *and* stands inside the article region (between the first and last long article
  line), so the same word in a menu is not counted;
* a line whose text occurs more often on the page than in the gold body (a pull quote repeated,
  a table header shown twice) is article only at its first occurrences.

Paragraphs are aligned with the lines in order (see ``kept_lines``); a line counts as kept when a
paragraph was aligned with it. Reported besides: recall of article *lines* (secondary: the gold
counts lists, tables and product boxes as article although they are not sentences), debris
removed by lines and by characters, precision (share of kept characters on article lines), the
per-page worst cases, and the same figures for a naive baseline that keeps every line of at
least N words ending in sentence punctuation, in the same run.

Honesty: the pages are split by :mod:`bench.split` (page id = file stem) into a *fit* part,
on which rules are written and weights fitted, and a *check* part, whose failures are not read;
both are reported, the check figures being the real ones. (The cleaner's older rules were tuned on
all 181 pages before the split existed, so even the check figures flatter it somewhat.)

Run: ``.venv/bin/python -m bench.debris`` from the repository root; ``--show PAGE`` prints one
page's lines with their label (A article, . debris) and whether they were kept (K) or dropped.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from bench._common import eval_dir, write_results
from bench.split import Part, part
from bench.visible_text import visible_lines
from newsprism.clean import clean_document
from newsprism.clean.segment import split_sentences
from newsprism.config import load_settings
from newsprism.model import Article, RawDocument, SourceKind

_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_TOKEN = re.compile(r"\w+")
_WORDY = re.compile(r"[^\W_]")
_SENT_END = re.compile(r"[.!?…:]['\"”’)\]]*$")
_SHINGLE = 4
_CONTAINMENT = 0.8


def norm(text: str) -> str:
    # Invisible format characters (soft hyphens, zero-width joiners, word joiners) are not text:
    # the cleaner deletes them, and a sentence read with or without them is the same sentence.
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return re.sub(r"\s+", " ", text).strip().lower()


def shingles(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + _SHINGLE]) for i in range(len(tokens) - _SHINGLE + 1)}


def label_lines(lines: list[str], gold: str) -> list[bool]:
    """True for an article line, by the rule in the module docstring."""
    gold_norm = norm(gold)
    gold_paras = [norm(p) for p in gold.split("\n") if p.strip()]
    gold_shingles: set[tuple[str, ...]] = set()
    for para in gold_paras:
        gold_shingles |= shingles(_TOKEN.findall(para))
    normed = [norm(line) for line in lines]
    long_match = []
    for text in normed:
        tokens = _TOKEN.findall(text)
        if len(tokens) < _SHINGLE:
            long_match.append(False)
            continue
        sh = shingles(tokens)
        contained = len(sh & gold_shingles) / len(sh)
        long_match.append(text in gold_norm or contained >= _CONTAINMENT)
    hits = [i for i, m in enumerate(long_match) if m]
    if not hits:
        return [False] * len(lines)
    first, last = hits[0], hits[-1]
    whole = set(gold_paras)
    labels = []
    used: dict[str, int] = {}
    for i, text in enumerate(normed):
        ok = long_match[i] or (first <= i <= last and text in whole)
        if ok:
            # Repeats beyond what the gold holds are debris: the first occurrences count.
            if used.get(text, 0) >= max(1, gold_norm.count(text)):
                ok = False
            else:
                used[text] = used.get(text, 0) + 1
        labels.append(ok)
    return labels


def kept_lines(lines: list[str], paragraphs: list[str]) -> list[bool]:
    """Align the cleaned paragraphs with the lines, in order; True where a line was kept.

    Paragraphs are a subsequence of the lines, so each paragraph is looked up from the line after
    the previous match: the line equal to it, or ending with it (a dateline cut off the front),
    or (hard-wrapped lines joined) the run of lines it contains.
    """
    normed = [norm(line) for line in lines]
    kept = [False] * len(lines)
    i = 0
    for para in (norm(p) for p in paragraphs):
        for k in range(i, len(normed)):
            text = normed[k]
            if text and (text == para or text.endswith(para) or para.startswith(text)):
                kept[k] = True
                i = k + 1
                # Following lines joined into the same paragraph.
                rest = para[len(text) :].strip() if para.startswith(text) else ""
                while rest and i < len(normed) and normed[i] and rest.startswith(normed[i]):
                    kept[i] = True
                    rest = rest[len(normed[i]) :].strip()
                    i += 1
                break
    return kept


def baseline_keep(line: str, min_words: int) -> bool:
    return len(line.split()) >= min_words and bool(_SENT_END.search(line.strip()))


# Front matter is moved to metadata, not lost: it counts as kept text for sentence recall.
_FILED = frozenset({"headline", "byline", "date", "dateline"})


def article_kept_text(article: Article) -> str:
    filed = [d.text for d in article.dropped if d.reason in _FILED]
    return "\n".join([*filed, article.text])


def gold_sentences(gold: str) -> list[str]:
    """The gold body's sentences; a rule of underscores or asterisks between sections ("___")
    has no letter or digit and is no sentence, so it is not counted."""
    return [t for s in split_sentences(gold) if _WORDY.search(t := norm(s.text))]


@dataclass
class Tally:
    sent: int = 0
    sent_kept: int = 0
    sent_chars: int = 0
    sent_chars_kept: int = 0
    unreachable: int = 0
    art: int = 0
    art_kept: int = 0
    art_chars: int = 0
    art_chars_kept: int = 0
    deb: int = 0
    deb_dropped: int = 0
    deb_chars: int = 0
    deb_chars_dropped: int = 0
    kept_chars: int = 0
    pages: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        labels: list[bool],
        kept: list[bool],
        lines: list[str],
        page: str,
        sentences: list[str],
        visible: str,
        kept_text: str,
    ) -> None:
        a = ak = d = dd = 0
        for is_art, k, line in zip(labels, kept, lines, strict=True):
            self.kept_chars += len(line) * k
            if is_art:
                a += 1
                ak += k
                self.art_chars += len(line)
                self.art_chars_kept += len(line) * k
            else:
                d += 1
                dd += not k
                self.deb_chars += len(line)
                self.deb_chars_dropped += len(line) * (not k)
        self.art += a
        self.art_kept += ak
        self.deb += d
        self.deb_dropped += dd
        s = sk = 0
        kept_norm = norm(kept_text)
        lost: list[str] = []
        for sentence in sentences:
            if sentence not in visible:
                self.unreachable += 1
                continue
            s += 1
            self.sent_chars += len(sentence)
            if sentence in kept_norm:
                sk += 1
                self.sent_chars_kept += len(sentence)
            else:
                lost.append(sentence)
        self.sent += s
        self.sent_kept += sk
        self.pages.append(
            {
                "page": page,
                "sentences": s,
                "sentence_recall": round(sk / s, 3) if s else 1.0,
                "sentences_lost": lost[:3],
                "article_lines": a,
                "line_recall": round(ak / a, 3) if a else 1.0,
                "debris_lines": d,
                "debris_kept": d - dd,
            }
        )

    def figures(self) -> dict[str, float]:
        return {
            "sentence_recall": round(self.sent_kept / max(1, self.sent), 4),
            "sentence_recall_chars": round(self.sent_chars_kept / max(1, self.sent_chars), 4),
            "debris_removed_lines": round(self.deb_dropped / max(1, self.deb), 4),
            "debris_removed_chars": round(self.deb_chars_dropped / max(1, self.deb_chars), 4),
            "precision_chars": round(self.art_chars_kept / max(1, self.kept_chars), 4),
            "article_recall_lines": round(self.art_kept / max(1, self.art), 4),
            "article_recall_chars": round(self.art_chars_kept / max(1, self.art_chars), 4),
        }


def show(page: str, lines: list[str], labels: list[bool], kept: list[bool]) -> None:
    print(f"== {page}")
    for i, (line, is_art, k) in enumerate(zip(lines, labels, kept, strict=True)):
        flag = ("A" if is_art else ".") + ("K" if k else " ")
        mark = " <<" if is_art != k else ""
        print(f"{i:4} {flag} {line[:150]}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline-words", type=int, default=10)
    parser.add_argument("--worst", type=int, default=8)
    parser.add_argument("--check-idempotent", action="store_true")
    parser.add_argument("--show", action="append", default=[], help="page id prefix to print")
    args = parser.parse_args()

    data = eval_dir("article-extraction-benchmark")
    gold = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    settings = load_settings()
    parts: tuple[Part, ...] = ("fit", "check")
    ours: dict[Part, Tally] = {p: Tally() for p in parts}
    base: dict[Part, Tally] = {p: Tally() for p in parts}
    not_idempotent: list[str] = []
    clean_seconds = 0.0
    n_lines = 0
    for path in sorted((data / "html").glob("*.html")):
        page = path.stem
        where = part(page)
        lines = visible_lines(path.read_text(encoding="utf-8"))
        n_lines += len(lines)
        body = gold[page]["articleBody"]
        labels = label_lines(lines, body)
        sentences = gold_sentences(body)
        visible = norm(" ".join(lines))
        t0 = time.perf_counter()
        result = clean_document(RawDocument(str(path), SourceKind.TEXT, "\n".join(lines)), settings)
        clean_seconds += time.perf_counter() - t0
        if isinstance(result, Article):
            paragraphs = [result.text[s:e] for s, e in result.paragraphs]
            kept_text = article_kept_text(result)
        else:
            paragraphs, kept_text = [], ""
        kept = kept_lines(lines, paragraphs)
        ours[where].add(labels, kept, lines, page, sentences, visible, kept_text)
        base_kept = [baseline_keep(x, args.baseline_words) for x in lines]
        base_text = "\n".join(x for x, k in zip(lines, base_kept, strict=True) if k)
        base[where].add(labels, base_kept, lines, page, sentences, visible, base_text)
        if any(page.startswith(p) for p in args.show):
            show(page, lines, labels, kept)
        if args.check_idempotent and isinstance(result, Article):
            again = clean_document(RawDocument(page, SourceKind.TEXT, result.text), settings)
            if not isinstance(again, Article) or again.text != result.text:
                not_idempotent.append(page)

    n_pages = sum(len(t.pages) for t in ours.values())
    figures: dict[str, Any] = {
        "pages": n_pages,
        "lines": n_lines,
        "pages_per_second": round(n_pages / clean_seconds, 1),
        "split": "bench/split.py part(page id = file stem): rules written on fit pages only",
    }
    print(f"{n_pages} pages, {n_lines} lines (fit: rules written on it; check: held out)")
    cols = (
        "sent rec",
        "sent rec ch",
        "debris rm",
        "debris rm ch",
        "precision",
        "line rec",
        "line rec ch",
    )
    for where in parts:
        mine, theirs = ours[where], base[where]
        figures[where] = {
            "pages": len(mine.pages),
            "article_lines": mine.art,
            "debris_lines": mine.deb,
            "gold_sentences_in_visible_text": mine.sent,
            "gold_sentences_not_in_visible_text": mine.unreachable,
            "ours": mine.figures(),
            f"baseline_{args.baseline_words}_words_punct": theirs.figures(),
        }
        print(
            f"== {where}: {len(mine.pages)} pages, {mine.art} article lines, {mine.deb} debris; "
            f"{mine.sent} gold sentences in the visible text ({mine.unreachable} not)"
        )
        print(f"{'':30}" + "".join(f"{c:>13}" for c in cols))
        for name, tally in (
            ("newsprism", mine),
            (f"baseline (>={args.baseline_words} words + .)", theirs),
        ):
            f = tally.figures()
            values = (
                f["sentence_recall"],
                f["sentence_recall_chars"],
                f["debris_removed_lines"],
                f["debris_removed_chars"],
                f["precision_chars"],
                f["article_recall_lines"],
                f["article_recall_chars"],
            )
            print(f"{name:30}" + "".join(f"{v:>13.4f}" for v in values))
    # Failures are listed for the fit part only: the check part's are not read to write rules.
    fit = ours["fit"]
    worst_recall = sorted(fit.pages, key=lambda p: (p["sentence_recall"], -int(p["sentences"])))
    worst_debris = sorted(fit.pages, key=lambda p: -int(p["debris_kept"]))
    figures["fit"]["worst_recall"] = worst_recall[: args.worst]
    figures["fit"]["worst_debris_kept"] = worst_debris[: args.worst]
    if args.check_idempotent:
        figures["not_idempotent"] = not_idempotent
    print(
        "fit part, worst sentence recall:",
        *(
            f"{p['page'][:10]} {p['sentence_recall']} of {p['sentences']} sentences "
            f"(lines {p['line_recall']} of {p['article_lines']})"
            for p in worst_recall[: args.worst]
        ),
        sep="\n  ",
    )
    print(
        "fit part, most debris kept:",
        *(
            f"{p['page'][:10]} {p['debris_kept']} of {p['debris_lines']}"
            for p in worst_debris[: args.worst]
        ),
        sep="\n  ",
    )
    if args.check_idempotent:
        print("not idempotent:", len(not_idempotent), not_idempotent[:5])
    print("written to", write_results("debris", figures))


if __name__ == "__main__":
    main()
