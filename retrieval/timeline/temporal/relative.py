"""Resolve relative expressions against the document date or the narrative reference time."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from retrieval.timeline.temporal import values
from retrieval.timeline.temporal.draft import Pending
from retrieval.timeline.temporal.patterns import (
    FUTURE_CUES,
    PAST_BEFORE,
    PAST_CUES,
    PAST_VERB,
    SENTENCE_BOUNDARY,
)

# Offsets marked KEEP compare like with like: "a year earlier" after a quarter is a quarter.
KEEP = "keep"
# Without tense cues a named month counts as upcoming only this many months ahead of the
# document date; news mostly reports what has happened.
LOOK_AHEAD_MONTHS = 3
# A quarter named in the future tense is the current or the next one: reports speak of the
# quarter under way ("will report third-quarter results") or about to start, and a quarter
# further ahead is rarely named without its year.
LOOK_AHEAD_QUARTERS = 1
# Pending kinds that name a calendar slot (a month, a quarter ...) rather than count from a date.
SLOT_KINDS = frozenset({"month", "season", "quarter", "half", "holiday"})
UNRESOLVED_BY_DIRECTION = {-1: "PAST_REF", 0: "PRESENT_REF", 1: "FUTURE_REF"}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _sign(number: int) -> int:
    return (number > 0) - (number < 0)


def _easter(year: int) -> dt.date:
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The nth (1-based; -1 = last) given weekday (0 = Monday) of a month."""
    days = [
        dt.date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if dt.date(year, month, d).weekday() == weekday
    ]
    return days[nth - 1] if nth > 0 else days[nth]


def holiday(name: str, year: int) -> dt.date | None:
    """Date of a common English-speaking holiday in a given year."""
    key = " ".join(name.lower().replace("'s", "").split())
    fixed = {
        "christmas": (12, 25),
        "christmas day": (12, 25),
        "christmas eve": (12, 24),
        "new year": (1, 1),
        "new year day": (1, 1),
        "new year eve": (12, 31),
        "halloween": (10, 31),
        "independence day": (7, 4),
        "valentine day": (2, 14),
        "veterans day": (11, 11),
        "boxing day": (12, 26),
    }
    if key in fixed:
        return dt.date(year, *fixed[key])
    if key.startswith("thanksgiving"):
        return _nth_weekday(year, 11, 3, 4)
    if key == "labor day":
        return _nth_weekday(year, 9, 0, 1)
    if key == "memorial day":
        return _nth_weekday(year, 5, 0, -1)
    if key == "election day":
        return _nth_weekday(year, 11, 0, 1) + dt.timedelta(days=1)
    if key.startswith("easter"):
        return _easter(year)
    if key == "good friday":
        return _easter(year) - dt.timedelta(days=2)
    return None


def _clause_before(text: str, start: int) -> str:
    window = text[max(0, start - 120) : start]
    boundaries = list(SENTENCE_BOUNDARY.finditer(window))
    return window[boundaries[-1].end() - 1 :] if boundaries else window


def _sentence_after(text: str, start: int) -> str:
    window = text[start : start + 100]
    boundary = SENTENCE_BOUNDARY.search(window)
    return window[: boundary.start() + 1] if boundary else window


_PLUPERFECT = re.compile(r"\bhad\b", re.IGNORECASE)
# Words that can open a sentence before its date: "In January, the board ...".
_OPENERS = frozenset({"", "in", "on", "by", "since", "during", "early", "late", "until", "last"})


def looks_future(text: str, start: int) -> bool:
    """Whether the clause before a position speaks of the future (will, plans to, by ...)."""
    return FUTURE_CUES.search(_clause_before(text, start)) is not None


def tense_direction(text: str, start: int) -> int:
    """+1 when the clause speaks of the future, -1 of the past, 0 when it does not say."""
    if PAST_BEFORE.search(text, max(0, start - 20), start):
        return -1
    clause = _clause_before(text, start)
    future = FUTURE_CUES.search(clause)
    if future is not None:
        # "had been scheduled to expire Friday": a plan that was due before the report.
        return -1 if _PLUPERFECT.search(clause, 0, future.start()) else 1
    if PAST_CUES.search(clause):
        return -1
    if clause.strip(" \n\"'`(").lower() not in _OPENERS:
        return 0
    return _first_tense_after(_sentence_after(text, start))


def _first_tense_after(sentence: str) -> int:
    """The tense of the first verb that says one: "In May, it announced plans to" is past."""
    future = FUTURE_CUES.search(sentence)
    past = [m.start() for m in (PAST_CUES.search(sentence), PAST_VERB.search(sentence)) if m]
    if future is None:
        return -1 if past else 0
    return -1 if past and min(past) < future.start() else 1


