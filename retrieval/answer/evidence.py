"""Surface evidence that a sentence holds the kind of answer a question expects.

Shallow, fast patterns that hold for English prose: a year, month, weekday or
relative day for "when", a figure for "how many", a capitalised name for "who", a capitalised
name after a place preposition for "where". Evidence only counts when it is
new, i.e. not already in the question.
"""

from __future__ import annotations

import functools
import re

from retrieval.answer.question import AnswerType, Shape
from retrieval.search.analysis import analyze

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


_VERSION = re.compile(r"\bv?\d+\.\d+(?:\.\d+)*\b|\bversion\s+\d+\b", re.IGNORECASE)
# Code-like names: flags, snake_case, dotted names and files, paths, CONSTANTS, calls().
_CODE = re.compile(
    r"(?<![\w-])--?[A-Za-z][\w-]*|\b\w+_\w+\b|\b[A-Za-z]\w*\.[A-Za-z]\w+\b"
    r"|(?<!\w)/[\w.-]+(?:/[\w.-]*)+|\b\w+\(\)"
)
_COPULA = re.compile(
    r"\b(?P<naming>(?:is|are) (?:called|known as|named|termed))\b"
    r"|\b(?:refers? to|means|denotes|represents|defines|is|are)\b|(?<=\w):(?=\s)",
    re.IGNORECASE,
)
# After "is"/"are": a participle makes it a statement about the subject, not a definition
# ("Migrations are stored as files"); adverbs before it are passed over.
_PASSIVE = re.compile(
    r"\s*(?:(?:\w+ly|also|often|now|just|still|always|then|only)\s+)*"
    r"(?:not\b|\w{3,}ed\b|(?:made|built|done|known|given|taken|written|shown|seen|kept|set"
    r"|run|sent|found|held|put|read|split|chosen|driven|hidden|bound|left|meant|brought)\b)",
    re.IGNORECASE,
)
# Sentences whose typed items and defined terms are kept (candidates recur across questions;
# a bound low enough that the memo is full, and memory flat, within a few hundred questions).
_REMEMBERED = 1 << 13
_DEFINED_WITHIN = 8
# A subject under a quantifier ("Each model is a Python class …") states a property of every
# instance, not what the thing is.
_QUANTIFIED = re.compile(
    r"^\W*(?:each|every|all|some|most|many|no|any|both|several|few|other|such)\b", re.IGNORECASE
)
# The textbook form of a definition, a singular subject placed in its class ("A model is the
# single, definitive source …", "An enumeration is a set of …"); plural or colon forms
# ("Enumerations are Python classes …") often describe rather than define.
_GENUS = re.compile(
    r"^\W*(?:an?|the)\s+[^,;:]{1,60}?\s+(?:is|refers to|means|denotes)\s+(?:an?|the|one)\b",
    re.IGNORECASE,
)
_OTHER_FORM = 0.8
_NAMED_AFTER = 4
_CONTRAST = re.compile(
    r"\b(?:whereas|while|unlike|in contrast|compared (?:to|with)|differs?|difference|rather than"
    r"|instead of|however|similar to|the same as|as opposed to)\b",
    re.IGNORECASE,
)
_INSTRUCTS = re.compile(
    r"^\s*(?:to\s+\w+|first|then|next|now|finally|simply)\b|\b(?:you can|you need to|you must"
    r"|you should|you have to|you will need|use|run|set|add|create|install|configure|enable"
    r"|call|pass|edit|specify|type|enter|invoke|launch|start|put|change|replace)\b",
    re.IGNORECASE,
)


# A release note or changelog, by its title or path: it mentions every feature as it
# changes, so it answers when and in which version, seldom what or how.
_CHANGELOG = re.compile(
    r"release[\s_-]*notes?|change[\s_-]*log|\bchanges\b|what[’']?s[\s_-]+new"
    r"|release[\s_-]+history|(?:^|/)releases?/",
    re.IGNORECASE,
)


