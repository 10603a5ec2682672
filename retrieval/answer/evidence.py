"""Surface evidence that a sentence holds the kind of answer a question expects.

Shallow, fast patterns that hold for English prose: a year, month, weekday or
relative day for "when", a figure for "how many", a capitalised name for "who", a capitalised
name after a place preposition for "where". Evidence only counts when it is
new, i.e. not already in the question.
"""

from __future__ import annotations

import re

from retrieval.answer.question import AnswerType

_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
)
_DATE = re.compile(
    rf"(?<![\d$€£,.])\b(?:1[5-9]\d\d|20\d\d)s?\b(?![.,]\d)|\b(?:{_MONTHS})(?:\s+\d{{1,2}})?\b"
    r"|\b(?:spring|summer|autumn|fall|winter)\b|\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?:yesterday|today|tonight|tomorrow)\b|\b(?:last|next|this) (?:week|month|year)\b"
)
_NUMBER = re.compile(
    r"(?:[$€£¥]|\bUS\$)\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:%|percent|per cent)"
    r"|(?<![\d.])\b\d{1,3}(?:,\d{3})+\b|(?<![\d.,])\b\d+(?:\.\d+)?\b(?![.,]?\d)"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?"
    r"|thousands?|millions?|billions?|trillions?|half|twice|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|twenty)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:[A-Z]\.\s*)*[A-Z][\w'’-]+)+")
_REASON = re.compile(
    r"\b(?:because|due to|owing to|as a result|result of|in order to|so that|thanks to|reasons?"
    r"|mainly|largely|led to|leads to|caused|driven by|in response to|aimed at|to help)\b",
    re.IGNORECASE,
)
_PLACE = re.compile(r"\b(?:in|at|to|from|near|inside|outside|across)\s+(?:the\s+)?([A-Z][\w'’.-]+)")


def _new(found: list[str], question: str) -> bool:
    lowered = question.casefold()
    return any(item.casefold() not in lowered for item in found)


def _numbers(sentence: str) -> list[str]:
    return [match for match in _NUMBER.findall(sentence) if not _DATE.fullmatch(match)]


def _names(sentence: str) -> list[str]:
    """Capitalised word runs, ignoring the sentence's own first word."""
    return [m.group() for m in _NAME.finditer(sentence) if m.start() > 0 or " " in m.group()]


def matches_type(kind: AnswerType, sentence: str, question: str) -> bool:
    """Whether ``sentence`` offers a new item of the type the question asks for."""
    if kind is AnswerType.DATE:
        return _new(_DATE.findall(sentence), question)
    if kind is AnswerType.NUMBER:
        return _new(_numbers(sentence), question)
    if kind is AnswerType.PERSON:
        return _new(_names(sentence), question)
    if kind is AnswerType.PLACE:
        return _new(_PLACE.findall(sentence), question)
    if kind is AnswerType.REASON:
        return _REASON.search(sentence) is not None
    return False
