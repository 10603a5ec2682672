"""The pattern helpers the rules share: the word right before a position."""

from __future__ import annotations

import pytest

from retrieval.timeline.temporal.patterns import WordBefore, last_word


@pytest.mark.parametrize(
    ("text", "word"),
    [("in 1995", "in"), ("mid-1990s", "mid"), ("c. 1850", "c"), ("Since  June", "since")],
)
def test_the_last_word_is_found_behind_spaces_hyphens_and_one_period(text: str, word: str) -> None:
    position = text.index(text.split()[-1]) if " " in text else text.index("1")
    assert last_word(text, position) == word


def test_a_number_or_symbol_before_a_position_is_no_word() -> None:
    assert last_word("$ 1995", 2) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [("born in 1995", True), ("born In 1995", True), ("born win 1995", False), ("in, 1995", False)],
)
def test_a_word_before_needs_the_whole_word_and_its_gap(text: str, expected: bool) -> None:
    # Given the words "in" and "since" followed by spaces
    before = WordBefore("in since", r"\s+")
    # When asked about the position of the year
    # Then only the whole word right before it, behind spaces, counts
    assert before(text, text.index("1995")) is expected
