"""A cache segment: the records of a batch of documents, built once and then only mapped.

A segment file holds the documents, their sentences, chunks and timeline events as columns
(``retrieval.search.columns``); a postings file beside it holds the batch's term counts.
Segments never change after they are written: a changed document goes into a new segment
and its old rows simply stop being used, which is what makes an update cost only the files
that changed. Building a segment is self-contained (files in, files out), so batches are
built in parallel processes.

Every field read back is checked before it is used: a document's source must be a plain
relative path, every sentence and chunk must lie inside its document, and a record that
fails raises `StoreInvalid` so the cache is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import tiktoken

from retrieval.ingest.chunks import INDEXED_KINDS, ChunkOptions
from retrieval.ingest.corpus import IngestedDocument, ingest_document
from retrieval.ingest.documents import document_id, plain_relative
from retrieval.ingest.pipeline import Ingested, ingest_file
from retrieval.ingest.tokenizer import encoding
from retrieval.models import ANSWERABLE_KINDS, Chunk, Document, Metadata, Sentence
from retrieval.search import questions_first
from retrieval.search.analysis import analyze
from retrieval.search.collector import fewer_collections
from retrieval.search.columns import ColumnError, Table, encode, schema
from retrieval.search.heap import give_back_free_memory
from retrieval.search.manifest import POSTINGS_SUFFIX, SEGMENT_SUFFIX, FileState, stat_tuple
from retrieval.search.postings import Postings, PostingsBuilder
from retrieval.search.store import StoreInvalid, read_store, write_store
from retrieval.search.subjects import DocumentSubjects, plausible_terms, subject_terms
from retrieval.timeline.records import EventRecord

log = logging.getLogger("quotebot")

# Fields every record of a table gets from its document rather than from a column.
_FROM_DOCUMENT = ("doc_id",)
_NOT_STORED = ("text", "path")
_TABLES: dict[str, tuple[type, tuple[str, ...]]] = {
    "document": (Document, _NOT_STORED),
    "sentence": (Sentence, _FROM_DOCUMENT),
    "chunk": (Chunk, _FROM_DOCUMENT),
    "event": (EventRecord, _FROM_DOCUMENT),
    "subjects": (DocumentSubjects, ()),
}
_BOUNDS = ("sentences", "chunks", "events")
# Tables every record of which is read when a segment opens: held in memory, one row each.
_HELD = frozenset({"document"})


def table_schemas() -> dict[str, Any]:
    """How every record type is stored now; a cache with other schemas is out of date."""
    return {name: schema(cls, exclude) for name, (cls, exclude) in _TABLES.items()}


def file_state(path: Path, source: str) -> FileState:
    """The file's stat and content hash; raises OSError when it cannot be read."""
    stat = path.stat()
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return FileState(source, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, digest.hexdigest())


@dataclass(frozen=True, slots=True)
class SegmentJob:
    """A batch of documents to ingest into one segment."""

    root: Path
    sources: list[str]
    metadata: dict[str, Metadata]
    chunk_options: ChunkOptions
    directory: Path
    name: str
    settings: str


@dataclass(slots=True)
class SegmentBuilt:
    """What a job produced: the files now in the segment (in row order) and those skipped."""

    name: str
    files: list[FileState] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    skipped: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    n_chunks: int = 0


@fewer_collections()
def build_segment(job: SegmentJob) -> SegmentBuilt:
    """Reads, ingests and writes one batch; a file that fails is skipped with one warning."""
    enc = encoding(job.chunk_options.encoding)
    built = SegmentBuilt(job.name)
    pending = PendingSegment()
    for source in job.sources:
        started = time.perf_counter()
        _build_one(job, source, enc, built, pending)
        questions_first.give_way(time.perf_counter() - started)
    pending.write(job.directory / job.name, job.settings)
    built.n_chunks = pending.n_chunks
    del pending
    give_back_free_memory()
    return built


