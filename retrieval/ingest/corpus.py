"""A corpus in memory: documents, their sentences and chunks, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from retrieval.ingest.chunks import ChunkOptions, chunk_document
from retrieval.ingest.pipeline import read_documents
from retrieval.ingest.tokenizer import encoding
from retrieval.models import Chunk, Document, Sentence


@dataclass(slots=True)
class Corpus:
    """Everything ingestion produces; sentence and chunk lists span all documents."""

    root: Path
    documents: list[Document] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    _by_id: dict[str, Document] = field(default_factory=dict, repr=False)
    _sentence_ranges: dict[str, range] = field(default_factory=dict, repr=False)

    def add(self, document: Document, sentences: list[Sentence], chunks: list[Chunk]) -> None:
        """Append one document; its chunks must already index the corpus sentence list."""
        first = len(self.sentences)
        self.documents.append(document)
        self.sentences.extend(sentences)
        self.chunks.extend(chunks)
        self._by_id[document.doc_id] = document
        self._sentence_ranges[document.doc_id] = range(first, len(self.sentences))

    def document(self, doc_id: str) -> Document:
        """The document with this ID; raises KeyError for an unknown one."""
        return self._by_id[doc_id]

    def sentence_range(self, doc_id: str) -> range:
        """Indices of a document's sentences in the corpus sentence list."""
        return self._sentence_ranges[doc_id]


def build_corpus(root: Path, options: ChunkOptions, follow_outside_links: bool = False) -> Corpus:
    """Read, clean, segment and chunk every document under ``root``."""
    enc = encoding(options.encoding)
    corpus = Corpus(root)
    for ingested in read_documents(root, follow_outside_links):
        document, sentences = ingested.document, ingested.sentences
        first = len(corpus.sentences)
        chunks = chunk_document(document.text, sentences, first, enc, options)
        corpus.add(document, sentences, chunks)
    return corpus
