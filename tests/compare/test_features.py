"""Each slot feature on two invented reports written for this test: it must measure what its
docstring says (high on the pair that shows it, low on a pair that does not)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from newsprism.clean import clean_document
from newsprism.compare import features as F
from newsprism.compare.analysis import AnalysisCache, analyse_all
from newsprism.compare.frames import frame_differences
from newsprism.compare.origins import find_origins
from newsprism.config import load_settings
from newsprism.model import Article, RawDocument, SourceKind
from newsprism.nlp import Models

pytestmark = pytest.mark.slow

EARLY = """The hearing lasted four hours on Tuesday, the committee said.

Railroad spokesman Dana Whitfield said 23 cars left the tracks near the river.

"We have 40 members in tough races," he said.

Of that, $3 billion could be moved to the wall, aides said.

Republicans hold 53 seats in the chamber.

The president will announce 19 measures next week.

Among independent voters, Senator Hale has 24 percent.

The Smiths have paid $43 million in taxes since 2007.

"The plant will bring 300 jobs to the valley," Mayor Ruth Tanner said.
"""

LATE = """A five-hour session with lawmakers ended on Wednesday without a vote.

Gov. Ellen Marsh said 25 rail cars derailed when the bridge gave way.

"We have 52 members in tough races," he said.

The wall would cost $8 billion in all, officials said.

Democrats hold 47 seats in the chamber.

The president announced 23 measures on Friday.

Senator Hale leads with 30 percent of likely voters.

The Smiths earned $140 million over eight years.

