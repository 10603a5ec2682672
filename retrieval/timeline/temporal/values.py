"""TIMEX3 value strings: granularity, the calendar period they cover, and shifting them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from retrieval.timeline.temporal.lexicon import SEASON_MONTHS

_YEAR = re.compile(r"(\d{4})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})T.+")
_WEEK = re.compile(r"(\d{4})-W(\d{1,2})(?:-WE)?")
_SEASON = re.compile(r"(\d{4})-(SP|SU|FA|WI)")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_HALF = re.compile(r"(\d{4})-H([12])")
_DECADE = re.compile(r"(\d{3})X?")
_CENTURY = re.compile(r"(\d{2})(?:XX)?")
_UNRESOLVED = re.compile(r"X{4}-.*")
# TIMEX3 writes years before AD 1 with a "BC" prefix: BC0044 is 44 BC, BC01 the 2nd century BC.
_BEFORE_CHRIST = re.compile(r"BC(\d{2,4})X?")
_DAYS_IN_400_YEARS = 146097
# Values repeat across a corpus (the same years, months, days): reading each once is enough.
_CACHED_VALUES = 8192

_GRANULARITY_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_YEAR, "year"),
    (_MONTH, "month"),
    (_DAY, "day"),
    (_TIME, "time"),
    (_WEEK, "week"),
    (_SEASON, "season"),
    (_QUARTER, "quarter"),
    (_DECADE, "decade"),
    (_CENTURY, "century"),
)


@lru_cache(maxsize=_CACHED_VALUES)
def granularity(value: str) -> str:
    """Name the calendar unit a TIMEX3 value is expressed in, for timeline grouping."""
    if m := _BEFORE_CHRIST.fullmatch(value):
        return {4: "year", 3: "decade", 2: "century"}[len(m[1])]
    for pattern, name in _GRANULARITY_PATTERNS:
        if pattern.fullmatch(value):
            return name
    if _UNRESOLVED.fullmatch(value):
        return granularity("2000" + value[4:]) if value[4:] else "year"
    return "unknown"


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _months_period(year: int, first: int, last: int) -> tuple[dt.date, dt.date]:
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    return dt.date(year, first, 1), _last_day(end_year, end_month)


def _week_period(year: int, week: int) -> tuple[dt.date, dt.date]:
    monday = dt.date.fromisocalendar(year, week, 1)
    return monday, monday + dt.timedelta(days=6)


@lru_cache(maxsize=_CACHED_VALUES)
def period(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day a DATE value covers, so timelines can sort and filter by year."""
    try:
        return _period(value)
    except ValueError:
        return None


def _period(value: str) -> tuple[dt.date, dt.date] | None:
    if m := _YEAR.fullmatch(value):
        return _months_period(int(m[1]), 1, 12)
    if m := _MONTH.fullmatch(value):
        return _months_period(int(m[1]), int(m[2]), int(m[2]))
    if m := _DAY.fullmatch(value[:10]):
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    if m := _WEEK.fullmatch(value):
        return _week_period(int(m[1]), int(m[2]))
    if m := _SEASON.fullmatch(value):
        return _months_period(int(m[1]), *SEASON_MONTHS[m[2]])
    if m := _QUARTER.fullmatch(value):
        quarter = int(m[2])
        return _months_period(int(m[1]), 3 * quarter - 2, 3 * quarter)
    if m := _HALF.fullmatch(value):
        half = int(m[2])
        return _months_period(int(m[1]), 6 * half - 5, 6 * half)
    if m := _DECADE.fullmatch(value):
        return dt.date(int(m[1]) * 10, 1, 1), dt.date(int(m[1]) * 10 + 9, 12, 31)
    if m := _CENTURY.fullmatch(value):
        return dt.date(max(1, int(m[1]) * 100), 1, 1), dt.date(int(m[1]) * 100 + 99, 12, 31)
    return None


def day_number(year: int, month: int, day: int) -> int:
    """Proleptic Gregorian day number of a date in astronomical years (year 0 is 1 BC).

    Equal to ``date.toordinal()`` from AD 1 on, and counting down past it, so periods
    before Christ sort with the rest.
    """
    cycles = max(0, (400 - year) // 400)
    return dt.date(year + 400 * cycles, month, day).toordinal() - _DAYS_IN_400_YEARS * cycles


def _years_before_christ(first_bc: int, last_bc: int) -> tuple[int, int]:
    """Day numbers from 1 January of ``first_bc`` BC to 31 December of ``last_bc`` BC."""
    return day_number(1 - first_bc, 1, 1), day_number(1 - last_bc, 12, 31)


@lru_cache(maxsize=_CACHED_VALUES)
def day_span(value: str) -> tuple[int, int] | None:
    """First and last day number a DATE value covers (see ``day_number``), BC values too."""
    if m := _BEFORE_CHRIST.fullmatch(value):
        digits = m[1]
        scale = {4: 1, 3: 10, 2: 100}[len(digits)]
        latest = max(1, int(digits) * scale)
        return _years_before_christ(int(digits) * scale + scale - 1, latest)
    span = period(value)
    return (span[0].toordinal(), span[1].toordinal()) if span else None


def format_day(day: dt.date) -> str:
    return day.isoformat()


def format_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def format_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def format_quarter(day: dt.date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def add_months(day: dt.date, months: int) -> dt.date:
    """Move by whole months, clamping the day to the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def shift(day: dt.date, amount: int, unit: str) -> dt.date:
    """Move a day by `amount` calendar units ("D", "W", "M", "Q", "Y", "E", "C")."""
    if unit == "D":
        return day + dt.timedelta(days=amount)
    if unit in ("W", "WE"):
        return day + dt.timedelta(weeks=amount)
    months = {"M": 1, "Q": 3, "Y": 12, "E": 120, "C": 1200}.get(unit)
    if months is None:
        return day
    return add_months(day, amount * months)


def format_at(day: dt.date, unit: str) -> str:
    """Express a day at the granularity a unit implies ("Y" -> "1998", "M" -> "1998-08" ...)."""
    if unit == "D":
        return format_day(day)
    if unit in ("W", "WE"):
        return format_week(day) + ("-WE" if unit == "WE" else "")
    if unit == "M":
        return format_month(day.year, day.month)
    if unit == "Q":
        return format_quarter(day)
    if unit == "E":
        return f"{day.year // 10:03d}X"
    if unit == "C":
        return f"{day.year // 100:02d}"
    return f"{day.year:04d}"


def shift_value(value: str, amount: int, unit: str) -> str | None:
    """Shift a resolved value by calendar units, keeping its own granularity when coarser.

    "1989-Q3" shifted by -1 year stays a quarter ("1988-Q3"), as news reports compare
    like with like; a day shifted by years becomes a year, as TimeML annotates it.
    """
    if m := _QUARTER.fullmatch(value):
        if unit == "Y":
            return f"{int(m[1]) + amount:04d}-Q{m[2]}"
        if unit == "Q":
            index = int(m[1]) * 4 + int(m[2]) - 1 + amount
            return f"{index // 4:04d}-Q{index % 4 + 1}"
    if (m := _SEASON.fullmatch(value)) and unit == "Y":
        return f"{int(m[1]) + amount:04d}-{m[2]}"
    span = period(value)
    if span is None:
        return None
    own = granularity(value)
    target = unit
    if own == "year" and unit in ("D", "W", "M"):
        target = "Y"
    elif own == "month" and unit in ("D", "W"):
        target = "M"
    return format_at(shift(span[0], amount, unit), target)


def reference_day(value: str) -> dt.date | None:
    """The first day of a value's period, used as a narrative reference point."""
    span = period(value)
    return span[0] if span else None
