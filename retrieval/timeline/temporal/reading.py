"""Reading the pieces of a temporal expression: month names, numbers, years, determiners.

Shared by the rule modules; each helper turns matched words into numbers or offsets.
"""

from __future__ import annotations

import calendar
import re

from retrieval.timeline.temporal.lexicon import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    TIME_UNITS,
    UNITS,
    VAGUE_QUANTITIES,
    WEEKDAYS,
    number_value,
)

CLAUSE_END = re.compile(r"\s*(?:[.,;:!?)\"'`]|$|and\b|but\b)")


def month_number(token: str) -> int:
    """1-12 for a month name or abbreviation ("Sept.", "AUGUST")."""
    word = token.rstrip(".").lower()
    if word in MONTHS:
        return MONTHS.index(word) + 1
    return MONTH_ABBREVIATIONS[word]


def weekday_number(token: str) -> int:
    """0 (Monday) to 6 for a weekday name or abbreviation."""
    word = token.rstrip(".").lower()[:3]
    return [w[:3] for w in WEEKDAYS].index(word)


def year_number(token: str) -> int | None:
    """A year written in digits ("1998", "'98") or words ("nineteen ninety-one")."""
    text = token.strip().lower()
    if text.startswith("'"):
        short = int(text[1:])
        return 2000 + short if short < 30 else 1900 + short
    if text.isdigit():
        return int(text)
    if text.startswith("nineteen"):
        rest = number_value(text[len("nineteen") :])
        return 1900 + int(rest) if rest is not None and 10 <= rest < 100 else None
    rest_text = text.removeprefix("two").strip().removeprefix("thousand").strip()
    rest_text = rest_text.removeprefix("and").strip()
    if not rest_text:
        return 2000
    rest = number_value(rest_text)
    return 2000 + int(rest) if rest is not None and rest < 100 else None


def day_number(token: str) -> int:
    return int(re.sub(r"\D", "", token))


def valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year, month)[1]


def text_before(text: str, m: re.Match[str], group: int | str = 0, width: int = 30) -> str:
    start = m.start(group)
    return text[max(0, start - width) : start]


_DETERMINER_OFFSETS: dict[str, tuple[str, int]] = {
    "this": ("dct", 0),
    "the current": ("dct", 0),
    "last": ("dct", -1),
    "past": ("dct", -1),
    "this past": ("dct", -1),
    "the past": ("dct", -1),
    "the last": ("dct", -1),
    "the latest": ("dct", -1),
    "the recent": ("dct", -1),
    "next": ("dct", 1),
    "coming": ("dct", 1),
    "this coming": ("dct", 1),
    "the coming": ("dct", 1),
    "the previous": ("ref", -1),
    "the preceding": ("ref", -1),
    "the prior": ("ref", -1),
    "the following": ("ref", 1),
    "the next": ("ref", 1),
    "the same": ("ref", 0),
    "that same": ("ref", 0),
    "that": ("ref", 0),
    "the full": ("ref", 0),
    "the entire": ("ref", 0),
    "the": ("ref", 0),
    "its": ("ref", 0),
    "their": ("ref", 0),
}


def determiner(token: str | None) -> tuple[str, int]:
    key = " ".join((token or "the").lower().split())
    return _DETERMINER_OFFSETS.get(key, ("ref", 0))


def quantity(token: str) -> float | None:
    words = " ".join(token.lower().split())
    if words.split()[0] in VAGUE_QUANTITIES or words.startswith(("a few", "a couple", "dozens")):
        return 2.0 if "couple" in words else None
    return number_value(words.replace("a dozen", "twelve"))


# How a fractional amount of a unit is written with the next smaller unit.
_FRACTIONS: dict[str, tuple[int, str]] = {
    "Y": (12, "{whole}Y{rest}M"),
    "W": (7, "{whole}W{rest}D"),
    "D": (24, "{whole}DT{rest}H"),
    "H": (60, "T{whole}H{rest}M"),
    "MIN": (60, "T{whole}M{rest}S"),
}


def duration_value(amount: float | None, unit_word: str) -> str:
    """ISO 8601 duration for an amount of a unit; decades and centuries count in years."""
    unit = UNITS[unit_word]
    prefix = "PT" if unit_word in TIME_UNITS else "P"
    scale = {"E": (10, "Y"), "C": (100, "Y"), "L": (1000, "Y"), "F": (2, "W"), "WE": (2, "D")}
    if amount is None:
        return f"{prefix}X{'D' if unit == 'WE' else unit}"
    factor, unit = scale.get(unit, (1, unit))
    amount *= factor
    if amount == int(amount):
        return f"{prefix}{int(amount)}{unit}"
    key = "MIN" if unit_word == "minute" else unit
    if key in _FRACTIONS and unit_word != "second":
        ratio, template = _FRACTIONS[key]
        whole = int(amount)
        return "P" + template.format(whole=whole, rest=round((amount - whole) * ratio))
    return f"{prefix}{amount:g}{unit}"
