"""The stored form of a dated event, apart from the tagger that finds events.

A process that answers from the index cache reads events back but never tags text, so it
imports this module and not the tagger (whose rules take a noticeable part of a second to
compile).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One dated statement of a document, in plain fields so a cache can store it by column.

    ``sentence`` indexes the document's sentences; ``date_start``/``date_end`` and
    ``highlight_start``/``highlight_end`` are offsets into that sentence's text (the date
    expression, and the clause that goes with it). ``first_day``/``last_day`` bound the
    period as day numbers (``values.day_number``: 1 is 1 January AD 1, BC days are 0 or
    less), a range's end included. ``explicit`` is False for a date read from a relative
    expression ("a year later"). ``terms`` are the sentence's search terms and
    ``clause_terms`` the clause's, both without dates: the first say what the sentence is
    about (topic filters), the second which statement it makes (merging restatements).
    """

    doc_id: str
    sentence: int
    value: str
    end_value: str | None
    first_day: int
    last_day: int
    explicit: bool
    date_start: int
    date_end: int
    highlight_start: int
    highlight_end: int
    terms: tuple[str, ...]
    clause_terms: tuple[str, ...]