def is_changelog(title: str, source: str) -> bool:
    """Whether a document is a release note or changelog ("Django 1.9 release notes")."""
    return _CHANGELOG.search(title) is not None or _CHANGELOG.search(source) is not None


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
    if kind is AnswerType.REASON:
        return _REASON.search(sentence) is not None
    return _new(list(typed_items(kind, sentence)), question)


@functools.lru_cache(maxsize=_REMEMBERED)
def typed_items(kind: AnswerType, sentence: str) -> tuple[str, ...]:
    """The items of ``kind`` in ``sentence`` (remembered: candidates recur across questions)."""
    if kind is AnswerType.DATE:
        return tuple(_DATE.findall(sentence))
    if kind is AnswerType.NUMBER:
        return tuple(_numbers(sentence))
    if kind is AnswerType.PERSON:
        return tuple(_names(sentence))
    if kind is AnswerType.PLACE:
        return tuple(_PLACE.findall(sentence))
    if kind is AnswerType.VERSION:
        return tuple(_VERSION.findall(sentence) + _DATE.findall(sentence))
    if kind is AnswerType.CODE:
        return tuple(_CODE.findall(sentence))
    return ()


def defines(sentence: str, focus: tuple[str, ...]) -> bool:
    """Whether the sentence opens by saying what the focus is ("A counter is …",
    "… is called an instance")."""
    return definition_fit(sentence, focus) > 0


def definition_fit(sentence: str, focus: tuple[str, ...]) -> float:
    """How squarely the sentence defines the focus: 0 unless it defines all of it, then
    the focus's share of what it defines ("Migrations are …" defines migrations more
    squarely than "The initial migrations for an app are …"), in full for the textbook
    form ("A model is the …") and a little less for the others."""
    named = _defined_terms(sentence)
    if not focus or not all(term in named for term in focus):
        return 0.0
    form = 1.0 if _GENUS.match(sentence) else _OTHER_FORM
    return form * min(1.0, len(set(focus)) / len(named))


@functools.lru_cache(maxsize=_REMEMBERED)
def _defined_terms(sentence: str) -> frozenset[str]:
    """The terms a sentence that opens with a definition defines: its subject, before an
    early copula ("A counter is …", "manage.py: A utility …"), or the name just after
    a naming verb ("… is called an instance"); none for other sentences."""
    copula = _COPULA.search(sentence)
    if copula is None:
        return frozenset()
    if copula.group("naming"):
        return frozenset(analyze(sentence[copula.end() :])[:_NAMED_AFTER])
    before = sentence[: copula.start()]
    if (
        len(before.split()) > _DEFINED_WITHIN
        or _is_passive(copula, sentence)
        or _QUANTIFIED.match(before)
    ):
        return frozenset()
    return frozenset(analyze(before))


def _is_passive(copula: re.Match[str], sentence: str) -> bool:
    """Whether an "is"/"are" copula starts a passive or a negation ("… are stored …")."""
    return copula.group().casefold() in ("is", "are") and bool(
        _PASSIVE.match(sentence, copula.end())
    )


def fits_shape(
    shape: Shape, sentence: str, focus: tuple[str, ...], code_follows: bool, headed: bool = False
) -> float:
    """How well the sentence has the form the question asks for, in [0, 1].

    A definition defines its focus, or opens a section ``headed`` by it (a glossary's "A
    class that takes parsed documents …" under "builder"); a comparison contrasts the
    things compared (or defines one of them); a how-to answer is worded as an instruction
    and ideally introduces the code that follows it.
    """
    if shape is Shape.DEFINITION:
        return max(definition_fit(sentence, focus), _OTHER_FORM if headed else 0.0)
    if shape is Shape.COMPARISON:
        terms = set(analyze(sentence))
        contrasted = _CONTRAST.search(sentence) is not None and len(terms & set(focus)) >= 2
        return 1.0 if contrasted else 0.5 * any(defines(sentence, (t,)) for t in focus)
    if shape is Shape.HOWTO:
        introduces = code_follows or sentence.rstrip().endswith(":")
        return 0.5 * (_INSTRUCTS.search(sentence) is not None) + 0.5 * introduces
    return 0.0
