"""What a question asks for: its content terms and the type of answer it expects.

The expected type comes from the question's wording alone ("when", "how many",
"who", "where", "which year" …), so it works for any English corpus.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from retrieval.errors import InvalidQuery
from retrieval.search.analysis import analyze

MAX_QUESTION_CHARS = 1000


class AnswerType(StrEnum):
    DATE = "date"
    NUMBER = "number"
    PERSON = "person"
    PLACE = "place"
    REASON = "reason"
    OTHER = "other"


_PERSON_NOUNS = (
    r"person|people|man|woman|leader|president|minister|secretary|official|officer|author"
    r"|founder|director|chief|head|king|queen|ruler|general|ambassador|envoy|spokesman"
    r"|spokeswoman|spokesperson|scientist|politician|chairman|chairwoman|premier|mayor"
    r"|governor|senator|player|coach|captain|engineer|doctor"
)
_PLACE_NOUNS = r"country|countries|city|cities|place|region|state|nation|town|port|capital|island"
_CUES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (
        AnswerType.DATE,
        re.compile(
            r"^\s*when\b|\b(?:what|which)\s+(?:[\w-]+\s+)?(?:year|years|date|month|day|decade"
            r"|century)\b|\bhow long ago\b|\bsince when\b|\bwhat time\b",
            re.IGNORECASE,
        ),
    ),
    (
        AnswerType.NUMBER,
        re.compile(
            r"\bhow (?:many|much|large|big|long|far|old|often)\b"
            r"|\bwhat (?:percentage|percent|proportion|share|number|amount|fraction|sum|size"
            r"|value|total)\b",
            re.IGNORECASE,
        ),
    ),
    (
        AnswerType.PERSON,
        re.compile(
            rf"^\s*(?:who|whom|whose)\b|\b(?:which|what)\s+(?:[\w-]+\s+){{0,2}}(?:{_PERSON_NOUNS})\b",
            re.IGNORECASE,
        ),
    ),
    (
        AnswerType.PLACE,
        re.compile(
            rf"\bwhere\b|\b(?:which|what)\s+(?:[\w-]+\s+)?(?:{_PLACE_NOUNS})\b", re.IGNORECASE
        ),
    ),
    (
        AnswerType.REASON,
        re.compile(
            r"^\s*why\b|\bfor what reason\b|\bhow come\b"
            r"|\bwhat (?:caused|causes|led to|leads to|drove|drives|explains)\b",
            re.IGNORECASE,
        ),
    ),
)
_CUE_TERMS = {
    AnswerType.DATE: frozenset(analyze("year years date month day decade century time")),
    AnswerType.NUMBER: frozenset(
        analyze("many much percentage percent proportion share number amount fraction total")
    ),
    AnswerType.PERSON: frozenset(),
    AnswerType.PLACE: frozenset(analyze("place")),
    AnswerType.REASON: frozenset(analyze("reason")),
    AnswerType.OTHER: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Question:
    """A validated question ready for ranking."""

    text: str
    terms: tuple[str, ...]
    answer_type: AnswerType


def _clean(text: str) -> str:
    """Drop control characters; keep everything a person could have meant."""
    kept = (ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join("".join(kept).split())


def answer_type(text: str) -> AnswerType:
    for kind, cue in _CUES:
        if cue.search(text):
            return kind
    return AnswerType.OTHER


def parse_question(text: str) -> Question:
    """Validate and analyze; raises InvalidQuery with a message a person can act on."""
    cleaned = _clean(text)
    if not cleaned:
        raise InvalidQuery("the question is empty; ask something about the documents")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise InvalidQuery(
            f"the question is {len(cleaned):,} characters long; "
            f"keep it under {MAX_QUESTION_CHARS:,}"
        )
    kind = answer_type(cleaned)
    terms = analyze(cleaned)
    content = [term for term in terms if term not in _CUE_TERMS[kind]] or terms
    if not content and not any(ch.isalnum() for ch in cleaned):
        raise InvalidQuery("the question has no words, only symbols or emoji; ask it in words")
    if not content:
        raise InvalidQuery(
            "the question has only common words (like 'what is the'); add the words it is about"
        )
    return Question(cleaned, tuple(dict.fromkeys(content)), kind)
