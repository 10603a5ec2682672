"""Writing a loaded corpus into N Xapian shards that hold everything a query needs.

Documents go to shards by a stable hash of their ID. Each chunk is one Xapian document whose
terms are quotebot's own analysed terms with their frequencies (no positions: BM25 needs none,
and Xapian's TermGenerator would analyse differently), so the shards' statistics are the
in-process index's. Each shard also holds its documents' texts, sentences and chunks, its part
of the catalogue, the map from sentence indices to documents, and the build-wide figures the
scores need (rank-bm25's mean idf). Shards are built beside the output and swapped in one by
one, so a failed build leaves the old shards as they were.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import shutil
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import xapian

from retrieval.errors import QuotebotError
from retrieval.ingest.corpus import Corpus
from retrieval.models import Chunk, Document
from retrieval.search.catalog import DocumentCounts, document_info
from retrieval.search.corpus_cache import IndexOptions, chunk_terms
from retrieval.search.local import chunk_ranges
from retrieval.search.xapian.layout import (
    CATALOG_KEY,
    CATALOG_PAGE,
    CHUNK_ORDER_SLOT,
    DOCUMENT_KEY,
    EVENT_PAGE,
    EVENTS_KEY,
    FORMAT,
    INFO_KEY,
    SENTENCE_BLOCK,
    SENTENCE_BLOCK_KEY,
    SHARD_NAME,
    SHARD_PATTERN,
    chunk_term,
    document_key,
    document_term,
    index_term,
    shard_of,
)
from retrieval.search.xapian.records import (
    EVENT_PAGE_JSON,
    CatalogEntry,
    CatalogPage,
    DocumentRecord,
    SentenceBlock,
    ShardInfo,
)
from retrieval.timeline.events import EventRecord, document_events

MAX_SHARDS = 1024


class ShardBuildError(QuotebotError):
    """The shards cannot be written where they were asked for."""


_COMMIT_EVERY = 50_000


@dataclass(frozen=True, slots=True)
class ShardsBuilt:
    """What a build wrote, for the ``index`` command's report."""

    out: Path
    shards: int
    documents: int
    chunks: int
    terms: int
    bytes: int
    chunks_per_shard: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Written:
    """What writing one shard's documents produced."""

    chunks: int
    pages: _Pages
    doc_freqs: Counter[str]


@dataclass(frozen=True, slots=True)
class _Pages:
    catalog: int
    events: int


class _ShardWriter:
    """One shard being written: its database and catalogue entries."""

    def __init__(self, path: Path) -> None:
        self.database = xapian.WritableDatabase(
            str(path), xapian.DB_CREATE_OR_OVERWRITE | xapian.DB_BACKEND_GLASS
        )
        self.catalog: list[CatalogEntry] = []
        self.events: list[EventRecord] = []
        self.chunks = 0

    def add_chunk(self, index: int, chunk: Chunk, counts: Counter[str]) -> None:
        document = xapian.Document()
        for term, frequency in counts.items():
            document.add_term(index_term(term), frequency)
        document.add_boolean_term(document_term(chunk.doc_id))
        document.add_boolean_term(chunk_term(index))
        document.add_value(CHUNK_ORDER_SLOT, xapian.sortable_serialise(index))
        document.set_data(json.dumps([index, chunk.doc_id]))
        self.database.add_document(document)
        self.chunks += 1
        if self.chunks % _COMMIT_EVERY == 0:
            self.database.commit()

    def set(self, key: str, record: str) -> None:
        self.database.set_metadata(key, record)

    def close(self) -> _Pages:
        """Writes the catalogue and event pages and commits; returns how many there are."""
        catalog = range(0, len(self.catalog), CATALOG_PAGE)
        for number, start in enumerate(catalog):
            page = CatalogPage(entries=self.catalog[start : start + CATALOG_PAGE])
            self.set(CATALOG_KEY.format(number), page.model_dump_json())
        events = range(0, len(self.events), EVENT_PAGE)
        for number, start in enumerate(events):
            page_json = EVENT_PAGE_JSON.dump_json(self.events[start : start + EVENT_PAGE])
            self.set(EVENTS_KEY.format(number), page_json.decode())
        self.database.commit()
        self.database.close()
        return _Pages(len(catalog), len(events))


