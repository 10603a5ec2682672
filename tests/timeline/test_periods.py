"""Readable periods: TIMEX3 values written the way people write dates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.timeline.periods import readable


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2014-10-02", "2 October 2014"),
        ("2014-10", "October 2014"),
        ("2014", "2014"),
        ("2007-SP", "spring 2007"),
        ("2007-WI", "winter 2007"),
        ("1998-Q3", "Q3 1998"),
        ("1998-H2", "second half of 1998"),
        ("2000-W07", "week 7 of 2000"),
        ("199X", "the 1990s"),
        ("199", "the 1990s"),
        ("18", "19th century"),
        ("20", "21st century"),
        ("00", "1st century"),
        ("0014", "AD 14"),
        ("BC0044", "44 BC"),
        ("BC01", "2nd century BC"),
        ("BC00", "1st century BC"),
        ("2014-10-02T10:30", "2 October 2014, 10:30"),
        ("2014-10-02TEV", "2 October 2014, evening"),
    ],
)
def test_values_read_as_people_write_them(value: str, expected: str) -> None:
    assert readable(value) == expected


def test_a_range_reads_from_its_start_to_its_end() -> None:
    assert readable("2004", "2013") == "2004 to 2013"
    assert readable("BC0044", "0014") == "44 BC to AD 14"


@pytest.mark.parametrize("value", ["PRESENT_REF", "XXXX-06", "2014-13", "2014-02-31", ""])
def test_values_it_does_not_know_are_shown_as_they_are(value: str) -> None:
    assert readable(value) == value


@given(st.text(max_size=30), st.none() | st.text(max_size=30))
def test_any_value_reads_without_error(value: str, end: str | None) -> None:
    assert isinstance(readable(value, end), str)
