"""QAService: the one facade every adapter calls.

It talks to one search backend (the corpus and index in this process, or Xapian shards) and
answers in plain result objects; how they are shown is the adapters' business. Everything
one call reads comes from one `_State` (the backend, answerer and timelines of one moment),
and `refresh` swaps in a new state whole, so a question asked while the folder is
re-indexed is answered from the old index or the new one, never half of each. A local index
comes from a cache that may have been tampered with, so every quote and event is checked
against its file before it is returned; a mismatch re-scans the folder (the file may have
changed) or rebuilds the cache, and a quote that still does not match is never shown.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from retrieval.answer.answerer import Answerer, AnswerOptions
from retrieval.answer.evaluation import EvalQuestion, Scores, compare
from retrieval.answer.question import parse_question
from retrieval.doc_ids import resolve_doc_id
from retrieval.errors import InvalidQuery
from retrieval.ingest.corpus import Corpus
from retrieval.models import Document
from retrieval.results import Answer, DocumentInfo, Quote, Reload, Timeline
from retrieval.search import questions_first
from retrieval.search.backend import SearchBackend
from retrieval.search.corpus_cache import (
    IndexOptions,
    LoadedCorpus,
    compact_elsewhere,
    load_corpus,
)
from retrieval.search.local import LocalBackend
from retrieval.search.store import StoreInvalid

if TYPE_CHECKING:
    from retrieval.timeline.timelines import Timelines

log = logging.getLogger("quotebot")

MAX_QUOTES = 10
_CHECKED_SPANS = 4096

R = TypeVar("R", Answer, Timeline)
# doc ID, start, end, text, page (offsets index the page's text when there is one)
Span = tuple[str, int, int, str, int | None]
Loader = Callable[..., LoadedCorpus]
Compactor = Callable[[], bool]


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
    updated: str = ""
    written: bool = True
    not_written: str = ""


class _State:
    """One consistent backend, answerer and timelines; never changed once made."""

    def __init__(
        self,
        search: SearchBackend,
        answer_options: AnswerOptions,
        loaded: LoadedCorpus | None,
        older: _State | None = None,
    ) -> None:
        """``older``: the state this one replaces after an update; what it learned about
        the documents left unchanged is carried over, so the next questions start warm."""
        self.search = search
        self.loaded = loaded
        self.answerer = Answerer(search, answer_options)
        self._verified: OrderedDict[Span, None] = OrderedDict()
        self._verifying = threading.Lock()
        self._timelines: Timelines | None = None
        self._building = threading.Lock()
        if older is not None and older.loaded is not None and loaded is not None:
            self._carry(older, loaded.moved_since(older.loaded))

    def _carry(self, older: _State, moved: dict[str, int]) -> None:
        self.answerer.carry(older.answerer, moved)
        with older._verifying:
            # A quote's offsets are into its file, which is unchanged: they hold as they are.
            self._verified.update((span, None) for span in older._verified if span[0] in moved)

    def timelines(self) -> Timelines:
        with self._building:
            if self._timelines is None:
                # Imported here: the temporal tagger is only needed once someone asks.
                from retrieval.timeline.timelines import Timelines

                self._timelines = Timelines(self.search)
            return self._timelines

    def faithful(self, doc_id: str, start: int, end: int, text: str, page: int | None) -> bool:
        """Whether the file still says ``text`` at ``start:end`` (shards hold no files).

        Only a match is remembered: a file that is missing or unreadable now (a folder
        moved away for a moment) may say it again later.
        """
        span = (doc_id, start, end, text, page)
        with self._verifying:
            if span in self._verified:
                self._verified.move_to_end(span)
                return True
        corpus = self.loaded.corpus if self.loaded else None
        if corpus is not None and not corpus.faithful(doc_id, start, end, text, page):
            return False
        with self._verifying:
            self._verified[span] = None
            while len(self._verified) > _CHECKED_SPANS:
                self._verified.popitem(last=False)
        return True


class QAService:
    """Questions, timelines and document listings over one search backend."""

    def __init__(
        self,
        search: SearchBackend,
        answer_options: AnswerOptions | None = None,
        loaded: LoadedCorpus | None = None,
        backend: str = "local",
        loader: Loader | None = None,
        compactor: Compactor | None = None,
    ) -> None:
        """``loader(previous=..., rebuild=...)`` re-reads a local corpus folder;
        ``compactor()`` merges its cache's postings when an update left that to do later."""
        self._answer_options = answer_options or AnswerOptions()
        self._state = _State(search, self._answer_options, loaded)
        self._backend = backend
        self._loader = loader
        self._compactor = compactor
        self._reloading = threading.Lock()
        self._compacting: threading.Thread | None = None
        self._rebuilt = False

    @classmethod
    def local(
        cls,
        loaded: LoadedCorpus,
        answer_options: AnswerOptions | None = None,
        loader: Loader | None = None,
        compactor: Compactor | None = None,
    ) -> QAService:
        """A service over a corpus and index loaded in this process."""
        search = LocalBackend(loaded.corpus, loaded.index)
        return cls(search, answer_options, loaded, loader=loader, compactor=compactor)

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
        compactor = partial(compact_elsewhere, root, options, cache_dir)
        return cls.local(loader(rebuild=rebuild), answer_options, loader, compactor)

    def ask(self, question: str, top: int = 3, docs: Sequence[str] | None = None) -> Answer:
        """Quoted sentences that answer ``question``, or an abstention.

        Raises InvalidQuery for an empty, overlong or content-free question and
        UnknownDocument for a doc ID not in the corpus.
        """
        if not 1 <= top <= MAX_QUOTES:
            raise InvalidQuery(f"top must be between 1 and {MAX_QUOTES}, not {top}")
        parsed = parse_question(question)

        def answer(state: _State) -> Answer:
            found = state.answerer.answer(parsed, top, self._check_doc_ids(state, docs))
            return found.model_copy(update={"partial": True}) if _partial(state) else found

        with questions_first.answering():
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
            found = state.timelines().timeline(topic, start, end, doc_ids, limit)
            return found.model_copy(update={"partial": True}) if _partial(state) else found

        return self._checked(timeline, _timeline_spans, _timeline_without)

    def refresh(self, rebuild: bool = False) -> Reload:
        """Re-scans the folder and swaps in the updated index; says what changed.

        A merge of the cache's postings that the update left to do is started in the
        background; its index (scoring the same) is swapped in when it is written.
        """
        if self._loader is None:
            raise InvalidQuery("this index is served by Xapian shards; rebuild the shards instead")
        with self._reloading:
            previous = self._state
            loaded = self._loader(previous=previous.loaded, rebuild=rebuild)
            if _moved(previous.loaded, loaded, rebuild):
                # Otherwise the index is the one already served, with its warm memos.
                search = LocalBackend(loaded.corpus, loaded.index)
                self._state = _State(search, self._answer_options, loaded, previous)
        if loaded.merge_due:
            self._compact_later()
        return _report(loaded)

    def settle(self, timeout: float | None = None) -> None:
        """Waits until a merge running in the background has been swapped in (or given up)."""
        merging = self._compacting
        if merging is not None:
            merging.join(timeout)

    def _compact_later(self) -> None:
        with self._reloading:
            if self._compactor is None or (self._compacting and self._compacting.is_alive()):
                return
            self._compacting = threading.Thread(
                target=self._compact, name="quotebot-merge", daemon=True
            )
            self._compacting.start()

    def _compact(self) -> None:
        assert self._compactor is not None
        try:
            if self._compactor():
                self.refresh()
        except Exception as error:  # the service keeps serving the index it has
            log.warning("could not swap in the merged index: %s", error)

    def last_reload(self) -> Reload:
        """What the latest load or refresh changed in the index."""
        state = self._state
        if state.loaded is None:
            return Reload(seconds=0.0, documents=state.search.n_documents)
        return _report(state.loaded)

    @property
    def corpus(self) -> Corpus:
        """The current local corpus, for evaluation tools and benchmarks."""
        loaded = self._state.loaded
        if loaded is None:
            raise InvalidQuery(
                "this runs on a local corpus; give --corpus with search_backend local"
            )
        return loaded.corpus

    def status(self) -> ServiceStatus:
        state = self._state
        loaded, search = state.loaded, state.search
        return ServiceStatus(
            corpus=loaded.corpus.root if loaded else None,
            documents=search.n_documents,
            sentences=search.n_sentences,
            chunks=search.n_chunks,
            terms=search.vocabulary_size,
            from_cache=loaded.from_cache if loaded else False,
            cache_path=loaded.cache_path if loaded else None,
            cache_bytes=loaded.cache_bytes if loaded else 0,
            backend=self._backend,
            updated=loaded.updated if loaded else "",
            written=loaded.written if loaded else True,
            not_written=loaded.not_written if loaded else "",
        )

    def unavailable(self) -> list[str]:
        """Parts of the index that could not be reached just now; answers are partial."""
        return self._state.search.unavailable()

    def evaluate(self, questions: Sequence[EvalQuestion]) -> tuple[Scores, Scores]:
        """The answerer's scores on ``questions`` and a plain BM25 baseline's, in one run."""
        return compare(questions, self.ask, self.corpus)

    def doc_ids(self) -> list[str]:
        return self._state.search.doc_ids()

    def documents(self) -> list[DocumentInfo]:
        return self._state.search.document_infos()

    def document(self, doc_id: str) -> DocumentInfo:
        state = self._state
        return state.search.document_info(self._document(state, doc_id).doc_id)

    def check_doc_ids(self, doc_ids: Sequence[str] | None) -> list[str]:
        """The given IDs, each checked; an unknown one raises with the closest IDs."""
        return self._check_doc_ids(self._state, doc_ids)

    def _check_doc_ids(self, state: _State, doc_ids: Sequence[str] | None) -> list[str]:
        return [self._document(state, doc_id).doc_id for doc_id in doc_ids or ()]

    @staticmethod
    def _document(state: _State, doc_id: str) -> Document:
        """The document meant by ``doc_id``: its ID, a unique prefix or a unique path tail."""
        try:
            return state.search.document(doc_id)
        except KeyError:
            pass
        known = state.search.doc_ids()
        return state.search.document(resolve_doc_id(doc_id, known, "'quotebot docs' lists the IDs"))

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
        failed = [span for span in spans(result) if not state.faithful(*span)]
        if not failed:
            return result
        if self._loader is not None:
            self._recover(state, failed)
            state = self._state
            result = produce(state)
        return without(result, lambda span: state.faithful(*span))

    def _recover(self, seen: _State, failed: list[Span]) -> None:
        """After quotes failed their check: pick up changed files, else rebuild once.

        Another refresh (the folder watcher's) may land between the check and this one;
        then the index did change, and nothing is damaged. Nor is it when the unchanged
        files, read afresh, give the same sentences: the reader's reading fails the check,
        and a rebuild (minutes on a large corpus) would only make it again.
        """
        with self._reloading:
            if self._state is not seen:
                return
        report = self.refresh()
        replaced = self._state is not seen
        if report.added or report.changed or report.removed or replaced or self._rebuilt:
            return
        corpus = seen.loaded.corpus if seen.loaded else None
        if corpus is not None and all(corpus.reads_so(*span) for span in failed):
            for doc_id in sorted({span[0] for span in failed}):
                log.warning("%s: a sentence read from it fails its check; left out", doc_id)
            return
        self._rebuild(seen, "a quote does not match its file")

    def _rebuild(self, seen: _State, reason: str) -> None:
        where = seen.loaded.cache_path if seen.loaded else "the index"
        log.warning("index cache %s is damaged (%s); rebuilding", where, reason)
        self._rebuilt = True
        self.refresh(rebuild=True)