def _build_one(
    job: SegmentJob,
    source: str,
    enc: tiktoken.Encoding,
    built: SegmentBuilt,
    pending: PendingSegment,
) -> None:
    """Reads and ingests one file of a batch into ``pending``, or records it skipped."""
    path = job.root / source
    try:
        state = file_state(path, source)
    except OSError as error:
        log.warning("skipping %s: %s", path, error.strerror or error)
        with contextlib.suppress(OSError):  # not tried again until it changes
            built.skipped[source] = (*stat_tuple(path.stat()), "unreadable")
        return
    read = _read(path, job.root, job.metadata.get(document_id(source)))
    if read is None:
        built.skipped[source] = (state.size, state.mtime_ns, state.ctime_ns, "unreadable")
        return
    pending.add(ingest_document(read, enc, job.chunk_options))
    built.files.append(state)
    built.doc_ids.append(read.document.doc_id)


def _read(path: Path, root: Path, metadata: Metadata | None) -> Ingested | None:
    """The file read to sentences; a reader that panics costs that file (one warning)."""
    try:
        return ingest_file(path, root, metadata)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # a native parser's panic is a BaseException (pyo3)
        log.warning("skipping %s: its reader failed (%s: %s)", path, type(error).__name__, error)
        return None


def chunk_terms(chunk: Chunk, text: Callable[[], str], sentences: Sequence[Sentence]) -> list[str]:
    """The analyzed terms of a chunk: its searchable sentences, or its piece of one.

    ``sentences`` is indexed by the chunk's sentence numbers; ``text`` gives the document's
    text, needed only for a piece of an over-long sentence.
    """
    if chunk.first == chunk.last:
        return analyze(text()[chunk.start : chunk.end])
    return [
        term
        for sentence in sentences[chunk.first : chunk.last + 1]
        if sentence.kind in INDEXED_KINDS
        for term in analyze(sentence.text)
    ]


def ingested_terms(item: IngestedDocument) -> Iterator[list[str]]:
    """The terms of each chunk of a document just ingested, as ``chunk_terms`` gives them."""
    yield from analyzed_document(item)[0]


def analyzed_document(item: IngestedDocument) -> tuple[list[list[str]], frozenset[str]]:
    """The terms of each chunk of a document just ingested, and its subject terms.

    Each sentence is analyzed once: consecutive chunks share a sentence (the overlap), and
    the subjects read every prose sentence again.
    """
    analyzed: dict[int, list[str]] = {}

    def sentence_terms(number: int) -> list[str]:
        terms = analyzed.get(number)
        if terms is None:
            sentence = item.sentences[number]
            terms = analyze(sentence.text) if sentence.kind in INDEXED_KINDS else []
            analyzed[number] = terms
        return terms

    def terms_of(chunk: Chunk) -> list[str]:
        if chunk.first == chunk.last:
            return chunk_terms(chunk, lambda: item.document.text, item.sentences)
        numbers = range(chunk.first, chunk.last + 1)
        return [term for number in numbers for term in sentence_terms(number)]

    chunks = [terms_of(chunk) for chunk in item.chunks]
    prose = (
        sentence_terms(number)
        for number, sentence in enumerate(item.sentences)
        if sentence.kind in ANSWERABLE_KINDS
    )
    return chunks, subject_terms(prose)


@dataclass(frozen=True, slots=True)
class HeldDocument:
    """A document of a segment being built, as the segment stores it: its records without
    its text, whose terms are counted already (a text is several times the size of its
    file, four bytes a character once it holds one character outside the BMP)."""

    document: Document
    chars: int
    sentences: list[Sentence]
    chunks: list[Chunk]
    event_records: list[Any]


class PendingSegment:
    """A segment being built: each document analyzed as it is added, its chunk terms
    counted into the postings and its text let go, so a batch holds only what it writes."""

    def __init__(self) -> None:
        self.held: list[HeldDocument] = []
        self._subjects: list[DocumentSubjects] = []
        self._postings = PostingsBuilder()
        self.n_chunks = 0

    def add(self, item: IngestedDocument) -> None:
        chunks, terms = analyzed_document(item)
        for chunk in chunks:
            self._postings.add(chunk)
        self._subjects.append(DocumentSubjects(terms))
        document = replace(item.document, text="")
        self.held.append(
            HeldDocument(document, item.chars, item.sentences, item.chunks, item.event_records)
        )
        self.n_chunks += len(item.chunks)

    def write(self, base: Path, settings: str) -> int:
        """Writes ``base.seg`` and ``base.post``; returns the bytes written."""
        meta = {"kind": "segment", "settings": settings, "schemas": table_schemas()}
        columns = _columns(self.held, self._subjects)
        size = write_store(base.with_suffix(SEGMENT_SUFFIX), columns, meta)
        del columns
        self.held = []
        meta = {"kind": "postings", "settings": settings}
        arrays = self._postings.build().to_arrays()
        return size + write_store(base.with_suffix(POSTINGS_SUFFIX), arrays, meta)


