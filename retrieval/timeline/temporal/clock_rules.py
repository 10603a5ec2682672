"""Rules for times of day: "10:35 a.m.", "4 in the morning", "noon", "this evening"."""

from __future__ import annotations

import re

from retrieval.timeline.temporal.draft import Draft, Pending
from retrieval.timeline.temporal.lexicon import (
    PARTS_OF_DAY,
    WEEKDAYS,
)
from retrieval.timeline.temporal.reading import (
    text_before,
)

_CLOCK_CONTEXT_BEFORE = re.compile(
    r"\b(?:at|by|until|till|from|to|around|about|before|after|since|between|and)\s+$",
    re.IGNORECASE,
)


def clock_time(m: re.Match[str], text: str) -> Draft | None:
    """ "10:35 a.m.", "6 p.m. EST", "at 14:30"; bare h:mm needs a preposition before it."""
    if m["hour_part"] is not None:
        hour, minute = int(m["hour_part"]) % 12, 0
        hour += 0 if m["part"].lower() == "morning" else 12
    elif m["hour24"] is not None:
        if not m["zone24"] and not _CLOCK_CONTEXT_BEFORE.search(text_before(text, m)):
            return None
        hour, minute = int(m["hour24"]), int(m["minute24"])
    else:
        hour, minute = int(m["hour"]), int(m["minute"] or 0)
        meridian = m["meridian"].lower()
        if hour > 12 or (hour == 0 and "o'clock" not in meridian):
            return None
        if meridian.startswith("p") and hour < 12:
            hour += 12
        elif meridian.startswith("a") and hour == 12:
            hour = 0
    pending = Pending("offset", "ref", 0, "D", suffix=f"T{hour:02d}:{minute:02d}")
    return Draft(m.start(), m.end(), "TIME", pending=pending, priority=6)


_DAY_WORDS = {"yesterday": -1, "today": 0, "tomorrow": 1}


def _part_of_day(m: re.Match[str]) -> Draft:
    """ "the morning" (of the day talked about), "mid-afternoon yesterday"."""
    suffix = "T" + PARTS_OF_DAY[m["lone_part"].lower()]
    if m["part_day"]:
        pending = Pending("offset", "dct", _DAY_WORDS[m["part_day"].lower()], "D", suffix=suffix)
    else:
        pending = Pending("offset", "ref", 0, "D", suffix=suffix)
    return Draft(m.start(), m.end(), "TIME", pending=pending, priority=4)


def named_time(m: re.Match[str], _: str) -> Draft | None:
    """ "noon", "midnight", "this morning", "Friday evening", "last night", "tonight",
    "the morning", "mid-afternoon"."""
    if m["named"]:
        suffix = "T24:00" if m["named"].lower() == "midnight" else "T12:00"
        pending = Pending("offset", "ref", 0, "D", suffix=suffix)
        return Draft(m.start(), m.end(), "TIME", pending=pending, priority=4)
    if m["lone_part"]:
        return _part_of_day(m)
    if m["single"]:
        base = "dct" if m["single"].lower() == "tonight" else "ref"
        pending = Pending("offset", base, 0, "D", suffix="TNI")
        return Draft(m.start(), m.end(), "TIME", pending=pending, priority=4)
    suffix = "T" + PARTS_OF_DAY[m["part"].lower()]
    day = m["day"].lower()
    if day in WEEKDAYS:
        # TimeBank annotates "Friday night" as the date of that Friday.
        pending = Pending("weekday", "dct", 0, slot=WEEKDAYS.index(day))
        return Draft(m.start(), m.end(), "DATE", pending=pending, priority=5)
    else:
        offsets = {"this": ("dct", 0), "the": ("ref", 0), "tomorrow": ("dct", 1)}
        base, amount = offsets.get(day, ("dct", -1))
        if day == "last" and m["part"].lower() != "night":
            return None
        pending = Pending("offset", base, amount, "D", suffix=suffix)
    return Draft(m.start(), m.end(), "TIME", pending=pending, priority=5)