def _nearer_side(base: dt.date, weekday: int) -> int:
    """News names past days by weekday, and the next day too: "Tuesday" written on a Monday."""
    ahead = (weekday - base.weekday()) % 7
    return 1 if ahead == 1 else -1


def _weekday(base: dt.date, weekday: int, direction: int) -> dt.date:
    """Nearest given weekday before (-1), after (+1) or around (0, same week) the base day."""
    delta = weekday - base.weekday()
    if direction < 0:
        return base + dt.timedelta(days=delta - 7 if delta >= 0 else delta)
    if direction > 0:
        return base + dt.timedelta(days=delta + 7 if delta <= 0 else delta)
    return base + dt.timedelta(days=delta)


def _year_of_slot(base: dt.date, first_month: int, amount: int, inclusive: bool) -> int:
    """Year for a month/season named without one: this (0), last (-1) or next (+1) occurrence.

    `inclusive` (the tense reading against the document date) lets the base's own month
    count as the last or next one, and reads "this" as the nearest occurrence.
    """
    if amount == 0 and inclusive:
        ahead = (first_month - base.month) % 12
        if ahead == 0 or ahead > LOOK_AHEAD_MONTHS:
            return base.year if first_month <= base.month else base.year - 1
        return base.year if first_month > base.month else base.year + 1
    if amount < 0:
        before = first_month <= base.month if inclusive else first_month < base.month
        return base.year if before else base.year - 1
    if amount > 0:
        after = first_month >= base.month if inclusive else first_month > base.month
        return base.year if after else base.year + 1
    return base.year


def _resolve_month(p: Pending, base: dt.date) -> str:
    month = int(p.slot)
    year = _year_of_slot(base, month, p.amount, p.base == "tense")
    if not p.day:
        return values.format_month(year, month)
    return values.format_day(dt.date(year, month, p.day))


def _resolve_quarter(p: Pending, base: dt.date) -> str:
    quarter = int(p.slot)
    if not quarter:
        return values.format_quarter(values.shift(base, p.amount, "Q"))
    if p.base == "tense":
        current = (base.month - 1) // 3 + 1
        amount = p.amount
        if amount > 0 and (quarter - current) % 4 > LOOK_AHEAD_QUARTERS:
            amount = -1
        first_month, current_first = 3 * quarter - 2, 3 * current - 2
        year = _year_of_slot(base.replace(month=current_first), first_month, amount, True)
    else:
        year = base.year + p.amount
    return f"{year:04d}-Q{quarter}"


def _holiday_near(name: str, base: dt.date, p: Pending) -> dt.date | None:
    """The holiday in the base year, or the nearest one before/after the base by tense."""
    if p.base != "tense":
        return holiday(name, base.year + p.amount)
    if p.amount == 0:
        options = [holiday(name, base.year + shift) for shift in (-1, 0, 1)]
        dated = [day for day in options if day is not None]
        return min(dated, key=lambda day: abs((day - base).days), default=None)
    found = holiday(name, base.year)
    if found is not None and p.amount < 0 and found > base:
        return holiday(name, base.year - 1)
    if found is not None and p.amount > 0 and found < base:
        return holiday(name, base.year + 1)
    return found


def _resolve_day_based(p: Pending, base: dt.date, text: str, start: int) -> str:
    if p.kind == "weekday":
        direction = p.amount
        if direction == 0 and p.base == "dct" and int(p.slot) != base.weekday():
            direction = tense_direction(text, start) or _nearer_side(base, int(p.slot))
        day = _weekday(base, int(p.slot), direction)
    elif p.kind == "holiday" and p.base == "dct" and p.amount:
        found = _holiday_near(str(p.slot), base, p._replace(base="tense"))
        if found is None:
            return "XXXX-XX-XX"
        day = found
    elif p.kind == "holiday":
        found = _holiday_near(str(p.slot), base, p)
        if found is None:
            return "XXXX-XX-XX"
        day = found
    else:
        day = values.shift(base, p.amount, p.unit)
    if p.kind == "holiday" and p.unit == "W":
        return values.format_week(day)
    return values.format_day(day) + p.suffix


