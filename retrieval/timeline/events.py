"""Dated events: the statements of one document that the temporal tagger can place in time.

A document's events depend on that document alone, so they can be computed when it is
indexed and kept with the index (``document_events``); grouping them across documents is the
timeline's job. The sentences that can state an event (prose, list items, table rows that read
as statements; never headings, code or boilerplate) are tagged together and in order, so that
"three years later" follows the narrative (the tagger's rules look only near date anchors,
which keeps this cheap). Every placeable date in a sentence is one event, and the clause that
goes with it is its highlight. A statement that states no date is dated by its section's
heading when that heading states one day or month (a changelog's release, an advisory).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from retrieval.models import SECTION_SEPARATOR, Document, Sentence, SentenceKind
from retrieval.search.analysis import analyze
from retrieval.timeline.clauses import clause_spans
from retrieval.timeline.records import EventRecord
from retrieval.timeline.temporal import TimeExpression, tag
from retrieval.timeline.temporal.values import day_span

log = logging.getLogger("quotebot")

# Sentence kinds that can state an event; table rows only when they read as statements.
EVENT_KINDS = frozenset({SentenceKind.BODY, SentenceKind.LIST_ITEM, SentenceKind.TABLE_ROW})
_PLACEABLE_TYPES = frozenset({"DATE", "TIME"})

# A prose event must say something besides its date; "Posted March 3, 2015 by admin" does not.
MIN_CONTENT_TERMS = 3
# A finished sentence ("The tower fell in 2001.") is a statement, not a stamp: two will do.
MIN_SENTENCE_TERMS = 2
_FINISHED = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")
# A list item is terse by nature ("3.12.0 final: 2023-10-02"); one word besides the date will do.
MIN_LIST_ITEM_TERMS = 1
# A table row reads as a statement when most of its words are words, not numbers or codes.
MIN_ROW_WORDS = 4
MIN_ROW_WORD_SHARE = 0.6

# Author-year citations: "(Hiebert & Nguyen, 2015)", "(“VOA”, 2013; Smith et al. 2010a, p. 4)".
_YEAR = r"(?:1[5-9]|20)\d\d"
_CITED_YEAR = rf"{_YEAR}[a-z]?(?:,\s*(?:pp?\.\s*)?\d+(?:[-–]\d+)?)?"
_CITATION = re.compile(
    rf"""\(
    (?:[^()]{{0,120}}?[A-Z"“”'][^()]{{0,120}}?(?:,|\bet\ al\.?)\s*{_CITED_YEAR}\s*;?\s*)+
    \)
    |\((?:[A-Z][\w'’.-]+(?:\s+(?:&|and)\s+[A-Z][\w'’.-]+|\s+et\ al\.?)?\s+{_CITED_YEAR})\)""",
    re.VERBOSE,
)
# Every citation holds a year; a text without one has none (most texts with a parenthesis).
_HAS_YEAR = re.compile(_YEAR)
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
# A relative date right before the explicit one that says the same: "a year later, on 12 May".
_RESTATED = re.compile(r"[\s,]*(?:on|in|at|of|by)?\s*", re.IGNORECASE)
_TOKEN = re.compile(r"\w+")
_DAY_OR_MONTH = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
_WORD = re.compile(r"[^\W\d_]{2,}")


class _Date(NamedTuple):
    """A placeable expression, with offsets made relative to its sentence (a named tuple:
    one is made per date, and a tuple is made faster than a frozen dataclass).
    """

    expression: TimeExpression
    start: int
    end: int
    first_day: int
    last_day: int

    @property
    def explicit(self) -> bool:
        return self.expression.anchor is None

    def holds(self, other: _Date) -> bool:
        return self.first_day <= other.first_day and other.last_day <= self.last_day

    def wider_than(self, other: _Date) -> bool:
        return self.holds(other) and (self.first_day, self.last_day) != (
            other.first_day,
            other.last_day,
        )


def blank_citations(text: str) -> str:
    """``text`` with author-year citations turned to spaces, so offsets are unchanged.

    The citation pattern's lazy runs are tried at every "(" (in code and prose alike), so a
    text without a year, which cannot hold a citation, is returned before it is searched.
    """
    if "(" not in text or not _HAS_YEAR.search(text):
        return text
    return _CITATION.sub(lambda m: " " * len(m.group()), text)


def reads_as_statement(sentence: Sentence) -> bool:
    """Whether a sentence of this kind may state an event at all (terms are checked later)."""
    if sentence.kind is SentenceKind.TABLE_ROW:
        tokens = _TOKEN.findall(sentence.text)
        words = [token for token in tokens if _WORD.fullmatch(token)]
        return len(words) >= MIN_ROW_WORDS and len(words) >= MIN_ROW_WORD_SHARE * len(tokens)
    return sentence.kind in EVENT_KINDS


def _separator(document: Document, previous: Sentence | None, sentence: Sentence) -> str:
    """What joins two tagged sentences: a paragraph break, a line (list items) or a space.

    A break stops a month named without a year ("in June") from taking the year of an
    earlier paragraph; the tagger reads it as the end of a story.
    """
    if previous is None:
        return ""
    gap = document.text[previous.end : sentence.start]
    if not reads_as_statement(previous) or previous.kind is not sentence.kind:
        return "\n\n"
    if _PARAGRAPH_BREAK.search(gap):
        return "\n\n"
    return "\n" if sentence.kind is not SentenceKind.BODY else " "


def _tagged_text(
    document: Document, sentences: Sequence[Sentence]
) -> tuple[str, list[int], list[int]]:
    """The statement sentences joined for tagging; their indices and their offsets in it.

    A sentence left out (a heading, code, boilerplate) becomes a paragraph break, so the
    tagger never joins the stories on either side of it.
    """
    pieces: list[str] = []
    indices: list[int] = []
    offsets: list[int] = []
    length = 0
    previous: Sentence | None = None
    for index, sentence in enumerate(sentences):
        if not reads_as_statement(sentence):
            previous = None if previous is None else sentence
            continue
        separator = _separator(document, previous, sentence)
        text = blank_citations(sentence.text)
        pieces += (separator, text)
        indices.append(index)
        offsets.append(length + len(separator))
        length += len(separator) + len(text)
        previous = sentence
    return "".join(pieces), indices, offsets


def _placeable(expression: TimeExpression, offset: int, size: int) -> _Date | None:
    if expression.type not in _PLACEABLE_TYPES:
        return None
    start, end = expression.start - offset, expression.end - offset
    span = day_span(expression.value)
    if span is None or start < 0 or end > size:
        return None
    first, last = span
    if expression.range_end is not None:
        end_span = day_span(expression.range_end)
        if end_span is not None and end_span[1] > last:
            last = end_span[1]
    return _Date(expression, start, end, first, last)


def _pinned(date: _Date, dates: Sequence[_Date], text: str) -> bool:
    """A relative date the sentence also states explicitly: "a year later, on 12 May 1964"
    or "the next month ... in July 2013". The explicit one tells when.
    """
    if date.explicit:
        return False
    for other in dates:
        if other is date or not other.explicit:
            continue
        if date.holds(other):
            return True
        if other.start >= date.end and _RESTATED.fullmatch(text, date.end, other.start):
            return True
    return False


def _content_terms(text: str, dates: Sequence[_Date], start: int = 0, end: int = -1) -> list[str]:
    """Search terms of ``text[start:end]`` with the date expressions cut out."""
    end = len(text) if end < 0 else end
    pieces, cursor = [], start
    for date in dates:
        if date.end <= start or date.start >= end:
            continue
        pieces.append(text[cursor : max(cursor, date.start)])
        cursor = max(cursor, date.end)
    pieces.append(text[cursor:end])
    return analyze(" ".join(pieces))


def _clause_terms(
    text: str, dates: Sequence[_Date], clause: tuple[int, int], terms: tuple[str, ...]
) -> tuple[str, ...]:
    if clause == (0, len(text)):
        return terms
    return tuple(sorted(set(_content_terms(text, dates, *clause))))


def _enough_terms(sentence: Sentence, terms: Sequence[str]) -> bool:
    if sentence.kind is SentenceKind.LIST_ITEM:
        return sum(1 for term in terms if _WORD.search(term)) >= MIN_LIST_ITEM_TERMS
    if _FINISHED.search(sentence.text):
        return len(terms) >= MIN_SENTENCE_TERMS
    return len(terms) >= MIN_CONTENT_TERMS


def _sentence_events(
    doc_id: str, index: int, sentence: Sentence, text: str, dates: list[_Date]
) -> list[EventRecord]:
    """One event per date the sentence states, each with its clause."""
    dates = [date for date in dates if not _pinned(date, dates, text)]
    if not dates:
        return []
    terms = _content_terms(text, dates)
    if not _enough_terms(sentence, terms):
        return []
    clauses = clause_spans(text, [(date.start, date.end) for date in dates])
    records: list[EventRecord] = []
    sentence_terms = tuple(sorted(set(terms)))
    seen: set[tuple[str, str | None]] = set()
    for date, (start, end) in zip(dates, clauses, strict=True):
        same_clause = [
            other for other, clause in zip(dates, clauses, strict=True) if clause == (start, end)
        ]
        key = (date.expression.value, date.expression.range_end)
        if key in seen or any(date.wider_than(other) for other in same_clause):
            continue
        seen.add(key)
        records.append(
            EventRecord(
                doc_id=doc_id,
                sentence=index,
                value=date.expression.value,
                end_value=date.expression.range_end,
                first_day=date.first_day,
                last_day=date.last_day,
                explicit=date.explicit,
                date_start=date.start,
                date_end=date.end,
                highlight_start=start,
                highlight_end=end,
                terms=sentence_terms,
                clause_terms=_clause_terms(text, dates, (start, end), sentence_terms),
            )
        )
    return records


def _heading_dates(document: Document, sentences: Sequence[Sentence]) -> dict[str, _Date]:
    """The sections whose heading states one day or month and nothing else placeable: a
    changelog's "2.10.0 (2016-04-29)", a journal's "3 March 2020"."""
    dated: dict[str, _Date] = {}
    for sentence in sentences:
        if sentence.kind is not SentenceKind.HEADING or not any(map(str.isdigit, sentence.text)):
            continue
        found = tag(sentence.text, document.published, source=document.doc_id)
        dates = [d for e in found if (d := _placeable(e, 0, len(sentence.text))) is not None]
        if (
            len(dates) == 1
            and dates[0].explicit
            and _DAY_OR_MONTH.fullmatch(dates[0].expression.value)
        ):
            dated[_opened(sentence)] = dates[0]
    return dated


def _opened(heading: Sentence) -> str:
    """The section path a heading starts: its own, or for a term or caption (which stand
    within their section) the path with it added."""
    text = " ".join(heading.text.split())
    if heading.section.endswith(text):
        return heading.section
    return SECTION_SEPARATOR.join(part for part in (heading.section, text) if part)


def _dated_by_heading(
    doc_id: str, index: int, sentence: Sentence, heading: _Date
) -> list[EventRecord]:
    """The event of an undated statement in a dated section: its date is the heading's,
    so it has no date span of its own, and the whole statement is its clause. Without a
    date of its own, a list item must say as much as prose ("Django 1.5 (patch)" does not)."""
    terms = _content_terms(sentence.text, [])
    if sum(1 for term in terms if _WORD.search(term)) < MIN_CONTENT_TERMS:
        return []
    sentence_terms = tuple(sorted(set(terms)))
    expression = heading.expression
    return [
        EventRecord(
            doc_id=doc_id,
            sentence=index,
            value=expression.value,
            end_value=expression.range_end,
            first_day=heading.first_day,
            last_day=heading.last_day,
            explicit=True,
            date_start=0,
            date_end=0,
            highlight_start=0,
            highlight_end=len(sentence.text),
            terms=sentence_terms,
            clause_terms=sentence_terms,
        )
    ]


def _events(document: Document, sentences: Sequence[Sentence]) -> list[EventRecord]:
    tagged, indices, offsets = _tagged_text(document, sentences)
    if not indices:
        return []
    by_sentence: dict[int, list[_Date]] = {}
    for expression in tag(tagged, document.published, source=document.doc_id):
        slot = bisect_right(offsets, expression.start) - 1
        size = len(sentences[indices[slot]].text)
        date = _placeable(expression, offsets[slot], size)
        if date is not None:
            by_sentence.setdefault(slot, []).append(date)
    headed = _heading_dates(document, sentences)
    records: list[EventRecord] = []
    for slot, index in enumerate(indices):
        sentence = sentences[index]
        dates = by_sentence.get(slot)
        if dates:
            text = tagged[offsets[slot] : offsets[slot] + len(sentence.text)]
            records.extend(_sentence_events(document.doc_id, index, sentence, text, dates))
        elif (heading := _section_date(headed, sentence.section)) is not None:
            records.extend(_dated_by_heading(document.doc_id, index, sentence, heading))
    return records


def _section_date(headed: dict[str, _Date], section: str) -> _Date | None:
    """The date of the innermost dated heading above a sentence ("2.10.0 (2016-04-29) >
    Bugfixes" dates its items too)."""
    if not headed:
        return None
    parts = section.split(SECTION_SEPARATOR)
    for depth in range(len(parts), 0, -1):
        date = headed.get(SECTION_SEPARATOR.join(parts[:depth]))
        if date is not None:
            return date
    return None


def document_events(document: Document, sentences: Sequence[Sentence]) -> list[EventRecord]:
    """Every dated statement of ``document``, in text order; ``sentences`` are its sentences.

    Never raises: should anything fail, the document has no events and one warning says so.
    """
    try:
        return _events(document, sentences)
    except Exception as error:
        log.warning(
            "timeline: no events from %s (%s: %s)",
            ascii(document.doc_id)[1:-1],
            type(error).__name__,
            ascii(str(error))[1:-1],
        )
        return []
