"""The rule table: each pattern with its handler and the trigger that gates it."""

from __future__ import annotations

import re
from collections.abc import Callable

from retrieval.timeline.temporal import patterns as pt
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
from retrieval.timeline.temporal.lexicon import (
    SEASONS,
    SET_WORDS,
)
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


_UNIT_WORDS = (
    "second",
    "minute",
    "hour",
    "day",
    "night",
    "week",
    "fortnight",
    "month",
    "quarter",
    "year",
    "decade",
    "centur",
    "millenni",
)


# Each rule with what any match must contain, as lowercase keywords or a quick pattern: a
# rule whose trigger is absent from a document is skipped, which keeps tagging fast.
Trigger = tuple[str, ...] | re.Pattern[str]


RULES: tuple[tuple[re.Pattern[str], Handler, Trigger], ...] = (
    (pt.ISO_DATE, iso_date, ("-",)),
    (pt.NUMERIC_DATE, numeric_date, ("/", "-", ".")),
    (pt.MONTH_DAY, month_day, ()),
    (pt.DAY_MONTH, month_day, ()),
    (pt.MONTH_YEAR, month_year, ()),
    (pt.MONTH_ALONE, month_alone, ()),
    (pt.MONTH_OF_DEICTIC_YEAR, month_of_deictic_year, ("year",)),
    (pt.YEAR_END, year_end, ("end",)),
    (pt.YEAR_AGO_PERIOD, year_ago_period, ("year-",)),
    (pt.MISSPELLED_MONTH, misspelled_month, ()),
    (pt.WEEKDAY_ALONE, weekday_alone, ("day",)),
    (pt.YEAR_RANGE, year_range, ("-", "–")),
    (pt.YEAR_NUMBER, year_alone, ()),
    (pt.DECADE, decade, ("0s", "0's", "ties")),
    (pt.CENTURY, century, ("century",)),
    (pt.SEASON_EXPRESSION, season, tuple(SEASONS)),
    (pt.QUARTER, quarter, ("quarter", "half", "period")),
    (pt.DEICTIC, deictic, ()),
    (
        pt.RELATIVE_OFFSET,
        relative_offset,
        (
            "ago",
            "earlier",
            "later",
            "before",
            "after",
            "now",
            "hence",
            "previously",
            "back",
            "since",
        ),
    ),
    (pt.NEIGHBOUR_DAY, neighbour_day, ("the ",)),
    (pt.DURATION, duration, _UNIT_WORDS),
    (pt.VAGUE_DURATION, vague_duration, _UNIT_WORDS),
    (pt.CLOCK_TIME, clock_time, pt.CLOCK_TRIGGER),
    (
        pt.NAMED_TIME,
        named_time,
        ("noon", "midnight", "midday", "morning", "afternoon", "evening", "night"),
    ),
    (
        pt.DEICTIC_WORD,
        deictic_word,
        (
            "today",
            "tomorrow",
            "yesterday",
            "now",
            "currently",
            "recently",
            "these days",
            "present",
            "future",
            "past",
        ),
    ),
    (
        pt.SET_EXPRESSION,
        set_expression,
        (*SET_WORDS, "every", "each", "per", "once", "twice", "times"),
    ),
    (
        pt.HOLIDAY,
        holiday,
        ("christmas", "new year", "thanksgiving", "easter", "good friday", "halloween", " day"),
    ),
)
