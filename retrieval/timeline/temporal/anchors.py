"""Where temporal expressions can be: every match of a rule holds one of its anchors.

An anchor is a word or a number a rule cannot match without: a year-like number, a month or
weekday name, a unit ("year", "week"), a season, "noon", "today" ... Two quick passes over the
lowercased text find them all (one for words, one for digits); each rule then scans only the
short stretches around its own kinds of anchor instead of the whole text, which is what makes
tagging a large corpus cheap. Anchors are found case-blind, a superset of what the
case-sensitive rules match. A property test checks that tagging with and without stretches
gives the same expressions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from retrieval.timeline.temporal.lexicon import (
    DECADE_WORDS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    SEASONS,
    SET_WORDS,
    WEEKDAYS,
)
from retrieval.timeline.temporal.patterns import alternation

# How far a match can reach before and after the anchor it holds, for a rule that does not
# say (see `Anchors`), with room to spare: the longest reach on TimeBank, AQUAINT and the docs
# corpora is 24 characters before ("the comparable year-ago quarter") and 16 after.
REACH_BEFORE = 40
REACH_AFTER = 32

Stretch = tuple[int, int]

_ABBREVIATED_WEEKDAYS = frozenset(
    ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun")
)
_WORD_KINDS: dict[str, tuple[str, ...]] = {
    **{unit: (unit,) for unit in ("year", "month", "week", "day", "night", "decade")},
    "centur": ("century",),
    **{word: ("small_unit",) for word in ("hour", "minute", "second", "fortnight", "millenni")},
    **{word: ("year_number",) for word in ("nineteen", "thousand")},
    **{word: ("part",) for word in ("quarter", "half", "period")},
    **{word: ("season",) for word in SEASONS},
    **{word: ("decade_word",) for word in DECADE_WORDS},
    **{
        word: ("daytime",)
        for word in ("noon", "midnight", "midday", "morning", "afternoon", "evening")
    },
    **{word: ("daytime",) for word in ("tonight", "overnight")},
    **{
        word: ("deictic",)
        for word in ("today", "tomorrow", "yesterday", "now", "current", "recent", "present")
    },
    **{word: ("deictic",) for word in ("future", "past")},
    **{word: ("set",) for word in (*SET_WORDS, "every", "each", "once", "twice", "times")},
    **{word: ("holiday",) for word in ("christmas", "thanksgiving", "easter", "halloween")},
    **{
        word: ("holiday",)
        for word in ("independence", "labor", "memorial", "valentine", "veterans", "boxing")
    },
    **{word: ("holiday",) for word in ("election", "new year")},
    **{word: ("month_name",) for word in (*MONTHS, *MONTH_ABBREVIATIONS)},
    **{word: ("weekday",) for word in (*WEEKDAYS, *_ABBREVIATED_WEEKDAYS)},
}
# Units whose plural ("years", "centuries") a vague duration needs: the letter after the anchor.
_PLURALS = {
    **dict.fromkeys(("second", "minute", "hour", "day", "week", "month", "quarter"), "s"),
    **dict.fromkeys(("year", "decade"), "s"),
    "centur": "i",
}
# Names that must stand alone ("may", not "mayor"); abbreviated weekdays need a period.
_WHOLE_WORDS = frozenset((*MONTHS, *MONTH_ABBREVIATIONS))
# The anchor words, one pattern for each first letter: a pattern opening with a letter is
# searched for from that letter to the next, where an alternation of them all is tried at
# every letter of the text (twice the time).
_WORDS_BY_LETTER = tuple(
    re.compile(alternation(word for word in _WORD_KINDS if word[0] == letter))
    for letter in sorted({word[0] for word in _WORD_KINDS})
)
# Each anchor word: its kind, what must follow it ("alone": no letter, "period": a "."), and
# the letter that makes it a plural unit.
_WORD_INFO: dict[str, tuple[str, str, str | None]] = {
    word: (
        kinds[0],
        "alone" if word in _WHOLE_WORDS else "period" if word in _ABBREVIATED_WEEKDAYS else "",
        _PLURALS.get(word),
    )
    for word, kinds in _WORD_KINDS.items()
}
# "\d\d*", not "\d+": re's search jumps from candidate to candidate for a pattern that opens
# with a character class, but tries one that opens with a repeat at every position (over
# twice the time on a page).
_DIGITS = re.compile(r"\d\d*")
_AFTER_DIGITS = re.compile(
    r"(?P<numeric>[:/.-]\d|\s*(?:[ap]\.?m(?![a-z])|o'clock))"
    r"|(?P<decade_digits>'?s(?![a-z]))"
    r"|(?P<era>\s*(?:b\.?c(?:\.?e)?|a\.?d|c\.?e)(?![a-z]))"
    r"|(?P<day_number>(?:st|nd|rd|th)?\s+[a-z])"
    r"|(?P<range_dash>\s*[-–])"
)
_ERA_BEFORE = re.compile(r"a\.?d\.?\s*$")
_WORD_END = re.compile(r"\w*")
KINDS = frozenset({kind for kinds in _WORD_KINDS.values() for kind in kinds}) | {
    "year_number",
    "numeric",
    "era",
    "day_number",
    "decade_digits",
    "range_dash",
    "plural_unit",
}
# Every kind of anchor a count of time units ("three weeks", "a quarter") can hold.
UNIT_KINDS = ("year", "month", "week", "day", "night", "decade", "century", "small_unit", "part")


def _anchor_spans(lowered: str) -> defaultdict[str, list[Stretch]]:
    """Every anchor of a lowercased text, by kind, in text order."""
    spans: defaultdict[str, list[Stretch]] = defaultdict(list)
    for match in _word_anchors(lowered):
        start, end = match.span()
        word = match.group()
        kind, standing_alone, plural = _WORD_INFO.get(word) or _WORD_INFO[" ".join(word.split())]
        following = lowered[end : end + 1]
        if standing_alone and (
            following.isalpha() if standing_alone == "alone" else following != "."
        ):
            continue
        spans[kind].append((start, end))
        if plural == following:
            spans["plural_unit"].append((start, end + 1))
    for match in _DIGITS.finditer(lowered):
        start, end = span = match.span()
        for kind in _digit_kinds(lowered, start, end):
            spans[kind].append(span)
    for found in spans.values():
        found.sort()  # a kind can have both word and digit anchors ("nineteen", "1995")
    return spans


def _word_anchors(lowered: str) -> list[re.Match[str]]:
    """The anchor words as one alternation of them all finds them, left to right without
    overlaps: every match of each letter's pattern, then from the first on, each that
    starts after the last one kept (at a position, only one letter's pattern can match).
    """
    found: list[re.Match[str]] = []
    for pattern in _WORDS_BY_LETTER:
        match = pattern.search(lowered)
        while match is not None:
            found.append(match)
            match = pattern.search(lowered, match.start() + 1)
    found.sort(key=re.Match.start)
    kept: list[re.Match[str]] = []
    end = 0
    for match in found:
        if match.start() >= end:
            kept.append(match)
            end = match.end()
    return kept


def _digit_kinds(lowered: str, start: int, end: int) -> list[str]:
    digits = end - start
    kinds = ["year_number"] if digits == 4 else []
    after = _AFTER_DIGITS.match(lowered, end)
    if after is not None and (after.lastgroup != "day_number" or digits <= 2):
        kinds.append(after.lastgroup or "")
    if digits == 2 and lowered[start - 1 : start] == "'":
        kinds.append("numeric")
    floor = max(0, start - 6)  # "a.d. 14"; looking for the "a" first spares most searches
    if lowered.find("a", floor, start) >= 0 and _ERA_BEFORE.search(lowered, floor, start):
        kinds.append("era")
    return kinds


def _lowered(text: str) -> str:
    """The text lowercased with its offsets kept (a few characters, like "İ", change length)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char if len(char.lower()) != 1 else char.lower() for char in text)


