"""Foot furniture of a scraped body, scored by the fitted line model (clean/furniture.py)."""

from __future__ import annotations

from newsprism.clean.furniture import FEATURES, candidate, furniture_tail, load_weights

BODY = [
    "The county opened two shelters on Sunday after the river flooded 40 homes, officials said.",
    "Volunteers handed out sandbags at the fire station until late in the evening.",
    "The river is expected to fall below flood stage by Wednesday.",
]
PROSE = [True, True, True]


def test_the_weights_match_the_features() -> None:
    weights = load_weights()
    assert len(weights.coef) == len(FEATURES)
    assert 0.5 <= weights.threshold < 1.0
    assert weights.lexicon  # learned from the fit pages, not empty


def test_an_article_ending_is_not_cut() -> None:
    assert furniture_tail(BODY, PROSE) == 0


def test_a_notice_to_readers_at_the_foot_is_cut_and_only_it() -> None:
    notice = "Subscribe to our newsletter and follow us on Facebook for the latest news."
    assert furniture_tail([*BODY, notice], [*PROSE, False]) == 1


def test_the_only_line_is_never_cut() -> None:
    notice = "Subscribe to our newsletter and follow us on Facebook for the latest news."
    assert furniture_tail([notice], [False]) == 0


def test_lists_and_unspaced_scripts_are_not_judged() -> None:
    assert not candidate("October 10 – Houston, TX @ The Cynthia Woods Mitchell Pavilion")
    assert not candidate("これでようやく元の操作性を取り戻せました。")
    assert candidate("Comments are closed. Tell us what you think on our Facebook page.")