def _columns(
    held: Sequence[HeldDocument], subjects: list[DocumentSubjects]
) -> dict[str, np.ndarray]:
    rows: dict[str, list[Any]] = {
        "document": [item.document for item in held],
        "subjects": subjects,
        "sentence": [s for item in held for s in item.sentences],
        "chunk": [c for item in held for c in item.chunks],
        "event": [e for item in held for e in item.event_records],
    }
    columns: dict[str, np.ndarray] = {}
    for name, (cls, exclude) in _TABLES.items():
        for column, array in encode(rows[name], cls, exclude).items():
            columns[f"{name}:{column}"] = array
    columns["bounds:chars"] = np.array([item.chars for item in held], dtype=np.int64)
    counts = {
        "sentences": [len(item.sentences) for item in held],
        "chunks": [len(item.chunks) for item in held],
        "events": [len(item.event_records) for item in held],
    }
    for name, values in counts.items():
        columns[f"bounds:{name}"] = np.cumsum([0, *values], dtype=np.int64)
    return columns


def read_postings(base: Path, settings: str) -> Postings:
    """The postings beside a segment (or a merged base), checked."""
    arrays, meta = read_store(base.with_suffix(POSTINGS_SUFFIX))
    if meta.get("kind") != "postings" or meta.get("settings") != settings:
        raise StoreInvalid(f"{base.with_suffix(POSTINGS_SUFFIX)} is not this corpus's postings")
    try:
        return Postings.from_arrays(arrays)
    except ValueError as error:
        raise StoreInvalid(str(error)) from None


class Segment:
    """A mapped segment file: its documents decoded, every other record on demand."""

    def __init__(self, path: Path, settings: str) -> None:
        arrays, meta = read_store(path)
        if meta.get("kind") != "segment" or meta.get("settings") != settings:
            raise StoreInvalid(f"{path} is not a segment of this corpus and these settings")
        schemas = meta.get("schemas")
        if not isinstance(schemas, dict):
            raise StoreInvalid(f"{path} has no record schemas")
        columns = _by_table(arrays)
        try:
            self._tables: dict[str, Table[Any]] = {
                name: Table(columns.get(name, {}), cls, schemas.get(name), exclude, name in _HELD)
                for name, (cls, exclude) in _TABLES.items()
            }
        except ColumnError as error:
            raise StoreInvalid(f"{path}: {error}") from None
        self.path = path
        self.n_documents = len(self._tables["document"])
        self._chars = _checked_chars(path, arrays.get("bounds:chars"), self.n_documents)
        self._bounds = {
            name: _checked_bounds(
                path, arrays, name, self.n_documents, len(self._tables[name[:-1]])
            )
            for name in _BOUNDS
        }
        if len(self._tables["subjects"]) != self.n_documents:
            raise StoreInvalid(f"{path}: the subject terms do not match its documents")
        self.n_chunks = len(self._tables["chunk"])
        self.documents = [self._document(row) for row in range(self.n_documents)]
        self._made: dict[tuple[int, Path], SegmentDocument] = {}

    def records(self, row: int, root: Path) -> SegmentDocument:
        """A document's records; made once, since every update assembles them all again."""
        key = (row, root)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = SegmentDocument(self, row, root)
        return made

    def chunk_slots(self, row: int) -> range:
        """The segment-local chunk numbers of one document."""
        bounds = self._bounds["chunks"]
        return range(bounds[row], bounds[row + 1])

    def _document(self, row: int) -> Document:
        try:
            document = self._tables["document"].record(row, text="", path=Path())
        except ColumnError as error:
            raise StoreInvalid(f"{self.path}: {error}") from None
        if not document.doc_id or not plain_relative(document.source):
            raise StoreInvalid(f"{self.path}: document {row} has a bad ID or source")
        return document

    def _record(self, table: str, row: int, doc_id: str) -> Any:
        try:
            return self._tables[table].record(row, doc_id=doc_id)
        except ColumnError as error:
            raise StoreInvalid(f"{self.path}: {error}") from None

    def subjects(self, row: int) -> frozenset[str]:
        """A document's subject terms, stored at index time, checked."""
        try:
            terms: frozenset[str] = self._tables["subjects"].record(row).terms
        except ColumnError as error:
            raise StoreInvalid(f"{self.path}: {error}") from None
        if not plausible_terms(terms):
            raise StoreInvalid(f"{self.path}: document {row} has malformed subject terms")
        return terms


