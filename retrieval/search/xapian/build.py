"""Writing a loaded corpus into N Xapian shards that hold everything a query needs.

Documents go to shards by a stable hash of their ID. Each chunk is one Xapian document whose
terms are quotebot's own analysed terms with their frequencies (no positions: BM25 needs none,
and Xapian's TermGenerator would analyse differently), so the shards' statistics are the
in-process index's. Each shard also holds its documents' texts, sentences and chunks, its part
of the catalogue, the map from sentence indices to documents, and the build-wide figures the
scores need (rank-bm25's mean idf).

Each shard is written in parts (runs of its documents, one per process when there are more
processes than shards) that Xapian's compactor then merges, in order, with a database of the
shard's pages, into the shard: merging sorted postings is fast, and the compacted shard is
about half the size of databases filled one document at a time. Shards are built beside the
output and swapped in one by one, so a failed build leaves the old shards as they were.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import shutil
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import xapian

from retrieval.errors import QuotebotError
from retrieval.ingest.corpus import Corpus
from retrieval.models import Chunk, Document
from retrieval.search.catalog import DocumentCounts, document_info
from retrieval.search.corpus_cache import IndexOptions, chunk_terms
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
from retrieval.timeline.events import document_events
from retrieval.timeline.records import EventRecord

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
class _PartJob:
    """A run of one shard's documents (positions in corpus order), written by one process."""

    path: Path
    documents: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Part:
    """What writing one part produced; its listings and events go into the shard's pages."""

    chunks: int
    catalog: list[CatalogEntry]
    events: list[EventRecord]
    doc_freqs: Counter[str]


class _PartWriter:
    """One part of a shard being written: its chunks and its documents' records."""

    def __init__(self, path: Path) -> None:
        self.database = xapian.WritableDatabase(
            str(path), xapian.DB_CREATE_OR_OVERWRITE | xapian.DB_BACKEND_GLASS
        )
        self.chunks = 0

    def add_chunk(self, index: int, chunk: Chunk, counts: Counter[str]) -> None:
        document = xapian.Document()
        add_term = document.add_term
        for term, frequency in counts.items():
            add_term(index_term(term), frequency)
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

    def close(self) -> None:
        self.database.commit()
        self.database.close()


