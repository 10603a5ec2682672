"""Plain records shared by every stage of the pipeline.

They hold data only; the stages that make them live in their own modules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypedDict


class SentenceKind(StrEnum):
    """What a sentence is, so only real prose can answer or become an event."""

    BODY = "body"
    HEADING = "heading"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"
    CODE = "code"
    BOILERPLATE = "boilerplate"
    REFERENCE = "reference"


# Units that can answer a question or become an event: prose, list items, table rows.
ANSWERABLE_KINDS = frozenset({SentenceKind.BODY, SentenceKind.LIST_ITEM, SentenceKind.TABLE_ROW})
# Units the search index holds: the answerable ones and headings; never code or furniture.
INDEXED_KINDS = ANSWERABLE_KINDS | {SentenceKind.HEADING}

# Between the headings of a section path: "Ownership > Ownership Rules".
SECTION_SEPARATOR = " > "

# How a PDF's text was made: its pages' extracted texts joined by form feeds.
PDF_TEXT = "pdf"
PAGE_BREAK = "\f"


class Metadata(TypedDict, total=False):
    """What a metadata file or the document itself states about a document."""

    title: str
    url: str
    published: dt.date
    author: str


@dataclass(frozen=True, slots=True)
class Document:
    """One corpus file: its original decoded text plus metadata.

    ``encoding`` records how the file's bytes became ``text`` (a codec name, or
    ``PDF_TEXT`` for a PDF's extracted pages), so it never has to be detected again.
    """

    doc_id: str
    path: Path
    source: str
    text: str
    title: str
    url: str | None = None
    published: dt.date | None = None
    author: str | None = None
    encoding: str = "utf-8"

    @property
    def paged(self) -> bool:
        """Whether ``text`` is a PDF's pages joined by form feeds."""
        return self.encoding == PDF_TEXT

    def page_of(self, offset: int) -> tuple[int, int]:
        """The 1-based page holding ``offset`` and where that page starts in ``text``."""
        page_start = self.text.rfind(PAGE_BREAK, 0, offset) + 1
        return self.text.count(PAGE_BREAK, 0, page_start) + 1, page_start


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