def _moved(previous: LoadedCorpus | None, loaded: LoadedCorpus, rebuild: bool) -> bool:
    """Whether ``loaded`` is another index than the one served (changed, merged, rebuilt)."""
    if rebuild or loaded.changes.any or not loaded.written or previous is None:
        return True
    return not previous.same_index(loaded)


def _partial(state: _State) -> bool:
    return bool(state.search.unavailable())


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


def _quote_span(quote: Quote) -> Span:
    return (quote.doc_id, quote.start, quote.end, quote.text, quote.page)


def _answer_spans(answer: Answer) -> list[Span]:
    return [_quote_span(q) for q in answer.quotes]


def _answer_without(answer: Answer, keep: Callable[[Span], bool]) -> Answer:
    quotes = [q for q in answer.quotes if keep(_quote_span(q))]
    if len(quotes) == len(answer.quotes):
        return answer
    left_out = len(answer.quotes) - len(quotes)
    log.warning("left out %d quotes that do not match their files", left_out)
    return answer.model_copy(update={"quotes": quotes, "abstained": answer.abstained or not quotes})


def _timeline_spans(timeline: Timeline) -> list[Span]:
    return [(e.doc_id, e.start, e.end, e.text, None) for e in timeline.events]


def _timeline_without(timeline: Timeline, keep: Callable[[Span], bool]) -> Timeline:
    events = [e for e in timeline.events if keep((e.doc_id, e.start, e.end, e.text, None))]
    if len(events) != len(timeline.events):
        left_out = len(timeline.events) - len(events)
        log.warning("left out %d events that do not match their files", left_out)
    return timeline.model_copy(update={"events": events})
