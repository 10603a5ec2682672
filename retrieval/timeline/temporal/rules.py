"""The rule table: each pattern with its handler and the trigger that gates it."""

from __future__ import annotations

import re
from collections.abc import Callable

from retrieval.timeline.temporal import patterns as pt
from retrieval.timeline.temporal.anchors import KINDS, UNIT_KINDS, Anchors
from retrieval.timeline.temporal.calendar_rules import (
    century,
    decade,
    era_year,
    holiday,
    iso_date,
    iso_month,
    misspelled_month,
    month_alone,
    month_day,
    month_year,
    numeric_date,
    quarter,
    season,
    second_day,
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


def _anchors(*kinds: str, before: int, after: int) -> Anchors:
    assert KINDS.issuperset(kinds), kinds
    return Anchors(kinds, before, after)


# Each rule with the kinds of anchor (see `anchors`) one of which any of its matches holds,
# and how far its matches reach before and after such an anchor, with room to spare: a
# determiner before a unit ("the comparable year-ago quarter"), a year after a month ("May,
# nineteen ninety-five"), and a few characters more for a lookahead to see past the match.
RULES: tuple[tuple[re.Pattern[str], Handler, frozenset[str]], ...] = (
    (pt.ISO_DATE, iso_date, _anchors("numeric", before=4, after=16)),
    (pt.NUMERIC_DATE, numeric_date, _anchors("numeric", before=4, after=16)),
    (pt.ISO_MONTH, iso_month, _anchors("numeric", before=4, after=12)),
    (pt.MONTH_DAY, month_day, _anchors("month_name", before=20, after=28)),
    (pt.DAY_MONTH, month_day, _anchors("month_name", before=32, after=20)),
    (pt.HYPHENATED_DATE, month_day, _anchors("month_name", before=4, after=8)),
    (pt.TIMESTAMP_DATE, month_day, _anchors("month_name", before=12, after=28)),
    (pt.SECOND_DAY, second_day, _anchors("month_name", before=4, after=32)),
    (pt.MONTH_YEAR, month_year, _anchors("month_name", before=4, after=32)),
    (pt.MONTH_ALONE, month_alone, _anchors("month_name", before=4, after=8)),
    (
        pt.MONTH_OF_DEICTIC_YEAR,
        month_of_deictic_year,
        _anchors("month_name", before=4, after=20),
    ),
    (pt.YEAR_END, year_end, _anchors("year", before=8, after=16)),
    (pt.YEAR_AGO_PERIOD, year_ago_period, _anchors("year", before=24, after=24)),
    (
        pt.MISSPELLED_MONTH,
        misspelled_month,
        _anchors("year_number", "day_number", before=24, after=24),
    ),
    (pt.WEEKDAY_ALONE, weekday_alone, _anchors("weekday", before=4, after=8)),
    (pt.YEAR_RANGE, year_range, _anchors("numeric", "range_dash", before=4, after=16)),
    (pt.YEAR_NUMBER, year_alone, _anchors("year_number", before=20, after=28)),
    (pt.ERA_YEAR, era_year, _anchors("era", before=12, after=16)),
    (pt.DECADE, decade, _anchors("decade_digits", "decade_word", before=20, after=8)),
    (pt.CENTURY, century, _anchors("century", before=28, after=16)),
    (pt.SEASON_EXPRESSION, season, _anchors("season", before=20, after=32)),
    (pt.QUARTER, quarter, _anchors("part", before=40, after=32)),
    (
        pt.DEICTIC,
        deictic,
        _anchors(
            "year", "month", "week", "day", "decade", "weekday", "month_name", before=28, after=16
        ),
    ),
    (pt.RELATIVE_OFFSET, relative_offset, _anchors(*UNIT_KINDS, before=40, after=16)),
    (pt.NEIGHBOUR_DAY, neighbour_day, _anchors("day", "night", "daytime", before=20, after=24)),
    (pt.DURATION, duration, _anchors(*UNIT_KINDS, before=40, after=24)),
    (pt.VAGUE_DURATION, vague_duration, _anchors("plural_unit", before=32, after=8)),
    (pt.CLOCK_TIME, clock_time, _anchors("numeric", "daytime", before=24, after=28)),
    (pt.NAMED_TIME, named_time, _anchors("daytime", "night", before=16, after=16)),
    (pt.DEICTIC_WORD, deictic_word, _anchors("deictic", "day", before=28, after=16)),
    (pt.SET_EXPRESSION, set_expression, _anchors("set", before=20, after=40)),
    (pt.HOLIDAY, holiday, _anchors("holiday", "weekday", before=16, after=24)),
)