"The plant will bring 450 jobs to the valley," Mayor Ruth Tanner said on Thursday.
"""


@pytest.fixture(scope="module")
def story() -> tuple[F.Story, list[F.ValueSide], Any]:
    settings = load_settings()
    models = Models(settings)
    arts = []
    for name, text, day in (("early", EARLY, "2026-01-07"), ("late", LATE, "2026-01-09")):
        raw = RawDocument(
            origin=f"{name}.txt", kind=SourceKind.TEXT, content=text, outlet=name, published=day
        )
        art = clean_document(raw, settings)
        assert isinstance(art, Article)
        arts.append(art)
    analyses = analyse_all(arts, models, AnalysisCache())
    sides = F.build_sides(analyses, find_origins(analyses))

    def embed(words: Sequence[str]) -> Any:
        return models.embedder.encode(list(words), normalize_embeddings=True)

    return F.Story(sides, embed), sides, models


def side(sides: list[F.ValueSide], article: str, surface: str) -> F.ValueSide:
    hits = [s for s in sides if s.analysis.article.outlet == article and surface in s.value.surface]
    assert hits, f"no value {surface!r} in {article}: {[s.value.surface for s in sides]}"
    return hits[0]


def pair(st: Any, a: str, b: str) -> tuple[F.ValueSide, F.ValueSide, F.Story]:
    story, sides, _ = st
    return side(sides, "early", a), side(sides, "late", b), story


def test_context_similarity_prefers_the_same_slot(story: Any) -> None:
    same = F.context_similarity(*pair(story, "23", "25"))
    other = F.context_similarity(*pair(story, "23", "47"))
    assert same > other + 0.1


def test_sentence_similarity(story: Any) -> None:
    assert F.sentence_similarity(*pair(story, "40", "52")) > 0.9
    assert F.sentence_similarity(*pair(story, "40", "47")) < 0.6


def test_shared_rare_words(story: Any) -> None:
    assert F.shared_rare_words(*pair(story, "40", "52")) > 0.8
    assert F.shared_rare_words(*pair(story, "23", "52")) < 0.3


def test_window_rare_words(story: Any) -> None:
    assert F.window_rare_words(*pair(story, "53", "47")) > F.window_rare_words(
        *pair(story, "53", "52")
    )


def test_same_wording_finds_one_sentence_with_two_figures(story: Any) -> None:
    assert F.same_wording(*pair(story, "40", "52")) > 0.9
    assert F.same_wording(*pair(story, "23", "25")) < 0.6


def test_same_head_and_head_similarity(story: Any) -> None:
    a, b, s = pair(story, "53", "47")
    assert F.same_head(a, b, s) == 1.0 and F.head_similarity(a, b, s) == 1.0
    hearing = pair(story, "four hours", "five-hour")
    ha, hb = hearing[0].value.head, hearing[1].value.head
    assert ha and hb and ha != hb
    assert F.same_head(*hearing) == 0.0
    # Two different measured words compare by the encoder's vectors of the words alone.
    vec = story[2].embedder.encode([ha, hb], normalize_embeddings=True)
    assert F.head_similarity(*hearing) == pytest.approx(float(vec[0] @ vec[1]), abs=1e-5)
    assert 0.0 < F.head_similarity(*hearing) < 1.0


def test_adjacent_words(story: Any) -> None:
    # "hold # seats in the chamber" on both sides: four of the six words around match.
    assert F.adjacent_words(*pair(story, "53", "47")) == pytest.approx(4 / 6)
    assert F.adjacent_words(*pair(story, "300", "450")) == 1.0
    # "said 23 cars left the tracks" / "said 25 rail cars derailed when": only "said".
    assert F.adjacent_words(*pair(story, "23", "25")) < 0.2


def test_same_speaker_quote(story: Any) -> None:
    jobs = pair(story, "300", "450")
    assert jobs[0].speaker and jobs[1].speaker
    assert F.same_speaker_quote(*jobs) == 1.0
    assert F.same_speaker_quote(*pair(story, "23", "25")) == 0.0  # not quoted


def test_preceding_person(story: Any) -> None:
    assert F.preceding_person(*pair(story, "24 percent", "30 percent")) == 1.0  # Hale's share
    assert F.preceding_person(*pair(story, "23", "25")) == -1.0  # Whitfield's vs Marsh's words
    assert F.preceding_person(*pair(story, "53", "47")) == 0.0  # no person named


def test_counted_nouns(story: Any) -> None:
    cars = pair(story, "23", "25")
    assert F.same_counted_noun(*cars) == 1.0 and F.different_counted_noun(*cars) == 0.0
    seats = pair(story, "23", "47")
    assert F.same_counted_noun(*seats) == 0.0 and F.different_counted_noun(*seats) == 1.0


def test_doers(story: Any) -> None:
    parties = pair(story, "53", "47")  # the Republicans' seats and the Democrats'
    assert F.different_doer(*parties) == 1.0 and F.same_doer(*parties) == 0.0
    hale = pair(story, "24 percent", "30 percent")
    assert F.same_doer(*hale) == 1.0 and F.different_doer(*hale) == 0.0


def test_shared_names(story: Any) -> None:
    assert F.shared_names(*pair(story, "24 percent", "30 percent")) > 0
    assert F.shared_names(*pair(story, "23", "25")) == 0


def test_magnitude_gap(story: Any) -> None:
    assert F.magnitude_gap(*pair(story, "23", "25")) < 0.1
    assert F.magnitude_gap(*pair(story, "$43 million", "$140 million")) > 1.0


def test_only_figures(story: Any) -> None:
    assert F.only_figures(*pair(story, "23", "25")) == 1.0  # each counts cars once
    assert F.only_figures(*pair(story, "40", "52")) == 1.0
    _, sides, _ = story
    money = [
        s for s in sides if s.analysis.article.outlet == "early" and s.value.kind.value == "money"
    ]
    assert len(money) == 2 and not any(s.lone for s in money)


def test_nearest_counterparts(story: Any) -> None:
    assert F.nearest_counterparts(*pair(story, "40", "52")) == 1.0
    assert F.nearest_counterparts(*pair(story, "40", "25")) < 1.0


def test_frame_mismatch(story: Any) -> None:
    part = pair(story, "$3 billion", "$8 billion")  # "Of that, $3 billion": a part
    assert part[0].frame.partitive and not part[1].frame.partitive
    assert F.frame_mismatch(*part) >= 1
    planned = pair(story, "19", "23")  # "will announce 19" / "announced 23"
    assert planned[0].frame.tense == 1
    paid = pair(story, "$43 million", "$140 million")  # paid vs earned
    assert paid[0].frame.flow == -1 and paid[1].frame.flow == 1
    assert F.frame_mismatch(*paid) >= 1
    among = pair(story, "24 percent", "30 percent")  # among independents vs all likely voters
    assert F.frame_mismatch(*among) >= 1
    assert frame_differences(part[1].frame, part[1].frame) == 0


def test_bound_and_quoted(story: Any) -> None:
    quoted = pair(story, "40", "52")
    assert F.both_quoted(*quoted) == 1.0
    assert F.both_quoted(*pair(story, "23", "25")) == 0.0
    assert F.bound_side(*quoted) == 0.0


def test_kinds(story: Any) -> None:
    a, b, s = pair(story, "24 percent", "30 percent")
    assert all(
        (f.fn(a, b, s) == 1.0) == (f.name == "kind_percent")
        for f in F.VALUE_FEATURES
        if f.name.startswith("kind_")
    )
    day = pair(story, "Tuesday", "Wednesday")
    assert F.day_kind(*day) == 1.0


def test_vector_has_every_feature(story: Any) -> None:
    v = F.vector(*pair(story, "23", "25"))
    assert v.shape == (len(F.VALUE_FEATURES),)
    assert tuple(f.name for f in F.VALUE_FEATURES) == F.FEATURE_NAMES
    assert all(f.fn.__doc__ and f.reason for f in F.VALUE_FEATURES)


def test_later_day(story: Any) -> None:
    # Published Wednesday Jan. 7 and Friday Jan. 9: the early report's Tuesday had passed when it
    # came out; the late one's "Friday" (Jan. 9) fell after the early report was published.
    assert F.later_day(*pair(story, "Tuesday", "Friday")) == 1.0
    assert F.later_day(*pair(story, "Tuesday", "Wednesday")) == 0.0


def test_context_margin(story: Any) -> None:
    # "40 members" has one clear match; against "25 rail cars" another value matches better
    assert F.context_margin(*pair(story, "40", "52")) > 0
    assert F.context_margin(*pair(story, "40", "25")) < F.context_margin(*pair(story, "40", "52"))


def test_near_words(story: Any) -> None:
    assert F.near_words(*pair(story, "53", "47")) >= 0.5  # "hold ... seats in the chamber"
    assert F.near_words(*pair(story, "53", "52")) < F.near_words(*pair(story, "53", "47"))


def test_different_owner(story: Any) -> None:
    parties = pair(story, "53", "47")  # Republicans' seats, Democrats' seats
    assert F.different_owner(*parties) == 1.0
    assert F.different_owner(*pair(story, "24 percent", "30 percent")) == 0.0  # Hale both


def test_same_lone_noun(story: Any) -> None:
    assert F.same_lone_noun(*pair(story, "23", "25")) == 1.0
    assert F.same_lone_noun(*pair(story, "53", "25")) == 0.0


def test_period_mismatch(story: Any) -> None:
    # "$43 million ... since 2007" is dated; "$140 million over eight years" is not
    assert F.period_mismatch(*pair(story, "$43 million", "$140 million")) == 0.0
    assert F.period_mismatch(*pair(story, "40", "52")) == 0.0


def test_also_stated_and_heads_cross_on_their_own_texts(models_story: Any) -> None:
    story, sides = models_story
    monday = side(sides, "early", "Monday")
    friday = side(sides, "late", "Friday")
    assert F.also_stated(monday, friday, story) == 1.0  # the early sentence has "Friday" too
    passed = side(sides, "early", "Thursday")
    passing = side(sides, "late", "Tuesday")
    assert F.heads_cross(passed, passing, story) == 1.0
    assert F.heads_cross(monday, friday, story) == 0.0  # "said" says nothing of the day
    sept = side(sides, "early", "Sept. 11")
    vote = side(sides, "late", "Nov. 8")
    assert F.event_name_mismatch(sept, vote, story) == 1.0


DAYS_A = """On Monday, the mayor said she was sorry for the driver, who was charged on Friday.

The council resolution on the motto passed Thursday after a short debate.

Families of the Sept. 11 victims met the mayor.
"""

DAYS_B = """The driver was charged on Friday with reckless driving, police said.

The mayor mocked council members for passing a resolution on Tuesday.

The count was certified on Nov. 8 by the board.
"""


@pytest.fixture(scope="module")
def models_story(story: Any) -> tuple[F.Story, list[F.ValueSide]]:
    settings = load_settings()
    models = story[2]
    arts = []
    for name, text, day in (("early", DAYS_A, "2026-01-07"), ("late", DAYS_B, "2026-01-07")):
        raw = RawDocument(
            origin=f"{name}.txt", kind=SourceKind.TEXT, content=text, outlet=name, published=day
        )
        art = clean_document(raw, settings)
        assert isinstance(art, Article)
        arts.append(art)
    analyses = analyse_all(arts, models, AnalysisCache())
    sides = F.build_sides(analyses, find_origins(analyses))
    return F.Story(sides), sides
