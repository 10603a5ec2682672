"""The search interface the answerer, the timeline and the service talk to.

Two backends implement it: ``LocalBackend`` (the corpus and its BM25 index in this process)
and ``XapianBackend`` (shards served by ``xapian-tcpsrv``). Chunk and sentence indices are
positions in corpus order, the same in both, so nothing above this interface knows which
backend it has.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from retrieval.models import Chunk, Document, Sentence
from retrieval.results import DocumentInfo

if TYPE_CHECKING:
    from retrieval.timeline.records import EventRecord


class SearchBackend(Protocol):
    """Top-k chunks with BM25 scores, term statistics, and documents with their sentences."""

    @property
    def n_chunks(self) -> int:
        """Chunks searched (fewer than built while a shard is down)."""
        ...

    @property
    def n_sentences(self) -> int: ...

    @property
    def n_documents(self) -> int: ...

    @property
    def vocabulary_size(self) -> int: ...

    def doc_freq(self, term: str) -> int:
        """How many chunks contain ``term``."""
        ...

    def top_k(
        self, terms: Sequence[str], k: int, docs: Sequence[str] = ()
    ) -> list[tuple[int, float]]:
        """The best ``k`` (chunk index, BM25 score) pairs, best first, ties by lower index;
        only chunks of ``docs`` when given. Exactly rank-bm25's BM25Okapi scores."""
        ...

    def chunk(self, index: int) -> Chunk: ...

    def sentence(self, index: int) -> Sentence:
        """The sentence at corpus index ``index``; IndexError when there is none."""
        ...

    def sentence_range(self, doc_id: str) -> range:
        """Corpus indices of a document's sentences; KeyError for an unknown ID."""
        ...

    def document(self, doc_id: str) -> Document:
        """The document with this exact ID; KeyError for an unknown one."""
        ...

    def doc_ids(self) -> list[str]:
        """Every document ID, in corpus order."""
        ...

    def document_info(self, doc_id: str) -> DocumentInfo:
        """One document's listing; KeyError for an unknown ID."""
        ...

    def document_infos(self) -> list[DocumentInfo]:
        """Every document's listing, in corpus order."""
        ...

    def titles(self) -> dict[str, str]:
        """Every document's title by ID (cheap: no listing, no file read)."""
        ...

    def chunk_range(self, doc_id: str) -> range:
        """Corpus indices of a document's chunks; KeyError for an unknown ID."""
        ...

    def subjects(self, doc_id: str) -> frozenset[str]:
        """The terms that run through the document (``retrieval.search.subjects``); KeyError
        for an unknown ID."""
        ...

    def chunk_scores(self, terms: Sequence[str]) -> dict[int, float]:
        """The BM25 score of every chunk holding any of ``terms``."""
        ...

    def events(self) -> Sequence[EventRecord]:
        """Every document's timeline event records (stored at index time where the backend can)."""
        ...

    def unavailable(self) -> list[str]:
        """Parts of the index that could not be reached just now (answers are partial)."""
        ...
