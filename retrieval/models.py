"""Plain records shared by every stage of the pipeline.

They hold data only; the stages that make them live in their own modules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class SentenceKind(StrEnum):
    """What a sentence is, so only real prose can answer or become an event."""

    BODY = "body"
    HEADING = "heading"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"
    CODE = "code"
    BOILERPLATE = "boilerplate"
    REFERENCE = "reference"


@dataclass(frozen=True, slots=True)
class Document:
    """One corpus file: its original decoded text plus metadata."""

    doc_id: str
    path: Path
    source: str
    text: str
    title: str
    url: str | None = None
    published: dt.date | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A cleaned sentence: what a reader sees of ``document.text[start:end]``.

    ``section`` is the path of headings above it ("Ownership > Ownership Rules").
    """

    doc_id: str
    start: int
    end: int
    text: str
    kind: SentenceKind = SentenceKind.BODY
    section: str = ""


@dataclass(frozen=True, slots=True)
class Chunk:
    """A sentence-aligned passage of one document.

    ``first``/``last`` index the corpus sentence list (inclusive); ``start``/``end``
    index the original file, so the text is never stored twice.
    """

    doc_id: str
    first: int
    last: int
    start: int
    end: int
    n_tokens: int
