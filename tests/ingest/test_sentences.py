"""Sentence segmentation: the hard cases, and offsets that lead back to the file."""

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.ingest.clean_span import collapse_whitespace
from retrieval.ingest.sentences import MAX_SENTENCE_CHARS, split_sentences
from retrieval.models import SentenceKind


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences("doc", text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. envoy met Gen. Alvarez. Talks went well.",
            ["The U.S. envoy met Gen. Alvarez.", "Talks went well."],
        ),
        (
            "Dr. Reyes arrived on Feb. 3, 2011. She left soon after.",
            ["Dr. Reyes arrived on Feb. 3, 2011.", "She left soon after."],
        ),
        (
            "President John Q. Public spoke. The crowd cheered.",
            ["President John Q. Public spoke.", "The crowd cheered."],
        ),
        (
            "The deal was worth $2.4 billion. Growth hit 6.15 percent in May.",
            ["The deal was worth $2.4 billion.", "Growth hit 6.15 percent in May."],
        ),
        (
            "Item No. 12 was sold. Bidding closed.",
            ["Item No. 12 was sold.", "Bidding closed."],
        ),
        (
            "“We are ready,” she said. The vote (held at 5 p.m. sharp) passed.",
            ["“We are ready,” she said.", "The vote (held at 5 p.m. sharp) passed."],
        ),
    ],
)
def test_abbreviations_initials_numbers_and_quotes_do_not_end_sentences(
    text: str, expected: list[str]
) -> None:
    assert _texts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "A bad reply raises harbour.errors.BerthError. Try again.",
            ["A bad reply raises harbour.errors.BerthError.", "Try again."],
        ),
        ("Run it with ./bin/dock and wait.", ["Run it with ./bin/dock and wait."]),
        (
            "The dock! macro berths a ship. Stop! Then go.",
            ["The dock! macro berths a ship.", "Stop!", "Then go."],
        ),
        (
            "Use `???` to open a block. Add `?` after a name, then go.",
            ["Use `???` to open a block.", "Add `?` after a name, then go."],
        ),
    ],
)
def test_names_and_paths_and_a_bang_before_a_lowercase_word_do_not_end_sentences(
    text: str, expected: list[str]
) -> None:
    assert _texts(text) == expected


def test_a_heading_without_punctuation_is_its_own_sentence() -> None:
    # given a title line directly above a paragraph
    text = "Harbour Bridge Reopens\n\nThe bridge reopened on Monday. Traffic resumed."
    # when it is segmented
    sentences = split_sentences("doc", text)
    # then the title is a heading sentence of its own
    assert sentences[0].text == "Harbour Bridge Reopens"
    assert sentences[0].kind is SentenceKind.HEADING
    assert [s.text for s in sentences[1:]] == ["The bridge reopened on Monday.", "Traffic resumed."]


def test_hard_wrapped_lines_are_rejoined_before_segmentation() -> None:
    # given a paragraph hard-wrapped at 40 characters
    prose = (
        "The committee met for the third time in the capital. It approved the budget after "
        "a long debate that lasted into the night. Members then adjourned until the spring."
    )
    text = textwrap.fill(prose, 40)
    # when it is segmented
    # then sentences follow punctuation, not line breaks
    assert _texts(text) == [
        "The committee met for the third time in the capital.",
        "It approved the budget after a long debate that lasted into the night.",
        "Members then adjourned until the spring.",
    ]


def test_a_word_hyphenated_across_a_line_break_is_joined() -> None:
    text = (
        "Several groups campaigned for a stronger pro-\n"
        "reform agenda across the whole region and\n"
        "beyond it during the following decade too."
    )
    assert "pro-reform agenda" in _texts(text)[0]


_word = st.sampled_from(["alpha", "Beta", "gamma", "U.S.", "Dr.", "3.5", "pro-", "end."])
_gap = st.sampled_from([" ", " ", " ", "\n", "\n\n", "  ", "-\n", ". ", "! "])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_word, _gap), min_size=1, max_size=60))
def test_sentence_offsets_lead_back_to_the_original_text(parts: list[tuple[str, str]]) -> None:
    # given random text with wraps, hyphens and blank lines
    original = "".join(word + gap for word, gap in parts)
    # when it is split into sentences
    sentences = split_sentences("doc", original)
    # then every sentence is its original slice with whitespace collapsed, in order
    previous_end = 0
    for sentence in sentences:
        assert collapse_whitespace(original[sentence.start : sentence.end]) == sentence.text
        assert sentence.start >= previous_end
        previous_end = sentence.end


def test_a_line_of_words_without_punctuation_is_cut_into_quotes_of_a_sane_size() -> None:
    # given a 200,000-word line with no punctuation at all
    original = " ".join(f"word{i % 97}" for i in range(200_000))
    # when it is split into sentences
    sentences = split_sentences("doc", original)
    # then none is longer than the cap, each is its own slice, and together they hold every word
    assert max(len(s.text) for s in sentences) <= MAX_SENTENCE_CHARS
    assert all(original[s.start : s.end] == s.text for s in sentences)
    assert sum(len(s.text.split()) for s in sentences) == 200_000


def test_an_overlong_sentence_is_cut_at_a_clause_boundary() -> None:
    clause = "the berth was assigned to a ship from the north"
    original = "; ".join([clause] * 40) + "."
    sentences = split_sentences("doc", original)
    assert len(sentences) > 1
    assert all(s.text.endswith((";", ".")) for s in sentences)
    assert max(len(s.text) for s in sentences) <= MAX_SENTENCE_CHARS
