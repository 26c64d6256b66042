"""The fitted speaker model: its file, and the choices it makes among a quote's candidates, on
texts written for each behaviour."""

from __future__ import annotations

from typing import Any

import pytest

from newsprism.compare import speakers
from newsprism.compare.quotes import SpeakerTrace, extract_quotes
from newsprism.config import load_settings
from newsprism.errors import ModelError
from newsprism.nlp import Models

pytestmark = pytest.mark.slow

# a reporter's name in passing and the speaker's own cue in one sentence: the rules take the
# nearest verb ("adding"), whose parse subject is the magazine; the model weighs both
INTERVIEW = (
    "In a 2015 interview with the Boston Review, Warren insisted it was “premature” to endorse "
    "anyone while adding on trade, “I have no doubt that the deal is wrong for working families "
    "and that the Senate should reject it when the vote comes.”"
)


@pytest.fixture(scope="module")
def nlp() -> Any:
    return Models(load_settings()).spacy


def test_shipped_model_reads_and_scores() -> None:
    model = speakers.load()
    assert set(model.features) <= set(speakers.FEATURES)
    # a subject of a reporting verb in the quote's sentence outscores a mention two sentences
    # back in another paragraph that no verb ties to the quote
    cue_subject = {"cue_subject": 1.0, "cue_speech": 1.0, "same_sentence": 1.0, "person": 1.0}
    far = {"prev_sentence": 1.0, "other_paragraph": 1.0, "log_distance": 3.0, "person": 1.0}
    near_score, far_score = model.scores([cue_subject, far])
    assert near_score > far_score
    reasons = dict(model.contributions(cue_subject))
    assert reasons["cue_subject"] > 0


def test_a_broken_model_file_is_a_model_error() -> None:
    raw = speakers.to_dict(speakers.load())
    with pytest.raises(ModelError, match="differ in length"):
        speakers.from_dict({**raw, "coef": raw["coef"][:-1]})
    with pytest.raises(ModelError, match="does not compute"):
        speakers.from_dict({**raw, "features": [*raw["features"][:-1], "shoe_size"]})
    with pytest.raises(ModelError, match="finite positive"):
        speakers.from_dict({**raw, "scale": [0.0] * len(raw["scale"])})
    with pytest.raises(ModelError, match="not a speaker model"):
        speakers.from_dict({"features": raw["features"]})
    assert speakers.from_dict(raw).features == tuple(raw["features"])


def test_model_prefers_the_speaker_to_the_publication_of_the_interview(nlp: Any) -> None:
    doc = nlp(INTERVIEW)
    quote = next(q for q in extract_quotes(INTERVIEW, "s", doc) if q.text.startswith("I have"))
    assert quote.speaker == "Warren"
    rules = extract_quotes(INTERVIEW, "s", doc, rules_only=True)
    # what the rules alone say, so this test shows the model's work
    assert next(q for q in rules if q.text.startswith("I have")).speaker == "the Boston Review"


def test_trace_lists_the_candidates_with_their_features(nlp: Any) -> None:
    trace: SpeakerTrace = []
    extract_quotes(INTERVIEW, "s", nlp(INTERVIEW), trace=trace)
    start = INTERVIEW.index("“I have")
    (cands,) = [c for (q0, _), c in trace if q0 <= start + 1 <= q0 + 2]
    by_text = {INTERVIEW[s0:s1]: f for (s0, s1), f in cands}
    assert by_text["Warren"]["cue_subject"] == 1.0
    assert by_text["Warren"]["same_sentence"] == 1.0
    assert by_text["Warren"]["before"] == 1.0
    assert any(f.get("rule") for f in by_text.values())  # the rules' pick is among them


def test_a_place_is_never_the_model_pick(nlp: Any) -> None:
    # "Mexico" is the nearest mention and the subject of a verb of the quote's clause; a place
    # does not speak, whatever the model's score says
    text = (
        "Smith criticises the court, quarrels with reporters, claims that Spanish-language "
        'broadcaster Univision "takes its marching orders" from Mexico, and asserts that Mexico '
        'is "killing us."'
    )
    quotes = extract_quotes(text, "s", nlp(text))
    assert quotes
    assert all(q.speaker != "Mexico" for q in quotes)


def test_a_missing_or_broken_model_file_is_named() -> None:
    from newsprism.compare import scorer

    with pytest.raises(ModelError, match=r"speaker model no_such_model\.json"):
        scorer.read_data("no_such_model", "speaker model")
    assert scorer.read_data("speaker_model", "speaker model")["features"]
