"""The clause of a sentence that goes with each of its dates.

"The pact was signed in July 2000, which went into force in December 2001" states two events,
and each should show the words that go with its date. The sentence is cut where clauses meet
(punctuation, and words that open a clause: "which", "while", "but", "after" ...). A piece
with no words besides dates and function words joins a neighbour: the next one when it opens
the sentence ("In 2003, the bridge opened"), else the one before ("protests in 2007 and
2011"). A piece without a date joins the dated clause before it, or after it at the start.
A sentence with one dated clause is wholly that clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.search.analysis import STOP_WORDS

Span = tuple[int, int]

_CLAUSE_BOUNDARY = re.compile(
    r"\s*[,;:()\[\]—]\s*|\s+[–-]\s+"
    r"|\s+(?=(?:which|who|whom|whose|where|while|whereas|but|although|though|because|before"
    r"|after|until|when|whereupon|and|or|then)\b)",
    re.IGNORECASE,
)
# "in 2007 and 2011", "in May or in June": a conjunction that joins dates, not clauses.
_JOINED_DATE = re.compile(
    r"\s*(?:and|or)\s+(?:(?:in|on|at|by|during|from|to|until|of|again)\s+)?", re.IGNORECASE
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_EDGE = " \t\n,;:—–-"
_TRAILING_EDGE = _EDGE + ".!?"


@dataclass(slots=True)
class _Piece:
    start: int
    end: int
    dated: bool
    wordy: bool

    def join(self, other: _Piece) -> _Piece:
        return _Piece(
            min(self.start, other.start),
            max(self.end, other.end),
            self.dated or other.dated,
            self.wordy or other.wordy,
        )


def _joins_dates(text: str, position: int, dates: Sequence[Span]) -> bool:
    joint = _JOINED_DATE.match(text, position)
    return joint is not None and any(start == joint.end() for start, _ in dates)


def _cuts(text: str, dates: Sequence[Span]) -> list[Span]:
    """Clause boundaries outside the date expressions ("from 1965 to 1973" stays whole)."""
    return [
        match.span()
        for match in _CLAUSE_BOUNDARY.finditer(text)
        if not any(match.start() < end and start < match.end() for start, end in dates)
        and not _joins_dates(text, match.start(), dates)
    ]


def _words_besides_dates(text: str, start: int, end: int, dates: Sequence[Span]) -> bool:
    cursor = start
    for date_start, date_end in [*dates, (end, end)]:
        if start <= date_start <= end:
            words = _WORD.findall(text, cursor, date_start)
            if any(word.lower() not in STOP_WORDS for word in words):
                return True
            cursor = min(end, max(cursor, date_end))
    return False


def _pieces(text: str, dates: Sequence[Span]) -> list[_Piece]:
    bounds = [0, *(edge for cut in _cuts(text, dates) for edge in cut), len(text)]
    found = []
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):
        if start < end:
            dated = any(start <= date_start < end for date_start, _ in dates)
            found.append(_Piece(start, end, dated, _words_besides_dates(text, start, end, dates)))
    return found


def _join_bare(pieces: list[_Piece]) -> list[_Piece]:
    """Pieces with only dates and function words joined to a neighbour."""
    joined: list[_Piece] = []
    opening: _Piece | None = None
    for piece in pieces:
        if not piece.wordy and joined:
            joined[-1] = joined[-1].join(piece)
        elif not piece.wordy:
            opening = piece if opening is None else opening.join(piece)
        else:
            joined.append(piece if opening is None else opening.join(piece))
            opening = None
    if opening is not None:
        joined.append(opening)
    return joined


def _dated_clauses(pieces: list[_Piece]) -> list[_Piece]:
    """Undated pieces joined to the dated clause before them (or after, at the start)."""
    clauses: list[_Piece] = []
    leading: _Piece | None = None
    for piece in pieces:
        if piece.dated:
            clauses.append(piece if leading is None else leading.join(piece))
            leading = None
        elif clauses:
            clauses[-1] = clauses[-1].join(piece)
        else:
            leading = piece if leading is None else leading.join(piece)
    return clauses


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _TRAILING_EDGE:
        end -= 1
    return start, end


def clause_spans(text: str, dates: Sequence[Span]) -> list[Span]:
    """For each date span (in order), the span of its clause in ``text``."""
    if len(dates) <= 1:
        return [(0, len(text))] * len(dates)
    clauses = _dated_clauses(_join_bare(_pieces(text, dates)))
    if len(clauses) <= 1:
        return [(0, len(text))] * len(dates)
    spans = []
    for date_start, _ in dates:
        clause = next(c for c in clauses if c.start <= date_start < c.end)
        spans.append(_trimmed(text, clause.start, clause.end))
    return spans
