"""Regular expressions for the surface forms of temporal expressions, compiled once.

Month and weekday names are matched case-sensitively (capitalised or upper case) so the
verb "march" and the modal "may" stay out; everything else is case-insensitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from retrieval.timeline.temporal.lexicon import (
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


def alternation(words: Iterable[object]) -> str:
    """A trie-shaped alternation: fails fast on a word's first letter, prefers longer words.

    Spaces inside a phrase match any run of whitespace.
    """
    trie: dict[str, dict] = {}
    for word in {str(w) for w in words}:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


# What may stand between a word and what follows it: whitespace (as `str.isspace` has it,
# all below U+3001) and hyphens.
_GAP_CHARACTERS = "".join(char for char in map(chr, range(0x3001)) if char.isspace()) + "-"


def last_word_span(text: str, position: int) -> tuple[int, int]:
    floor = max(0, position - 30)
    end = floor + len(text[floor:position].rstrip(_GAP_CHARACTERS))
    if end > 0 and text[end - 1] == ".":
        end -= 1
    start, floor = end, max(0, end - 16)
    while start > floor and text[start - 1].isalpha():
        start -= 1
    return start, end


def last_word(text: str, position: int) -> str:
    """The lowercased letters that end just before ``position``, behind spaces, hyphens and
    one period ("in 1995", "mid-1990s", "c. 1850"); "" when no word stands there.
    """
    start, end = last_word_span(text, position)
    return text[start:end].lower()


class WordBefore:
    """Whether one of ``words`` (separated by whitespace, any case) ends right before a
    position, behind ``gap`` (a regex such as ``r"\\s+"``).

    The rules ask this of the words before nearly every match ("in 1995", "early June"); a
    look at the last word there (`last_word`) settles most cases, and the regex then runs
    only from that word's start (a match can start nowhere else: the gap holds no letters).
    """

    def __init__(self, words: str, gap: str, reach: int = 30) -> None:
        listed = words.split()
        self._pattern = re.compile(rf"\b(?:{alternation(listed)}){gap}$", re.IGNORECASE)
        self._last_words = frozenset(word.rstrip(".").lower() for word in listed)
        self._reach = reach

    def __call__(self, text: str, position: int) -> bool:
        start, end = last_word_span(text, position)
        if start < position - self._reach or text[start:end].lower() not in self._last_words:
            return False
        return self._pattern.match(text, start, position) is not None


def _trie_pattern(node: dict[str, dict]) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body


def _words(*words: str) -> str:
    return alternation(words)


def _capitalised(words: object) -> str:
    forms = [w.capitalize() for w in words] + [w.upper() for w in words]  # type: ignore[attr-defined]
    return alternation(forms)


_ABBREVIATIONS = _capitalised(MONTH_ABBREVIATIONS)
MONTH = rf"(?:(?:{_capitalised(MONTHS)})(?![A-Za-z])|(?:{_ABBREVIATIONS})(?:\.|(?![A-Za-z])))"
WEEKDAY = rf"(?:{_capitalised(WEEKDAYS)})(?![A-Za-z])"
WEEKDAY_ABBR = r"(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\."
DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
YEAR = r"(?:1[0-9]{3}|20[0-9]{2})(?![\d%])"
SHORT_YEAR = r"'[0-9]{2}(?![\d%])"
SEASON = rf"(?i:{alternation(SEASONS)})(?![a-z])"
_NUMBER_WORD = alternation(w for w in NUMBERS if w not in ("a", "an", "couple", "dozen"))
NUMBER_WORDS = rf"(?:{_NUMBER_WORD})(?:[-\s](?:{_NUMBER_WORD}))*"
_VAGUE = _words(
    "a few",
    "few",
    "several",
    "a couple of",
    "couple of",
    "some",
    "many",
    "a dozen",
    "dozens of",
    "hundreds of",
    "a",
    "an",
)
QUANTITY = rf"(?i:\d+(?:\.\d+)?(?:\s+1/2)?|(?:{NUMBER_WORDS})(?:\s+and\s+a\s+half)?|{_VAGUE})"
UNIT = (
    "(?i:"
    + _words(
        "second",
        "minute",
        "hour",
        "day",
        "night",
        "weekend",
        "week",
        "fortnight",
        "month",
        "quarter",
        "year",
        "decade",
        "century",
        "centurie",
        "millennium",
        "millennia",
    )
    + ")"
)
# Eras as written after (or, for AD, before) a year: "44 BC", "300 BCE", "AD 14", "122 CE".
ERA = r"(?:B\.C\.(?:E\.)?|BCE|BC|A\.D\.|AD|C\.E\.|CE)(?![\w])"
_START = r"(?<![\w'])(?=[\w'])"
ORDINAL = rf"(?i:{alternation(ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))"

# The last words of the modifiers ("the end of", "nearly"): a date after any other has none.
MODIFIER_LAST_WORDS = frozenset(phrase.split()[-1] for phrase in (*PART_MODIFIERS, *APPROXIMATORS))
MODIFIER_PREFIX = re.compile(
    rf"(?i:(?P<part>{alternation(PART_MODIFIERS)})[-\s]+|(?P<approx>{alternation(APPROXIMATORS)})\s+)$"
)

ISO_DATE = re.compile(
    r"(?<![\w/.-])(?P<year>[12][0-9]{3})(?P<sep>[-/])(?P<month>0[1-9]|1[0-2])(?P=sep)"
    r"(?P<day>0[1-9]|[12][0-9]|3[01])"
    r"(?:T(?P<hour>[01][0-9]|2[0-4]):(?P<minute>[0-5][0-9]))?(?![\w/-])"
)
# ISO 8601's month, "2020-05" (a table of design documents, a changelog).
ISO_MONTH = re.compile(
    r"(?<![\w/.-])(?P<year>[12][0-9]{3})-(?P<month>0[1-9]|1[0-2])(?![\w/-]|[.:]\d)"
)
NUMERIC_DATE = re.compile(
    r"(?<![\w/.,-])(?P<first>[0-3]?[0-9])(?P<sep>[/.-])(?P<second>[0-3]?[0-9])(?P=sep)"
    r"(?P<year>[12][0-9]{3}|[0-9]{2})(?![\w/-]|\.\d)"
)
MONTH_DAY = re.compile(
    rf"{_START}(?:(?P<weekday>{WEEKDAY}|{WEEKDAY_ABBR}),?\s+)?(?P<month>{MONTH})\s*"
    rf"(?P<day>{DAY})(?:\s*(?:-|–|to|through)\s*(?P<day_end>{DAY}))?"
    rf"(?:,?\s+(?P<year>{YEAR}|{SHORT_YEAR}))?(?![\w,]\d)"
)
# "April 24 and 25": the second day of the month, on its own.
SECOND_DAY = re.compile(
    rf"(?P<month>{MONTH})\s*(?P<day>{DAY}),?\s+(?i:and|or|&)\s+(?P<second>{DAY})"
    rf"(?:,?\s+(?P<year>{YEAR}))?(?![\w%]|[/.:-]\d|\s*(?:{MONTH}|[-–]))"
)
DAY_MONTH = re.compile(
    rf"{_START}(?:(?P<weekday>{WEEKDAY}|{WEEKDAY_ABBR}),?\s+)?(?:the\s+)?(?<![\d.,$])"
    rf"(?P<day>{DAY})(?:\s*(?:-|–)\s*(?P<day_end>{DAY}))?\s+(?:of\s+)?(?P<month>{MONTH})"
    rf"(?:,?\s+(?P<year>{YEAR}))?"
)
# "13-Jun-2000", as document headers and changelogs write a day.
HYPHENATED_DATE = re.compile(
    rf"(?<![\w-])(?P<day>{DAY})-(?P<month>{MONTH})-(?P<year>{YEAR})(?![\w-])"
)
# A C library timestamp, "Wed Jul 22 16:49:28 1998": the day, its clock time inside.
TIMESTAMP_DATE = re.compile(
    rf"{_START}(?:(?:{WEEKDAY}|{WEEKDAY_ABBR}|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?![A-Za-z])),?\s+)?"
    rf"(?P<month>{MONTH})\s+(?P<day>{DAY})\s+[0-2]?[0-9]:[0-5][0-9](?::[0-5][0-9])?"
    rf"(?:\s+[A-Z]{{3,4}})?\s+(?P<year>{YEAR})"
)
_WORDED_YEAR = (
    rf"(?i:nineteen[-\s](?:{NUMBER_WORDS})|two\s+thousand(?:\s+and)?(?:[-\s](?:{NUMBER_WORDS}))?)"
)
MONTH_YEAR = re.compile(
    rf"(?P<month>{MONTH})(?:\s+of)?,?\s+(?P<year>{YEAR}|{SHORT_YEAR}|{_WORDED_YEAR})(?![\w-])"
)
MONTH_OF_DEICTIC_YEAR = re.compile(
    rf"(?P<month>{MONTH})(?:\s+of)?,?\s+(?P<det>(?i:this|last|next))\s+(?i:year)(?![\w-])"
)
YEAR_END = re.compile(r"(?i:(?:the\s+)?year(?:-|\s+|'s\s+)end)(?![\w-])")
YEAR_AGO_PERIOD = re.compile(
    r"(?i:(?:the\s+)?(?:comparable\s+)?year-(?:earlier|ago)(?:\s+period)?)(?![\w-])"
)
MONTH_ALONE = re.compile(rf"(?P<month>{MONTH})")
# A misspelling keeps the month's first letter (see `spelling`).
_MISSPELLED = r"[JFMASOND][a-z]{2,9}"
MISSPELLED_MONTH = re.compile(
    rf"(?<![\w.])(?:(?P<day_before>{DAY})\s+(?P<word_after_day>{_MISSPELLED})\.?"
    rf"(?:,?\s+(?P<year_after_day>{YEAR}))?|(?P<word>{_MISSPELLED})\.?\s+"
    rf"(?:(?P<day>{DAY}),?\s+)?(?P<year>{YEAR}))"
)
WEEKDAY_ALONE = re.compile(rf"(?P<weekday>{WEEKDAY})")
YEAR_RANGE = re.compile(
    rf"(?<![\w$#£€.,/:-])(?P<year>{YEAR})\s*[-–]\s*(?P<year_end>{YEAR}|[0-9]{{2}}(?![\d%]))"
    r"(?![\w-])"
)
ERA_YEAR = re.compile(
    rf"(?<![\w.,$#£€/:-])(?:(?P<year>[1-9][0-9]{{0,3}})(?:\s*[-–]\s*(?P<year_end>[1-9][0-9]{{0,3}}))?"
    rf"\s*(?P<era>{ERA})|(?P<era_before>A\.D\.|AD)\s*(?P<year_after>[1-9][0-9]{{0,3}})(?![\d.,]\d|\w))"
)
YEAR_NUMBER = re.compile(
    rf"{_START}(?:(?P<prefix>(?i:{_words('the year', 'fiscal', 'fiscal year', 'calendar year')}"
    rf"|FY))\s*)?(?<![\w$#£€.,/:])(?<![\d]-)(?P<year>{YEAR}|{_WORDED_YEAR})"
    r"(?![\w,]\d|\.\d|[\w])"
)
DECADE = re.compile(
    rf"{_START}(?:(?i:the)\s+)?(?P<digits>(?:1[0-9]|20)[0-9]0|'[0-9]0|[0-9]0)'?s(?![\w])"
    rf"|{_START}(?:(?i:the)\s+)?(?:(?i:nineteen)[-\s])?"
    rf"(?P<word>(?i:{alternation(DECADE_WORDS)}))(?![\w])"
)
_ERA_AFTER = rf"(?:,?\s*(?P<era>{ERA}))"
CENTURY = re.compile(
    rf"{_START}(?:(?i:the)\s+)?(?P<ordinal>{ORDINAL})[-\s](?i:century){_ERA_AFTER}?(?![\w])"
    rf"|{_START}(?P<deictic>(?i:"
    + _words("this", "last", "next", "the last", "the past", "the previous", "the next")
    + r"|the\s+current))\s+(?i:century)(?![\w])"
)
_SEASON_DETERMINERS = _words(
    "this past",
    "this coming",
    "this",
    "last",
    "next",
    "past",
    "coming",
    "the following",
    "the previous",
    "that",
    "the",
)
SEASON_EXPRESSION = re.compile(
    rf"{_START}(?:(?P<det>(?i:{_SEASON_DETERMINERS}))\s+)?"
    rf"(?P<season>{SEASON})(?:(?:\s+of)?,?\s+(?P<year>{YEAR}|{SHORT_YEAR}|{_WORDED_YEAR}))?"
)
_QUARTER_DETERMINERS = _words(
    "the same",
    "the latest",
    "the current",
    "the previous",
    "the prior",
    "the comparable",
    "the comparable year-earlier",
    "the comparable year-ago",
    "the year-earlier",
    "the year-ago",
    "year-earlier",
    "year-ago",
    "this year's",
    "last year's",
    "next year's",
    "the past",
    "the last",
    "the recent",
    "the",
    "this",
    "last",
    "next",
    "its",
    "their",
    "that",
)
_QUARTER_ORDINAL = _words(
    "first", "second", "third", "fourth", "final", "last", "1st", "2nd", "3rd", "4th"
)
QUARTER = re.compile(
    rf"{_START}(?:(?P<det>(?i:{_QUARTER_DETERMINERS}))\s+)?(?:(?P<det_year>{YEAR})\s+)?"
    rf"(?:(?i:fiscal)[-\s]+)?(?:(?P<ordinal>(?i:{_QUARTER_ORDINAL}))[-\s]+)?"
    r"(?:(?i:fiscal)[-\s]+)?(?P<unit>(?i:quarter|half|period))(?![\w-])"
    rf"(?:\s+(?i:of)\s+(?:(?i:fiscal)\s+)?(?P<year>{YEAR})|\s+(?P<year_after>{YEAR}))?"
)
_DEICTIC_DETERMINERS = _words(
    "this past",
    "this coming",
    "this",
    "last",
    "next",
    "past",
    "coming",
    "the previous",
    "the following",
    "the next",
    "the past",
    "the last",
    "the same",
    "that same",
    "that",
    "the current",
    "the latest",
    "the preceding",
    "the prior",
    "the coming",
    "the full",
    "the entire",
    "the",
)
_DEICTIC_UNITS = _words("weekend", "week", "month", "year", "decade", "day", "fiscal year")
DEICTIC = re.compile(
    rf"{_START}(?P<det>(?i:{_DEICTIC_DETERMINERS}))\s+"
    rf"(?P<unit>(?i:{_DEICTIC_UNITS})(?![\w-])|{WEEKDAY}|{MONTH}(?!\.?\s*\d))"
)
_DIRECTIONS = _words(
    "ago",
    "earlier",
    "later",
    "before",
    "after",
    "from now",
    "hence",
    "previously",
    "back",
    "since",
)
RELATIVE_OFFSET = re.compile(
    rf"{_START}(?P<quantity>{QUANTITY})[-\s]+(?P<unit>{UNIT})s?\s+"
    rf"(?P<direction>(?i:{_DIRECTIONS}))(?![\w])"
)
NEIGHBOUR_DAY = re.compile(
    r"(?i:the\s+(?P<order>next|following|previous|preceding)\s+(?P<unit>day|morning|evening|night)"
    r"|the\s+day\s+(?P<side>before|after)(?:\s+(?P<base>yesterday|tomorrow))?)(?![\w])"
)
_DURATION_DETERMINERS = _words(
    "the", "a", "an", "this", "these", "those", "its", "their", "his", "her"
)
_DURATION_RELATIONS = _words(
    "first",
    "past",
    "last",
    "next",
    "previous",
    "coming",
    "following",
    "latest",
    "final",
    "remaining",
    "initial",
    "same",
    "entire",
    "whole",
    "full",
    "additional",
    "further",
    "recent",
    "preceding",
    "prior",
    "other",
    "few",
)
_UNIT_ADJECTIVES = _words(
    "more",
    "additional",
    "other",
    "further",
    "trading",
    "business",
    "working",
    "straight",
    "consecutive",
    "full",
    "calendar",
    "long",
    "short",
    "extra",
)
DURATION = re.compile(
    rf"{_START}(?:(?P<det>(?i:{_DURATION_DETERMINERS}))\s+)?"
    rf"(?:(?P<relation>(?i:{_DURATION_RELATIONS}))\s+)?"
    rf"(?P<quantity>{QUANTITY})[-\s]+(?:(?i:{_UNIT_ADJECTIVES})\s+)?"
    rf"(?P<unit>{UNIT})(?P<plural>s)?(?P<tail>(?i:\s+or\s+so|-long|\s+and\s+a\s+half))?(?![\w])"
)
_PLURAL_UNITS = _words(
    "seconds",
    "minutes",
    "hours",
    "days",
    "weeks",
    "months",
    "quarters",
    "years",
    "decades",
    "centuries",
)
_VAGUE_RELATIONS = _words("recent", "coming", "the coming", "the past", "the last", "the next")
VAGUE_DURATION = re.compile(
    rf"{_START}(?P<lead>(?i:"
    + _words(
        "for",
        "in",
        "within",
        "over",
        "after",
        "from",
        "through",
        "take",
        "took",
        "takes",
        "taken",
        "last",
        "lasted",
    )
    + r")\s+)(?P<core>(?i:(?:the\s+(?:past|last|next|coming)\s+)?(?:recent\s+|coming\s+|many\s+)?"
    rf"{_PLURAL_UNITS}))(?![\w])"
    rf"|{_START}(?P<bare>(?i:{_VAGUE_RELATIONS})"
    rf"\s+{_PLURAL_UNITS})(?![\w])"
)
CLOCK_TIME = re.compile(
    r"(?<![\w.:$])(?P<hour>[01]?[0-9]|2[0-3])(?::(?P<minute>[0-5][0-9]))?\s*"
    r"(?P<meridian>(?i:a\.m\.?|p\.m\.?|am|pm)(?![\w])|(?i:o'clock))"
    r"(?:\s+(?P<zone>[ECMP][SD]T|GMT|UTC)(?![\w]))?"
    r"|(?<![\w.:$])(?P<hour_part>1[0-2]|0?[1-9])(?:\s+o'clock)?\s+(?i:in\s+the)\s+"
    r"(?P<part>(?i:morning|afternoon|evening))(?![\w])"
    r"|(?<![\w.:$])(?P<hour24>[01]?[0-9]|2[0-3]):(?P<minute24>[0-5][0-9])(?![\w:])"
    r"(?:\s+(?P<zone24>[ECMP][SD]T|GMT|UTC)(?![\w]))?"
)
CLOCK_TRIGGER = re.compile(r"\d(?::\d\d|\s*[apAP]\.?[mM]|\s+o'clock|\s+in\s+the)")
NAMED_TIME = re.compile(
    rf"{_START}(?<!(?i:high) )(?:(?P<named>(?i:noon|midnight|midday))(?![\w])"
    rf"|(?P<day>(?i:{_words('this', 'last', 'tomorrow', 'yesterday')})|{WEEKDAY})\s+"
    r"(?P<part>(?i:morning|afternoon|evening|night))(?![\w])"
    r"|(?P<single>(?i:tonight|overnight))(?![\w])"
    r"|(?:(?P<the>(?i:the))\s+|(?<=(?i:mid)[-\s])|(?<=(?i:early)\s)|(?<=(?i:late)\s))"
    r"(?P<lone_part>(?i:morning|afternoon|evening))"
    r"(?:\s+(?P<part_day>(?i:yesterday|today|tomorrow)))?(?![\w]))"
)
DEICTIC_WORD = re.compile(
    r"(?<![\w-])(?P<word>(?i:today|tomorrow|yesterday|now|right\s+now|currently|current|recently|"
    r"nowadays|these\s+days|at\s+present|the\s+present|the\s+(?:near\s+|distant\s+|"
    r"foreseeable\s+|immediate\s+)?future|(?<=in\s)the\s+past))(?![\w-])"
)
SET_EXPRESSION = re.compile(
    rf"{_START}(?<![\w-])(?P<word>(?i:{alternation(SET_WORDS)}))(?![\w-])"
    rf"|{_START}(?P<every>(?i:every|each))\s+(?:(?P<other>(?i:other))\s+)?"
    rf"(?:(?P<quantity>{QUANTITY})\s+)?(?P<unit>{UNIT}|{WEEKDAY}|{MONTH}|{SEASON})s?(?![\w])"
    rf"|{_START}(?P<times>(?i:once|twice|\w+\s+times))\s+(?i:an?)\s+(?P<times_unit>"
    + UNIT
    + r")(?![\w])"
)
HOLIDAY = re.compile(
    r"(?:(?P<det>(?i:last|this|next))\s+)?(?P<name>Christmas(?:\s+(?:Day|Eve))?|New\s+Year's(?:\s+(?:Day|Eve))?|Thanksgiving(?:\s+Day)?"
    r"|Easter(?:\s+Sunday)?|Good\s+Friday|Halloween|Independence\s+Day|Labor\s+Day"
    r"|Memorial\s+Day|Valentine's\s+Day|Veterans\s+Day|Boxing\s+Day|Election\s+Day)(?![\w])"
    r"(?P<week>\s+(?i:week)(?![\w]))?"
    rf"(?:,?\s+(?P<year>{YEAR}))?"
)
RANGE_LINK = re.compile(r"\s*(?:-|–|to|through|until|till|and)\s*", re.IGNORECASE)
RANGE_OPENER = re.compile(r"(?i:between|from|since)\s+$")
SENTENCE_BOUNDARY = re.compile(r"(?<=[a-z0-9)\"'][a-z0-9)\"'])[.!?]\s+[A-Z\"'`]|\n\s*\n")
FUTURE_CUES = re.compile(
    r"(?i:\bwill\b|'ll\b|\bshall\b|\bgoing\s+to\b|\bplans?\s+to\b|\bscheduled\b|"
    r"\bexpected\s+to\b|\bset\s+to\b|\bis\s+to\b|\bare\s+to\b|\beffective\b|\bpayable\b|"
    r"\bexpires?\b|\bupcoming\b|\bplanning\b)"
)
PAST_CUES = re.compile(r"(?i:\b(?:was|were|had|did)\b)")
# A verb in the simple past, for a sentence that opens with its date ("In May, the board
# voted ..."): a regular "-ed" form or a common irregular one.
PAST_VERB = re.compile(
    r"\b(?!hundred\b)(?:[a-z]{2,}[^aeiou\W]ed|said|told|took|made|came|went|rose|fell|got|gave|began|saw|"
    r"won|lost|left|met|sold|bought|paid|held|brought|sent|became|found|wrote|grew|led|kept|"
    r"broke|chose|flew|struck|fought|spoke|drew|knew|ran)\b"
)
# Right before a named day or month, these place it in the past: "since March", "said Friday".
PAST_BEFORE = re.compile(
    r"(?i:\b(?:since|said|told|announced|reported|predicted|met|added|stated|wrote|confirmed|"
    r"disclosed|declared|revealed|ended)\s+(?:on\s+|in\s+|last\s+)?)$"
)
