"""QAService: the one facade every adapter calls.

It owns a loaded corpus and its index and answers in plain result objects; how they are
shown is the adapters' business. Everything one call reads comes from one `_State` (the
corpus, index and answerer of one moment), and `refresh` swaps in a new state whole, so a
question asked while the folder is re-indexed is answered from the old index or the new one,
never half of each. Quotes come from a cache that may have been tampered with, so each one is
checked against its file before it is returned; a mismatch re-scans the folder (the file may
have changed) or rebuilds the cache, and a quote that still does not match is never shown.
"""

from __future__ import annotations

import difflib
import itertools
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from retrieval.answer.answerer import Answerer, AnswerOptions
from retrieval.answer.evaluation import EvalQuestion, Scores, compare
from retrieval.answer.question import parse_question
from retrieval.errors import InvalidQuery, UnknownDocument
from retrieval.ingest.corpus import Corpus
from retrieval.ingest.fidelity import faithful
from retrieval.models import Document, SentenceKind
from retrieval.results import Answer, DocumentInfo, Reload, Timeline
from retrieval.search.corpus_cache import IndexOptions, LoadedCorpus, load_corpus
from retrieval.search.store import StoreInvalid

if TYPE_CHECKING:
    from retrieval.timeline.timelines import Timelines

log = logging.getLogger("quotebot")

MAX_QUOTES = 10

_OPENING_SENTENCES = 3
_CHECKED_SPANS = 4096

R = TypeVar("R", Answer, Timeline)
Span = tuple[str, int, int, str]
Loader = Callable[..., LoadedCorpus]


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
    updated: str = ""
    written: bool = True
    not_written: str = ""


class _State:
    """One consistent corpus, index and answerer; never changed once made."""

    def __init__(self, loaded: LoadedCorpus, answer_options: AnswerOptions) -> None:
        self.loaded = loaded
        self.corpus = loaded.corpus
        self.index = loaded.index
        self.answerer = Answerer(self.corpus, self.index, answer_options)
        self.doc_ids = [document.doc_id for document in self.corpus.documents]
        self.faithful = lru_cache(maxsize=_CHECKED_SPANS)(self._faithful)
        self._timelines: Timelines | None = None
        self._building = threading.Lock()

    def timelines(self) -> Timelines:
        with self._building:
            if self._timelines is None:
                # Imported here: the temporal tagger is only needed once someone asks.
                from retrieval.timeline.timelines import Timelines

                self._timelines = Timelines(self.corpus, self.index)
            return self._timelines

    def _faithful(self, doc_id: str, start: int, end: int, text: str) -> bool:
        """Whether the file still says ``text`` at ``start:end``."""
        try:
            original = self.corpus.text(doc_id)
        except (OSError, KeyError):
            return False
        return 0 <= start <= end <= len(original) and faithful(original[start:end], text)


