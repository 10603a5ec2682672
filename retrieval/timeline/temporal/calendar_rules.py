"""Rules for calendar names: full dates, months, years, decades, centuries, seasons,
quarters and holidays. Each handler returns a Draft, or None when the match is not a
date here (an amount, an identifier, a verb).
"""

from __future__ import annotations

import datetime as dt
import re

from retrieval.timeline.temporal.draft import Draft, Pending
from retrieval.timeline.temporal.lexicon import (
    DECADE_WORDS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    ORDINALS,
    SEASONS,
    WEEKDAYS,
)
from retrieval.timeline.temporal.patterns import WordBefore, alternation, last_word_span
from retrieval.timeline.temporal.reading import (
    day_number,
    determiner,
    month_number,
    text_before,
    valid_day,
    year_number,
)
from retrieval.timeline.temporal.relative import KEEP
from retrieval.timeline.temporal.relative import holiday as holiday_date
from retrieval.timeline.temporal.spelling import corrected_month
from retrieval.timeline.temporal.values import format_week

# Nouns that make a number before them an amount ("1990 people"), not a year.
_COUNTED_NOUNS = """% percent million billion trillion thousand hundred people persons men women
    children shares troops soldiers workers employees jobs units cars vehicles homes houses tons
    tonnes barrels miles kilometers kilometres km meters metres feet ft yards acres hectares dollars
    euros pounds yen marks francs points votes seats cases deaths students members delegates
    copies pages calories mph kg ounces degrees rounds players companies firms ships planes
    aircraft flights rooms beds words hours residents patients refugees prisoners officers
    police square cubic page times stores bytes bits kb mb gb tb kib mib gib samples requests
    entries items lines characters chars rows columns records files connections threads cores
    series metrics messages tokens nodes instances seconds minutes ms byte bit word line"""
_CODE_REACH = 160
_COUNTED_NOUN = re.compile(
    rf"(?:\s*|-)(?:{alternation(['per cent', *_COUNTED_NOUNS.split()])}|[a-z]+ers\b)",
    re.IGNORECASE,
)


_IDENTIFIER_BEFORE = WordBefore(
    """no nos number page pages p pp vol volume section sec room flight route chapter article art
    code model rule resolution item figure fig table line lines issue agreement law act bill
    order decree case file ref form highway interstate apartment suite box platform gate channel
    version lot unit phase step grade level exit account serial port ticket bug build revision
    rev pid""",
    r"\.?\s*",
)
_SYMBOLS_BEFORE_IDENTIFIERS = frozenset("#№$£€")
# A year-like number inside a code: an advisory's ID ("CVE-2018-18074"), or a key
# fingerprint's groups of four hexadecimal digits ("51B0 6736 1740 F5FC").
_CODE_PREFIX = re.compile(r"\b[A-Z]{3,}-$")
_CODE_SUFFIX = re.compile(r"-\d{3,}\b")
_HEX_BEFORE = re.compile(r"\b([0-9A-F]{4}) $")
_HEX_AFTER = re.compile(r" ([0-9A-F]{4})\b")
# A setting's value or a quantity, as documentation states them: "defaults to 2007".
_VALUE_BEFORE = re.compile(
    r"\b(?i:defaults?\s+(?:to|is|of)|(?:is\s+)?set\s+to|equals?(?:\s+to)?"
    r"|(?:limit|maximum|minimum|max|min|total|value|size|base|multiple)\s+of)\s*$"
)


_YEAR_CONTEXT_WORDS = """in since by until till of from during before after around circa c.
    year fiscal through to and early late mid summer spring fall autumn winter"""
_YEAR_CONTEXT_BEFORE = WordBefore(_YEAR_CONTEXT_WORDS, r"\s*")
# An early year needs a word that can only date it: "in 1066", not "of 1024" or "by 1024".
_EARLY_YEAR_CONTEXT_BEFORE = WordBefore(
    " ".join(
        word
        for word in _YEAR_CONTEXT_WORDS.split()
        if word not in {"by", "of", "from", "to", "and", "through", "fiscal"}
    ),
    r"\s*",
)


