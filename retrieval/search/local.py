"""The search interface over a corpus and its BM25 index held in this process."""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.ingest.corpus import Corpus
from retrieval.models import Chunk, Document, Sentence
from retrieval.results import DocumentInfo
from retrieval.search.bm25 import BM25Index
from retrieval.search.catalog import document_info


class LocalBackend:
    """``SearchBackend`` over an in-memory ``Corpus`` and ``BM25Index``."""

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

    def document_infos(self) -> list[DocumentInfo]:
        return [self._info(document) for document in self.corpus.documents]

    def unavailable(self) -> list[str]:
        return []

    def _info(self, document: Document) -> DocumentInfo:
        sentences = self.corpus.sentences
        span = self.corpus.sentence_range(document.doc_id)
        doc_id = document.doc_id
        chunks = len(self.corpus.chunk_range(doc_id))
        return document_info(
            document, (sentences[i] for i in span), chunks, self.corpus.chars(doc_id)
        )
