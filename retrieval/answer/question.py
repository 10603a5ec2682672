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
    VERSION = "version"
    CODE = "code"
    OTHER = "other"


class Shape(StrEnum):
    """The form of a documentation question, which decides what a good answer looks like."""

    DEFINITION = "definition"  # what is X, what does X mean
    COMPARISON = "comparison"  # X vs Y, the difference between X and Y
    HOWTO = "howto"  # how do I …, how to …
    OTHER = "other"


_PERSON_NOUNS = (
    r"person|people|man|woman|leader|president|minister|secretary|official|officer|author"
    r"|founder|director|chief|head|king|queen|ruler|general|ambassador|envoy|spokesman"
    r"|spokeswoman|spokesperson|scientist|politician|chairman|chairwoman|premier|mayor"
    r"|governor|senator|player|coach|captain|engineer|doctor|company|companies|organization"
    r"|organisation|firm|team|group|agency|university|institute|architect|designer|inventor"
)
_PLACE_NOUNS = r"country|countries|city|cities|place|region|state|nation|town|port|capital|island"
_CODE_NOUNS = (
    r"command|commands|flag|flags|option|options|setting|settings|parameter|parameters"
    r"|argument|arguments|variable|variables|function|method|class|module|package|endpoint"
    r"|file|files|field|key|keyword|operator|directive|attribute|header|label|metric|extension"
)
_CUES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (
        AnswerType.VERSION,
        re.compile(
            r"\b(?:which|what)\s+(?:[\w-]+\s+)?(?:version|release)s?\b"
            r"|\bsince\s+(?:which|what)\b|\bin\s+which\s+(?:version|release)\b"
            r"|^\s*when\s+(?:was|were|did|is)\b.*\b(?:added|introduced|deprecated|removed"
            r"|supported|available|changed)\b",
            re.IGNORECASE,
        ),
    ),
    (
        AnswerType.CODE,
        re.compile(
            rf"\b(?:which|what)\s+(?:[\w-]+\s+){{0,2}}(?:{_CODE_NOUNS})\b"
            r"|^\s*where\s+(?:is|are|do|does|should|can)\b.*\b(?:configured|set|defined|stored"
            r"|declared|specified|kept|placed|put|live|located)\b",
            re.IGNORECASE,
        ),
    ),
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
    AnswerType.VERSION: frozenset(analyze("version release since")),
    AnswerType.CODE: frozenset(),
    AnswerType.OTHER: frozenset(),
}
_ARTICLE = r"(?:(?:an?|the)\s+)?"
_SHAPES: tuple[tuple[Shape, re.Pattern[str]], ...] = (
    (
        Shape.COMPARISON,
        re.compile(
            r"\bdifferen(?:ce|t)\s+(?:between|from)\s+(?P<focus>.+?)\s*\??$"
            r"|^\s*(?P<pair>.+?)\s+(?:vs\.?|versus|or)\s+.+?\s*\??$"
            r"|\bhow\s+(?:does|do|is|are)\s+(?P<left>.+?)\s+(?:differ|compare)\b",
            re.IGNORECASE,
        ),
    ),
    (
        Shape.DEFINITION,
        re.compile(
            rf"^\s*(?:what|who)\s+(?:is|are)\s+{_ARTICLE}(?P<focus>[^,;]+?)\s*\??$"
            rf"|^\s*what\s+(?:does|do)\s+{_ARTICLE}(?P<meant>.+?)\s+(?:mean|stand for|do)\s*\??$"
            rf"|^\s*(?:define|meaning of|definition of)\s+{_ARTICLE}(?P<defined>.+?)\s*\??$",
            re.IGNORECASE,
        ),
    ),
    (
        Shape.HOWTO,
        re.compile(
            r"^\s*how\s+(?:do|can|could|should|would|might|shall)\s+(?:i|you|we|one)\b"
            r"|^\s*how\s+to\b|\bwhat\s+is\s+the\s+(?:\w+\s+)?way\s+to\b|^\s*(?:is|are)\s+there"
            r"\s+(?:a|an|any)\s+way\s+to\b",
            re.IGNORECASE,
        ),
    ),
)
_FOCUS_WORDS = 6
# A definition's trailing context is not what is defined: "a model" in "What is a model in
# Django?", "a virtual environment" in "… according to the proposal?", "a theme" in "What
# is a theme made of?" and "What is a refspec used for?".
_CONTEXT_TAIL = re.compile(
    r"\s+(?:in|within|inside|according to|under|on|for|from|when|with"
    r"|(?:made|composed|used|meant|needed|good)\s+(?:up\s+)?(?:of|for))\b.*$",
    re.IGNORECASE,
)
_COMPARING = re.compile(
    r"\b(?:differen(?:ce|t)|between|from|vs\.?|versus|or|how|does|do|is|are|differ|compare"
    r"|what|makes?|separates?|distinguish(?:es)?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Question:
    """A validated question ready for ranking."""

    text: str
    terms: tuple[str, ...]
    answer_type: AnswerType
    shape: Shape = Shape.OTHER
    focus: tuple[str, ...] = ()  # the terms of the thing a definition question is about


def _clean(text: str) -> str:
    """Drop control characters; keep everything a person could have meant."""
    kept = (ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join("".join(kept).split())


def answer_type(text: str) -> AnswerType:
    for kind, cue in _CUES:
        if cue.search(text):
            return kind
    return AnswerType.OTHER


def question_shape(text: str) -> tuple[Shape, tuple[str, ...]]:
    """The question's form and, for definitions and comparisons, the terms it is about."""
    for shape, cue in _SHAPES:
        match = cue.search(text)
        if match is None:
            continue
        if shape is Shape.HOWTO:
            return shape, ()
        subject = next((group for group in match.groups() if group), "")
        if shape is Shape.COMPARISON and match.group("pair") and len(subject.split()) > 4:
            continue
        if len(subject.split()) > _FOCUS_WORDS:
            return Shape.OTHER, ()
        if shape is Shape.COMPARISON:
            subject = _COMPARING.sub(" ", text)
        else:
            subject = _CONTEXT_TAIL.sub("", subject) or subject
        return shape, tuple(dict.fromkeys(analyze(subject)))
    return Shape.OTHER, ()


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
    shape, focus = question_shape(cleaned)
    return Question(cleaned, tuple(dict.fromkeys(content)), kind, shape, focus)
