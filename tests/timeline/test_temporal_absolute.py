"""Absolute dates: full dates, months, years, seasons, parts, decades, centuries, ranges."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval.timeline.temporal import TimeExpression, tag


def only(text: str, dct: dt.date | None = None) -> TimeExpression:
    found = tag(text, dct)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "extent", "value"),
    [
        ("The bridge opened on March 3, 1987, to traffic.", "March 3, 1987", "1987-03-03"),
        ("The bridge opened on 3 March 1987 to traffic.", "3 March 1987", "1987-03-03"),
        ("The bridge opened on 03 March 1987 to traffic.", "03 March 1987", "1987-03-03"),
        ("The bridge opened on Mar. 3, 1987 to traffic.", "Mar. 3, 1987", "1987-03-03"),
        ("The leap day Feb. 29, 2012 was mild.", "Feb. 29, 2012", "2012-02-29"),
        ("Filed on 1987-03-03 by the clerk.", "1987-03-03", "1987-03-03"),
        ("Filed on 21/04/2019 by the clerk.", "21/04/2019", "2019-04-21"),
        ("Filed on 21-04-2019 by the clerk.", "21-04-2019", "2019-04-21"),
        ("Filed on 04/21/2019 by the clerk.", "04/21/2019", "2019-04-21"),
        ("Created: 13-Jun-2000", "13-Jun-2000", "2000-06-13"),
        ("Tuning the engine | 2020-05", "2020-05", "2020-05"),
        ("Signed off by Ann Lee 2009/11/08", "2009/11/08", "2009-11-08"),
        (
            "It was dated Wed Jul 22 16:49:28 1998 in the log.",
            "Wed Jul 22 16:49:28 1998",
            "1998-07-22",
        ),
    ],
)
def test_full_dates_in_common_forms_are_normalised_to_days(
    text: str, extent: str, value: str
) -> None:
    # given a sentence with one written-out date
    # when it is tagged
    found = only(text)
    # then the date's extent and ISO value are reported
    assert (found.text, found.type, found.value) == (extent, "DATE", value)


def test_expression_text_is_the_exact_slice_of_the_input() -> None:
    text = "Rain fell on October 9, 2003 and again on 12 October 2003."
    for found in tag(text):
        assert text[found.start : found.end] == found.text


def test_results_are_sorted_by_start() -> None:
    found = tag("In 1961 and in 1975, then in May 1990.")
    assert [f.start for f in found] == sorted(f.start for f in found)


def test_month_and_year_give_a_month_value() -> None:
    assert only("The plant closed in November 2009.").value == "2009-11"


@pytest.mark.parametrize(
    "text", ["He moved there in 1984.", "Prices have risen since 1984.", "after the 1984 strike"]
)
def test_years_in_date_context_are_tagged(text: str) -> None:
    found = only(text)
    assert (found.text, found.value) == ("1984", "1984")


@pytest.mark.parametrize(
    "text",
    [
        "The deal is worth $1.9 billion.",
        "A total of 1,288 people signed.",
        "See Agreement 123 for details.",
        "Under No. 2007-10 the rule changed.",
        "Journal of Things 35 (3), 144-184.",
        "About 1500 workers joined the strike.",
        "It was cited on page 1994 of the report.",
        "Unemployment reached 2010 percent in the joke.",
        "Float chunks are limited to 1024 bytes.",
        "It shows sizes in a base of 1024 rather than 1000.",
        "The value is multiplied by 1024 on input.",
        "Frames carry up to 1000-byte messages.",
        "The depth variable defaults to 2007 when unset.",
        "The defaults `capacity: 10000` and `max_samples_per_send: 2000` bound the memory.",
        "The server listens on port 2020 unless told otherwise.",
        "Fixed the handling of cookies on redirect (CVE-2018-18074).",
        "The signing key is EDD5 6765 A9D8 4653 CBC8 A134 51B0 6736 1740 F5FC.",
    ],
)
def test_amounts_and_identifiers_are_not_dates(text: str) -> None:
    assert tag(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The test machine ran Windows 2000 with a file server.",
        "A report, Vision 2020, was out.",
        "A British chain (Sears 1922 truncated) is one unit.",
    ],
)
def test_a_year_naming_a_products_edition_is_not_a_date(text: str) -> None:
    assert tag(text) == []


def test_a_dashed_pair_of_consecutive_years_is_a_range_not_a_month() -> None:
    found = only("The 2008-09 season was long.")
    assert (found.value, found.range_end) == ("2008", "2009")


@pytest.mark.parametrize("text", ["The firm left IBM in 2000.", "They met. Summer 2000 was hot."])
def test_a_year_after_a_dating_word_or_a_sentence_end_is_a_date(text: str) -> None:
    assert "2000" in [e.text[-4:] for e in tag(text)]


def test_season_with_year() -> None:
    found = only("Work resumed in spring 2011.")
    assert (found.text, found.value) == ("spring 2011", "2011-SP")


@pytest.mark.parametrize(
    ("text", "extent", "value", "mod"),
    [
        ("Talks began in early June 2012.", "early June 2012", "2012-06", "START"),
        ("Sales slowed in mid-2012.", "mid-2012", "2012", "MID"),
        ("Sales slowed by the end of 2012.", "the end of 2012", "2012", "END"),
        ("Sales slowed in late 2012.", "late 2012", "2012", "END"),
    ],
)
def test_parts_of_a_period_carry_a_mod(text: str, extent: str, value: str, mod: str) -> None:
    found = only(text)
    assert (found.text, found.value, found.mod) == (extent, value, mod)


def test_decade_is_a_decade_value() -> None:
    found = only("Housing boomed in the 1960s.")
    assert (found.text, found.value) == ("the 1960s", "196X")


def test_age_in_decades_is_not_a_date() -> None:
    assert tag("She was in her sixties when she retired.") == []


def test_ordinal_century_is_a_century_value() -> None:
    found = only("Steam engines spread in the 19th century.")
    assert (found.text, found.value) == ("the 19th century", "18")


def test_month_day_range_keeps_both_days() -> None:
    found = only("The fair runs September 4-9, 2021 downtown.")
    assert (found.value, found.range_end) == ("2021-09-04", "2021-09-09")


def test_between_years_is_one_range() -> None:
    found = only("Output doubled between 1971 and 1979.")
    assert (found.text, found.value, found.range_end) == ("1971 and 1979", "1971", "1979")


def test_from_until_years_is_one_range() -> None:
    found = only("He served from 1962 until 1970 as mayor.")
    assert (found.value, found.range_end) == ("1962", "1970")


def test_dashed_year_span_is_a_range() -> None:
    found = only("During the 1914-1918 war, the mill closed.")
    assert (found.value, found.range_end) == ("1914", "1918")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The vote was held in Novmeber 2008.", "2008-11"),
        ("The vote was held on 4 Novembr 2008.", "2008-11-04"),
        ("The vote was held in Spetember 2008.", "2008-09"),
    ],
)
def test_misspelled_month_is_read_when_the_rest_is_a_date(text: str, value: str) -> None:
    assert only(text).value == value


def test_misspelled_month_needs_date_context() -> None:
    assert tag("Novmeber is a word I misspell.") == []


def test_name_close_to_a_month_is_not_a_month() -> None:
    assert [f.text for f in tag("Mary 2008 was a good album.")] == ["2008"]


def test_quarter_with_year() -> None:
    found = only("Profit fell in the second quarter of 2003.")
    assert (found.text, found.value) == ("the second quarter of 2003", "2003-Q2")


def test_fiscal_year() -> None:
    assert only("Revenue for fiscal 2003 rose.").value == "2003"


def test_clock_time_on_a_named_day() -> None:
    found = only("The polls will close at 8 p.m. Tuesday.", dt.date(2010, 11, 1))
    assert (found.text, found.type, found.value) == ("8 p.m. Tuesday", "TIME", "2010-11-02T20:00")


@pytest.mark.parametrize(
    ("text", "extent", "value", "mod"),
    [
        ("Rates fell in the early 1980s.", "the early 1980s", "198X", "START"),
        ("Rates fell in the mid-1980s.", "the mid-1980s", "198X", "MID"),
    ],
)
def test_decade_parts(text: str, extent: str, value: str, mod: str) -> None:
    found = only(text)
    assert (found.text, found.value, found.mod) == (extent, value, mod)


def test_season_of_a_year() -> None:
    found = only("Floods came in the winter of 1953.")
    assert (found.text, found.value) == ("the winter of 1953", "1953-WI")


def test_half_year() -> None:
    found = only("Orders slowed in the second half of 2001.")
    assert (found.text, found.value) == ("the second half of 2001", "2001-H2")


def test_adjectival_quarter_leaves_the_determiner_out() -> None:
    found = only("The firm posted its third-quarter results.", dt.date(2005, 11, 2))
    assert (found.text, found.value) == ("third-quarter", "2005-Q3")


def test_iso_date_with_time_is_a_time() -> None:
    found = only("Logged at 2015-04-02T14:30 by the server.")
    assert (found.type, found.value) == ("TIME", "2015-04-02T14:30")


def test_spoken_year() -> None:
    assert only("It was built in nineteen eighty-four.").value == "1984"


def test_holiday_with_year() -> None:
    found = only("They married on Christmas Eve 1961.")
    assert (found.text, found.value) == ("Christmas Eve 1961", "1961-12-24")


def test_clock_hour_in_the_morning() -> None:
    found = only("The alarm rang at 5 in the morning.", dt.date(2003, 5, 1))
    assert (found.text, found.type, found.value) == ("5 in the morning", "TIME", "2003-05-01T05:00")


def test_capitalised_titles_are_not_dates() -> None:
    assert tag('She appeared on the show "This Week" with the mayor.') == []


def test_high_noon_is_an_idiom() -> None:
    assert tag("It was high noon for the reformers.") == []


@pytest.mark.parametrize(
    ("text", "extent", "value", "range_end"),
    [
        ("Caesar was killed in 44 BC in the senate.", "44 BC", "BC0044", None),
        ("The city was founded in 753 BC, the story goes.", "753 BC", "BC0753", None),
        ("The temple was rebuilt in 300 B.C.E. by the king.", "300 B.C.E.", "BC0300", None),
        ("Augustus died in AD 14 at Nola.", "AD 14", "0014", None),
        ("The wall was begun in 122 AD in the north.", "122 AD", "0122", None),
        ("The abbey was sacked in 793 CE by raiders.", "793 CE", "0793", None),
        ("Greek trade grew in the 2nd century BCE along the coast.", None, "BC01", None),
        ("The road was paved in the 1st century BC.", "the 1st century BC", "BC00", None),
        ("The fort stood in the fifth century AD.", "the fifth century AD", "04", None),
        ("He ruled from 27 BC to AD 14 over the empire.", "27 BC to AD 14", "BC0027", "0014"),
        ("The siege lasted 44–30 BC on and off.", "44–30 BC", "BC0044", "BC0030"),
    ],
)
def test_years_before_and_after_christ_take_timex_era_values(
    text: str, extent: str | None, value: str, range_end: str | None
) -> None:
    # given a year or century written with its era
    # when it is tagged
    found = only(text)
    # then BC years and centuries carry TIMEX3's BC prefix, AD years their four digits
    assert (found.value, found.range_end) == (value, range_end)
    assert extent is None or found.text == extent


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("It snowed in the winter of nineteen ninety-four.", "1994-WI"),
        ("The plant closed in January nineteen ninety-seven.", "1997-01"),
    ],
)
def test_years_in_words_complete_months_and_seasons(text: str, value: str) -> None:
    # given a month or season with its year written in words
    # when it is tagged
    # then the month or season takes that year
    assert only(text).value == value


def test_last_before_an_abbreviated_month_and_day_keeps_the_day() -> None:
    # given "last Oct. 23" (the day, not "last October")
    found = tag("He was shot last Oct. 23 at his home.", dt.date(1999, 4, 19))
    # when it is tagged
    # then the day is found
    assert [e.value for e in found] == ["1998-10-23"]


def test_the_week_of_a_holiday_is_that_week() -> None:
    found = only("Pilgrims crowded the city in Easter week 2000.")
    assert (found.text, found.value) == ("Easter week 2000", "2000-W16")


def test_a_second_day_after_a_month_and_day_is_a_date_of_its_own() -> None:
    # Given two days of one month joined by "and"
    found = tag("The summit meets on April 24 and 25.", dt.date(1999, 2, 10))
    # Then each is a date of that month
    assert [(e.text, e.value) for e in found] == [("April 24", "1999-04-24"), ("25", "1999-04-25")]


def test_a_number_after_a_month_and_day_that_counts_something_is_no_day() -> None:
    found = tag("Rates rose on June 5 and 6 percent of loans failed.", dt.date(1999, 2, 10))
    assert [e.text for e in found] == ["June 5"]


def test_a_date_before_a_colon_is_still_a_date() -> None:
    found = only("The paper said in an editorial on Thursday, Jan. 6: the ruling stands.")
    assert found.text == "Thursday, Jan. 6"


def test_a_named_time_with_no_day_to_resolve_it_leaves_the_date_it_precedes_alone() -> None:
    # given no document date, so "midnight" cannot be placed
    found = tag("The clock counts from midnight, January 1, 1970.")
    # then the explicit date keeps its own value
    assert [(e.text, e.value) for e in found][-1] == ("January 1, 1970", "1970-01-01")
