"""Fit the weights of :mod:`newsprism.clean.furniture` (page furniture at the foot of a body).

Data: (1) the *fit* part (:mod:`bench.split`) of the debris benchmark's pages, as visible text.
Each page is cleaned with furniture trimming off; the last lines of the body it finds are the
samples, labelled article or debris by the benchmark's own rule
(:func:`bench.debris.label_lines`). The check part is never read here. (2) ``data/
furniture_cases.jsonl``: page endings written for newsprism, in varied outlets' wording (comment
notices, invitations to discuss the story elsewhere, newsletter and tip prompts), beside article
endings that look like them (quotes in the first person, questions, an editorial's "we"). The
benchmark has few such notices, and the tests' scraped pages use other wording than these cases.
A logistic regression (scikit-learn) is fitted on all samples; the threshold is the lowest one at
which trimming, as the cleaner does it (from the end, stopping at the first line below the
threshold), cuts no article line of any fit page or case.

Run: ``.venv/bin/python -m bench.fit_lines`` from the checkout; it rewrites
``src/newsprism/clean/furniture_weights.json`` (review the diff).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

from bench._common import ROOT, eval_dir
from bench.debris import label_lines
from bench.split import part
from bench.visible_text import visible_lines
from newsprism.clean import furniture
from newsprism.clean import text as cleaner

OUT = ROOT / "src" / "newsprism" / "clean" / "furniture_weights.json"
_MAX_ITER = 2000
_CS = (0.3, 1.0, 3.0)


def page_samples(
    lines: list[str], gold: str, lexicon: dict[str, float]
) -> list[tuple[list[list[float]], list[bool]]]:
    """Per page: the features of its body's tail lines (last first) and whether each is debris."""
    labels = label_lines(lines, gold)
    label_of = {line.strip(): is_art for line, is_art in zip(lines, labels, strict=True)}
    parsed = cleaner.parse_lines("\n".join(lines))
    body = cleaner.body_lines(parsed)
    texts = [parsed[i].norm for i in body]
    prose = [parsed[i].kind == "prose" for i in body]
    feats: list[list[float]] = []
    debris: list[bool] = []
    for k in range(len(texts) - 1, max(-1, len(texts) - 1 - furniture._TAIL_REACH), -1):
        is_art = label_of.get(parsed[body[k]].text.strip())
        if is_art is None or not furniture.candidate(texts[k]):
            break  # a joined line (no label), or one the cleaner never judges this way
        feats.append(furniture.line_features(texts, k, prose, lexicon))
        debris.append(not is_art)
    return [(feats, debris)]


_SITES_MIN = 8  # a furniture word must be seen in the furniture of this many fit pages
_COUNT_MIN = 10
_LEXICON_SIZE = 300


def learn_lexicon(pages: dict[str, tuple[list[str], str]]) -> dict[str, float]:
    """Smoothed log-odds of each word standing on a furniture line rather than an article line,
    over every line of the fit pages; only words on the furniture of many pages (so no site's
    own topic words), the strongest ``_LEXICON_SIZE`` either way."""
    letters = re.compile(r"[^\W\d_]+")
    debris: Counter[str] = Counter()
    article: Counter[str] = Counter()
    sites: Counter[str] = Counter()
    for lines, gold in pages.values():
        seen: set[str] = set()
        for line, is_art in zip(lines, label_lines(lines, gold), strict=True):
            words = {w.casefold() for w in letters.findall(line)}
            if is_art:
                article.update(words)
            else:
                debris.update(words)
                seen |= words
        sites.update(seen)
    d, a = sum(debris.values()), sum(article.values())
    odds = {
        w: math.log((debris[w] + 1) / d) - math.log((article[w] + 1) / a)
        for w in set(debris) | set(article)
        if sites[w] >= _SITES_MIN and debris[w] + article[w] >= _COUNT_MIN
    }
    strongest = sorted(odds, key=lambda w: -abs(odds[w]))[:_LEXICON_SIZE]
    return {w: round(odds[w], 3) for w in sorted(strongest)}


