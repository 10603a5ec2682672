"""Regular expressions for the surface forms of temporal expressions, compiled once.

Month and weekday names are matched case-sensitively (capitalised or upper case) so the
verb "march" and the modal "may" stay out; everything else is case-insensitive.
"""

from __future__ import annotations

import re

from retrieval.temporal.lexicon import (
    APPROXIMATORS,
    DECADE_WORDS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    NUMBERS,
    ORDINALS,
    PART_MODIFIERS,
    SEASONS,
    SET_WORDS,
    WEEKDAYS,
)


def _alternation(words: object) -> str:
    """Longest-first alternation so that regex backtracking never prefers a prefix."""
    return "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))


def _capitalised(words: object) -> str:
    forms = [w.capitalize() for w in words] + [w.upper() for w in words]  # type: ignore[attr-defined]
    return _alternation(forms)


_ABBREVIATIONS = _capitalised(MONTH_ABBREVIATIONS)
MONTH = rf"(?:(?:{_capitalised(MONTHS)})(?![A-Za-z])|(?:{_ABBREVIATIONS})(?:\.|(?![A-Za-z])))"
WEEKDAY = rf"(?:{_capitalised(WEEKDAYS)})(?![A-Za-z])"
WEEKDAY_ABBR = r"(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\."
DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
YEAR = r"(?:1[0-9]{3}|20[0-9]{2})(?![\d%])"
SHORT_YEAR = r"'[0-9]{2}(?![\d%])"
SEASON = rf"(?i:{_alternation(SEASONS)})(?![a-z])"
_NUMBER_WORD = _alternation(w for w in NUMBERS if w not in ("a", "an", "couple", "dozen"))
NUMBER_WORDS = rf"(?:{_NUMBER_WORD})(?:[-\s](?:{_NUMBER_WORD}))*"
QUANTITY = (
    rf"(?i:\d+(?:\.\d+)?(?:\s+1/2)?|(?:{NUMBER_WORDS})(?:\s+and\s+a\s+half)?"
    r"|a\s+few|few|several|a\s+couple\s+of|couple\s+of|some|many|a\s+dozen|dozens\s+of"
    r"|hundreds\s+of|an?)"
)
UNIT = (
    r"(?i:second|minute|hour|day|night|weekend|week|fortnight|month|quarter|year|decade"
    r"|century|centurie|millennium|millennia)"
)
ORDINAL = rf"(?i:{_alternation(ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))"
_SINGLE_WORD = r"(?<![\w$#£€.,/:-])"
_END = r"(?![\w])"

MODIFIER_PREFIX = re.compile(
    rf"(?i:(?P<part>{_alternation(PART_MODIFIERS)})[-\s]+|(?P<approx>{_alternation(APPROXIMATORS)})\s+)$"
)