def build_shards(
    corpus: Corpus,
    options: IndexOptions,
    out: Path,
    shards: int,
    workers: int = 1,
    events: Sequence[EventRecord] | None = None,
) -> ShardsBuilt:
    """Writes ``out/shard-1`` … ``out/shard-N`` for ``corpus``, replacing any earlier build.

    With ``workers`` > 1 shards are written in that many forked processes (documents are
    independent; only the document frequencies are summed at the end). ``events`` are the
    corpus's timeline event records when already computed (the index cache has them);
    otherwise each document is tagged here.
    """
    if not 1 <= shards <= MAX_SHARDS:
        raise ShardBuildError(f"the number of shards must be between 1 and {MAX_SHARDS}")
    try:
        by_document = None if events is None else _by_document(events)
        return _build(corpus, options, out, shards, workers, by_document)
    except (OSError, xapian.DatabaseError) as error:
        reason = error.strerror if isinstance(error, OSError) else error.get_msg()
        raise ShardBuildError(f"cannot write the shards in {out}: {reason or error}") from None


def _build(
    corpus: Corpus,
    options: IndexOptions,
    out: Path,
    shards: int,
    workers: int,
    events: dict[str, list[EventRecord]] | None,
) -> ShardsBuilt:
    out.mkdir(parents=True, exist_ok=True)
    _check_replaceable(out, shards)
    staging = out / f".building-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        written = _write_all(_Source(corpus, events), staging, shards, workers)
        doc_freqs: Counter[str] = Counter()
        for part in written:
            doc_freqs.update(part.doc_freqs)
        info = ShardInfo(
            format=FORMAT,
            build=uuid.uuid4().hex,
            shard=1,
            shards=shards,
            k1=options.k1,
            b=options.b,
            epsilon=options.epsilon,
            mean_idf=_mean_idf(len(corpus.chunks), doc_freqs),
            vocabulary=len(doc_freqs),
            documents=len(corpus.documents),
            sentences=len(corpus.sentences),
            chunks=len(corpus.chunks),
            catalog_pages=0,
            event_pages=0,
        )
        blocks = _sentence_blocks(corpus)
        for number, part in enumerate(written, start=1):
            pages = {"catalog_pages": part.pages.catalog, "event_pages": part.pages.events}
            header = info.model_copy(update={"shard": number, **pages})
            _finish(staging / SHARD_NAME.format(number), header, blocks)
        _swap_in(staging, out, shards)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ShardsBuilt(
        out=out,
        shards=shards,
        documents=len(corpus.documents),
        chunks=len(corpus.chunks),
        terms=info.vocabulary,
        bytes=sum(_disk_bytes(out / SHARD_NAME.format(k)) for k in range(1, shards + 1)),
        chunks_per_shard=tuple(part.chunks for part in written),
    )


@dataclass(frozen=True, slots=True)
class _Source:
    """What the shards are written from: the corpus and, when known, its event records."""

    corpus: Corpus
    events: dict[str, list[EventRecord]] | None


# What forked workers read; set only while a pool runs, so it is shared, not pickled.
_FORKED_SOURCE: _Source | None = None


def _write_all(source: _Source, staging: Path, shards: int, workers: int) -> list[_Written]:
    jobs = [(staging / SHARD_NAME.format(k), k, shards) for k in range(1, shards + 1)]
    if workers <= 1 or shards == 1:
        return [_write_shard(source, *job) for job in jobs]
    global _FORKED_SOURCE
    _FORKED_SOURCE = source
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(workers, shards), mp_context=context) as pool:
            return list(pool.map(_write_forked, jobs))
    finally:
        _FORKED_SOURCE = None


def _write_forked(job: tuple[Path, int, int]) -> _Written:
    assert _FORKED_SOURCE is not None
    return _write_shard(_FORKED_SOURCE, *job)


def _write_shard(source: _Source, path: Path, shard: int, shards: int) -> _Written:
    """Adds the documents that hash to ``shard``, with their chunks, records, listings and
    timeline events (tagged here, in the shard's worker, unless they were given)."""
    corpus = source.corpus
    writer = _ShardWriter(path)
    doc_freqs: Counter[str] = Counter()
    ranges = chunk_ranges(corpus)
    for order, document in enumerate(corpus.documents):
        if shard_of(document.doc_id, shards) != shard:
            continue
        chunks = ranges.get(document.doc_id, range(0))
        for index in chunks:
            counts = Counter(chunk_terms(corpus, corpus.chunks[index]))
            writer.add_chunk(index, corpus.chunks[index], counts)
            doc_freqs.update(counts.keys())
        record = _record(corpus, document, chunks)
        writer.set(DOCUMENT_KEY.format(document_key(document.doc_id)), record.model_dump_json())
        span = corpus.sentence_range(document.doc_id)
        sentences = corpus.sentences[span.start : span.stop]
        size = DocumentCounts(corpus.chars(document.doc_id), len(span), len(chunks))
        info = document_info(document, sentences, size)
        writer.catalog.append(CatalogEntry(order=order, info=info))
        if source.events is None:
            writer.events.extend(document_events(document, sentences))
        else:
            writer.events.extend(source.events.get(document.doc_id, ()))
    pages = writer.close()
    return _Written(writer.chunks, pages, doc_freqs)