class QAService:
    """Questions, timelines and document listings over one corpus folder."""

    def __init__(
        self,
        loaded: LoadedCorpus,
        answer_options: AnswerOptions | None = None,
        loader: Loader | None = None,
    ) -> None:
        """``loader(previous=..., rebuild=...)`` re-reads the folder; without one, no refresh."""
        self._answer_options = answer_options or AnswerOptions()
        self._state = _State(loaded, self._answer_options)
        self._loader = loader
        self._reloading = threading.Lock()
        self._rebuilt = False

    @classmethod
    def open(
        cls,
        root: Path,
        options: IndexOptions,
        cache_dir: Path,
        answer_options: AnswerOptions | None = None,
        rebuild: bool = False,
    ) -> QAService:
        loader = partial(load_corpus, root, options, cache_dir)
        return cls(loader(rebuild=rebuild), answer_options, loader)

    def ask(self, question: str, top: int = 3, docs: Sequence[str] | None = None) -> Answer:
        """Quoted sentences that answer ``question``, or an abstention.

        Raises InvalidQuery for an empty, overlong or content-free question and
        UnknownDocument for a doc ID not in the corpus.
        """
        if not 1 <= top <= MAX_QUOTES:
            raise InvalidQuery(f"top must be between 1 and {MAX_QUOTES}, not {top}")
        parsed = parse_question(question)

        def answer(state: _State) -> Answer:
            return state.answerer.answer(parsed, top, self._check_doc_ids(state, docs))

        return self._checked(answer, _answer_spans, _answer_without)

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

        def timeline(state: _State) -> Timeline:
            doc_ids = self._check_doc_ids(state, docs)
            return state.timelines().timeline(topic, start, end, doc_ids, limit)

        return self._checked(timeline, _timeline_spans, _timeline_without)

    def refresh(self, rebuild: bool = False) -> Reload:
        """Re-scans the folder and swaps in the updated index; says what changed."""
        if self._loader is None:
            raise RuntimeError("this service was made without a way to reload its corpus")
        with self._reloading:
            previous = self._state
            loaded = self._loader(previous=previous.loaded, rebuild=rebuild)
            if rebuild or loaded.changes.any or not loaded.written:
                # Otherwise the index is the one already served, with its warm memos.
                self._state = _State(loaded, self._answer_options)
        return _report(loaded)

    def last_reload(self) -> Reload:
        """What the latest load or refresh changed in the index."""
        return _report(self._state.loaded)

    @property
    def corpus(self) -> Corpus:
        """The current corpus, for evaluation tools and benchmarks (adapters use the calls)."""
        return self._state.corpus

    def status(self) -> ServiceStatus:
        state = self._state
        loaded = state.loaded
        return ServiceStatus(
            corpus=state.corpus.root,
            documents=len(state.corpus.documents),
            sentences=len(state.corpus.sentences),
            chunks=len(state.corpus.chunks),
            terms=state.index.vocabulary_size,
            from_cache=loaded.from_cache,
            cache_path=loaded.cache_path,
            cache_bytes=loaded.cache_bytes,
            updated=loaded.updated,
            written=loaded.written,
            not_written=loaded.not_written,
        )

    def evaluate(self, questions: Sequence[EvalQuestion]) -> tuple[Scores, Scores]:
        """The answerer's scores on ``questions`` and a plain BM25 baseline's, in one run."""
        return compare(questions, self.ask, self._state.corpus)

    def doc_ids(self) -> list[str]:
        return list(self._state.doc_ids)

    def documents(self) -> list[DocumentInfo]:
        state = self._state
        return [self._info(state, document) for document in state.corpus.documents]

    def document(self, doc_id: str) -> DocumentInfo:
        state = self._state
        return self._info(state, self._document(state, doc_id))

    def check_doc_ids(self, doc_ids: Sequence[str] | None) -> list[str]:
        """The given IDs, each checked; an unknown one raises with the closest IDs."""
        return self._check_doc_ids(self._state, doc_ids)

    def _check_doc_ids(self, state: _State, doc_ids: Sequence[str] | None) -> list[str]:
        return [self._document(state, doc_id).doc_id for doc_id in doc_ids or ()]

    def _document(self, state: _State, doc_id: str) -> Document:
        """The document with this ID, or with the only ID that starts with it."""
        try:
            return state.corpus.document(doc_id)
        except KeyError:
            pass
        wanted = doc_id.casefold()
        starting = [known for known in state.doc_ids if known.casefold().startswith(wanted)]
        if wanted and len(starting) == 1:
            return state.corpus.document(starting[0])
        close = starting or difflib.get_close_matches(doc_id, state.doc_ids, n=3, cutoff=0.3)
        hint = (
            f"; did you mean {', '.join(close[:3])}?"
            if close
            else "; 'quotebot docs' lists the IDs"
        )
        raise UnknownDocument(f"no document with ID {doc_id!r}{hint}")

    def _info(self, state: _State, document: Document) -> DocumentInfo:
        corpus = state.corpus
        span = corpus.sentence_range(document.doc_id)
        body = itertools.islice(
            (s for s in map(corpus.sentences.__getitem__, span) if s.kind is SentenceKind.BODY),
            _OPENING_SENTENCES,
        )
        shown = [s.text for s in body if state.faithful(s.doc_id, s.start, s.end, s.text)]
        return DocumentInfo(
            doc_id=document.doc_id,
            title=document.title,
            source=document.source,
            url=document.url,
            published=document.published,
            author=document.author,
            characters=corpus.chars(document.doc_id),
            sentences=len(span),
            chunks=len(corpus.chunk_range(document.doc_id)),
            opening=" ".join(shown),
        )

    def _checked(
        self,
        produce: Callable[[_State], R],
        spans: Callable[[R], list[Span]],
        without: Callable[[R, Callable[[Span], bool]], R],
    ) -> R:
        """``produce`` on the current state, every quoted span checked against its file.

        On a mismatch the folder is re-scanned (the file may have changed since indexing);
        if nothing changed the cache was damaged and is rebuilt, once per service. A span
        that still does not match is left out.
        """
        state = self._state
        try:
            result = produce(state)
        except StoreInvalid as error:
            if self._loader is None or self._rebuilt:
                raise
            self._rebuild(state, str(error))
            return self._checked(produce, spans, without)
        if all(state.faithful(*span) for span in spans(result)):
            return result
        if self._loader is not None:
            self._recover(state)
            state = self._state
            result = produce(state)
        return without(result, lambda span: state.faithful(*span))

    def _recover(self, seen: _State) -> None:
        """After a quote failed its check: pick up changed files, else rebuild once."""
        with self._reloading:
            if self._state is not seen:
                return
        report = self.refresh()
        if not (report.added or report.changed or report.removed or self._rebuilt):
            self._rebuild(seen, "a quote does not match its file")

    def _rebuild(self, seen: _State, reason: str) -> None:
        log.warning("index cache %s is damaged (%s); rebuilding", seen.loaded.cache_path, reason)
        self._rebuilt = True
        self.refresh(rebuild=True)


def _report(loaded: LoadedCorpus) -> Reload:
    changes = loaded.changes
    return Reload(
        added=changes.added,
        changed=changes.changed,
        removed=changes.removed,
        skipped=changes.skipped,
        seconds=round(changes.seconds, 3),
        documents=len(loaded.corpus.documents),
        updated=loaded.updated,
    )


def _answer_spans(answer: Answer) -> list[Span]:
    return [(q.doc_id, q.start, q.end, q.text) for q in answer.quotes]


def _answer_without(answer: Answer, keep: Callable[[Span], bool]) -> Answer:
    quotes = [q for q in answer.quotes if keep((q.doc_id, q.start, q.end, q.text))]
    if len(quotes) == len(answer.quotes):
        return answer
    log.warning(
        "left out %d quotes that do not match their files", len(answer.quotes) - len(quotes)
    )
    return answer.model_copy(update={"quotes": quotes, "abstained": answer.abstained or not quotes})


def _timeline_spans(timeline: Timeline) -> list[Span]:
    return [(e.doc_id, e.start, e.end, e.text) for e in timeline.events]


def _timeline_without(timeline: Timeline, keep: Callable[[Span], bool]) -> Timeline:
    events = [e for e in timeline.events if keep((e.doc_id, e.start, e.end, e.text))]
    if len(events) != len(timeline.events):
        log.warning(
            "left out %d events that do not match their files", len(timeline.events) - len(events)
        )
    return timeline.model_copy(update={"events": events})
