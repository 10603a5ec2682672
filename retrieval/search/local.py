"""The search interface over a corpus and its BM25 index held in this process."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from retrieval.ingest.corpus import Corpus
from retrieval.models import Chunk, Document, Sentence
from retrieval.results import DocumentInfo
from retrieval.search.bm25 import BM25Index
from retrieval.search.catalog import document_info

if TYPE_CHECKING:
    from retrieval.timeline.events import EventRecord


class LocalBackend:
    """``SearchBackend`` over an in-memory ``Corpus`` and ``BM25Index``."""

    def __init__(self, corpus: Corpus, index: BM25Index) -> None:
        self.corpus = corpus
        self.index = index
        self._chunk_docs = np.array([chunk.doc_id for chunk in corpus.chunks], dtype=object)
        self._chunk_ranges = chunk_ranges(corpus)

    @property
    def n_chunks(self) -> int:
        return self.index.n_chunks

    @property
    def n_sentences(self) -> int:
        return len(self.corpus.sentences)

    @property
    def n_documents(self) -> int:
        return len(self.corpus.documents)

    @property
    def vocabulary_size(self) -> int:
        return self.index.vocabulary_size

    def doc_freq(self, term: str) -> int:
        return self.index.doc_freq(term)

    def top_k(
        self, terms: Sequence[str], k: int, docs: Sequence[str] = ()
    ) -> list[tuple[int, float]]:
        doc_filter = np.isin(self._chunk_docs, list(docs)) if docs else None
        return self.index.top_k(terms, k, doc_filter)

    def chunk(self, index: int) -> Chunk:
        return self.corpus.chunks[index]

    def sentence(self, index: int) -> Sentence:
        if index < 0:
            raise IndexError(index)
        return self.corpus.sentences[index]

    def sentence_range(self, doc_id: str) -> range:
        return self.corpus.sentence_range(doc_id)

    def document(self, doc_id: str) -> Document:
        return self.corpus.document(doc_id)

    def doc_ids(self) -> list[str]:
        return [document.doc_id for document in self.corpus.documents]

    def document_info(self, doc_id: str) -> DocumentInfo:
        return self._info(self.corpus.document(doc_id))

    def document_infos(self) -> list[DocumentInfo]:
        return [self._info(document) for document in self.corpus.documents]

    def chunk_range(self, doc_id: str) -> range:
        self.corpus.document(doc_id)
        return self._chunk_ranges.get(doc_id, range(0))

    def chunk_scores(self, terms: Sequence[str]) -> dict[int, float]:
        return dict(self.index.top_k(terms, self.index.n_chunks))

    def events(self) -> list[EventRecord]:
        # Imported here: the temporal tagger is only loaded once someone asks for a timeline.
        from retrieval.timeline.timelines import corpus_events

        return corpus_events(self.corpus)

    def unavailable(self) -> list[str]:
        return []

    def _info(self, document: Document) -> DocumentInfo:
        sentences = self.corpus.sentences
        span = self.corpus.sentence_range(document.doc_id)
        return document_info(
            document, (sentences[i] for i in span), len(self.chunk_range(document.doc_id))
        )


def chunk_ranges(corpus: Corpus) -> dict[str, range]:
    """Each document's chunk indices; a document's chunks are contiguous in the corpus."""
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    for index, chunk in enumerate(corpus.chunks):
        starts.setdefault(chunk.doc_id, index)
        ends[chunk.doc_id] = index + 1
    return {doc_id: range(start, ends[doc_id]) for doc_id, start in starts.items()}