def _from_base(p: Pending, base_value: str, base: dt.date, text: str, start: int) -> str | None:
    if p.kind == "offset":
        if p.unit == "D" or p.suffix:
            return _resolve_day_based(p, base, text, start)
        if p.unit == "WE" and p.amount == 0 and p.base == "ref":
            return values.format_at(_nearest_weekend(base), "WE")
        shifted = values.shift_value(base_value, p.amount, p.unit) if p.slot == KEEP else None
        return shifted or values.format_at(values.shift(base, p.amount, p.unit), p.unit)
    if p.kind == "month":
        return _resolve_month(p, base)
    if p.kind == "period_of_year":
        quarter = base_value[4:] if values.granularity(base_value) == "quarter" else ""
        return f"{int(p.slot):04d}{quarter}"
    if p.kind == "month_in_year":
        return values.format_month(base.year + p.amount, int(p.slot))
    if p.kind == "season":
        code = str(p.slot)
        year = _year_of_slot(base, _SEASON_START[code], p.amount, p.base == "tense")
        return f"{year:04d}-{code}"
    if p.kind == "quarter":
        return _resolve_quarter(p, base)
    if p.kind == "reported_quarter":
        return values.format_quarter(base)
    if p.kind == "half":
        year = base.year if p.base == "tense" else base.year + p.amount
        return f"{year:04d}-H{p.slot}"
    if p.kind in ("weekday", "holiday"):
        return _resolve_day_based(p, base, text, start)
    return None


def unresolved(p: Pending) -> str:
    """TimeML-style placeholder when no reference date is known."""
    if p.kind == "month":
        month = f"XXXX-{int(p.slot):02d}"
        return f"{month}-{p.day:02d}" if p.day else month
    if p.kind == "season":
        return f"XXXX-{p.slot}"
    if p.kind == "quarter" and p.slot:
        return f"XXXX-Q{p.slot}"
    if p.kind == "weekday":
        return f"XXXX-WXX-{int(p.slot) + 1}{p.suffix}"
    return UNRESOLVED_BY_DIRECTION[_sign(p.amount)]


def _nearest_weekend(day: dt.date) -> dt.date:
    """ "The weekend" said on a Monday or Tuesday is the one just past; later in the week,
    the one ahead (a day of the week it falls in).
    """
    return day - dt.timedelta(weeks=1) if day.weekday() < 2 else day


def _finer_than_ref(p: Pending, ref: str) -> bool:
    """A time of day, or "the weekend", after a date with no day in it ("in 1994"): the
    narrative gives no day to count from, so the document's present is meant.
    """
    if p.suffix:
        return values.granularity(ref) != "day"
    weeks = p.kind == "offset" and p.amount == 0 and p.unit in ("W", "WE")
    return weeks and values.granularity(ref) not in ("day", "time")


def _reported_quarter(discussed: str | None, dct: dt.date | None) -> str | None:
    """ "The latest quarter": the one the text discusses when it is over by the document date,
    else the last one before it (a report speaks of a finished quarter).
    """
    if dct is None:
        return discussed
    last = values.format_quarter(values.shift(dct, -1, "Q"))
    return discussed if discussed is not None and discussed <= last else last


def resolve(
    p: Pending, dct: dt.date | None, ref: str | None, story: str | None, text: str, start: int
) -> tuple[str, str | None]:
    """Value and anchor for a pending expression; the anchor is the value it was resolved from.

    Named periods without a year ("in June", "the third quarter") take the year of the
    story being told (`story`, a recent explicit date) or else the document date, read
    by tense. Offsets such as "three years later" count from the last date (`ref`).
    """
    dct_value = dct.isoformat() if dct else None
    names_slot = p.kind in SLOT_KINDS and p.base == "ref" and (p.kind != "quarter" or p.slot)
    tense = 0
    if names_slot:
        base_value = story or dct_value
        tense = tense_direction(text, start)
        if p.kind in ("quarter", "half") and tense == 0:
            tense = -1
    elif p.base == "ref" and ref and _finer_than_ref(p, ref):
        base_value = dct_value
    elif p.kind == "reported_quarter":
        base_value = _reported_quarter(ref, dct)
    elif p.base == "ref" or (
        p.slot == KEEP and ref is not None and values.granularity(ref) == "quarter"
    ):
        base_value = ref or dct_value
    else:
        base_value = dct_value
    base = values.reference_day(base_value) if base_value else None
    if base is None or base_value is None:
        return unresolved(p), None
    if names_slot and story is None and p.amount == 0:
        p = p._replace(amount=tense, base="tense")
    try:
        resolved = _from_base(p, base_value, base, text, start)
    except (ValueError, OverflowError):  # Feb. 29 in a common year, or beyond year 9999
        resolved = None
    if resolved is None:
        return unresolved(p), None
    return resolved, base_value