ISO_DATE = re.compile(
    r"(?<![\w/.-])(?P<year>[12][0-9]{3})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12][0-9]|3[01])"
    r"(?:T(?P<hour>[01][0-9]|2[0-4]):(?P<minute>[0-5][0-9]))?(?![\w/-])"
)
NUMERIC_DATE = re.compile(
    r"(?<![\w/.,-])(?P<first>[0-3]?[0-9])(?P<sep>[/.-])(?P<second>[0-3]?[0-9])(?P=sep)"
    r"(?P<year>[12][0-9]{3}|[0-9]{2})(?![\w/-]|\.\d)"
)
MONTH_DAY = re.compile(
    rf"(?:(?P<weekday>{WEEKDAY}|{WEEKDAY_ABBR}),?\s+)?(?:the\s+)?(?P<month>{MONTH})\s*"
    rf"(?P<day>{DAY})(?:\s*(?:-|–|to|through)\s*(?P<day_end>{DAY}))?"
    rf"(?:,?\s+(?P<year>{YEAR}|{SHORT_YEAR}))?(?![\w,]\d)"
)
DAY_MONTH = re.compile(
    rf"(?:(?P<weekday>{WEEKDAY}|{WEEKDAY_ABBR}),?\s+)?(?:the\s+)?(?<![\d.,$])(?P<day>{DAY})"
    rf"(?:\s*(?:-|–)\s*(?P<day_end>{DAY}))?\s+(?:of\s+)?(?P<month>{MONTH})"
    rf"(?:,?\s+(?P<year>{YEAR}))?"
)
MONTH_YEAR = re.compile(rf"(?P<month>{MONTH})(?:\s+of)?,?\s+(?P<year>{YEAR}|{SHORT_YEAR})")
MONTH_ALONE = re.compile(rf"(?P<month>{MONTH})")
MISSPELLED_MONTH = re.compile(
    rf"(?<![\w.])(?:(?P<day_before>{DAY})\s+(?P<word_after_day>[A-Z][a-z]{{2,9}})\.?"
    rf"(?:,?\s+(?P<year_after_day>{YEAR}))?|(?P<word>[A-Z][a-z]{{2,9}})\.?\s+"
    rf"(?:(?P<day>{DAY}),?\s+)?(?P<year>{YEAR}))"
)
WEEKDAY_ALONE = re.compile(rf"(?P<weekday>{WEEKDAY})")
YEAR_RANGE = re.compile(
    rf"(?<![\w$#£€.,/:-])(?P<year>{YEAR})\s*[-–]\s*(?P<year_end>{YEAR}|[0-9]{{2}}(?![\d%]))(?![\w-])"
)
YEAR_NUMBER = re.compile(
    rf"(?:(?P<prefix>(?i:the\s+year|fiscal(?:\s+year)?|FY|calendar(?:\s+year)?))\s*)?"
    rf"(?<![\w$#£€.,/:])(?<![\d]-)(?P<year>{YEAR}|(?i:nineteen|twenty)[-\s](?:{NUMBER_WORDS})"
    r"|(?i:two\s+thousand(?:\s+and)?(?:[-\s](?:" + NUMBER_WORDS + r"))?))(?![\w,]\d|\.\d|[\w])"
)
DECADE = re.compile(
    r"(?:(?i:the)\s+)?(?P<digits>(?:1[0-9]|20)[0-9]0|'[0-9]0|[0-9]0)'?s(?![\w])"
    rf"|(?:(?i:the)\s+)?(?:(?i:nineteen)[-\s])?(?P<word>(?i:{_alternation(DECADE_WORDS)}))(?![\w])"
)
CENTURY = re.compile(
    rf"(?:(?i:the)\s+)?(?P<ordinal>{ORDINAL})[-\s](?i:century)(?![\w])"
    r"|(?P<deictic>(?i:this|last|next|the\s+(?:last|past|previous|next|current)))\s+(?i:century)"
    r"(?![\w])"
)
SEASON_EXPRESSION = re.compile(
    r"(?:(?P<det>(?i:this\s+past|this\s+coming|this|last|next|past|coming|the\s+following"
    r"|the\s+previous|that|the))\s+)?"
    rf"(?P<season>{SEASON})(?:(?:\s+of)?,?\s+(?P<year>{YEAR}|{SHORT_YEAR}))?"
)
QUARTER = re.compile(
    r"(?:(?P<det>(?i:the\s+same|the\s+latest|the\s+current|the\s+previous|the\s+prior|"
    r"the\s+comparable(?:\s+year-(?:earlier|ago))?|the\s+year-(?:earlier|ago)|year-(?:earlier|ago)|"
    r"this\s+year's|last\s+year's|next\s+year's|the\s+past|the\s+last|the\s+recent|"
    rf"the|this|last|next|its|their|that))\s+)?(?:(?P<det_year>{YEAR})\s+)?"
    r"(?:(?i:fiscal)[-\s]+)?(?:(?P<ordinal>(?i:first|second|third|fourth|final|last|1st|2nd|3rd|4th))"
    r"[-\s]+)?(?:(?i:fiscal)[-\s]+)?(?P<unit>(?i:quarter|half))(?![\w-])"
    rf"(?:\s+(?i:of)\s+(?:(?i:fiscal)\s+)?(?P<year>{YEAR})|\s+(?P<year_after>{YEAR}))?"
)
DEICTIC = re.compile(
    r"(?P<det>(?i:this\s+past|this\s+coming|this|last|next|past|coming|the\s+previous"
    r"|the\s+following|the\s+next|the\s+past|the\s+last|the\s+same|that|the\s+current"
    r"|the\s+latest|the\s+preceding|the\s+prior|the\s+coming|the\s+full|the\s+entire|the))\s+"
    rf"(?P<unit>(?i:weekend|week|month|year|decade|day|fiscal\s+year)(?![\w-])|{WEEKDAY}|{MONTH})"
)
RELATIVE_OFFSET = re.compile(
    rf"(?P<quantity>{QUANTITY})[-\s]+(?P<unit>{UNIT})s?\s+"
    r"(?P<direction>(?i:ago|earlier|later|before|after|from\s+now|hence|previously|"
    r"back|since))(?![\w])"
)
NEIGHBOUR_DAY = re.compile(
    r"(?i:the\s+(?P<order>next|following|previous|preceding)\s+(?P<unit>day|morning|evening|night)"
    r"|the\s+day\s+(?P<side>before|after)(?:\s+(?P<base>yesterday|tomorrow))?)(?![\w])"
)
DURATION = re.compile(
    r"(?:(?P<det>(?i:the|a|an|this|these|those|its|their|his|her|each\s+of\s+the))\s+)?"
    r"(?:(?P<relation>(?i:first|past|last|next|previous|coming|following|latest|final|remaining|"
    r"initial|same|entire|whole|full|additional|further|recent|preceding|prior|other|few))\s+)?"
    rf"(?P<quantity>{QUANTITY})[-\s]+(?:(?i:more|additional|other|further|trading|business|"
    r"working|straight|consecutive|full|calendar|long|short|extra)\s+)?"
    rf"(?P<unit>{UNIT})(?P<plural>s)?(?P<tail>(?i:\s+or\s+so|-long|-old|\s+old))?(?![\w])"
)
VAGUE_DURATION = re.compile(
    r"(?P<lead>(?i:for|in|within|over|after|from|through|take|took|takes|taken|last|lasted)\s+)"
    r"(?P<core>(?i:(?:the\s+(?:past|last|next|coming)\s+)?(?:recent\s+|coming\s+|many\s+|the\s+)?"
    r"(?:seconds|minutes|hours|days|weeks|months|years|decades|centuries)))(?![\w])"
    r"|(?P<bare>(?i:recent|coming|the\s+coming|the\s+past|the\s+last|the\s+next|in\s+recent)\s+"
    r"(?:days|weeks|months|quarters|years|decades))(?![\w])"
)
CLOCK_TIME = re.compile(
    r"(?<![\w.:$])(?P<hour>[01]?[0-9]|2[0-3])(?::(?P<minute>[0-5][0-9]))?\s*"
    r"(?P<meridian>(?i:a\.m\.?|p\.m\.?|am|pm)(?![\w])|(?i:o'clock))"
    r"(?:\s+(?P<zone>[ECMP][SD]T|GMT|UTC)(?![\w]))?"
    r"|(?<![\w.:$])(?P<hour24>[01]?[0-9]|2[0-3]):(?P<minute24>[0-5][0-9])(?![\w:])"
    r"(?:\s+(?P<zone24>[ECMP][SD]T|GMT|UTC)(?![\w]))?"
)
NAMED_TIME = re.compile(
    r"(?P<named>(?i:noon|midnight|midday))(?![\w])"
    r"|(?P<day>(?i:this|last|tomorrow|yesterday|the)|" + WEEKDAY + r")\s+"
    r"(?P<part>(?i:morning|afternoon|evening|night))(?![\w])"
    r"|(?P<single>(?i:tonight|overnight))(?![\w])"
)
DEICTIC_WORD = re.compile(
    r"(?<![\w-])(?P<word>(?i:today|tomorrow|yesterday|now|right\s+now|currently|recently|"
    r"nowadays|these\s+days|at\s+present|the\s+present|the\s+(?:near\s+|distant\s+|"
    r"foreseeable\s+|immediate\s+)?future|(?<=in\s)the\s+past))(?![\w-])"
)
SET_EXPRESSION = re.compile(
    rf"(?<![\w-])(?P<word>(?i:{_alternation(SET_WORDS)}))(?![\w-])"
    r"|(?P<every>(?i:every|each|per))\s+(?:(?P<other>(?i:other))\s+)?"
    rf"(?:(?P<quantity>{QUANTITY})\s+)?(?P<unit>{UNIT}|{WEEKDAY}|{MONTH}|{SEASON})s?(?![\w])"
    r"|(?P<times>(?i:once|twice|\w+\s+times))\s+(?i:an?)\s+(?P<times_unit>" + UNIT + r")(?![\w])"
)
HOLIDAY = re.compile(
    r"(?P<name>Christmas(?:\s+(?:Day|Eve))?|New\s+Year's(?:\s+(?:Day|Eve))?|Thanksgiving(?:\s+Day)?"
    r"|Easter(?:\s+Sunday)?|Good\s+Friday|Halloween|Independence\s+Day|Labor\s+Day"
    r"|Memorial\s+Day|Valentine's\s+Day|Veterans\s+Day|Boxing\s+Day)(?![\w])"
    rf"(?:,?\s+(?P<year>{YEAR}))?"
)
RANGE_LINK = re.compile(r"\s*(?:-|–|to|through|until|till|and)\s*", re.IGNORECASE)
RANGE_OPENER = re.compile(r"(?i:between|from)\s+$")
SENTENCE_BOUNDARY = re.compile(r"[.!?]\s+[A-Z\"'`]|\n\s*\n")
FUTURE_CUES = re.compile(
    r"(?i:\bwill\b|'ll\b|\bshall\b|\bgoing\s+to\b|\bplans?\s+to\b|\bplanned\b|\bscheduled\b|"
    r"\bexpected\s+to\b|\bdue\s+to\b|\bset\s+to\b|\bis\s+to\b|\bare\s+to\b|\bwould\b|"
    r"\bnext\b|\buntil\b|\bby\b)"
)
