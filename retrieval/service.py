"""QAService: the one facade every adapter calls.

It talks to one search backend (the corpus and index in this process, or Xapian shards) and
answers in plain result objects; how they are shown is the adapters' business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.answer.answerer import Answerer, AnswerOptions
from retrieval.answer.evaluation import EvalQuestion, Scores, compare
from retrieval.answer.question import parse_question
from retrieval.doc_ids import resolve_doc_id
from retrieval.errors import InvalidQuery
from retrieval.models import Document
from retrieval.results import Answer, DocumentInfo, Timeline
from retrieval.search.backend import SearchBackend
from retrieval.search.corpus_cache import IndexOptions, LoadedCorpus, load_corpus
from retrieval.search.local import LocalBackend

if TYPE_CHECKING:
    from retrieval.timeline.timelines import Timelines

MAX_QUOTES = 10


@dataclass(frozen=True, slots=True)
class ServiceStatus:
    """What was loaded, for start-up lines and health checks.

    ``backend`` says where the index is ("local", or the Xapian shards); ``corpus`` and the
    cache fields describe a local one and are None on shards.
    """

    corpus: Path | None
    documents: int
    sentences: int
    chunks: int
    terms: int
    from_cache: bool
    cache_path: Path | None
    cache_bytes: int
    backend: str = "local"


class QAService:
    """Questions, timelines and document listings over one search backend."""

    def __init__(
        self,
        search: SearchBackend,
        answer_options: AnswerOptions | None = None,
        loaded: LoadedCorpus | None = None,
        backend: str = "local",
    ) -> None:
        self._search = search
        self._loaded = loaded
        self._backend = backend
        self._answerer = Answerer(search, answer_options or AnswerOptions())
        self._timelines: Timelines | None = None

    @classmethod
    def local(cls, loaded: LoadedCorpus, answer_options: AnswerOptions | None = None) -> QAService:
        """A service over a corpus and index loaded in this process."""
        return cls(LocalBackend(loaded.corpus, loaded.index), answer_options, loaded)

    @classmethod
    def open(
        cls,
        root: Path,
        options: IndexOptions,
        cache_dir: Path,
        answer_options: AnswerOptions | None = None,
        rebuild: bool = False,
    ) -> QAService:
        return cls.local(load_corpus(root, options, cache_dir, rebuild=rebuild), answer_options)

    def ask(self, question: str, top: int = 3, docs: Sequence[str] | None = None) -> Answer:
        """Quoted sentences that answer ``question``, or an abstention.

        Raises InvalidQuery for an empty, overlong or content-free question and
        UnknownDocument for a doc ID not in the corpus.
        """
        if not 1 <= top <= MAX_QUOTES:
            raise InvalidQuery(f"top must be between 1 and {MAX_QUOTES}, not {top}")
        answer = self._answerer.answer(parse_question(question), top, self.check_doc_ids(docs))
        return answer.model_copy(update={"partial": True}) if self._partial() else answer

    def status(self) -> ServiceStatus:
        loaded = self._loaded
        return ServiceStatus(
            corpus=loaded.corpus.root if loaded else None,
            documents=self._search.n_documents,
            sentences=self._search.n_sentences,
            chunks=self._search.n_chunks,
            terms=self._search.vocabulary_size,
            from_cache=loaded.from_cache if loaded else False,
            cache_path=loaded.cache_path if loaded else None,
            cache_bytes=loaded.cache_bytes if loaded else 0,
            backend=self._backend,
        )

    def unavailable(self) -> list[str]:
        """Parts of the index that could not be reached just now; answers are partial."""
        return self._search.unavailable()

    def _partial(self) -> bool:
        return bool(self._search.unavailable())

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

            self._timelines = Timelines(self._search)
        found = self._timelines.timeline(topic, start, end, self.check_doc_ids(docs), limit)
        return found.model_copy(update={"partial": True}) if self._partial() else found

    def evaluate(self, questions: Sequence[EvalQuestion]) -> tuple[Scores, Scores]:
        """The answerer's scores on ``questions`` and a plain BM25 baseline's, in one run."""
        if self._loaded is None:
            raise InvalidQuery(
                "eval runs on a local corpus; give --corpus with search_backend local"
            )
        return compare(questions, self.ask, self._loaded.corpus)

    def doc_ids(self) -> list[str]:
        return self._search.doc_ids()

    def documents(self) -> list[DocumentInfo]:
        return self._search.document_infos()

    def document(self, doc_id: str) -> DocumentInfo:
        return self._search.document_info(self._document(doc_id).doc_id)

    def check_doc_ids(self, doc_ids: Sequence[str] | None) -> list[str]:
        """The given IDs, each checked; an unknown one raises with the closest IDs."""
        return [self._document(doc_id).doc_id for doc_id in doc_ids or ()]

    def _document(self, doc_id: str) -> Document:
        """The document meant by ``doc_id``: its ID, a unique prefix or a unique path tail."""
        try:
            return self._search.document(doc_id)
        except KeyError:
            pass
        return self._search.document(
            resolve_doc_id(doc_id, self.doc_ids(), "'quotebot docs' lists the IDs")
        )
