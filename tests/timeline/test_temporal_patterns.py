"""The pattern helpers the rules share: the word right before a position."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


_PIECES = st.sampled_from(
    ["in", "IN", "c.", "early", "x", "é", "5", "_", " ", "  ", "-", ".", "\n", "\u00a0", "1995"]
)


@given(st.lists(_PIECES, max_size=12).map("".join), st.data())
def test_a_word_before_answers_as_a_search_of_its_whole_reach_would(
    text: str, data: st.DataObject
) -> None:
    # Given words with a period ("c.") and gaps with and without hyphens and periods
    gap = data.draw(st.sampled_from([r"\s+", r"\.?\s*", r"[-\s]*"]))
    reach = data.draw(st.integers(1, 16))
    before = WordBefore("in c. early", gap, reach)
    search = re.compile(rf"\b(?:in|c\.|early){gap}$", re.IGNORECASE)
    # When asked about any position
    position = data.draw(st.integers(0, len(text)))
    # Then it agrees with a regex search of the reach behind the position, for the words
    # the look at the last word admits (the check runs only from that word's start)
    admitted = last_word(text, position) in {"in", "c", "early"}
    found = search.search(text, max(0, position - reach), position) is not None
    assert before(text, position) is (admitted and found)
