"""The rule table: each pattern with its handler and the trigger that gates it."""

from __future__ import annotations

import re
from collections.abc import Callable

from retrieval.timeline.temporal import patterns as pt
from retrieval.timeline.temporal.anchors import KINDS, UNIT_KINDS
from retrieval.timeline.temporal.calendar_rules import (
    century,
    decade,
    holiday,
    iso_date,
    misspelled_month,
    month_alone,
    month_day,
    month_year,
    numeric_date,
    quarter,
    season,
    year_alone,
    year_range,
)
from retrieval.timeline.temporal.clock_rules import clock_time, named_time
from retrieval.timeline.temporal.draft import Draft
from retrieval.timeline.temporal.duration_rules import duration, set_expression, vague_duration
from retrieval.timeline.temporal.relative_rules import (
    deictic,
    deictic_word,
    month_of_deictic_year,
    neighbour_day,
    relative_offset,
    weekday_alone,
    year_ago_period,
    year_end,
)

Handler = Callable[[re.Match[str], str], Draft | None]


def _kinds(*kinds: str) -> frozenset[str]:
    assert KINDS.issuperset(kinds), kinds
    return frozenset(kinds)


# Each rule with the kinds of anchor (see `anchors`) one of which any of its matches holds.
_COUNTED = _kinds(*UNIT_KINDS)

RULES: tuple[tuple[re.Pattern[str], Handler, frozenset[str]], ...] = (
    (pt.ISO_DATE, iso_date, _kinds("year_number")),
    (pt.NUMERIC_DATE, numeric_date, _kinds("numeric")),
    (pt.MONTH_DAY, month_day, _kinds("month_name")),
    (pt.DAY_MONTH, month_day, _kinds("month_name")),
    (pt.MONTH_YEAR, month_year, _kinds("month_name")),
    (pt.MONTH_ALONE, month_alone, _kinds("month_name")),
    (pt.MONTH_OF_DEICTIC_YEAR, month_of_deictic_year, _kinds("month_name")),
    (pt.YEAR_END, year_end, _kinds("year")),
    (pt.YEAR_AGO_PERIOD, year_ago_period, _kinds("year")),
    (pt.MISSPELLED_MONTH, misspelled_month, _kinds("year_number", "day_number")),
    (pt.WEEKDAY_ALONE, weekday_alone, _kinds("weekday")),
    (pt.YEAR_RANGE, year_range, _kinds("year_number")),
    (pt.YEAR_NUMBER, year_alone, _kinds("year_number")),
    (pt.DECADE, decade, _kinds("year_number", "numeric", "decade_word")),
    (pt.CENTURY, century, _kinds("century")),
    (pt.SEASON_EXPRESSION, season, _kinds("season")),
    (pt.QUARTER, quarter, _kinds("part")),
    (
        pt.DEICTIC,
        deictic,
        _kinds("year", "month", "week", "day", "decade", "weekday", "month_name"),
    ),
    (pt.RELATIVE_OFFSET, relative_offset, _COUNTED),
    (pt.NEIGHBOUR_DAY, neighbour_day, _kinds("day", "night", "daytime")),
    (pt.DURATION, duration, _COUNTED),
    (pt.VAGUE_DURATION, vague_duration, _COUNTED),
    (pt.CLOCK_TIME, clock_time, _kinds("numeric", "daytime")),
    (pt.NAMED_TIME, named_time, _kinds("daytime", "night")),
    (pt.DEICTIC_WORD, deictic_word, _kinds("deictic", "day")),
    (pt.SET_EXPRESSION, set_expression, _kinds("set")),
    (pt.HOLIDAY, holiday, _kinds("holiday", "weekday")),
)
