"""TIMEX3 values as people write them: "2 October 2014", "spring 2007", "the 1990s", "44 BC".

Timelines keep ISO/TIMEX3 values for machines (``--json``); this is how adapters show them.
A value this module does not know is shown as it is.
"""

from __future__ import annotations

import calendar
import re

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_PARTS_OF_DAY = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night"}
_HALVES = {"1": "first", "2": "second"}

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}|MO|AF|EV|NI)")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")
_SEASON = re.compile(r"(\d{4})-(SP|SU|FA|WI)")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_HALF = re.compile(r"(\d{4})-H([12])")
_WEEK = re.compile(r"(\d{4})-W(\d{1,2})(-WE)?")
_DECADE = re.compile(r"(\d{3})X?")
_CENTURY = re.compile(r"(\d{2})(?:XX)?")
_BEFORE_CHRIST = re.compile(r"BC(\d{2,4})X?")


def ordinal(number: int) -> str:
    """1 -> "1st", 22 -> "22nd", 13 -> "13th"."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _year(digits: str) -> str:
    """ "2014" as it is; years before 1000 with their era ("AD 14"), as historians write."""
    year = int(digits)
    return f"AD {year}" if 0 < year < 1000 else str(year)


def _month(year: str, month: str) -> str | None:
    number = int(month)
    return f"{_MONTH_NAMES[number - 1]} {_year(year)}" if 1 <= number <= 12 else None


def _day(year: str, month: str, day: str) -> str | None:
    named = _month(year, month)
    if named is None or int(year) < 1:
        return None
    if not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        return None
    return f"{int(day)} {named}"


def _before_christ(digits: str) -> str:
    number = int(digits)
    if len(digits) == 4:
        return f"{number} BC"
    if len(digits) == 3:
        return f"the {number * 10}s BC"
    return f"{ordinal(number + 1)} century BC"


def _calendar(value: str) -> str | None:
    """The readable form of a calendar value, or None when it is not one."""
    if m := _TIME.fullmatch(value):
        day = _calendar(m[1])
        clock = _PARTS_OF_DAY.get(m[2], m[2])
        return f"{day}, {clock}" if day else None
    if m := _DAY.fullmatch(value):
        return _day(m[1], m[2], m[3])
    if m := _MONTH.fullmatch(value):
        return _month(m[1], m[2])
    if _YEAR.fullmatch(value):
        return _year(value)
    if m := _SEASON.fullmatch(value):
        return f"{_SEASON_NAMES[m[2]]} {_year(m[1])}"
    if m := _QUARTER.fullmatch(value):
        return f"Q{m[2]} {_year(m[1])}"
    if m := _HALF.fullmatch(value):
        return f"{_HALVES[m[2]]} half of {_year(m[1])}"
    if m := _WEEK.fullmatch(value):
        week = f"week {int(m[2])} of {_year(m[1])}"
        return f"the weekend of {week}" if m[3] else week
    if m := _DECADE.fullmatch(value):
        return f"the {int(m[1]) * 10}s"
    if m := _CENTURY.fullmatch(value):
        return f"{ordinal(int(m[1]) + 1)} century"
    if m := _BEFORE_CHRIST.fullmatch(value):
        return _before_christ(m[1])
    return None


def readable(value: str, end_value: str | None = None) -> str:
    """A TIMEX3 value, or a range of two, as a person would write it."""
    start = _calendar(value) or value
    if end_value is None:
        return start
    return f"{start} to {_calendar(end_value) or end_value}"
