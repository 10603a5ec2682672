"""Cleaned text keeps an exact way back to the original."""

from hypothesis import given
from hypothesis import strategies as st

from retrieval.ingest.clean_span import CleanSpan, collapse_whitespace


def test_whitespace_runs_collapse_to_one_space() -> None:
    # given a passage wrapped over lines with uneven spacing
    original = "The  treaty\nwas   signed\n\n in spring."
    # when it is collapsed
    # then single spaces remain
    assert collapse_whitespace(original) == "The treaty was signed in spring."


def test_a_hyphen_at_a_line_end_joins_its_word() -> None:
    assert collapse_whitespace("powerful pro-\nreform groups") == "powerful pro-reform groups"


def test_a_dash_between_spaces_is_not_a_wrapped_word() -> None:
    assert collapse_whitespace("war -\nand peace") == "war - and peace"


def test_a_clean_span_maps_back_to_original_offsets() -> None:
    # given a wrapped passage
    original = "  First line of\n  text here."
    span = CleanSpan.of(original)
    # when the cleaned word "text" is mapped back
    start = span.text.index("text")
    begin, end = span.original_span(start, start + 4)
    # then the original slice is that word
    assert original[begin:end] == "text"


_words = st.text(alphabet="abcXY-.,’é", min_size=1, max_size=8)
_gaps = st.sampled_from([" ", "  ", "\n", "\n\n", " \n ", "\t", "-\n"])


@given(st.lists(st.tuples(_words, _gaps), min_size=1, max_size=30), st.data())
def test_every_cleaned_span_collapses_from_its_original_slice(
    parts: list[tuple[str, str]], data: st.DataObject
) -> None:
    # given random text with wraps, hyphens and blank lines
    original = "".join(word + gap for word, gap in parts)
    span = CleanSpan.of(original)
    # when any span that starts on a word and ends on a non-space character is mapped back
    starts = [
        i for i, ch in enumerate(span.text) if ch != " " and (i == 0 or span.text[i - 1] == " ")
    ]
    start = data.draw(st.sampled_from(starts))
    ends = [i + 1 for i, ch in enumerate(span.text) if ch != " " and i >= start]
    end = data.draw(st.sampled_from(ends))
    begin, finish = span.original_span(start, end)
    # then collapsing the original slice gives the cleaned span
    assert collapse_whitespace(original[begin:finish]) == span.text[start:end]


def test_tabs_newlines_and_no_break_spaces_between_words_become_one_space() -> None:
    assert collapse_whitespace("one\ttwo\u00a0three\nfour\u2003five") == "one two three four five"


@given(st.text(alphabet="ab. \t\n\r\u00a0\u2003\u3000", max_size=12))
def test_a_passage_is_kept_verbatim_exactly_when_single_spaces_part_its_words(
    passage: str,
) -> None:
    # given any passage of letters and whitespace of many kinds
    # when it is cleaned
    span = CleanSpan.of(passage)
    # then it is one verbatim segment exactly when nothing but single spaces part its words
    regular = (
        bool(passage)
        and all(ch == " " or not ch.isspace() for ch in passage)
        and "  " not in passage
        and passage[0] != " "
        and passage[-1] != " "
    )
    assert (span.text == passage and len(span.clean_starts) == 1) == regular
