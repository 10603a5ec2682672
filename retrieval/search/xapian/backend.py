"""The search interface over Xapian shards served by ``xapian-tcpsrv``: no local corpus.

Searches and term statistics go to all reachable shards as one database. A document's texts,
sentences and chunks come from its own shard (found by the hash of its ID) and are kept in a
small LRU, so a bot's memory does not grow with the corpus; only listing every document
(``quotebot docs``) reads the whole catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence

import xapian

from retrieval.models import Chunk, Document, Sentence
from retrieval.results import DocumentInfo
from retrieval.search.catalog import DocumentCounts, document_info
from retrieval.search.subjects import sentence_subjects
from retrieval.search.xapian.layout import (
    CATALOG_KEY,
    DOCUMENT_KEY,
    EVENTS_KEY,
    INFO_KEY,
    SENTENCE_BLOCK,
    SENTENCE_BLOCK_KEY,
    chunk_term,
    document_key,
    shard_of,
)
from retrieval.search.xapian.lru import Lru
from retrieval.search.xapian.records import (
    CatalogEntry,
    CatalogPage,
    DocumentRecord,
    SentenceBlock,
    ShardInfo,
    ShardRecordError,
    parse,
    parse_events,
)
from retrieval.search.xapian.remote import Remote
from retrieval.search.xapian.remote_index import ShardIndex, chunk_data
from retrieval.search.xapian.shards import ShardSet, ShardTimeouts
from retrieval.timeline.records import EventRecord

_CACHED_DOCUMENTS = 256
_CACHED_BLOCKS = 64


class XapianBackend:
    """``SearchBackend`` over a ``ShardSet``."""

    def __init__(self, shards: ShardSet) -> None:
        self._shards = shards
        self._index = ShardIndex(shards)
        self._records: Lru[str, DocumentRecord] = Lru(_CACHED_DOCUMENTS)
        self._blocks: Lru[int, SentenceBlock] = Lru(_CACHED_BLOCKS)
        self._catalog: list[CatalogEntry] = []
        self._catalog_shards: tuple[int, ...] = ()

    @classmethod
    def connect(cls, remotes: Sequence[str], reply_timeout: float) -> XapianBackend:
        """Opens the shards served at ``remotes`` (``host:port``, the K-th serving shard-K)."""
        timeouts = ShardTimeouts(reply=reply_timeout)
        return cls(ShardSet([Remote.parse(remote) for remote in remotes], timeouts))

    @property
    def n_chunks(self) -> int:
        return self._index.n_chunks

    @property
    def n_sentences(self) -> int:
        return self._shards.info.sentences

    @property
    def n_documents(self) -> int:
        return self._shards.info.documents

    @property
    def vocabulary_size(self) -> int:
        return self._index.vocabulary_size

    def doc_freq(self, term: str) -> int:
        return self._index.doc_freq(term)

    def top_k(
        self, terms: Sequence[str], k: int, docs: Sequence[str] = ()
    ) -> list[tuple[int, float]]:
        return self._index.top_k(terms, k, docs)

    def chunk(self, index: int) -> Chunk:
        doc_id = self._index.chunk_docs.get(index) or self._chunk_doc(index)
        return self._record(doc_id).chunk(index)

    def sentence(self, index: int) -> Sentence:
        if not 0 <= index < self.n_sentences:
            raise IndexError(index)
        return self._record(self._sentence_doc(index)).sentence(index)

    def sentence_range(self, doc_id: str) -> range:
        return self._record(doc_id).sentence_range

    def document(self, doc_id: str) -> Document:
        return self._record(doc_id).document()

    def doc_ids(self) -> list[str]:
        return [entry.info.doc_id for entry in self._catalogue()]

    def document_info(self, doc_id: str) -> DocumentInfo:
        record = self._record(doc_id)
        sentences = (record.sentence(i) for i in record.sentence_range)
        document = record.document()
        counts = DocumentCounts(len(document.text), len(record.sentence_range), len(record.chunks))
        return document_info(document, sentences, counts)

    def document_infos(self) -> list[DocumentInfo]:
        return [entry.info for entry in self._catalogue()]

    def titles(self) -> dict[str, str]:
        return {entry.info.doc_id: entry.info.title for entry in self._catalogue()}

    def chunk_range(self, doc_id: str) -> range:
        record = self._record(doc_id)
        return range(record.first_chunk, record.first_chunk + len(record.chunks))

    def subjects(self, doc_id: str) -> frozenset[str]:
        """Worked out from the document's record (the answerer keeps them once read)."""
        record = self._record(doc_id)
        return sentence_subjects(record.sentence(i) for i in record.sentence_range)

    def chunk_scores(self, terms: Sequence[str]) -> dict[int, float]:
        return dict(self._index.all_scores(terms))

    def events(self) -> list[EventRecord]:
        """The event records stored at index time, from every reachable shard."""
        return [event for shard in self._shards.reachable() for event in self._shard_events(shard)]

    def unavailable(self) -> list[str]:
        return self._shards.unavailable()

    def _record(self, doc_id: str) -> DocumentRecord:
        """A document's record from its shard; KeyError when no shard has it."""
        record = self._records.get(doc_id)
        if record is not None:
            return record
        key = DOCUMENT_KEY.format(document_key(doc_id))
        shard = shard_of(doc_id, self._shards.count)
        raw = self._shards.run_on(shard, lambda database: database.get_metadata(key))
        if not raw:
            raise KeyError(doc_id)
        record = parse(DocumentRecord, raw, f"the record of {doc_id!r} in shard {shard}")
        if record.doc_id != doc_id:
            raise ShardRecordError(f"shard {shard} holds another document under {doc_id!r}")
        return self._records.put(doc_id, record)

    def _chunk_doc(self, index: int) -> str:
        """The document of a chunk no search has returned yet, looked up by its chunk term."""

        def lookup(database: xapian.Database) -> bytes | None:
            for posting in database.postlist(chunk_term(index)):
                return bytes(database.get_document(posting.docid).get_data())
            return None

        data = self._shards.run(lookup)
        if data is None:
            raise IndexError(index)
        return chunk_data(data)[1]

    def _sentence_doc(self, index: int) -> str:
        """The document holding corpus sentence ``index``, from the replicated block map."""
        number = index // SENTENCE_BLOCK
        block = self._blocks.get(number)
        if block is None:
            key = SENTENCE_BLOCK_KEY.format(number)
            raw = self._shards.run(lambda database: database.get_metadata(key))
            block = self._blocks.put(number, parse(SentenceBlock, raw, f"sentence block {number}"))
        holders = [doc_id for start, doc_id in block.starts if start <= index]
        if not holders:
            raise IndexError(index)
        return holders[-1]

    def _catalogue(self) -> list[CatalogEntry]:
        """Every reachable shard's catalogue, merged in corpus order; read again after a change."""
        reachable = self._shards.reachable()
        if reachable != self._catalog_shards:
            entries = [entry for shard in reachable for entry in self._shard_catalogue(shard)]
            self._catalog = sorted(entries, key=lambda entry: entry.order)
            self._catalog_shards = reachable
        return self._catalog

    def _shard_catalogue(self, shard: int) -> list[CatalogEntry]:
        def read(database: xapian.Database) -> list[CatalogEntry]:
            info = parse(ShardInfo, database.get_metadata(INFO_KEY), f"shard {shard} header")
            pages = (
                database.get_metadata(CATALOG_KEY.format(n)) for n in range(info.catalog_pages)
            )
            return [
                entry
                for raw in pages
                for entry in parse(CatalogPage, raw, f"shard {shard} catalogue").entries
            ]

        return self._shards.run_on(shard, read)

    def _shard_events(self, shard: int) -> list[EventRecord]:
        def read(database: xapian.Database) -> list[EventRecord]:
            info = parse(ShardInfo, database.get_metadata(INFO_KEY), f"shard {shard} header")
            pages = (database.get_metadata(EVENTS_KEY.format(n)) for n in range(info.event_pages))
            return [event for raw in pages for event in parse_events(raw, f"shard {shard} events")]

        return self._shards.run_on(shard, read)
