"""Turn pattern matches into draft expressions: type, value or pending resolution, and filters.

Each handler receives a match and the whole text (for context checks) and returns a
Draft, or None when the match is not temporal here (an amount, an identifier, a verb).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

from retrieval.temporal import patterns as pt
from retrieval.temporal.draft import Draft, Pending
from retrieval.temporal.lexicon import (
    DECADE_WORDS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    NUMBERS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    SET_WORDS,
    TIME_UNITS,
    UNITS,
    VAGUE_QUANTITIES,
    WEEKDAYS,
    number_value,
)
from retrieval.temporal.relative import KEEP
from retrieval.temporal.spelling import corrected_month

Handler = Callable[[re.Match[str], str], Draft | None]

_COUNTED_NOUN = re.compile(
    r"\s*(?:%|percent|per\s?cent|million|billion|trillion|thousand|hundred|people|persons|men|"
    r"women|children|shares|troops|soldiers|workers|employees|jobs|units|cars|vehicles|homes|"
    r"houses|tons|tonnes|barrels|miles|kilometers|kilometres|km|meters|metres|feet|ft|yards|"
    r"acres|hectares|dollars|euros|pounds|yen|marks|francs|points|votes|seats|cases|deaths|"
    r"students|members|delegates|copies|pages|calories|mph|kg|ounces|degrees|rounds|players|"
    r"companies|firms|ships|planes|aircraft|flights|rooms|beds|words|hours|residents|"
    r"patients|refugees|prisoners|officers|police|acres|square|cubic|page|times|stores|"
    r"[a-z]+ers\b)",
    re.IGNORECASE,
)
_IDENTIFIER_BEFORE = re.compile(
    r"(?:\b(?:no|nos|number|page|pages|p|pp|vol|volume|section|sec|room|flight|route|chapter|"
    r"article|art|code|model|rule|resolution|item|figure|fig|table|line|lines|issue|agreement|"
    r"law|act|bill|order|decree|case|file|ref|form|highway|interstate|apartment|suite|box|"
    r"platform|gate|channel|version|lot|unit|phase|step|grade|level|exit|account|serial)\.?|[#№$£€])"
    r"\s*$",
    re.IGNORECASE,
)
_YEAR_CONTEXT_BEFORE = re.compile(
    r"\b(?:in|since|by|until|till|of|from|during|before|after|around|circa|c\.|year|fiscal|"
    r"through|to|and|early|late|mid|summer|spring|fall|autumn|winter)\s*$",
    re.IGNORECASE,
)
_POSSESSIVE_BEFORE = re.compile(
    r"\b(?:his|her|their|its|my|our|your)\s+(?:(?:early|mid|late)[-\s]*)?$", re.IGNORECASE
)
_PART_BEFORE = re.compile(r"\b(?:early|mid|late)[-\s]*$", re.IGNORECASE)
_MONTH_CONTEXT_BEFORE = re.compile(
    r"\b(?:in|since|by|until|till|of|from|during|before|after|early|late|mid|last|next|this|"
    r"through|to|and|or|on|that|every|each|between|throughout|around|for|until|as)[-\s]+$",
    re.IGNORECASE,
)
_CLOCK_CONTEXT_BEFORE = re.compile(
    r"\b(?:at|by|until|till|from|to|around|about|before|after|since|between|and)\s+$",
    re.IGNORECASE,
)
_RATE_BEFORE = re.compile(
    r"(?:\d|\b(?:million|billion|thousand|hundred|dozen|once|twice)|[a-z]{2,}(?<![aeiu]s)(?<!ss)s)"
    r"\s+$",
    re.IGNORECASE,
)
_DIGIT_AFTER = re.compile(r"\s*\d")
_AGE_AFTER = re.compile(r"(?:\s+|-)old\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?)\"'`]|$|and\b|but\b)")


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


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _before(text: str, m: re.Match[str], group: int | str = 0, width: int = 30) -> str:
    start = m.start(group)
    return text[max(0, start - width) : start]


def _calendar_date(
    m: re.Match[str], month: int, day: int, year: int | None, priority: int = 5
) -> Draft | None:
    """A day of a month with or without a year; day ranges become `range_end`."""
    if not _valid_day(year or 2000, month, day):
        return None
    day_end = day_number(m["day_end"]) if m.groupdict().get("day_end") else 0
    if day_end and (day_end <= day or not _valid_day(year or 2000, month, day_end)):
        return None
    if year is None:
        pending = Pending("month", "ref", slot=month, day=day, day_end=day_end)
        return Draft(m.start(), m.end(), "DATE", pending=pending, priority=priority)
    range_end = dt.date(year, month, day_end).isoformat() if day_end else None
    value = dt.date(year, month, day).isoformat()
    return Draft(m.start(), m.end(), "DATE", value, range_end=range_end, priority=priority)


def iso_date(m: re.Match[str], _: str) -> Draft | None:
    year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    if not _valid_day(year, month, day):
        return None
    value = dt.date(year, month, day).isoformat()
    if m["hour"]:
        return Draft(m.start(), m.end(), "TIME", f"{value}T{m['hour']}:{m['minute']}", priority=9)
    return Draft(m.start(), m.end(), "DATE", value, priority=9)


def numeric_date(m: re.Match[str], _: str) -> Draft | None:
    """d/m/y or m/d/y: an impossible month decides; otherwise slashes read US-style."""
    first, second, year_text = int(m["first"]), int(m["second"]), m["year"]
    if len(year_text) == 2 and m["sep"] != "/":
        return None
    year = int(year_text) if len(year_text) == 4 else year_number("'" + year_text)
    month_first = m["sep"] == "/"
    if first > 12:
        month_first = False
    elif second > 12:
        month_first = True
    month, day = (first, second) if month_first else (second, first)
    if year is None or not 1 <= month <= 12 or not _valid_day(year, month, day):
        return None
    return Draft(m.start(), m.end(), "DATE", dt.date(year, month, day).isoformat(), priority=8)


def month_day(m: re.Match[str], _: str) -> Draft | None:
    year = year_number(m["year"]) if m["year"] else None
    return _calendar_date(m, month_number(m["month"]), day_number(m["day"]), year)


def month_year(m: re.Match[str], _: str) -> Draft | None:
    year = year_number(m["year"])
    if year is None:
        return None
    value = f"{year:04d}-{month_number(m['month']):02d}"
    return Draft(m.start(), m.end(), "DATE", value, priority=6)


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


def month_alone(m: re.Match[str], text: str) -> Draft | None:
    """A bare month; "May", "March" and short forms only where a date is clearly meant."""
    token = m["month"]
    if _DIGIT_AFTER.match(text, m.end()):
        return None
    full = token.rstrip(".").lower() in MONTHS
    ambiguous = token.lower() in ("may", "march") or not full
    if ambiguous and not _MONTH_CONTEXT_BEFORE.search(_before(text, m)):
        return None
    if not full and not token.endswith("."):
        return None
    pending = Pending("month", "ref", slot=month_number(token))
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=1)


def misspelled_month(m: re.Match[str], _: str) -> Draft | None:
    """ "Augsut 2013" or "5 Agust": only with a year after or a day number before."""
    word = m["word"] or m["word_after_day"]
    month = corrected_month(word)
    if month is None:
        return None
    day_text = m["day_before"] or m["day"]
    year_text = m["year"] or m["year_after_day"]
    year = int(year_text) if year_text else None
    if not day_text:
        return Draft(m.start(), m.end(), "DATE", f"{year:04d}-{month:02d}", priority=4)
    return _calendar_date(m, month, day_number(day_text), year, priority=4)


def weekday_alone(m: re.Match[str], _: str) -> Draft | None:
    """ "Tuesday": the nearest one around the document date, by tense."""
    pending = Pending("weekday", "dct", 0, slot=weekday_number(m["weekday"]))
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=2)


def _is_amount(text: str, m: re.Match[str], group: str) -> bool:
    before = _before(text, m, group, 20)
    return bool(_IDENTIFIER_BEFORE.search(before)) or bool(_COUNTED_NOUN.match(text, m.end(group)))


def year_alone(m: re.Match[str], text: str) -> Draft | None:
    """A year in date context, never an amount, page or identifier."""
    year = year_number(m["year"])
    if year is None or _is_amount(text, m, "year"):
        return None
    has_context = bool(m["prefix"]) or bool(_YEAR_CONTEXT_BEFORE.search(_before(text, m)))
    two_thousand = m["year"].lower().startswith("two")
    if (year < 1500 or two_thousand) and not has_context:
        return None
    return Draft(m.start(), m.end(), "DATE", f"{year:04d}", priority=3)


def year_range(m: re.Match[str], text: str) -> Draft | None:
    """ "1990-95", "2004-2013": two years joined by a dash."""
    first = int(m["year"])
    second_text = m["year_end"]
    second = int(second_text) if len(second_text) == 4 else first // 100 * 100 + int(second_text)
    if second <= first or second - first > 100 or _is_amount(text, m, "year"):
        return None
    if _COUNTED_NOUN.match(text, m.end()):
        return None
    return Draft(m.start(), m.end(), "DATE", f"{first:04d}", range_end=f"{second:04d}", priority=7)


def decade(m: re.Match[str], text: str) -> Draft | None:
    """ "the 1990s", "the '80s", "the nineties" -> 199X; ages ("his sixties") excluded."""
    if _POSSESSIVE_BEFORE.search(_before(text, m)):
        return None
    if m["word"]:
        if not m.group(0).lower().startswith("the") and "nineteen" not in m.group(0).lower():
            return None
        return Draft(m.start(), m.end(), "DATE", f"19{DECADE_WORDS[m['word'].lower()]}X")
    digits = m["digits"].lstrip("'")
    if len(digits) == 2:
        if not (m["digits"].startswith("'") or m.group(0).lower().startswith("the")):
            return None
        digits = ("20" if digits in ("00", "10", "20") else "19") + digits
    return Draft(m.start(), m.end(), "DATE", f"{digits[:3]}X", priority=5)


def century(m: re.Match[str], _: str) -> Draft | None:
    if m["ordinal"]:
        token = m["ordinal"].lower()
        number = ORDINALS.get(token) or int(re.sub(r"\D", "", token) or 0)
        if not number or token in ("last", "final"):
            return None
        return Draft(m.start(), m.end(), "DATE", f"{number - 1:02d}", priority=5)
    words = m["deictic"].lower().split()
    if words[:2] == ["the", "past"]:
        return Draft(m.start(), m.end(), "DURATION", "P100Y", priority=5)
    det = words[-1]
    amount = {"this": 0, "current": 0, "next": 1}.get(det, -1)
    return Draft(m.start(), m.end(), "DATE", pending=Pending("offset", "dct", amount, "C"))


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
    "that": ("ref", 0),
    "the full": ("ref", 0),
    "the entire": ("ref", 0),
    "the": ("ref", 0),
    "its": ("ref", 0),
    "their": ("ref", 0),
}


def _determiner(token: str | None) -> tuple[str, int]:
    key = " ".join((token or "the").lower().split())
    return _DETERMINER_OFFSETS.get(key, ("ref", 0))


def season(m: re.Match[str], text: str) -> Draft | None:
    """ "spring 2007", "last summer", "the winter of 1994"; bare seasons are too vague."""
    code = SEASONS[m["season"].lower()]
    if m["year"]:
        year = year_number(m["year"])
        return Draft(m.start(), m.end(), "DATE", f"{year:04d}-{code}", priority=5)
    if not m["det"] and not _PART_BEFORE.search(_before(text, m)):
        return None
    det = " ".join((m["det"] or "the").lower().split())
    if det in ("the", "that") and code in ("FA", "SP") and m["det"]:
        return None
    base, amount = _determiner(det)
    pending = Pending("season", base, amount, slot=code)
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=4)


_QUARTER_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}


def _quarter_year(m: re.Match[str]) -> tuple[str, int, int | None]:
    """Base, offset and explicit year for an ordinal quarter ("this year's third quarter")."""
    explicit = m["year"] or m["year_after"] or m["det_year"]
    if explicit:
        return "ref", 0, int(explicit)
    det = " ".join((m["det"] or "").lower().split())
    if det.endswith("year's"):
        return "dct", {"this": 0, "last": -1, "next": 1}.get(det.split()[0], 0), None
    if "year-" in det:
        return "ref", -1, None
    return "ref", 0, None


def _names_period(det: str | None) -> bool:
    """ "the latest period", "the year-ago period": a reporting period, not any period."""
    words = (det or "").lower()
    return "year" in words or any(w in words for w in ("latest", "current", "same", "comparable"))


def quarter(m: re.Match[str], text: str) -> Draft | None:
    """Fiscal quarters and halves: "the third quarter" -> 1998-Q3, "the first half" -> H1."""
    unit = m["unit"].lower()
    det_last = (m["det"] or "").lower().split()[-1:] or [""]
    ordinal_text = (m["ordinal"] or (det_last[0] if unit == "half" else "")).lower()
    ordinal = _QUARTER_ORDINALS.get(ordinal_text) or (int(ordinal_text[0]) if ordinal_text else 0)
    if unit == "half":
        explicit = m["year"] or m["year_after"] or m["det_year"]
        if ordinal not in (1, 2, 4) or (not explicit and text.startswith(" of", m.end())):
            return None
        half = 1 if ordinal == 1 else 2
        if explicit:
            return Draft(m.start(), m.end(), "DATE", f"{explicit}-H{half}", priority=6)
        pending = Pending("half", "ref", 0, slot=half)
        return Draft(m.start(), m.end(), "DATE", pending=pending, priority=6)
    if unit == "period" and (ordinal or not (m["det_year"] or _names_period(m["det"]))):
        return None
    if ordinal:
        adjectival = text[m.end("ordinal")] == "-" and not m["year"] and not m["year_after"]
        start = m.start("ordinal") if adjectival else m.start()
        base, amount, year = _quarter_year(m)
        if year is not None:
            return Draft(start, m.end(), "DATE", f"{year:04d}-Q{ordinal}", priority=6)
        pending = Pending("quarter", base, amount, slot=ordinal)
        return Draft(start, m.end(), "DATE", pending=pending, priority=6)
    if not (m["det"] or m["det_year"]) or text.startswith(" of", m.end()):
        return None
    det = " ".join((m["det"] or "").lower().split())
    if m["det_year"]:
        pending = Pending("period_of_year", "ref", slot=int(m["det_year"]))
    elif "year-" in det or det.endswith("year's"):
        amount = {"this": 0, "next": 1}.get(det.split()[0], -1)
        pending = Pending("offset", "ref", amount, "Y", slot=KEEP)
    else:
        base, amount = _determiner(det)
        pending = Pending("quarter", base, amount)
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=6)


def _deictic_unit(m: re.Match[str], det: str) -> Draft | None:
    unit_word = " ".join(m["unit"].lower().split()).removeprefix("fiscal ")
    base, amount = _determiner(det)
    if (unit_word == "day" and base != "ref") or (det == "the" and unit_word in ("day", "decade")):
        return None
    if unit_word == "decade" and det in ("past", "the past"):
        return Draft(m.start(), m.end(), "DURATION", "P10Y", priority=4)
    pending = Pending("offset", base, amount, UNITS[unit_word])
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=4)


def deictic(m: re.Match[str], _: str) -> Draft | None:
    """ "last year", "this week", "next Tuesday", "the following month", "that May"."""
    det = " ".join(m["det"].lower().split())
    token = m["unit"]
    if token[0].isupper() and token.lower() in UNITS:
        return None
    word = token.rstrip(".").lower()
    if word in WEEKDAYS:
        if det == "the":
            return None
        base, amount = _determiner(det)
        pending = Pending("weekday", base, amount, slot=WEEKDAYS.index(word))
        return Draft(m.start(), m.end(), "DATE", pending=pending, priority=4)
    if word in MONTHS or word in MONTH_ABBREVIATIONS:
        if det in ("the", "its", "their", "the full", "the entire"):
            return None
        base, amount = _determiner(det)
        pending = Pending("month", base, amount, slot=month_number(token))
        return Draft(m.start(), m.end(), "DATE", pending=pending, priority=4)
    return _deictic_unit(m, det)


def _quantity(token: str) -> float | None:
    words = " ".join(token.lower().split())
    if words.split()[0] in VAGUE_QUANTITIES or words.startswith(("a few", "a couple", "dozens")):
        return 2.0 if "couple" in words else None
    return number_value(words.replace("a dozen", "twelve"))


def relative_offset(m: re.Match[str], text: str) -> Draft | None:
    """ "three years ago", "a year earlier", "four months later", "two weeks from now"."""
    direction = " ".join(m["direction"].lower().split())
    if direction in ("before", "after", "since") and not _CLAUSE_END.match(text, m.end()):
        return None
    unit = UNITS[m["unit"].lower()]
    amount = _quantity(m["quantity"])
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
    if m["side"] and not m["base"] and not _CLAUSE_END.match(text, m.end()):
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


# How a fractional amount of a unit is written with the next smaller unit.
_FRACTIONS: dict[str, tuple[int, str]] = {
    "Y": (12, "{whole}Y{rest}M"),
    "W": (7, "{whole}W{rest}D"),
    "D": (24, "{whole}DT{rest}H"),
    "H": (60, "T{whole}H{rest}M"),
    "MIN": (60, "T{whole}M{rest}S"),
}


def _duration_value(amount: float | None, unit_word: str) -> str:
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


def duration(m: re.Match[str], text: str) -> Draft | None:
    """ "three years", "the past five years", "20-year", "a few days", "2 1/2 hours"."""
    quantity_text = " ".join(m["quantity"].lower().split())
    unit_word = m["unit"].lower()
    if text[m.start("quantity") - 1 : m.start("quantity")] in (",", ".", "$") or (
        m.start("quantity") > 0 and text[m.start("quantity") - 1].isdigit()
    ):
        return None
    if _AGE_AFTER.match(text, m.end("plural") if m["plural"] else m.end("unit")):
        return None
    single = quantity_text in ("a", "an", "one")
    if quantity_text in ("a", "an") and not m["det"] and _RATE_BEFORE.search(_before(text, m)):
        return None
    if unit_word == "second" and single:
        return None
    if unit_word == "quarter" and (
        text.startswith(" of", m.end()) or (single and not m["relation"])
    ):
        return None
    amount = _quantity(quantity_text)
    if amount is None and not m["plural"]:
        return None
    if amount is not None and m["tail"] and "half" in m["tail"].lower():
        amount += 0.5
    if quantity_text in NUMBERS and NUMBERS[quantity_text] >= 100 and not m["plural"]:
        return None
    start = m.start()
    adjectival = text[m.end("quantity") : m.start("unit")] == "-"
    indefinite = (m["det"] or "").lower() in ("a", "an") and quantity_text not in (
        "few",
        "couple of",
    )
    if adjectival or indefinite:
        start = m.start("quantity")
    value = _duration_value(amount, unit_word)
    mod = "APPROX" if m["tail"] and "or so" in m["tail"].lower() else None
    if quantity_text.startswith(("a couple", "couple")):
        mod = "APPROX"
    return Draft(start, m.end(), "DURATION", value, mod=mod, priority=3)


def vague_duration(m: re.Match[str], _: str) -> Draft | None:
    """ "for years", "in recent months", "the coming weeks" -> PXY, PXM, PXW."""
    group = "core" if m["core"] else "bare"
    words = m[group].lower().split()
    unit_word = words[-1].removesuffix("s").removesuffix("ie") or words[-1]
    unit_word = "century" if words[-1] == "centuries" else unit_word
    value = _duration_value(None, unit_word)
    return Draft(m.start(group), m.end(group), "DURATION", value, priority=2)


def clock_time(m: re.Match[str], text: str) -> Draft | None:
    """ "10:35 a.m.", "6 p.m. EST", "at 14:30"; bare h:mm needs a preposition before it."""
    if m["hour_part"] is not None:
        hour, minute = int(m["hour_part"]) % 12, 0
        hour += 0 if m["part"].lower() == "morning" else 12
    elif m["hour24"] is not None:
        if not m["zone24"] and not _CLOCK_CONTEXT_BEFORE.search(_before(text, m)):
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


def named_time(m: re.Match[str], _: str) -> Draft | None:
    """ "noon", "midnight", "this morning", "Friday evening", "last night", "tonight"."""
    if m["named"]:
        suffix = "T24:00" if m["named"].lower() == "midnight" else "T12:00"
        pending = Pending("offset", "ref", 0, "D", suffix=suffix)
        return Draft(m.start(), m.end(), "TIME", pending=pending, priority=4)
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


def set_expression(m: re.Match[str], _: str) -> Draft | None:
    """ "daily", "annual", "every year", "each Tuesday", "twice a week" as TimeML SETs."""
    if m["word"]:
        return Draft(m.start(), m.end(), "SET", SET_WORDS[m["word"].lower()], priority=3)
    if m["times"]:
        unit_word = m["times_unit"].lower()
        return Draft(m.start(), m.end(), "SET", _duration_value(1, unit_word), priority=5)
    token = m["unit"]
    word = token.rstrip(".").lower()
    if word in WEEKDAYS:
        value = f"XXXX-WXX-{WEEKDAYS.index(word) + 1}"
    elif word in MONTHS or word in MONTH_ABBREVIATIONS:
        value = f"XXXX-{month_number(token):02d}"
    elif word in SEASONS:
        value = f"XXXX-{SEASONS[word]}"
    else:
        amount = _quantity(m["quantity"]) if m["quantity"] else 1.0
        amount = (amount or 1.0) * (2 if m["other"] else 1)
        value = _duration_value(amount, word)
    return Draft(m.start(), m.end(), "SET", value, priority=5)


def holiday(m: re.Match[str], _: str) -> Draft | None:
    from retrieval.temporal.relative import holiday as holiday_date

    name = " ".join(m["name"].split())
    if m["year"]:
        found = holiday_date(name, int(m["year"]))
        if found:
            return Draft(m.start(), m.end(), "DATE", found.isoformat(), priority=5)
    if m["det"]:
        amount = {"last": -1, "this": 0, "next": 1}[m["det"].lower()]
        pending = Pending("holiday", "dct", amount, slot=name)
    else:
        pending = Pending("holiday", "ref", 0, slot=name)
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=4)


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
