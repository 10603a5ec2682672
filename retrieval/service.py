"""QAService: the one facade every adapter calls.

It owns a loaded corpus and its index and answers in plain result objects;
how they are shown is the adapters' business.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.answer.answerer import Answerer, AnswerOptions
from retrieval.answer.evaluation import EvalQuestion, Scores, compare
from retrieval.answer.question import parse_question
from retrieval.doc_ids import resolve_doc_id
from retrieval.errors import InvalidQuery
from retrieval.models import Document, SentenceKind
from retrieval.results import Answer, DocumentInfo, Timeline
from retrieval.search.corpus_cache import IndexOptions, LoadedCorpus, load_corpus

if TYPE_CHECKING:
    from retrieval.timeline.timelines import Timelines

MAX_QUOTES = 10

_OPENING_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class ServiceStatus:
    """What was loaded, for start-up lines and health checks."""

    corpus: Path
    documents: int
    sentences: int
    chunks: int
    terms: int
    from_cache: bool
    cache_path: Path
    cache_bytes: int


class QAService:
    """Questions, timelines and document listings over one corpus."""

    def __init__(self, loaded: LoadedCorpus, answer_options: AnswerOptions | None = None) -> None:
        self._loaded = loaded
        self._corpus = loaded.corpus
        self._index = loaded.index
        self._answerer = Answerer(self._corpus, self._index, answer_options or AnswerOptions())
        self._timelines: Timelines | None = None
        self._chunk_counts = Counter(chunk.doc_id for chunk in self._corpus.chunks)

    @classmethod
    def open(
        cls,
        root: Path,
        options: IndexOptions,
        cache_dir: Path,
        answer_options: AnswerOptions | None = None,
        rebuild: bool = False,
    ) -> QAService:
        return cls(load_corpus(root, options, cache_dir, rebuild=rebuild), answer_options)

    def ask(self, question: str, top: int = 3, docs: Sequence[str] | None = None) -> Answer:
        """Quoted sentences that answer ``question``, or an abstention.

        Raises InvalidQuery for an empty, overlong or content-free question and
        UnknownDocument for a doc ID not in the corpus.
        """
        if not 1 <= top <= MAX_QUOTES:
            raise InvalidQuery(f"top must be between 1 and {MAX_QUOTES}, not {top}")
        return self._answerer.answer(parse_question(question), top, self.check_doc_ids(docs))

    def status(self) -> ServiceStatus:
        loaded = self._loaded
        return ServiceStatus(
            corpus=self._corpus.root,
            documents=len(self._corpus.documents),
            sentences=len(self._corpus.sentences),
            chunks=len(self._corpus.chunks),
            terms=self._index.vocabulary_size,
            from_cache=loaded.from_cache,
            cache_path=loaded.cache_path,
            cache_bytes=loaded.cache_bytes,
        )

    def timeline(
        self,
        topic: str | None = None,
        start: str | None = None,
        end: str | None = None,
        docs: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> Timeline:
        """Dated events in chronological order, filtered by topic, period and documents.

        ``start``/``end`` are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a bad date or a
        start after the end raises InvalidQuery, an unknown doc ID UnknownDocument.
        """
        if self._timelines is None:
            # Imported here: the temporal tagger is only needed once someone asks for a timeline.
            from retrieval.timeline.timelines import Timelines

            self._timelines = Timelines(self._corpus, self._index)
        return self._timelines.timeline(topic, start, end, self.check_doc_ids(docs), limit)

    def evaluate(self, questions: Sequence[EvalQuestion]) -> tuple[Scores, Scores]:
        """The answerer's scores on ``questions`` and a plain BM25 baseline's, in one run."""
        return compare(questions, self.ask, self._corpus)

    def doc_ids(self) -> list[str]:
        return [document.doc_id for document in self._corpus.documents]

    def documents(self) -> list[DocumentInfo]:
        return [self._info(document) for document in self._corpus.documents]

    def document(self, doc_id: str) -> DocumentInfo:
        return self._info(self._document(doc_id))

    def check_doc_ids(self, doc_ids: Sequence[str] | None) -> list[str]:
        """The given IDs, each checked; an unknown one raises with the closest IDs."""
        return [self._document(doc_id).doc_id for doc_id in doc_ids or ()]

    def _document(self, doc_id: str) -> Document:
        """The document meant by ``doc_id``: its ID, a unique prefix or a unique path tail."""
        return self._corpus.document(
            resolve_doc_id(doc_id, self.doc_ids(), "'quotebot docs' lists the IDs")
        )

    def _info(self, document: Document) -> DocumentInfo:
        sentences = [
            self._corpus.sentences[i] for i in self._corpus.sentence_range(document.doc_id)
        ]
        body = [s.text for s in sentences if s.kind is SentenceKind.BODY]
        return DocumentInfo(
            doc_id=document.doc_id,
            title=document.title,
            source=document.source,
            url=document.url,
            published=document.published,
            author=document.author,
            characters=len(document.text),
            sentences=len(sentences),
            chunks=self._chunk_counts[document.doc_id],
            opening=" ".join(body[:_OPENING_SENTENCES]),
        )