_POSSESSIVE_BEFORE = re.compile(
    r"\b(?:his|her|their|its|my|our|your)\s+(?:(?:early|mid|late)[-\s]*)?$", re.IGNORECASE
)


# Capitalised words a year may follow as a date: months, weekdays, seasons, and the words
# that date a year ("In 2000", "Fiscal 2000").
_DATING_WORDS = frozenset(
    word.lower().rstrip(".")
    for words in (MONTHS, MONTH_ABBREVIATIONS, WEEKDAYS, SEASONS, _YEAR_CONTEXT_WORDS.split())
    for word in (*words, "FY", "AD", "BC")
)


_PART_BEFORE = WordBefore("early mid late", r"[-\s]*")


_MONTH_CONTEXT_BEFORE = WordBefore(
    """in since by until till of from during before after early late mid last next this through
    to and or on that every each between throughout around for as""",
    r"[-\s]+",
)


_DIGIT_AFTER = re.compile(r"\s*\d")


def _calendar_date(
    m: re.Match[str], month: int, day: int, year: int | None, priority: int = 5
) -> Draft | None:
    """A day of a month with or without a year; day ranges become `range_end`."""
    if not valid_day(year or 2000, month, day):
        return None
    day_end = day_number(m["day_end"]) if m.groupdict().get("day_end") else 0
    if day_end and (day_end <= day or not valid_day(year or 2000, month, day_end)):
        return None
    if year is None:
        pending = Pending("month", "ref", slot=month, day=day, day_end=day_end)
        return Draft(m.start(), m.end(), "DATE", pending=pending, priority=priority)
    range_end = dt.date(year, month, day_end).isoformat() if day_end else None
    value = dt.date(year, month, day).isoformat()
    return Draft(m.start(), m.end(), "DATE", value, range_end=range_end, priority=priority)


def iso_date(m: re.Match[str], _: str) -> Draft | None:
    year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    if not valid_day(year, month, day):
        return None
    value = dt.date(year, month, day).isoformat()
    if m["hour"]:
        return Draft(m.start(), m.end(), "TIME", f"{value}T{m['hour']}:{m['minute']}", priority=9)
    return Draft(m.start(), m.end(), "DATE", value, priority=9)


def iso_month(m: re.Match[str], text: str) -> Draft | None:
    """ "2020-05" is May 2020; "2008-09", the next year's last digits, is a range of two
    years (``year_range``); "No. 2007-10" an identifier."""
    year, month = int(m["year"]), int(m["month"])
    if month == (year + 1) % 100 or _is_amount(text, m, "year"):
        return None
    return Draft(m.start(), m.end(), "DATE", f"{year:04d}-{month:02d}", priority=7)


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
    if year is None or not 1 <= month <= 12 or not valid_day(year, month, day):
        return None
    return Draft(m.start(), m.end(), "DATE", dt.date(year, month, day).isoformat(), priority=8)


def month_day(m: re.Match[str], _: str) -> Draft | None:
    year = year_number(m["year"]) if m["year"] else None
    return _calendar_date(m, month_number(m["month"]), day_number(m["day"]), year)


def second_day(m: re.Match[str], text: str) -> Draft | None:
    """ "25" in "April 24 and 25": a day of the month just named ("April 24" is its own match).

    Not when a year follows ("May 3 and 4, 1999"), which the first day would lack, nor before
    a counted noun ("June 5 and 6 percent").
    """
    month, first, second = month_number(m["month"]), day_number(m["day"]), day_number(m["second"])
    if m["year"] or second <= first or not valid_day(2000, month, second):
        return None
    if _COUNTED_NOUN.match(text, m.end("second")):
        return None
    pending = Pending("month", "ref", slot=month, day=second)
    return Draft(m.start("second"), m.end("second"), "DATE", pending=pending, priority=5)


