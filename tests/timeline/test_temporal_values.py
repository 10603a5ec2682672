"""granularity() and period(): how the timeline reads TIMEX3 values."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval.timeline.temporal import granularity, period


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2008", "year"),
        ("2008-04", "month"),
        ("2008-04-30", "day"),
        ("2008-SU", "season"),
        ("2008-Q2", "quarter"),
        ("199X", "decade"),
        ("199", "decade"),
        ("19", "century"),
        ("2008-W17", "week"),
        ("2008-04-30T10:30", "time"),
        ("XXXX-06", "month"),
        ("PRESENT_REF", "unknown"),
        ("P3Y", "unknown"),
    ],
)
def test_granularity_names_the_unit_of_a_value(value: str, expected: str) -> None:
    assert granularity(value) == expected


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2008", dt.date(2008, 1, 1), dt.date(2008, 12, 31)),
        ("2008-02", dt.date(2008, 2, 1), dt.date(2008, 2, 29)),
        ("2008-02-10", dt.date(2008, 2, 10), dt.date(2008, 2, 10)),
        ("2007-SP", dt.date(2007, 3, 1), dt.date(2007, 5, 31)),
        ("2007-WI", dt.date(2007, 12, 1), dt.date(2008, 2, 29)),
        ("2007-Q4", dt.date(2007, 10, 1), dt.date(2007, 12, 31)),
        ("199X", dt.date(1990, 1, 1), dt.date(1999, 12, 31)),
        ("199", dt.date(1990, 1, 1), dt.date(1999, 12, 31)),
        ("19", dt.date(1900, 1, 1), dt.date(1999, 12, 31)),
        ("2008-W01", dt.date(2007, 12, 31), dt.date(2008, 1, 6)),
        ("2008-04-30T10:30", dt.date(2008, 4, 30), dt.date(2008, 4, 30)),
    ],
)
def test_period_gives_first_and_last_day_covered(value: str, first: dt.date, last: dt.date) -> None:
    assert period(value) == (first, last)


@pytest.mark.parametrize("value", ["XXXX-06", "PAST_REF", "P3Y", "2008-13"])
def test_period_is_none_for_unresolved_or_invalid_values(value: str) -> None:
    assert period(value) is None
