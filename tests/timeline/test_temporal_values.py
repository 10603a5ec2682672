"""granularity() and period(): how the timeline reads TIMEX3 values."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval.timeline.temporal import day_span, granularity, period
from retrieval.timeline.temporal.values import day_number


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
        ("BC0044", "year"),
        ("BC01", "century"),
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


def test_day_numbers_continue_before_christ() -> None:
    # Given the proleptic calendar's first day and the days before it
    # When they are numbered
    # Then AD days match the ordinal, and 1 BC (year 0) ends the day before AD 1 begins
    assert day_number(2016, 5, 23) == dt.date(2016, 5, 23).toordinal()
    assert day_number(0, 12, 31) == dt.date(1, 1, 1).toordinal() - 1
    assert day_number(-399, 1, 1) == day_number(1, 1, 1) - 146097  # 400 years


@pytest.mark.parametrize(
    "older_to_newer",
    [["BC0753", "BC01", "BC00", "BC0044", "BC0001", "00", "0014", "0122", "1066", "19", "2016"]],
)
def test_periods_before_christ_sort_before_later_ones(older_to_newer: list[str]) -> None:
    # Given BC and AD values from oldest to newest (a century by its first day)
    spans = [day_span(value) for value in older_to_newer]
    # When their periods are compared
    # Then each starts no later than the next
    assert all(span is not None for span in spans)
    firsts = [span[0] for span in spans if span]
    assert firsts == sorted(firsts)


@pytest.mark.parametrize(
    ("value", "first_year", "last_year"),
    [("BC0044", -43, -43), ("BC01", -198, -99), ("BC00", -98, 0), ("0014", 14, 14)],
)
def test_a_bc_period_covers_its_years(value: str, first_year: int, last_year: int) -> None:
    # Given a BC or early AD value, years counted astronomically (1 BC is year 0)
    # When its day span is taken
    # Then it runs from 1 January of its first year to 31 December of its last
    assert day_span(value) == (day_number(first_year, 1, 1), day_number(last_year, 12, 31))