def may_hold_date(text: str) -> bool:
    """False only when no rule can match anything in ``text``."""
    return bool(_anchor_spans(_lowered(text)))


class Anchors(frozenset[str]):
    """The kinds of anchor every match of a rule holds, and how far (in characters) a match
    reaches before and after one: a rule needs to scan no more around its anchors.
    """

    before: int
    after: int

    def __new__(cls, kinds: Iterable[str], before: int, after: int) -> Anchors:
        anchors = super().__new__(cls, kinds)
        anchors.before, anchors.after = before, after
        return anchors


class Stretches:
    """The stretches of one text around each kind of anchor, merged per set of kinds."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._spans = _anchor_spans(_lowered(text))
        self._cache: dict[tuple[frozenset[str], int, int], list[Stretch]] = {}

    def around(self, kinds: frozenset[str]) -> list[Stretch]:
        """Where a rule anchored by ``kinds`` can match, as disjoint stretches in order.

        ``kinds`` given as `Anchors` say how far the rule's matches reach around an anchor.
        """
        if self._spans.keys().isdisjoint(kinds):  # most rules, in a short text (a heading)
            return []
        before = getattr(kinds, "before", REACH_BEFORE)
        after = getattr(kinds, "after", REACH_AFTER)
        key = (kinds, before, after)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._merged(self._anchor_spans(kinds), before, after)
        return found

    def _anchor_spans(self, kinds: frozenset[str]) -> list[Stretch]:
        """The anchors of these kinds in text order."""
        lists = [self._spans[kind] for kind in kinds if kind in self._spans]
        if len(lists) == 1:
            return lists[0]
        return sorted(span for spans in lists for span in spans)

    def _merged(self, spans: list[Stretch], before: int, after: int) -> list[Stretch]:
        """Spans widened by the reach (to a whole word at the end), overlapping ones joined."""
        merged: list[Stretch] = []
        if not spans:
            return merged
        text, size = self._text, len(self._text)
        first, last = spans[0][0] - before, spans[0][1] + after
        for anchor_start, anchor_end in spans:
            start = anchor_start - before
            if start > last:
                merged.append((max(0, first), _word_end(text, min(last, size))))
                first = start
            last = max(last, anchor_end + after)
        merged.append((max(0, first), _word_end(text, min(last, size))))
        return merged


def _word_end(text: str, position: int) -> int:
    """``position``, or the end of the word it falls in (a stretch never cuts a word)."""
    reach = _WORD_END.match(text, position)
    return reach.end() if reach else position