def _by_document(events: Sequence[EventRecord]) -> dict[str, list[EventRecord]]:
    grouped: defaultdict[str, list[EventRecord]] = defaultdict(list)
    for record in events:
        grouped[record.doc_id].append(record)
    return dict(grouped)


def _finish(path: Path, header: ShardInfo, blocks: dict[int, SentenceBlock]) -> None:
    """Adds the build-wide header and the sentence map, which need every shard written first."""
    database = xapian.WritableDatabase(str(path), xapian.DB_OPEN)
    for block, starts in blocks.items():
        database.set_metadata(SENTENCE_BLOCK_KEY.format(block), starts.model_dump_json())
    database.set_metadata(INFO_KEY, header.model_dump_json())
    database.commit()
    database.close()


def _record(corpus: Corpus, document: Document, chunks: range) -> DocumentRecord:
    span = corpus.sentence_range(document.doc_id)
    return DocumentRecord(
        doc_id=document.doc_id,
        source=document.source,
        title=document.title,
        url=document.url,
        published=document.published,
        author=document.author,
        encoding=document.encoding,
        text=corpus.text(document.doc_id),
        first_sentence=span.start,
        sentences=[
            (s.start, s.end, s.kind, s.section, s.text) for s in (corpus.sentences[i] for i in span)
        ],
        first_chunk=chunks.start if chunks else 0,
        chunks=[
            (c.first, c.last, c.start, c.end, c.n_tokens)
            for c in (corpus.chunks[i] for i in chunks)
        ],
    )


def _sentence_blocks(corpus: Corpus) -> dict[int, SentenceBlock]:
    """For each block of sentence indices, the documents whose sentences lie in it."""
    starts: defaultdict[int, list[tuple[int, str]]] = defaultdict(list)
    for document in corpus.documents:
        span = corpus.sentence_range(document.doc_id)
        if span:
            for block in range(span.start // SENTENCE_BLOCK, (span.stop - 1) // SENTENCE_BLOCK + 1):
                starts[block].append((span.start, document.doc_id))
    return {block: SentenceBlock(starts=found) for block, found in starts.items()}


def _mean_idf(n_chunks: int, doc_freqs: Counter[str]) -> float:
    """rank-bm25's mean raw idf over the vocabulary, behind its floor for common terms."""
    if not doc_freqs:
        return 0.0
    total = math.fsum(
        math.log(n_chunks - df + 0.5) - math.log(df + 0.5) for df in doc_freqs.values()
    )
    return total / len(doc_freqs)


def _check_replaceable(out: Path, shards: int) -> None:
    """Refuses to replace a ``shard-K`` that is not a Xapian database (someone else's folder)."""
    for number in range(1, shards + 1):
        path = out / SHARD_NAME.format(number)
        if path.exists() and not _is_database(path):
            raise ShardBuildError(f"{path} exists and is not a Xapian shard; choose another --out")


def _swap_in(staging: Path, out: Path, shards: int) -> None:
    """Moves the new shards into ``out``; old shards beyond the new count are removed."""
    retired = staging / "retired"
    retired.mkdir()
    for number, old in _earlier_shards(out):
        if number > shards:
            old.rename(retired / old.name)
    for number in range(1, shards + 1):
        name = SHARD_NAME.format(number)
        if (out / name).exists():
            (out / name).rename(retired / name)
        (staging / name).rename(out / name)


def _earlier_shards(out: Path) -> Iterator[tuple[int, Path]]:
    """Shard folders of an earlier build (a Xapian database named shard-K), with K."""
    for path in out.iterdir():
        match = SHARD_PATTERN.fullmatch(path.name)
        if match and _is_database(path):
            yield int(match.group(1)), path


def _is_database(path: Path) -> bool:
    return (path / "iamglass").is_file()


def _disk_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