class SegmentDocument:
    """One document of a segment, its records decoded and checked when asked for."""

    def __init__(self, segment: Segment, row: int, root: Path) -> None:
        self._segment = segment
        self._row = row
        stored = segment.documents[row]
        self.document = replace(stored, path=root / stored.source)
        self.chars = segment._chars[row]
        self._starts = {name: segment._bounds[name][row] for name in _BOUNDS}
        self.n_sentences = segment._bounds["sentences"][row + 1] - self._starts["sentences"]
        self.n_chunks = segment._bounds["chunks"][row + 1] - self._starts["chunks"]
        self._n_events = segment._bounds["events"][row + 1] - self._starts["events"]

    def sentence(self, number: int) -> Sentence:
        sentence: Sentence = self._read("sentence", number, self.n_sentences)
        self._check_span(sentence.start, sentence.end, "sentence")
        return sentence

    def chunk(self, number: int) -> Chunk:
        chunk: Chunk = self._read("chunk", number, self.n_chunks)
        self._check_span(chunk.start, chunk.end, "chunk")
        if not 0 <= chunk.first <= chunk.last < self.n_sentences or chunk.n_tokens < 0:
            raise StoreInvalid(f"{self._segment.path}: a chunk of {self.document.source} is bad")
        return chunk

    def subjects(self) -> frozenset[str]:
        return self._segment.subjects(self._row)

    def events(self) -> list[Any]:
        events = [self._read("event", i, self._n_events) for i in range(self._n_events)]
        for event in events:
            self._check_span(getattr(event, "start", 0), getattr(event, "end", 0), "event")
            if not 0 <= getattr(event, "sentence", 0) < max(self.n_sentences, 1):
                raise StoreInvalid(f"{self._segment.path}: an event names no sentence")
        return events

    def _read(self, table: str, number: int, count: int) -> Any:
        if not 0 <= number < count:
            raise IndexError(number)
        start = self._starts[f"{table}s"]
        return self._segment._record(table, start + number, self.document.doc_id)

    def _check_span(self, start: int, end: int, what: str) -> None:
        if not 0 <= start <= end <= self.chars:
            raise StoreInvalid(
                f"{self._segment.path}: a {what} of {self.document.source} lies outside it"
            )


def _by_table(arrays: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    """The arrays named ``table:column``, grouped by table."""
    tables: dict[str, dict[str, np.ndarray]] = {}
    for key, value in arrays.items():
        table, colon, column = key.partition(":")
        if colon:
            tables.setdefault(table, {})[column] = value
    return tables


def _checked_chars(path: Path, chars: np.ndarray | None, n_documents: int) -> list[int]:
    if (
        chars is None
        or chars.shape != (n_documents,)
        or chars.dtype.kind not in "iu"
        or (chars.size and chars.min() < 0)
    ):
        raise StoreInvalid(f"{path}: document lengths are missing or bad")
    lengths: list[int] = chars.tolist()
    return lengths


def _checked_bounds(
    path: Path, arrays: dict[str, np.ndarray], name: str, n_documents: int, n_rows: int
) -> list[int]:
    bounds = arrays.get(f"bounds:{name}")
    if (
        bounds is None
        or bounds.shape != (n_documents + 1,)
        or bounds.dtype.kind not in "iu"
        or int(bounds[0]) != 0
        or int(bounds[-1]) != n_rows
        or bool(np.any(np.diff(bounds) < 0))
    ):
        raise StoreInvalid(f"{path}: the {name} of its documents do not add up")
    starts: list[int] = bounds.tolist()
    return starts
