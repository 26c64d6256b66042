"""Direct quotes and speakers on sentences written for each pattern the extractor handles."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.compare.quotes import extract_quotes, find_quoted
from newsprism.config import load_settings
from newsprism.model import Quote
from newsprism.nlp import Models

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Any:
    return Models(load_settings()).spacy


def run(nlp: Any, text: str) -> tuple[Quote, ...]:
    quotes = extract_quotes(text, "src", nlp(text))
    for q in quotes:
        assert q.text == text[q.span.start : q.span.end]
        assert q.span.source == "src"
        if q.speaker_span is not None:
            assert 0 <= q.speaker_span.start < q.speaker_span.end <= len(text)
    return quotes


def only(quotes: tuple[Quote, ...]) -> Quote:
    assert len(quotes) == 1, quotes
    return quotes[0]


def test_curly_quote_said_after(nlp: Any) -> None:
    text = "Jane Smith leads the campaign. “We will win this race in November,” Smith said."
    q = only(run(nlp, text))
    assert q.text == "We will win this race in November,"
    assert q.speaker == "Jane Smith"  # the full name the article gave earlier
    assert q.cue == "said"
    assert text[q.speaker_span.start : q.speaker_span.end] == "Smith"  # type: ignore[union-attr]


def test_straight_quotes_and_inversion(nlp: Any) -> None:
    text = '"The bridge has to be rebuilt before winter," said Tom Baker, the county engineer.'
    q = only(run(nlp, text))
    assert q.text == "The bridge has to be rebuilt before winter,"
    assert q.speaker == "Tom Baker"


def test_speaker_before_quote_with_colon(nlp: Any) -> None:
    text = "Mayor Ann Lee said: “The water is safe to drink and we have the tests to prove it.”"
    q = only(run(nlp, text))
    assert q.speaker == "Ann Lee"
    assert q.cue == "said"


def test_split_quote_gives_two_pieces_one_speaker(nlp: Any) -> None:
    text = "Senator Mark Ruiz spoke first. “We will fight this bill,” he said, “and we will win.”"
    quotes = run(nlp, text)
    assert [q.text for q in quotes] == ["We will fight this bill,", "and we will win."]
    assert {q.speaker for q in quotes} == {"Mark Ruiz"}


def test_speaker_described_by_a_relative_clause(nlp: Any) -> None:
    # The parse hangs "Trump" on the opening clause and leaves "said" without a subject; the
    # senator named in the paragraph before must not get the quote.
    text = (
        "Senator Rick Santorum trails with 2 percent.\n\n"
        "Asked in the interview how genuine his presidential ambition is, Trump, who would have "
        'to hand over the reins of his empire in order to run the country, said, "I always take '
        "things seriously, but I've never taken it seriously like this.\""
    )
    q = only(run(nlp, text))
    assert q.speaker == "Trump"
    assert q.cue == "said"


def test_according_to(nlp: Any) -> None:
    text = (
        "“The storm caused damage in every county of the state,” according to Governor Paul Reed."
    )
    q = only(run(nlp, text))
    assert q.speaker == "Paul Reed"
    assert q.cue == "according to"


def test_role_before_name(nlp: Any) -> None:
    text = (
        "White House spokesman Josh Earnest said the president “has no plans to change course on "
        "this policy.”"
    )
    q = only(run(nlp, text))
    assert q.speaker == "Josh Earnest"


def test_appositive_role_and_later_role_mention(nlp: Any) -> None:
    text = (
        "The spokesman, John Doe, said the plan “will not survive a court challenge at all.”\n\n"
        "“We expect to be sued within days of the vote,” the spokesman said."
    )
    quotes = run(nlp, text)
    assert [q.speaker for q in quotes] == ["John Doe", "John Doe"]


def test_pronoun_resolves_to_last_subject_person(nlp: Any) -> None:
    text = (
        "Maria Gonzalez, who runs the shelter, met Governor Tom Hill on Monday.\n\n"
        "Gonzalez said the shelter was full every night.\n\n"
        "“We turn families away every single night now,” she said."
    )
    q = only(run(nlp, text))
    assert q.speaker == "Maria Gonzalez"
    assert text[q.speaker_span.start : q.speaker_span.end] == "she"  # type: ignore[union-attr]


def test_pronoun_gender_skips_the_wrong_person(nlp: Any) -> None:
    text = (
        "Donald Trump attacked Hillary Clinton on Tuesday. Clinton answered at a rally in Ohio.\n\n"
        "“He has no plan for the economy and no plan for jobs,” she said."
    )
    q = only(run(nlp, text))
    assert q.speaker == "Hillary Clinton"


def test_speaker_in_previous_sentence(nlp: Any) -> None:
    text = (
        "Robert Chen, the union president, spoke to reporters after the vote. "
        "“This contract protects every worker in the plant for five years.”"
    )
    q = only(run(nlp, text))
    assert q.speaker == "Robert Chen"


def test_quote_spanning_sentences(nlp: Any) -> None:
    text = "“We lost. We will be back next year. Count on it,” said coach Dan Ortiz."
    q = only(run(nlp, text))
    assert q.text == "We lost. We will be back next year. Count on it,"
    assert q.speaker == "Dan Ortiz"


def test_quote_continued_in_next_paragraph(nlp: Any) -> None:
    text = (
        "Economist Sara Klein said: “Prices will keep rising through the spring.\n\n"
        "“After that, the market should settle down as supply catches up.”"
    )
    quotes = run(nlp, text)
    assert [q.text for q in quotes] == [
        "Prices will keep rising through the spring.",
        "After that, the market should settle down as supply catches up.",
    ]
    assert [q.speaker for q in quotes] == ["Sara Klein", "Sara Klein"]


def test_organisation_as_speaker(nlp: Any) -> None:
    text = "“The recall covers every model sold since 2019,” Toyota said in a statement."
    q = only(run(nlp, text))
    assert q.speaker == "Toyota"


def test_scare_quotes_are_skipped(nlp: Any) -> None:
    text = "The so-called “reform” was passed by the council without a public hearing."
    assert run(nlp, text) == ()


def test_short_quote_with_reporting_verb_is_kept(nlp: Any) -> None:
    text = "“Absolutely not,” said Lisa Park when asked about a second term."
    q = only(run(nlp, text))
    assert q.speaker == "Lisa Park"


def test_dash_credit(nlp: Any) -> None:
    text = "“He does not speak for our community and never has.” ― Carla Sanchez"
    q = only(run(nlp, text))
    assert q.speaker == "Carla Sanchez"


def test_doubled_apostrophe_quotes(nlp: Any) -> None:
    text = "''The tax plan is more detailed than anything we saw in 2012,'' said Alan Cole."
    q = only(run(nlp, text))
    assert q.text == "The tax plan is more detailed than anything we saw in 2012,"
    assert q.speaker == "Alan Cole"


def test_unknown_speaker_is_none(nlp: Any) -> None:
    text = "“Nobody saw this coming at all, not even the experts,” read the sign on the door."
    for q in run(nlp, text):
        assert q.speaker is None or q.speaker.lower() in ("the sign", "sign")


# ------------------------------------------------------------------ the scanner, without spaCy


def test_find_quoted_apostrophes_are_not_quotes() -> None:
    text = "It’s the voters’ choice, ‘not ours’ and don’t forget it."
    assert [text[a:b] for a, b, _ in find_quoted(text)] == ["not ours"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,\n“”\"'‘’`")), max_size=80))
def test_find_quoted_spans_are_inside_text(text: str) -> None:
    stretches = find_quoted(text)
    for start, end, cont in stretches:
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert cont is None or 0 <= cont < len(stretches)


# ------------------------------------------------------------------ rules added for PolNeAR errors


def test_word_of_the_quote_parsed_as_subject_is_skipped(nlp: Any) -> None:
    text = (
        "“The campaign is in panic mode. Full panic mode,” said Leslie Wimes, a local organiser "
        "in Miami."
    )
    quotes = run(nlp, text)
    assert {q.speaker for q in quotes} == {"Leslie Wimes"}


def test_name_beside_a_verb_the_parser_left_without_subject(nlp: Any) -> None:
    text = (
        "The U.S. Department of Justice is investigating the shooting.\n"
        "“I will just make this promise to you: We will achieve justice in this case,” Tulsa "
        "police Chief Chuck Jordan said Monday. “I want to assure our community.”"
    )
    quotes = run(nlp, text)
    assert [q.speaker for q in quotes] == ["Chuck Jordan", "Chuck Jordan"]


def test_sentence_initial_inverted_said(nlp: Any) -> None:
    text = (
        "Ryan Ellis, a tax lobbyist, has followed the plan for months. Experts say the code would "
        "get more complicated. Said Ellis: “I don’t get the sense she is interested in reform.”"
    )
    q = only(run(nlp, text))
    assert q.speaker == "Ryan Ellis"


def test_straight_opening_mark_closed_by_curly_mark(nlp: Any) -> None:
    text = '"Oz has a huge bully pulpit behind him,” said David Gorski, a professor of surgery.'
    q = only(run(nlp, text))
    assert q.text == "Oz has a huge bully pulpit behind him,"
    assert q.speaker == "David Gorski"


def test_pronoun_chain_keeps_the_speaker_over_names_in_passing(nlp: Any) -> None:
    text = (
        "Don Fowler noted that in 1972 he supported a decision to replace Thomas Eagleton.\n\n"
        "Though that change was smooth, he said, replacing the nominee would be much harder and "
        "could lead to lobbying by loyalists to Joe Biden and Bernie Sanders.\n\n"
        "“This is a different time, with a lot more people who like to express themselves,” he "
        "said."
    )
    q = only(run(nlp, text))
    assert q.speaker == "Don Fowler"


def test_name_inside_asked_clause_is_not_the_pronoun(nlp: Any) -> None:
    text = (
        "Susan Sarandon spoke to reporters on Monday.\n\n"
        "Asked about her own vote in the event that Hillary Clinton faces Donald Trump, she "
        "replied: “I don’t know. I’m going to see what happens.”"
    )
    q = only(run(nlp, text))
    assert q.speaker == "Susan Sarandon"


def test_sentence_running_over_a_paragraph_break_does_not_lend_its_verb(nlp: Any) -> None:
    text = (
        "Tim Canova is running for Congress.\n\n"
        "“In some ways it feels like we’ve won the lottery,” Canova said. “There’s been a natural "
        "donor base for someone willing to take on a leader like her.”\n\n"
        "Bernie Sanders, who has already sent fundraising pleas on Canova’s behalf, said he also "
        "may campaign for him."
    )
    quotes = run(nlp, text)
    assert len(quotes) == 2
    assert all(q.speaker in ("Tim Canova", "Canova") for q in quotes)


def test_headline_name_and_colon(nlp: Any) -> None:
    text = (
        "Trump: ‘I’m the Worst Thing That Ever Happened to the Establishment.’\n\n"
        "Donald Trump spoke at Liberty University on Monday."
    )
    q = run(nlp, text)[0]
    assert q.speaker == "Donald Trump"


def test_role_means_the_person_last_mentioned_with_it(nlp: Any) -> None:
    text = (
        "Former Gov. Christine Whitman said the endorsement was a mistake.\n\n"
        "Gov. Chris Christie defended his endorsement this week on his radio show.\n\n"
        "“I’ve known him personally for 14 years,” the governor said."
    )
    q = only(run(nlp, text))
    assert q.speaker == "Chris Christie"


def test_people_named_in_the_quote_are_not_its_speaker(nlp: Any) -> None:
    text = (
        "Leslie Wimes leads a women’s caucus in Florida.\n\n"
        "Hillary Clinton will visit Miami on Monday.\n\n"
        "“They thought Hillary saying ‘go vote’ would do it. But it’s not enough,” she said."
    )
    q = only(run(nlp, text))
    assert q.speaker == "Leslie Wimes"


def test_they_means_a_group_not_a_person(nlp: Any) -> None:
    text = (
        "Critics of the visa program wrote to the Homeland Security secretary, Jeh Johnson, on "
        "Monday.\n\n"
        "“The program has become plagued by fraud and abuse,” they wrote."
    )
    q = only(run(nlp, text))
    assert q.speaker is not None and q.speaker.startswith("Critics")


def test_unnamed_speaker_in_a_busy_sentence(nlp: Any) -> None:
    text = (
        "Some in the crowd booed, and when Rubio thanked Miami and said it was great to be home, "
        "a man yelled “Stay there!”"
    )
    q = only(run(nlp, text))
    assert q.speaker == "a man"


def test_governing_verb_with_name_before_it(nlp: Any) -> None:
    text = (
        "Donald Trump threw reporter Jorge Ramos out of a news conference.\n\n"
        "The anchor for Univision was trying to ask a question when Trump shot back that the "
        "journalist had not been called on.\n\n"
        "“Go back to Univision,” Trump barked and a security guard escorted Ramos out."
    )
    q = only(run(nlp, text))
    assert q.speaker == "Donald Trump"


def test_name_addressed_in_a_quote_within_the_quote_can_be_the_speaker(nlp: Any) -> None:
    text = (
        "Coach Tom Hall retired on Friday.\n\n"
        "Maria Lopez, his star player, spoke at the ceremony.\n\n"
        "“He always told me, ‘Maria Lopez, you will be a champion,’” she said."
    )
    q = only(run(nlp, text))
    assert q.speaker == "Maria Lopez"


def test_dash_before_the_name_is_not_the_subject(nlp: Any) -> None:
    text = (
        "Donald Trump debated Hillary Clinton on Monday.\n\n"
        "When Clinton noted that Trump has not paid federal income taxes ― as was true for the "
        "few years his tax returns were made public ― Trump boasted, “That makes me smart.”"
    )
    q = only(run(nlp, text))
    assert q.speaker == "Donald Trump"


def test_reporting_verb_nested_under_the_main_verb_introduces_the_quote(nlp: Any) -> None:
    text = (
        "The Clinton campaign released a new ad about Donald Trump.\n\n"
        "The spot concludes with footage of Trump saying during the debate last week, “That makes "
        "me smart,” when Clinton blasted him for not paying income tax."
    )
    q = only(run(nlp, text))
    assert q.speaker == "Donald Trump"
    assert q.cue == "saying"


def test_subjectless_reporting_participle_takes_the_main_clause_subject(nlp: Any) -> None:
    text = (
        "Hillary Clinton said Donald Trump pays nothing in taxes.\n\n"
        "Mr. Trump hardly clarified the matter, treating Mrs. Clinton's remark first as a "
        "compliment -- ''That makes me smart'' -- and, when questioned after the debate, "
        "asserting, ''Of course, I pay federal taxes.''"
    )
    q = run(nlp, text)[-1]
    assert q.text == "Of course, I pay federal taxes."
    assert q.speaker == "Donald Trump"
    assert q.cue == "asserting"


def test_the_object_before_a_reporting_participle_is_its_speaker(nlp: Any) -> None:
    text = (
        "Donald Trump's campaign released a video on Friday.\n\n"
        "The ad uses footage of Hillary Clinton asking, “Why aren’t I 50 points ahead, you might "
        "ask?”"
    )
    q = only(run(nlp, text))
    assert q.speaker == "Hillary Clinton"
    assert q.cue == "asking"


def test_first_and_last_name_typed_org_is_still_a_person(nlp: Any) -> None:
    text = (
        "Former Hewlett-Packard CEO Carly Fiorina named a Washington favorite as her guilty "
        "pleasure. “’House of Cards,’” she said, “although I haven’t had time to watch it.”"
    )
    quotes = run(nlp, text)
    assert quotes and {q.speaker for q in quotes} == {"Carly Fiorina"}


def test_paragraph_without_full_stop_does_not_lend_its_subject(nlp: Any) -> None:
    # Scraped paragraphs often lose their final full stop; the parser must still read the next
    # paragraph as a sentence of its own, or the list of senators becomes the subject.
    text = (
        "The letter came from former senators Mark Dalton, Ruth Ibsen and Carl Moreno\n\n"
        'Governor Ann Lee released a statement late Tuesday saying: "The senators are right, '
        'and the candidate should step aside before the deadline."'
    )
    q = only(run(nlp, text))
    assert q.speaker == "Ann Lee"


def test_the_date_before_a_reporting_participle_is_not_its_speaker(nlp: Any) -> None:
    text = (
        "Mayor Ellen Park was under pressure all week. Ms. Park issued a statement on Tuesday "
        "saying, “I will not resign, and I will finish the work the voters gave me.”"
    )
    assert only(run(nlp, text)).speaker == "Ellen Park"


def test_a_document_does_not_speak_whoever_issued_it_does(nlp: Any) -> None:
    text = (
        "The company was sued last year. Robert Hale released a video that said, “Every one of "
        "our teachers is handpicked by me and the best in the business.”"
    )
    assert only(run(nlp, text)).speaker == "Robert Hale"
