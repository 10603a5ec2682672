"""The search interface over a corpus and its BM25 index held in this process."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from retrieval.ingest.corpus import Corpus
from retrieval.models import Chunk, Document, Sentence
from retrieval.results import DocumentInfo
from retrieval.search.bm25 import BM25Index
from retrieval.search.catalog import DocumentCounts, document_info

if TYPE_CHECKING:
    from retrieval.timeline.records import EventRecord


class LocalBackend:
    """``SearchBackend`` over a ``Corpus`` (mapped from the cache, or in memory) and its index."""

    def __init__(self, corpus: Corpus, index: BM25Index) -> None:
        self.corpus = corpus
        self.index = index

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
        doc_filter = self.corpus.chunk_mask(docs) if docs else None
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

    def titles(self) -> dict[str, str]:
        return {document.doc_id: document.title for document in self.corpus.documents}

    def chunk_range(self, doc_id: str) -> range:
        return self.corpus.chunk_range(doc_id)

    def subjects(self, doc_id: str) -> frozenset[str]:
        return self.corpus.subjects(doc_id)

    def chunk_scores(self, terms: Sequence[str]) -> dict[int, float]:
        return dict(self.index.top_k(terms, self.index.n_chunks))

    def events(self) -> list[EventRecord]:
        """The event records stored with the index, document by document."""
        return [e for d in self.corpus.documents for e in self.corpus.events(d.doc_id)]

    def unavailable(self) -> list[str]:
        return []

    def _info(self, document: Document) -> DocumentInfo:
        """The listing, its opening lines checked against the file (the cache is untrusted)."""
        doc_id = document.doc_id
        span = self.corpus.sentence_range(doc_id)
        counts = DocumentCounts(
            self.corpus.chars(doc_id), len(span), len(self.corpus.chunk_range(doc_id))
        )
        sentences = map(self.corpus.sentences.__getitem__, span)
        shown = (s for s in sentences if self.corpus.faithful(doc_id, s.start, s.end, s.text))
        return document_info(document, shown, counts)


def chunk_ranges(corpus: Corpus) -> dict[str, range]:
    """Each document's chunk indices; a document's chunks are contiguous in the corpus."""
    return {document.doc_id: corpus.chunk_range(document.doc_id) for document in corpus.documents}
