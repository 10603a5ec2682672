"""Rules for expressions that count from a reference time: "last year", "three years
later", "the next day", "yesterday", "now", bare weekdays.
"""

from __future__ import annotations

import re

from retrieval.timeline.temporal.draft import Draft, Pending
from retrieval.timeline.temporal.lexicon import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    PARTS_OF_DAY,
    TIME_UNITS,
    UNITS,
    WEEKDAYS,
)
from retrieval.timeline.temporal.reading import (
    CLAUSE_END,
    determiner,
    month_number,
    quantity,
    weekday_number,
)
from retrieval.timeline.temporal.relative import KEEP


def month_of_deictic_year(m: re.Match[str], _: str) -> Draft | None:
    """ "June last year", "January of next year": a month in a year named relative to now."""
    amount = {"this": 0, "last": -1, "next": 1}[m["det"].lower()]
    pending = Pending("month_in_year", "dct", amount, slot=month_number(m["month"]))
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=6)


def year_end(m: re.Match[str], _: str) -> Draft | None:
    """ "year-end", "year's end": the end of the year being talked about."""
    pending = Pending("offset", "ref", 0, "Y")
    return Draft(m.start(), m.end(), "DATE", mod="END", pending=pending, priority=3)


def year_ago_period(m: re.Match[str], _: str) -> Draft | None:
    """ "year-earlier", "the year-ago period": the same period one year before."""
    pending = Pending("offset", "ref", -1, "Y", slot=KEEP)
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=2)


def weekday_alone(m: re.Match[str], _: str) -> Draft | None:
    """ "Tuesday": the nearest one around the document date, by tense."""
    pending = Pending("weekday", "dct", 0, slot=weekday_number(m["weekday"]))
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=2)


_REPORTING_PERIOD_AFTER = re.compile(r"\s+(?:ended|ending)\b", re.IGNORECASE)


def _deictic_unit(m: re.Match[str], det: str, text: str) -> Draft | None:
    unit_word = " ".join(m["unit"].lower().split()).removeprefix("fiscal ")
    base, amount = determiner(det)
    if det == "the" and unit_word == "year" and _REPORTING_PERIOD_AFTER.match(text, m.end()):
        # "the year ended March 31": a twelve-month reporting period, not a calendar year.
        return Draft(m.start(), m.end(), "DURATION", "P1Y", priority=4)
    if (unit_word == "day" and base != "ref") or (det == "the" and unit_word in ("day", "decade")):
        return None
    if unit_word == "decade" and det in ("past", "the past"):
        return Draft(m.start(), m.end(), "DURATION", "P10Y", priority=4)
    pending = Pending("offset", base, amount, UNITS[unit_word])
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=4)


def deictic(m: re.Match[str], text: str) -> Draft | None:
    """ "last year", "this week", "next Tuesday", "the following month", "that May"."""
    det = " ".join(m["det"].lower().split())
    token = m["unit"]
    if token[0].isupper() and token.lower() in UNITS:
        return None
    word = token.rstrip(".").lower()
    if word in WEEKDAYS:
        if det == "the":
            return None
        base, amount = determiner(det)
        pending = Pending("weekday", base, amount, slot=WEEKDAYS.index(word))
        return Draft(m.start(), m.end(), "DATE", pending=pending, priority=4)
    if word in MONTHS or word in MONTH_ABBREVIATIONS:
        if det in ("the", "its", "their", "the full", "the entire"):
            return None
        base, amount = determiner(det)
        pending = Pending("month", base, amount, slot=month_number(token))
        return Draft(m.start(), m.end(), "DATE", pending=pending, priority=4)
    return _deictic_unit(m, det, text)


def relative_offset(m: re.Match[str], text: str) -> Draft | None:
    """ "three years ago", "a year earlier", "four months later", "two weeks from now"."""
    direction = " ".join(m["direction"].lower().split())
    if direction in ("before", "after", "since") and not CLAUSE_END.match(text, m.end()):
        return None
    unit = UNITS[m["unit"].lower()]
    amount = quantity(m["quantity"])
    sign = 1 if direction in ("later", "after", "from now", "hence") else -1
    if amount is None:
        return Draft(m.start(), m.end(), "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    base = "dct" if direction in ("ago", "back", "from now", "hence") else "ref"
    if m["unit"].lower() in TIME_UNITS:
        unit, amount = "D", 0
    if unit == "WE":
        unit = "W"
    slot = KEEP if unit == "Y" and amount == 1 else 0
    pending = Pending("offset", base, sign * round(amount), unit, slot=slot)
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=5)


def neighbour_day(m: re.Match[str], text: str) -> Draft | None:
    """ "the next day", "the previous evening", "the day before yesterday"."""
    if m["side"] and not m["base"] and not CLAUSE_END.match(text, m.end()):
        return None
    if m["side"]:
        amount = -1 if m["side"].lower() == "before" else 1
        base_word = (m["base"] or "").lower()
        if base_word:
            amount += -1 if base_word == "yesterday" else 1
            return Draft(m.start(), m.end(), "DATE", pending=Pending("offset", "dct", amount, "D"))
        return Draft(m.start(), m.end(), "DATE", pending=Pending("offset", "ref", amount, "D"))
    amount = 1 if m["order"].lower() in ("next", "following") else -1
    part = m["unit"].lower()
    suffix = "" if part == "day" else "T" + PARTS_OF_DAY[part]
    kind = "DATE" if part == "day" else "TIME"
    pending = Pending("offset", "ref", amount, "D", suffix=suffix)
    return Draft(m.start(), m.end(), kind, pending=pending, priority=5)


_DEICTIC_WORDS: dict[str, int] = {"today": 0, "tomorrow": 1, "yesterday": -1}


def deictic_word(m: re.Match[str], _: str) -> Draft | None:
    """ "today", "yesterday", "now" -> PRESENT_REF, "recently" -> PAST_REF, "the future"."""
    word = " ".join(m["word"].lower().split())
    if word in _DEICTIC_WORDS:
        pending = Pending("offset", "dct", _DEICTIC_WORDS[word], "D")
        return Draft(m.start(), m.end(), "DATE", pending=pending, priority=3)
    if word.endswith("future"):
        value = "FUTURE_REF"
    elif word in ("recently", "the past"):
        value = "PAST_REF"
    else:
        value = "PRESENT_REF"
    return Draft(m.start(), m.end(), "DATE", value, priority=3)
