"""What a shard stores besides postings, as validated records.

A shard is read over the network from a server quotebot does not control, so every record is
parsed by a pydantic model and checked for consistency (offsets inside the text, chunks inside
their document) before any of it is served: a bad record is an error, never a wrong quote.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from retrieval.errors import QuotebotError
from retrieval.models import Chunk, Document, Sentence, SentenceKind
from retrieval.results import DocumentInfo
from retrieval.search.xapian.layout import FORMAT
from retrieval.timeline.records import EventRecord


class ShardRecordError(QuotebotError):
    """A shard holds a record quotebot cannot use."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


R = TypeVar("R", bound=_Record)


class ShardInfo(_Record):
    """One shard's identity and the build-wide statistics every shard repeats."""

    format: int
    build: str
    shard: int = Field(ge=1)
    shards: int = Field(ge=1)
    k1: float = Field(ge=0)
    b: float = Field(ge=0, le=1)
    epsilon: float = Field(ge=0)
    mean_idf: float
    vocabulary: int = Field(ge=0)
    documents: int = Field(ge=0)
    sentences: int = Field(ge=0)
    chunks: int = Field(ge=0)
    catalog_pages: int = Field(ge=0)
    event_pages: int = Field(ge=0)

    @model_validator(mode="after")
    def _known(self) -> ShardInfo:
        if self.format != FORMAT:
            raise ValueError(f"shard format {self.format}, this quotebot reads {FORMAT}")
        if self.shard > self.shards:
            raise ValueError(f"shard {self.shard} of {self.shards}")
        return self


# (start, end, kind, section, text): offsets into the document's text.
SentenceRow = tuple[int, int, SentenceKind, str, str]
# (first, last, start, end, n_tokens): first/last are corpus sentence indices.
ChunkRow = tuple[int, int, int, int, int]


class DocumentRecord(_Record):
    """A document with its sentences and chunks, enough to quote it without the corpus."""

    doc_id: str
    source: str
    title: str
    url: str | None
    published: dt.date | None
    author: str | None
    encoding: str
    text: str
    first_sentence: int = Field(ge=0)
    sentences: list[SentenceRow]
    first_chunk: int = Field(ge=0)
    chunks: list[ChunkRow]

    @model_validator(mode="after")
    def _consistent(self) -> DocumentRecord:
        size = len(self.text)
        for start, end, *_ in self.sentences:
            if not 0 <= start <= end <= size:
                raise ValueError(f"sentence span {start}-{end} outside the text ({size})")
        last_sentence = self.first_sentence + len(self.sentences) - 1
        for first, last, start, end, n_tokens in self.chunks:
            if not self.first_sentence <= first <= last <= last_sentence:
                raise ValueError(f"chunk sentences {first}-{last} outside the document")
            if not 0 <= start <= end <= size or n_tokens < 0:
                raise ValueError(f"chunk span {start}-{end} outside the text ({size})")
        return self

    @property
    def sentence_range(self) -> range:
        return range(self.first_sentence, self.first_sentence + len(self.sentences))

    def document(self) -> Document:
        return Document(
            doc_id=self.doc_id,
            path=Path(self.source),
            source=self.source,
            text=self.text,
            title=self.title,
            url=self.url,
            published=self.published,
            author=self.author,
            encoding=self.encoding,
        )

    def sentence(self, index: int) -> Sentence:
        """The sentence at corpus index ``index``; IndexError when it is not this document's."""
        if index not in self.sentence_range:
            raise IndexError(index)
        start, end, kind, section, text = self.sentences[index - self.first_sentence]
        return Sentence(self.doc_id, start, end, text, kind, section)

    def chunk(self, index: int) -> Chunk:
        """The chunk at corpus index ``index``; IndexError when it is not this document's."""
        offset = index - self.first_chunk
        if not 0 <= offset < len(self.chunks):
            raise IndexError(index)
        return Chunk(self.doc_id, *self.chunks[offset])


class CatalogEntry(_Record):
    """A document's listing, with its corpus position so shards merge in corpus order."""

    order: int = Field(ge=0)
    info: DocumentInfo


class CatalogPage(_Record):
    entries: list[CatalogEntry]


# A page of timeline event records (the timeline checks each against its sentence on load).
EVENT_PAGE_JSON = TypeAdapter(list[EventRecord])


class SentenceBlock(_Record):
    """The documents whose sentences fall in one block of corpus indices: (first index, ID)."""

    starts: list[tuple[int, str]]


def parse(model: type[R], raw: bytes, what: str) -> R:
    """A record from its JSON, or ShardRecordError naming what was being read."""
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        raise _invalid(error, what) from None


def parse_events(raw: bytes, what: str) -> list[EventRecord]:
    """A page of event records from its JSON, or ShardRecordError."""
    try:
        return EVENT_PAGE_JSON.validate_json(raw)
    except ValidationError as error:
        raise _invalid(error, what) from None


def _invalid(error: ValidationError, what: str) -> ShardRecordError:
    problem = error.errors()[0]
    place = ".".join(str(p) for p in problem["loc"])
    return ShardRecordError(f"{what} is not valid ({place}: {problem['msg']})")
