"""Result objects returned by the service facade.

Adapters render these; they know nothing about terminals or Discord.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class Quote(BaseModel):
    """A verbatim sentence from a source; ``start``/``end`` index the original file."""

    text: str
    doc_id: str
    title: str
    source: str
    start: int
    end: int
    score: float
    url: str | None = None
    also_in: list[str] = Field(default_factory=list)


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


class Event(BaseModel):
    """A dated sentence; the same event told by several documents lists them in ``also_in``."""

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


class Timeline(BaseModel):
    """Events in chronological order and the filters that chose them."""

    topic: str | None = None
    start: str | None = None
    end: str | None = None
    docs: list[str] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)


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