CASES = ROOT / "bench" / "data" / "furniture_cases.jsonl"


def own_cases(lexicon: dict[str, float]) -> list[tuple[list[list[float]], list[bool]]]:
    """The written cases, each as one page ending: features last line first, furniture flags."""
    out = []
    for row in CASES.read_text(encoding="utf-8").splitlines():
        case = json.loads(row)
        texts = [t for t, _ in case["lines"]]
        prose = [len(t.split()) >= cleaner._PROSE_MIN_WORDS for t in texts]
        order = [k for k in range(len(texts) - 1, -1, -1) if furniture.candidate(texts[k])]
        out.append(
            (
                [furniture.line_features(texts, k, prose, lexicon) for k in order],
                [case["lines"][k][1] == "f" for k in order],
            )
        )
    return out


def main() -> None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    data = eval_dir("article-extraction-benchmark")
    gold = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    fit_pages = {}
    for path in sorted((data / "html").glob("*.html")):
        if part(path.stem) == "fit":
            fit_pages[path.stem] = visible_lines(path.read_text(encoding="utf-8"))
    lexicon = learn_lexicon({k: (v, gold[k]["articleBody"]) for k, v in fit_pages.items()})
    pages: list[tuple[list[list[float]], list[bool]]] = []
    for key, lines in fit_pages.items():
        pages += page_samples(lines, gold[key]["articleBody"], lexicon)
    n_pages = len(pages)
    pages += own_cases(lexicon)
    x = np.array([f for feats, _ in pages for f in feats])
    y = np.array([d for _, debris in pages for d in debris])

    def trimmed(weights: furniture.Weights, threshold: float) -> tuple[int, int]:
        """(article lines, furniture lines) that trimming cuts at ``threshold``."""
        lost = cut = 0
        for feats, debris in pages:
            for f, d in zip(feats, debris, strict=True):
                if furniture.score(f, weights) < threshold:
                    break
                cut += d
                lost += not d
        return lost, cut

    # Regularisation: the strength that lets trimming cut the most furniture with no article
    # line lost, each at its own lowest safe threshold.
    best: tuple[int, float, float, list[float]] | None = None
    for c in _CS:
        model = LogisticRegression(C=c, max_iter=_MAX_ITER, fit_intercept=False)
        model.fit(x, y)
        coef = [round(float(v), 4) for v in model.coef_[0]]
        weights = furniture.Weights(tuple(coef), 0.0, lexicon)
        threshold = next(t / 100 for t in range(50, 100) if trimmed(weights, t / 100)[0] == 0)
        cut = trimmed(weights, threshold)[1]
        print(f"C={c}: threshold {threshold}, cuts {cut} furniture lines")
        if best is None or cut > best[0]:
            best = (cut, c, threshold, coef)
    assert best is not None
    _, chosen_c, threshold, coef = best
    lost, cut = trimmed(furniture.Weights(tuple(coef), 0.0, lexicon), threshold)
    print(
        f"{n_pages} fit pages and {len(pages) - n_pages} own cases: {len(y)} tail lines "
        f"({int(y.sum())} furniture)"
    )
    print(
        f"chosen C={chosen_c}, threshold {threshold}: cuts {cut} furniture lines, {lost} article lines"
    )
    for name, weight in zip(furniture.FEATURES, coef, strict=True):
        print(f"  {name:22} {weight:+.4f}")
    OUT.write_text(
        json.dumps(
            {
                "fitted_by": "bench/fit_lines.py",
                "data": "debris benchmark fit part, and bench/data/furniture_cases.jsonl",
                "features": list(furniture.FEATURES),
                "coef": coef,
                "threshold": threshold,
                "C": chosen_c,
                "lexicon": lexicon,
                "fit_part": {"tail_lines": len(y), "debris_cut": cut, "article_lines_cut": lost},
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print("written to", Path(OUT).relative_to(ROOT))


if __name__ == "__main__":
    main()
