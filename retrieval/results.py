"""Result objects returned by the service facade.

Adapters render these; they know nothing about terminals or Discord.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from retrieval.models import SECTION_SEPARATOR
from retrieval.timeline.periods import readable


class Quote(BaseModel):
    """A verbatim sentence from a source; ``start``/``end`` index the original file.

    For a PDF, ``page`` is the 1-based page and ``start``/``end`` index that page's
    extracted text. ``section`` is the path of headings above the sentence ("Install >
    From source"); ``code`` is the code block that follows it in the source, verbatim.
    """

    text: str
    doc_id: str
    title: str
    source: str
    start: int
    end: int
    score: float
    url: str | None = None
    also_in: list[str] = Field(default_factory=list)
    section: str = ""
    page: int | None = None
    code: str | None = None

    @property
    def location(self) -> str:
        """Where the quote is, as adapters show it: "docs/install, p. 3 § From source"."""
        place = self.doc_id if self.page is None else f"{self.doc_id}, p. {self.page}"
        heading = self.section.rsplit(SECTION_SEPARATOR, 1)[-1]
        return f"{place} § {heading}" if heading else place


class NearbySource(BaseModel):
    """A document that came closest to a question the sources do not answer."""

    doc_id: str
    title: str
    source: str
    score: float


class Answer(BaseModel):
    """The reply to one question: quotes, or an abstention with the nearest sources."""

    question: str
    abstained: bool
    confidence: float
    quotes: list[Quote] = Field(default_factory=list)
    nearest: list[NearbySource] = Field(default_factory=list)
    # True when part of the index (a Xapian shard) was unreachable: answered from the rest.
    partial: bool = False


class Event(BaseModel):
    """A dated statement; the same event told by several documents lists them in ``also_in``.

    ``date`` (and ``end_date`` for a range) are TIMEX3 values. ``text`` is the whole sentence;
    ``highlight_start``/``highlight_end`` index the clause of it that goes with this date (a
    sentence with several dates is one event per date, each with its own clause).
    ``section`` is the path of headings above the sentence; ``date_in_text`` is False when
    the date is not the sentence's own but its section's heading's (a changelog's
    "2.10.0 (2016-04-29)"), so a reader is shown where it comes from.
    """

    date: str
    granularity: str
    text: str
    doc_id: str
    title: str
    source: str
    start: int
    end: int
    end_date: str | None = None
    also_in: list[str] = Field(default_factory=list)
    highlight_start: int = 0
    highlight_end: int | None = None
    section: str = ""
    date_in_text: bool = True

    @property
    def location(self) -> str:
        """Where the event is told: its document, and the section whose heading dates it
        when its sentence states no date ("docs/changes § Releases > 2.1 (2016-04-29)")."""
        return (
            self.doc_id
            if self.date_in_text or not self.section
            else f"{self.doc_id} § {self.section}"
        )

    @property
    def when(self) -> str:
        """The period as people write it ("2 October 2014", "the 1990s", "2004 to 2013")."""
        return readable(self.date, self.end_date)

    @property
    def highlight(self) -> tuple[int, int]:
        """The highlighted clause's offsets in ``text``, kept within it."""
        end = len(self.text) if self.highlight_end is None else self.highlight_end
        end = min(max(end, 0), len(self.text))
        return min(max(self.highlight_start, 0), end), end


class Timeline(BaseModel):
    """Events in chronological order and the filters that chose them."""

    topic: str | None = None
    start: str | None = None
    end: str | None = None
    docs: list[str] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    # True when part of the index (a Xapian shard) was unreachable: built from the rest.
    partial: bool = False


class DocumentInfo(BaseModel):
    """A document's metadata and size, as listed by ``documents()``."""

    doc_id: str
    title: str
    source: str
    url: str | None = None
    published: dt.date | None = None
    author: str | None = None
    characters: int
    sentences: int
    chunks: int
    opening: str = ""


class Reload(BaseModel):
    """What a re-scan of the corpus folder changed in the index, and how long it took."""

    added: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)
    seconds: float
    documents: int
    updated: str = ""
