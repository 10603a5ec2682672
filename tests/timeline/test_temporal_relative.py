"""Relative expressions: deictic ones use the document date, anaphoric ones the narrative."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval.timeline.temporal import TimeExpression, tag

DCT = dt.date(2010, 6, 16)  # a Wednesday


def only(text: str, dct: dt.date | None = DCT) -> TimeExpression:
    found = tag(text, dct)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "extent", "value"),
    [
        ("Shares fell yesterday.", "yesterday", "2010-06-15"),
        ("Shares fall today.", "today", "2010-06-16"),
        ("Shares may fall tomorrow.", "tomorrow", "2010-06-17"),
        ("Shares fell last year.", "last year", "2009"),
        ("Shares fell last month.", "last month", "2010-05"),
        ("Shares fell this year.", "this year", "2010"),
        ("Shares may fall next week.", "next week", "2010-W25"),
        ("Shares fell last week.", "last week", "2010-W23"),
        ("The shop closed this summer.", "this summer", "2010-SU"),
        ("The shop closed two years ago.", "two years ago", "2008"),
        ("The shop closed on Monday.", "Monday", "2010-06-14"),
        ("The shop will reopen on Friday.", "Friday", "2010-06-18"),
    ],
)
def test_deictic_expressions_resolve_against_the_document_date(
    text: str, extent: str, value: str
) -> None:
    found = only(text)
    assert (found.text, found.value, found.anchor) == (extent, value, "2010-06-16")


@pytest.mark.parametrize(
    ("text", "value"),
    [("It is raining now.", "PRESENT_REF"), ("They met recently.", "PAST_REF")],
)
def test_vague_references_get_timeml_ref_values(text: str, value: str) -> None:
    assert only(text).value == value


def test_anaphoric_offset_follows_the_last_absolute_date() -> None:
    # given a narrative that states a year and then counts from it
    found = tag("The firm was founded in 1972. Three years later it went public.", DCT)
    # then the relative expression is resolved against that year, not the document date
    later = found[1]
    assert (later.text, later.value, later.anchor) == ("Three years later", "1975", "1972")


def test_months_later_keeps_month_granularity() -> None:
    found = tag("The dam failed on April 2, 1981. Four months later it was rebuilt.", DCT)
    assert found[1].value == "1981-08"


def test_the_same_year_refers_to_the_narrative_year() -> None:
    found = tag("She graduated in 1990 and married the same year.", DCT)
    assert (found[1].text, found[1].value) == ("the same year", "1990")


def test_a_year_later_refers_to_the_narrative_year() -> None:
    found = tag("The law passed in 2001. A year later it was repealed.", DCT)
    assert found[1].value == "2002"


def test_month_without_year_takes_the_narrative_year() -> None:
    found = tag("The strike began in 1995. In June the workers returned.", DCT)
    assert (found[1].text, found[1].value, found[1].anchor) == ("June", "1995-06", "1995")


def test_month_without_year_falls_back_to_the_document_year() -> None:
    found = only("In June the workers returned.")
    assert (found.value, found.anchor) == ("2010-06", "2010-06-16")


def test_without_document_date_deictic_expressions_stay_unresolved() -> None:
    assert only("Shares fell last year.", None).value == "PAST_REF"
    assert only("Shares rose in June.", None).value == "XXXX-06"
    assert only("Shares rose on Tuesday.", None).value == "XXXX-WXX-2"


def test_the_past_n_years_is_a_duration() -> None:
    found = only("Rents rose over the past five years.")
    assert (found.text, found.type, found.value) == ("the past five years", "DURATION", "P5Y")


def test_quarter_without_year_uses_the_document_year() -> None:
    found = only("Profit rose in the first quarter.")
    assert (found.text, found.value) == ("the first quarter", "2010-Q1")


def test_a_year_earlier_after_a_quarter_is_the_same_quarter_a_year_before() -> None:
    found = tag("Profit rose in the first quarter from a year earlier.", DCT)
    assert found[1].value == "2009-Q1"


def test_a_bound_year_does_not_set_the_story() -> None:
    # given a year that only bounds a period ("since ...")
    found = tag("Rents have risen since 1987. In June the council met.", DCT)
    # then a later month keeps the document's year
    assert found[1].value == "2010-06"


def test_future_talk_reads_months_against_the_document_date() -> None:
    found = tag("The treaty was signed in May 2004 and will take effect in March.", DCT)
    assert found[1].value == "2011-03"


def test_month_of_last_year() -> None:
    found = only("Prices peaked in October last year.")
    assert (found.text, found.value) == ("October last year", "2009-10")


def test_holiday_nearest_to_the_document_date() -> None:
    found = only("Stores were crowded on Thanksgiving Day.", dt.date(2011, 1, 5))
    assert found.value == "2010-11-25"


def test_last_holiday_is_the_previous_one() -> None:
    found = only("The bridge closed last Christmas.")
    assert (found.text, found.value) == ("last Christmas", "2009-12-25")


def test_the_weekend_is_a_weekend_of_a_week() -> None:
    found = only("Crowds gathered over the weekend.")
    assert (found.text, found.value) == ("the weekend", "2010-W24-WE")


def test_year_end_marks_the_end_of_the_year() -> None:
    found = only("The merger should close by year-end.")
    assert (found.text, found.value, found.mod) == ("year-end", "2010", "END")


def test_named_next_day_weekday_is_upcoming() -> None:
    found = only("The council meets Thursday to vote.")
    assert found.value == "2010-06-17"


def test_weekday_with_part_of_day_is_that_day_as_timebank_annotates() -> None:
    found = only("The storm hit Tuesday night.")
    assert (found.text, found.type, found.value) == ("Tuesday night", "DATE", "2010-06-15")


def test_this_morning_is_a_time_of_the_document_day() -> None:
    found = only("Markets opened lower this morning.")
    assert (found.text, found.type, found.value) == ("this morning", "TIME", "2010-06-16TMO")


def test_comparison_period_of_a_named_year_takes_the_quarter_discussed() -> None:
    found = tag("Sales rose in the second quarter from the 2009 period.", DCT)
    assert (found[1].text, found[1].value) == ("the 2009 period", "2009-Q2")


def test_last_years_quarter_is_the_same_quarter_a_year_earlier() -> None:
    found = tag("Sales rose in the second quarter from last year's quarter.", DCT)
    assert found[1].value == "2009-Q2"


def test_this_century_is_the_document_century() -> None:
    assert only("Nothing like it happened this century.").value == "20"


@pytest.mark.parametrize(
    "dct", [None, dt.date(2010, 3, 1), dt.date(1, 1, 1), dt.date(9999, 12, 31)]
)
def test_impossible_calendar_arithmetic_leaves_the_value_unresolved(dct: dt.date | None) -> None:
    # given a leap day without a year, resolved against common or extreme years
    found = tag("The vote fell on Feb. 29, a Wednesday, and results came the next day.", dct)
    # then tagging does not fail and every extent is a slice of the input
    assert found
    assert found[0].value in ("XXXX-02-29", "2012-02-29")


def test_a_datetime_document_date_is_read_as_its_day() -> None:
    found = only("Shares fell yesterday.", dt.datetime(2010, 6, 16, 18, 30))
    assert (found.value, found.anchor) == ("2010-06-15", "2010-06-16")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The navy ship has been on patrol since March.", "1990-03"),
        ("Officials said Friday the talks were over.", "1990-08-10"),
    ],
)
def test_since_or_a_reporting_verb_puts_a_named_day_or_month_in_the_past(
    text: str, value: str
) -> None:
    # Given a month after "since", or a weekday right after "said", in an article of
    # Monday 13 August 1990
    # When tagged
    [found] = tag(text, dt.date(1990, 8, 13))
    # Then the last such month or day before the article is meant
    assert found.value == value


def test_the_year_ended_on_a_date_is_a_twelve_month_period() -> None:
    # Given a reporting period
    # When tagged
    found = tag("Profit rose in the year ended March 31.", dt.date(1989, 10, 2))
    # Then "the year" is a duration of one year, not the calendar year
    first = found[0]
    assert (first.text, first.type, first.value) == ("the year", "DURATION", "P1Y")


def test_a_quarter_named_in_the_future_tense_is_never_most_of_a_year_ahead() -> None:
    # Given an article of November 1989 (the fourth quarter) with a future cue in the clause
    found = only(
        "The firm will sell the unit, and took a loss in the third quarter.", dt.date(1989, 11, 1)
    )
    # Then the third quarter is the one just ended, not next year's
    assert (found.text, found.value) == ("the third quarter", "1989-Q3")


def test_a_quarter_named_in_the_future_tense_may_be_the_next_one() -> None:
    found = only("The plant will reopen in the first quarter.", dt.date(1989, 11, 1))
    assert found.value == "1990-Q1"


def test_the_latest_quarter_is_the_finished_quarter_the_report_discusses() -> None:
    # Given a report that names the quarter it covers
    found = tag(
        "Profit fell in the second quarter. Sales in the latest quarter rose.",
        dt.date(1989, 10, 26),
    )
    # Then "the latest quarter" is that quarter
    assert (found[1].text, found[1].value) == ("the latest quarter", "1989-Q2")


def test_the_latest_quarter_is_never_one_still_under_way() -> None:
    # Given a report that last spoke of the quarter under way (a forecast)
    found = tag(
        "The storm will cut fourth-quarter profit. Sales in the latest quarter rose.",
        dt.date(1989, 11, 2),
    )
    # Then the latest quarter is the last finished one
    assert found[1].value == "1989-Q3"


def test_a_date_that_names_a_thing_does_not_set_the_story_year() -> None:
    # Given a full date used attributively ("the ... bombing"), then a month without a year
    found = tag(
        "Two men were charged in the Dec. 21, 1988, bombing. They agreed in April to a trial.",
        dt.date(1999, 6, 7),
    )
    # Then the month takes the year of the document, not the year of the bombing
    assert (found[1].text, found[1].value) == ("April", "1999-04")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("In January, the board brought in a new chief executive.", "1989-01"),
        ("In January, the board will bring in a new chief executive.", "1990-01"),
        ("In September, it announced plans to sell the unit.", "1989-09"),
    ],
)
def test_a_sentence_that_opens_with_its_month_reads_the_tense_of_its_first_verb(
    text: str, value: str
) -> None:
    # Given an article of late October 1989, when the month opens the sentence
    [found] = tag(text, dt.date(1989, 10, 27))
    # Then the first verb that shows a tense decides between the last and the next such month
    assert found.value == value


@pytest.mark.parametrize(
    ("dct", "value"),
    [(dt.date(1989, 10, 30), "1989-W43-WE"), (dt.date(1989, 10, 27), "1989-W43-WE")],
)
def test_the_weekend_is_the_nearest_one(dct: dt.date, value: str) -> None:
    # Given an article of a Monday (the weekend just past) or of a Friday (the one ahead)
    # When it speaks of "the weekend"
    # Then the nearest weekend is meant
    assert only("Over the weekend, the bidder kept calling for an auction.", dct).value == value


def test_the_weekend_after_a_year_is_the_weekend_of_the_document() -> None:
    # Given a year-only date just before (which names no week)
    found = tag(
        "The deal closes in 1994. Over the weekend, the bidder called.", dt.date(1989, 10, 30)
    )
    # Then the weekend is read against the document date
    assert found[1].value == "1989-W43-WE"


def test_a_plan_that_had_been_due_lies_in_the_past() -> None:
    # Given "had been scheduled to" before a weekday, in an article of Monday 30 October 1989
    found = only(
        "The offer had been scheduled to expire at midnight Friday.", dt.date(1989, 10, 30)
    )
    # Then the Friday before the article is meant
    assert (found.text, found.value) == ("midnight Friday", "1989-10-27T24:00")


@pytest.mark.parametrize(
    ("text", "extent", "value"),
    [
        ("Shares fell in mid-afternoon yesterday.", "mid-afternoon yesterday", "1989-11-01TAF"),
        ("Trading was thin in the morning.", "the morning", "1989-11-02TMO"),
    ],
)
def test_a_part_of_the_day_is_a_time_of_that_day(text: str, extent: str, value: str) -> None:
    found = only(text, dt.date(1989, 11, 2))
    assert (found.text, found.type, found.value) == (extent, "TIME", value)


def test_that_same_day_is_the_day_of_the_narrative() -> None:
    found = tag("Talks began on Oct. 5, 1998. That same day the army withdrew.", DCT)
    assert (found[1].text, found[1].value) == ("That same day", "1998-10-05")