def month_year(m: re.Match[str], _: str) -> Draft | None:
    year = year_number(m["year"])
    if year is None:
        return None
    value = f"{year:04d}-{month_number(m['month']):02d}"
    return Draft(m.start(), m.end(), "DATE", value, priority=6)


def month_alone(m: re.Match[str], text: str) -> Draft | None:
    """A bare month; "May", "March" and short forms only where a date is clearly meant."""
    token = m["month"]
    if _DIGIT_AFTER.match(text, m.end()):
        return None
    full = token.rstrip(".").lower() in MONTHS
    ambiguous = token.lower() in ("may", "march") or not full
    if ambiguous and not _MONTH_CONTEXT_BEFORE(text, m.start()):
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


def _is_amount(text: str, m: re.Match[str], group: str) -> bool:
    start = m.start(group)
    symbol = text[max(0, start - 20) : start].rstrip()[-1:]
    return (
        symbol in _SYMBOLS_BEFORE_IDENTIFIERS
        or _IDENTIFIER_BEFORE(text, start)
        or bool(_COUNTED_NOUN.match(text, m.end(group)))
        or _VALUE_BEFORE.search(text, max(0, start - 24), start) is not None
    )


def _in_code(text: str, start: int, end: int) -> bool:
    if _CODE_PREFIX.search(text, max(0, start - 12), start) or _CODE_SUFFIX.match(text, end):
        return True
    before = _HEX_BEFORE.search(text, max(0, start - 5), start)
    after = _HEX_AFTER.match(text, end)
    if before is None or after is None:
        return False
    return not (before[1] + after[1]).isdigit()


def _names_an_edition(text: str, start: int) -> bool:
    """ "Windows 2000", "Excel 2000": a year one space after a capitalised name inside a
    sentence is the edition of a product, not a date ("Summer 2000", "In 2000" stay)."""
    word_start, word_end = last_word_span(text, start)
    word = text[word_start:word_end]
    if text[word_end:start] != " " or not word[:1].isupper() or word.lower() in _DATING_WORDS:
        return False
    before = text[:word_start].rstrip()[-1:]
    return bool(before) and (before.isalnum() or before in ",(")


