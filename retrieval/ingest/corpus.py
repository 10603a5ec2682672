"""A corpus: its documents with their sentences, chunks and timeline events, in one numbering.

Each document's records come from a `DocumentRecords`: freshly ingested ones held in
memory, or a mapped cache segment that decodes a record only when it is asked for. The
corpus lays the documents end to end in folder order, so sentence and chunk numbers are the
same whether the corpus was just built or assembled from cache segments of different ages.
A loaded corpus never holds document texts: `text` reads a file when a quote is checked
against it or a document is shown, and keeps a few recent ones.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, overload

import numpy as np
import tiktoken

from retrieval.ingest.chunks import ChunkOptions, chunk_document
from retrieval.ingest.fidelity import faithful
from retrieval.ingest.pipeline import Ingested, document_text, ingest_file, read_documents
from retrieval.ingest.tokenizer import encoding
from retrieval.models import PAGE_BREAK, Chunk, Document, Sentence
from retrieval.search.subjects import sentence_subjects

log = logging.getLogger("quotebot")

_RECENT_TEXTS = 16
# ... and at most this many characters of them, so a few large files (PDF manuals) do not
# keep as much text as sixteen of them would.
_RECENT_CHARS = 1 << 23
# Decoded records kept: a question reads its candidates' neighbours again and again, but
# only the few chunks search returned, so far fewer chunks than sentences are worth keeping.
_RECENT_SENTENCES = 1 << 15
_RECENT_CHUNKS = 1 << 12


class DocumentRecords(Protocol):
    """One document's records, numbered from 0 within the document."""

    @property
    def document(self) -> Document: ...

    @property
    def chars(self) -> int: ...

    @property
    def n_sentences(self) -> int: ...

    @property
    def n_chunks(self) -> int: ...

    def sentence(self, number: int) -> Sentence: ...

    def chunk(self, number: int) -> Chunk: ...

    def subjects(self) -> frozenset[str]: ...

    def events(self) -> list[Any]: ...


@dataclass(frozen=True, slots=True)
class IngestedDocument:
    """A document just read: its records in memory, chunk terms ready for the index."""

    document: Document
    sentences: list[Sentence]
    chunks: list[Chunk]
    event_records: list[Any]

    @property
    def chars(self) -> int:
        return len(self.document.text)

    @property
    def n_sentences(self) -> int:
        return len(self.sentences)

    @property
    def n_chunks(self) -> int:
        return len(self.chunks)

    def sentence(self, number: int) -> Sentence:
        return self.sentences[number]

    def chunk(self, number: int) -> Chunk:
        return self.chunks[number]

    def subjects(self) -> frozenset[str]:
        return sentence_subjects(self.sentences)

    def events(self) -> list[Any]:
        return self.event_records


def ingest_document(
    ingested: Ingested, enc: tiktoken.Encoding, options: ChunkOptions
) -> IngestedDocument:
    """A read document with its chunks and dated events, each numbered within the document."""
    document, sentences = ingested.document, ingested.sentences
    chunks = chunk_document(document.text, sentences, 0, enc, options)
    return IngestedDocument(document, sentences, chunks, _events(document, sentences))


def build_corpus(root: Path, options: ChunkOptions, follow_outside_links: bool = False) -> Corpus:
    """Every document under ``root`` read, cleaned, segmented and chunked, held in memory."""
    enc = encoding(options.encoding)
    documents = read_documents(root, follow_outside_links)
    return Corpus(root, [ingest_document(item, enc, options) for item in documents])


def _events(document: Document, sentences: list[Sentence]) -> list[Any]:
    """The document's dated events; a tagger failure costs its events, never the document."""
    # Imported here: only ingestion tags text, and the tagger's rules take a while to compile.
    from retrieval.timeline.events import document_events

    try:
        return list(document_events(document, sentences))
    except Exception as error:  # the tagger is large; one bad sentence must not stop indexing
        log.warning("no timeline events for %s: %s", document.source, error)
        return []


