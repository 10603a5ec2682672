"""Dated events: the body sentences of a document that the temporal tagger can place in time.

Each document is tagged once, on a masked copy of its text in which everything outside body
sentences (headings, page chrome, reference lists) and every in-text citation such as
"(Smith, 2015)" is blanked with spaces. The copy keeps the original length, so offsets stay
valid, and metadata dates can neither become events nor anchor relative expressions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from retrieval.models import Document, Sentence, SentenceKind
from retrieval.search.analysis import analyze
from retrieval.timeline.temporal import TimeExpression, granularity, period, tag

_EVENT_TYPES = frozenset({"DATE", "TIME"})
_UNPLACEABLE = (dt.date.min, dt.date.min)

# An event must say something besides its date; "Posted March 3, 2015 by admin" does not.
MIN_CONTENT_TERMS = 3

# Author-year citations: "(Hiebert & Nguyen, 2015)", "(“VOA”, 2013; Smith et al. 2010a, p. 4)".
_CITED_YEAR = r"(?:1[5-9]|20)\d\d[a-z]?(?:,\s*(?:pp?\.\s*)?\d+(?:[-–]\d+)?)?"
_CITATION = re.compile(
    rf"""\(
    (?:[^()]{{0,120}}?[A-Z"“”'][^()]{{0,120}}?(?:,|\bet\ al\.?)\s*{_CITED_YEAR}\s*;?\s*)+
    \)
    |\((?:[A-Z][\w'’.-]+(?:\s+(?:&|and)\s+[A-Z][\w'’.-]+|\s+et\ al\.?)?\s+{_CITED_YEAR})\)""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class DatedSentence:
    """A body sentence placed at one calendar period.

    ``first``/``last`` bound the period (a range's end included); ``explicit`` is False when
    the date came from a relative expression such as "three years later".
    """

    doc_id: str
    sentence: int
    start: int
    end: int
    text: str
    date: str
    end_date: str | None
    first: dt.date
    last: dt.date
    explicit: bool
    terms: frozenset[str]

    @property
    def granularity(self) -> str:
        return granularity(self.date)


def masked_body(document: Document, sentences: Sequence[Sentence]) -> str:
    """The document text with everything but body sentences, and citations, turned to spaces."""
    chars = [" "] * len(document.text)
    for sentence in sentences:
        if sentence.kind is SentenceKind.BODY:
            chars[sentence.start : sentence.end] = document.text[sentence.start : sentence.end]
    masked = "".join(chars)
    return _CITATION.sub(lambda m: " " * len(m.group()), masked)


def _placeable(expression: TimeExpression) -> bool:
    return expression.type in _EVENT_TYPES and period(expression.value) is not None


def _placement(expressions: Sequence[TimeExpression]) -> TimeExpression:
    """The sentence's first date, or an explicit one that pins down a relative first date.

    Sorting and filtering need one position per sentence. The first date is usually what the
    sentence is about ("In 2003, ... (amended in 2006)"); only when it is relative ("a year
    later ... at the July 2013 summit") does a later explicit date inside its period replace it.
    """
    first = expressions[0]
    outer = period(first.value)
    if first.anchor is None or outer is None:
        return first
    for expression in expressions[1:]:
        inner = period(expression.value)
        if expression.anchor is None and inner and outer[0] <= inner[0] <= inner[1] <= outer[1]:
            return expression
    return first


def _range_end(expression: TimeExpression, first: dt.date) -> tuple[str | None, dt.date | None]:
    """The end value and last day of a range ("between 2004 and 2013"), when it is one."""
    if expression.range_end is None:
        return None, None
    span = period(expression.range_end)
    if span is None or span[1] < first:
        return None, None
    return expression.range_end, span[1]


def _content_terms(text: str, offset: int, expressions: Sequence[TimeExpression]) -> list[str]:
    """The sentence's search terms without its dates (or citations, masked), for similarity."""
    pieces, cursor = [], offset
    for expression in expressions:
        pieces.append(text[cursor - offset : expression.start - offset])
        cursor = expression.end
    pieces.append(text[cursor - offset :])
    return analyze(" ".join(pieces))


def _dated(
    doc_id: str,
    index: int,
    sentence: Sentence,
    masked: str,
    expressions: Sequence[TimeExpression],
) -> DatedSentence | None:
    placed = [e for e in expressions if _placeable(e)]
    if not placed:
        return None
    terms = _content_terms(masked[sentence.start : sentence.end], sentence.start, expressions)
    if len(terms) < MIN_CONTENT_TERMS:
        return None
    chosen = _placement(placed)
    first, last = period(chosen.value) or _UNPLACEABLE
    end_date, range_last = _range_end(chosen, first)
    return DatedSentence(
        doc_id=doc_id,
        sentence=index,
        start=sentence.start,
        end=sentence.end,
        text=sentence.text,
        date=chosen.value,
        end_date=end_date,
        first=first,
        last=range_last or last,
        explicit=chosen.anchor is None,
        terms=frozenset(terms),
    )


def document_events(
    document: Document, sentences: Sequence[Sentence], first_index: int
) -> Iterator[DatedSentence]:
    """Every body sentence of ``document`` that carries a calendar date, in text order.

    ``sentences`` are the document's sentences and ``first_index`` the corpus index of the
    first one, so events can point back at their sentence and chunk.
    """
    masked = masked_body(document, sentences)
    expressions = tag(masked, document.published)
    cursor = 0
    for offset, sentence in enumerate(sentences):
        if sentence.kind is not SentenceKind.BODY:
            continue
        while cursor < len(expressions) and expressions[cursor].start < sentence.start:
            cursor += 1
        inside = []
        while cursor < len(expressions) and expressions[cursor].start < sentence.end:
            inside.append(expressions[cursor])
            cursor += 1
        event = _dated(document.doc_id, first_index + offset, sentence, masked, inside)
        if event is not None:
            yield event
