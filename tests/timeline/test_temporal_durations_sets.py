"""Durations and sets (recurring times), written as TimeML does."""

from __future__ import annotations

import pytest

from retrieval.timeline.temporal import tag


@pytest.mark.parametrize(
    ("text", "extent", "value"),
    [
        ("The war lasted two decades.", "two decades", "P20Y"),
        ("The loan runs three years.", "three years", "P3Y"),
        ("They signed a 20-year lease.", "20-year", "P20Y"),
        ("The trial took 45 days.", "45 days", "P45D"),
        ("The flight took 2 1/2 hours.", "2 1/2 hours", "PT2H30M"),
        ("It rained for several weeks.", "several weeks", "PXW"),
        ("The talks lasted a week.", "a week", "P1W"),
        ("The centre has been closed for years.", "years", "PXY"),
    ],
)
def test_durations(text: str, extent: str, value: str) -> None:
    found = tag(text)
    assert [(f.text, f.type, f.value) for f in found] == [(extent, "DURATION", value)]


def test_approximate_duration_keeps_its_qualifier() -> None:
    (found,) = tag("The repairs took nearly three weeks.")
    assert (found.text, found.value, found.mod) == ("nearly three weeks", "P3W", "LESS_THAN")


@pytest.mark.parametrize(
    ("text", "extent", "value"),
    [
        ("The fee is paid annually.", "annually", "P1Y"),
        ("The club meets every year.", "every year", "P1Y"),
        ("The paper appears weekly.", "weekly", "P1W"),
        ("Rent is due each month.", "each month", "P1M"),
        ("The market opens every Saturday.", "every Saturday", "XXXX-WXX-6"),
        ("The board meets twice a year.", "twice a year", "P1Y"),
    ],
)
def test_sets(text: str, extent: str, value: str) -> None:
    found = tag(text)
    assert [(f.text, f.type, f.value) for f in found] == [(extent, "SET", value)]


def test_a_second_is_an_ordinal_not_a_duration() -> None:
    assert tag("He won a second term.") == []


def test_a_quarter_of_something_is_not_a_date() -> None:
    assert tag("A quarter of the votes were lost.") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The speech lasted a minute and a half.", "PT1M30S"),
        ("The project took two and a half years.", "P2Y6M"),
        ("The hearing ran one and a half days.", "P1DT12H"),
    ],
)
def test_fractional_durations_use_the_next_smaller_unit(text: str, value: str) -> None:
    (found,) = tag(text)
    assert found.value == value


@pytest.mark.parametrize("text", ["A 6-year-old girl sang.", "He is 47 years old."])
def test_ages_are_not_durations(text: str) -> None:
    assert tag(text) == []


def test_vague_plural_duration_after_for() -> None:
    (found,) = tag("The case dragged on for months.")
    assert (found.text, found.value) == ("months", "PXM")


def test_the_past_decade_is_a_duration() -> None:
    (found,) = tag("Exports doubled over the past decade.")
    assert (found.text, found.type, found.value) == ("the past decade", "DURATION", "P10Y")


@pytest.mark.parametrize(
    "text",
    ["Rooms cost $40 a night.", "The airline adds six flights a week.", "It pays 9 cents a year."],
)
def test_rates_are_not_durations(text: str) -> None:
    assert tag(text) == []


def test_per_unit_rates_are_not_sets() -> None:
    assert tag("The chip runs 20 million operations per second.") == []


@pytest.mark.parametrize("text", ["The quarterly dividend rose.", "Its annual meeting was held."])
def test_frequency_adjectives_before_a_noun_are_not_sets(text: str) -> None:
    # Given "quarterly" or "annual" describing the noun after it
    # When tagged
    # Then nothing is found: they say what the thing is, not when something happens
    assert tag(text) == []