class Corpus:
    """Documents end to end: corpus-wide sentence and chunk numbers, lookups by document ID."""

    def __init__(self, root: Path, records: Sequence[DocumentRecords]) -> None:
        self.root = root
        self._records = list(records)
        self.documents = [r.document for r in self._records]
        self._number = {document.doc_id: i for i, document in enumerate(self.documents)}
        self._sentence_starts = _starts(r.n_sentences for r in self._records)
        self._chunk_starts = _starts(r.n_chunks for r in self._records)
        # Cached methods of a part that does not refer back: a cache of a bound method of
        # the corpus itself would make a cycle that only the cyclic collector frees, with
        # every sentence it kept (a full pass over the process after each index swap).
        end_to_end = _EndToEnd(self._records, self._sentence_starts, self._chunk_starts)
        self._sentence = lru_cache(maxsize=_RECENT_SENTENCES)(end_to_end.sentence)
        self._chunk = lru_cache(maxsize=_RECENT_CHUNKS)(end_to_end.chunk)
        self.sentences: Sequence[Sentence] = _Numbered(self._sentence, self._sentence_starts[-1])
        self.chunks: Sequence[Chunk] = _Numbered(self._chunk, self._chunk_starts[-1])
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._text_chars = 0
        self._keeping = threading.Lock()

    def document(self, doc_id: str) -> Document:
        """The document with this ID; raises KeyError for an unknown one.

        A loaded corpus keeps no texts, but a paged document (a PDF) carries its text, read
        from the file now, since its pages are found in it.
        """
        document = self.documents[self._number[doc_id]]
        if document.paged and not document.text:
            return replace(document, text=self.text(doc_id))
        return document

    def sentence_range(self, doc_id: str) -> range:
        """Indices of a document's sentences in the corpus sentence list."""
        number = self._number[doc_id]
        return range(self._sentence_starts[number], self._sentence_starts[number + 1])

    def chunk_range(self, doc_id: str) -> range:
        """Indices of a document's chunks in the corpus chunk list."""
        number = self._number[doc_id]
        return range(self._chunk_starts[number], self._chunk_starts[number + 1])

    def chunk_mask(self, doc_ids: Sequence[str]) -> np.ndarray:
        """A boolean mask over chunks, True for the chunks of ``doc_ids``."""
        mask = np.zeros(len(self.chunks), dtype=bool)
        for doc_id in doc_ids:
            chunks = self.chunk_range(doc_id)
            mask[chunks.start : chunks.stop] = True
        return mask

    def chars(self, doc_id: str) -> int:
        """The length of the document's text, without reading it."""
        return self._records[self._number[doc_id]].chars

    def subjects(self, doc_id: str) -> frozenset[str]:
        """The terms that run through the document (``retrieval.search.subjects``)."""
        return self._records[self._number[doc_id]].subjects()

    def events(self, doc_id: str) -> list[Any]:
        """The document's dated events, their sentence numbers counted within the document."""
        return self._records[self._number[doc_id]].events()

    def text(self, doc_id: str) -> str:
        """The document's text, read from its file now (a few recent ones are kept)."""
        with self._keeping:
            text = self._texts.get(doc_id)
            if text is not None:
                self._texts.move_to_end(doc_id)
                return text
        document = self.documents[self._number[doc_id]]
        text = document_text(self.root / document.source, document.encoding)
        with self._keeping:
            if doc_id not in self._texts:
                self._texts[doc_id] = text
                self._text_chars += len(text)
            while len(self._texts) > 1 and (
                len(self._texts) > _RECENT_TEXTS or self._text_chars > _RECENT_CHARS
            ):
                _, dropped = self._texts.popitem(last=False)
                self._text_chars -= len(dropped)
        return text

    def faithful(
        self, doc_id: str, start: int, end: int, text: str, page: int | None = None
    ) -> bool:
        """Whether the document's file says ``text`` at ``start:end`` (read now).

        For a page of a PDF the offsets index that page's text.
        """
        try:
            original = self.text(doc_id)
        except (OSError, KeyError, ValueError):
            return False
        if page is not None:
            pages = original.split(PAGE_BREAK)
            original = pages[page - 1] if 1 <= page <= len(pages) else ""
        return 0 <= start <= end <= len(original) and faithful(original[start:end], text)

    def reads_so(self, doc_id: str, start: int, end: int, text: str, page: int | None) -> bool:
        """Whether reading the document's file afresh gives this sentence.

        A quote that fails its check although its file is unchanged is then the reader's
        own reading of the file (a fidelity miss in the reader), not damage to the cache.
        """
        document = self.documents[self._number[doc_id]]
        ingested = ingest_file(self.root / document.source, self.root)
        if ingested is None:
            return False
        if page is not None:  # a PDF quote's offsets index its page, the sentence's the text
            return any(s.text == text for s in ingested.sentences)
        return any((s.start, s.end, s.text) == (start, end, text) for s in ingested.sentences)


@dataclass(frozen=True, slots=True)
class _EndToEnd:
    """Documents' records end to end: a sentence or chunk by its corpus-wide number."""

    records: list[DocumentRecords]
    sentence_starts: list[int]
    chunk_starts: list[int]

    def sentence(self, index: int) -> Sentence:
        number = bisect.bisect_right(self.sentence_starts, index) - 1
        return self.records[number].sentence(index - self.sentence_starts[number])

    def chunk(self, index: int) -> Chunk:
        number = bisect.bisect_right(self.chunk_starts, index) - 1
        chunk = self.records[number].chunk(index - self.chunk_starts[number])
        offset = self.sentence_starts[number]
        return replace(chunk, first=chunk.first + offset, last=chunk.last + offset)


class _Numbered(Sequence[Any]):
    """A read-only sequence whose items are made on demand by ``item(index)``."""

    def __init__(self, item: Any, length: int) -> None:
        self._item = item
        self._length = length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        return self._item(index)

    def __iter__(self) -> Iterator[Any]:
        return (self._item(i) for i in range(self._length))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


def _starts(counts: Iterator[int] | Any) -> list[int]:
    starts = [0]
    for count in counts:
        starts.append(starts[-1] + count)
    return starts