def build_shards(
    corpus: Corpus,
    options: IndexOptions,
    out: Path,
    shards: int,
    workers: int = 1,
    events: Sequence[EventRecord] | None = None,
) -> ShardsBuilt:
    """Writes ``out/shard-1`` … ``out/shard-N`` for ``corpus``, replacing any earlier build.

    With ``workers`` > 1 the shards' parts are written and merged in that many forked
    processes (documents are independent; only the document frequencies are summed at the
    end), so even one shard is written by all of them. ``events`` are the
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
        plan = _plan(corpus, staging, shards, workers)
        jobs = [job for shard in plan for job in shard]
        with _pool(_Source(corpus, events), min(workers, len(jobs))) as run:
            parts = run(_write_part, jobs)
            doc_freqs: Counter[str] = Counter()
            for part in parts:
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
            merges, chunks_per_shard, first = [], [], 0
            for number, runs in enumerate(plan, start=1):
                own = parts[first : first + len(runs)]
                first += len(runs)
                pages = staging / f"{SHARD_NAME.format(number)}.pages"
                _write_pages(pages, info.model_copy(update={"shard": number}), own, blocks)
                merges.append(
                    ([piece.path for piece in runs] + [pages], staging / SHARD_NAME.format(number))
                )
                chunks_per_shard.append(sum(part.chunks for part in own))
            run(_merge, merges)
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
        chunks_per_shard=tuple(chunks_per_shard),
    )


@dataclass(frozen=True, slots=True)
class _Source:
    """What the shards are written from: the corpus and, when known, its event records."""

    corpus: Corpus
    events: dict[str, list[EventRecord]] | None


def _plan(corpus: Corpus, staging: Path, shards: int, workers: int) -> list[list[_PartJob]]:
    """Each shard's documents in corpus order, cut into runs of about equal chunk counts, so
    that ``workers`` processes share the writing even when there are fewer shards."""
    members: list[list[int]] = [[] for _ in range(shards)]
    for order, document in enumerate(corpus.documents):
        members[shard_of(document.doc_id, shards) - 1].append(order)
    runs = max(1, -(-workers // shards))
    return [
        [
            _PartJob(staging / f"{SHARD_NAME.format(number)}.part-{run}", tuple(documents))
            for run, documents in enumerate(_cut(corpus, orders, runs))
        ]
        for number, orders in enumerate(members, start=1)
    ]


def _cut(corpus: Corpus, orders: list[int], runs: int) -> list[list[int]]:
    """``orders`` cut into ``runs`` contiguous pieces holding about as many chunks each."""
    sizes = [len(corpus.chunk_range(corpus.documents[order].doc_id)) for order in orders]
    total = max(1, sum(sizes))
    pieces: list[list[int]] = [[] for _ in range(runs)]
    seen = 0
    for order, size in zip(orders, sizes, strict=True):
        pieces[seen * runs // total].append(order)
        seen += size
    return [piece for piece in pieces if piece] or [[]]


# What forked workers read; set only while a pool runs, so it is shared, not pickled.
_FORKED_SOURCE: _Source | None = None

_J = TypeVar("_J")
_R = TypeVar("_R")
_Run = Callable[[Callable[[_J], _R], Sequence[_J]], list[_R]]


@contextmanager
def _pool(source: _Source, workers: int) -> Iterator[_Run[Any, Any]]:
    """Runs jobs in order, in ``workers`` forked processes that share ``source``."""
    global _FORKED_SOURCE
    _FORKED_SOURCE = source
    try:
        if workers <= 1:
            yield lambda job, items: [job(item) for item in items]
            return
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            yield lambda job, items: list(pool.map(job, items))
    finally:
        _FORKED_SOURCE = None


def _write_part(job: _PartJob) -> _Part:
    """Adds a run of a shard's documents, with their chunks and records, and gathers their
    listings and timeline events (tagged here, in the worker, unless they were given)."""
    assert _FORKED_SOURCE is not None
    corpus, events = _FORKED_SOURCE.corpus, _FORKED_SOURCE.events
    writer = _PartWriter(job.path)
    doc_freqs: Counter[str] = Counter()
    catalog: list[CatalogEntry] = []
    found: list[EventRecord] = []
    for order in job.documents:
        document = corpus.documents[order]
        chunks = corpus.chunk_range(document.doc_id)
        for index in chunks:
            counts = Counter(chunk_terms(corpus, corpus.chunks[index]))
            writer.add_chunk(index, corpus.chunks[index], counts)
            doc_freqs.update(counts.keys())
        record = _record(corpus, document, chunks)
        writer.set(DOCUMENT_KEY.format(document_key(document.doc_id)), record.model_dump_json())
        span = corpus.sentence_range(document.doc_id)
        sentences = corpus.sentences[span.start : span.stop]
        size = DocumentCounts(corpus.chars(document.doc_id), len(span), len(chunks))
        catalog.append(CatalogEntry(order=order, info=document_info(document, sentences, size)))
        if events is None:
            found.extend(document_events(document, sentences))
        else:
            found.extend(events.get(document.doc_id, ()))
    writer.close()
    return _Part(writer.chunks, catalog, found, doc_freqs)


def _write_pages(
    path: Path, header: ShardInfo, parts: Sequence[_Part], blocks: dict[int, SentenceBlock]
) -> None:
    """A database of no documents holding what needs the whole shard or build: the catalogue
    and event pages, the sentence map and the header."""
    catalog = [entry for part in parts for entry in part.catalog]
    events = [record for part in parts for record in part.events]
    database = xapian.WritableDatabase(
        str(path), xapian.DB_CREATE_OR_OVERWRITE | xapian.DB_BACKEND_GLASS
    )
    catalog_pages = range(0, len(catalog), CATALOG_PAGE)
    for number, start in enumerate(catalog_pages):
        page = CatalogPage(entries=catalog[start : start + CATALOG_PAGE])
        database.set_metadata(CATALOG_KEY.format(number), page.model_dump_json())
    event_pages = range(0, len(events), EVENT_PAGE)
    for number, start in enumerate(event_pages):
        page_json = EVENT_PAGE_JSON.dump_json(events[start : start + EVENT_PAGE])
        database.set_metadata(EVENTS_KEY.format(number), page_json.decode())
    for block, starts in blocks.items():
        database.set_metadata(SENTENCE_BLOCK_KEY.format(block), starts.model_dump_json())
    counts = {"catalog_pages": len(catalog_pages), "event_pages": len(event_pages)}
    database.set_metadata(INFO_KEY, header.model_copy(update=counts).model_dump_json())
    database.commit()
    database.close()


def _merge(job: tuple[list[Path], Path]) -> None:
    """Compacts a shard's parts, in order, into the shard; Xapian writes the merged postings
    in one pass, with full blocks, so the shard is about half the size of its parts."""
    sources, shard = job
    merged = xapian.Database()
    for source in sources:
        merged.add_database(xapian.Database(str(source)))
    merged.compact(str(shard), xapian.Compactor.FULL)
    merged.close()
    for source in sources:
        shutil.rmtree(source)


def _by_document(events: Sequence[EventRecord]) -> dict[str, list[EventRecord]]:
    grouped: defaultdict[str, list[EventRecord]] = defaultdict(list)
    for record in events:
        grouped[record.doc_id].append(record)
    return dict(grouped)


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