def _in_inline_code(text: str, start: int) -> bool:
    """Whether ``start`` is inside a `code` span of its line ("`max_per_send: 2000`" is a
    setting's value): an odd number of backticks before it, and one after."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - _CODE_REACH)
    if text.count("`", line_start, start) % 2 == 0:
        return False
    line_end = text.find("\n", start, start + _CODE_REACH)
    return text.find("`", start, line_end if line_end >= 0 else start + _CODE_REACH) >= 0


def year_alone(m: re.Match[str], text: str) -> Draft | None:
    """A year in date context, never an amount, page, identifier or product edition."""
    year = year_number(m["year"])
    if year is None or _is_amount(text, m, "year") or _in_code(text, *m.span("year")):
        return None
    if not m["prefix"] and (
        _names_an_edition(text, m.start("year")) or _in_inline_code(text, m.start("year"))
    ):
        return None
    # An early year ("in 1066") or a worded one ("two thousand") needs a word that dates it.
    doubtful = year < 1500 or m["year"].lower().startswith("two")
    if doubtful and not (m["prefix"] or _EARLY_YEAR_CONTEXT_BEFORE(text, m.start())):
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
    if _POSSESSIVE_BEFORE.search(text_before(text, m)):
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


def _before_christ(era: str | None) -> bool:
    return era is not None and era.upper().startswith("B")


def era_year(m: re.Match[str], _: str) -> Draft | None:
    """ "44 BC", "AD 14", "122 AD", "300 BCE", "44–30 BC": TIMEX3 writes BC years as BC0044."""
    if m["year_after"]:
        return Draft(m.start(), m.end(), "DATE", f"{int(m['year_after']):04d}", priority=8)
    year, end = int(m["year"]), int(m["year_end"] or 0)
    if _before_christ(m["era"]):
        if end and end >= year:
            return None
        range_end = f"BC{end:04d}" if end else None
        return Draft(m.start(), m.end(), "DATE", f"BC{year:04d}", range_end=range_end, priority=8)
    if end and end <= year:
        return None
    range_end = f"{end:04d}" if end else None
    return Draft(m.start(), m.end(), "DATE", f"{year:04d}", range_end=range_end, priority=8)


def century(m: re.Match[str], _: str) -> Draft | None:
    if m["ordinal"]:
        token = m["ordinal"].lower()
        number = ORDINALS.get(token) or int(re.sub(r"\D", "", token) or 0)
        if not number or token in ("last", "final"):
            return None
        era = "BC" if _before_christ(m["era"]) else ""
        return Draft(m.start(), m.end(), "DATE", f"{era}{number - 1:02d}", priority=5)
    words = m["deictic"].lower().split()
    if words[:2] == ["the", "past"]:
        return Draft(m.start(), m.end(), "DURATION", "P100Y", priority=5)
    det = words[-1]
    amount = {"this": 0, "current": 0, "next": 1}.get(det, -1)
    return Draft(m.start(), m.end(), "DATE", pending=Pending("offset", "dct", amount, "C"))


def season(m: re.Match[str], text: str) -> Draft | None:
    """ "spring 2007", "last summer", "the winter of 1994"; bare seasons are too vague."""
    code = SEASONS[m["season"].lower()]
    if m["year"]:
        year = year_number(m["year"])
        if year is None:
            return None
        return Draft(m.start(), m.end(), "DATE", f"{year:04d}-{code}", priority=5)
    if not m["det"] and not _PART_BEFORE(text, m.start()):
        return None
    det = " ".join((m["det"] or "the").lower().split())
    if det in ("the", "that") and code in ("FA", "SP") and m["det"]:
        return None
    base, amount = determiner(det)
    pending = Pending("season", base, amount, slot=code)
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=4)


_QUARTER_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}


def _digit_ordinal(text: str) -> int:
    """4 for "4th"; 0 for a word that is no ordinal ("the past half")."""
    return int(text[0]) if text[:1].isdigit() else 0


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


# "The latest quarter" is the quarter the report is about: the one discussed, else the last.
_REPORTED_QUARTER = frozenset({"the latest", "the recent"})


def quarter(m: re.Match[str], text: str) -> Draft | None:
    """Fiscal quarters and halves: "the third quarter" -> 1998-Q3, "the first half" -> H1."""
    unit = m["unit"].lower()
    det_last = (m["det"] or "").lower().split()[-1:] or [""]
    ordinal_text = (m["ordinal"] or (det_last[0] if unit == "half" else "")).lower()
    ordinal = _QUARTER_ORDINALS.get(ordinal_text) or _digit_ordinal(ordinal_text)
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
    elif det in _REPORTED_QUARTER:
        pending = Pending("reported_quarter", "ref")
    else:
        base, amount = determiner(det)
        pending = Pending("quarter", base, amount)
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=6)


def holiday(m: re.Match[str], _: str) -> Draft | None:
    """ "Christmas Day", "last Thanksgiving", "Easter 1998"; "Easter week" is the week of it."""
    name = " ".join(m["name"].split())
    unit = "W" if m["week"] else "D"
    if m["year"]:
        found = holiday_date(name, int(m["year"]))
        if found:
            value = format_week(found) if m["week"] else found.isoformat()
            return Draft(m.start(), m.end(), "DATE", value, priority=5)
    if m["det"]:
        amount = {"last": -1, "this": 0, "next": 1}[m["det"].lower()]
        pending = Pending("holiday", "dct", amount, unit, slot=name)
    else:
        pending = Pending("holiday", "ref", 0, unit, slot=name)
    return Draft(m.start(), m.end(), "DATE", pending=pending, priority=4)
