"""Timeline queries: dated events merged across documents, filtered by period, documents, topic.

Every document is tagged once, at index time (see ``retrieval.timeline.events``), and its
events are stored with the index. On the first query they are read back, and sentences that
tell the same event with compatible dates are grouped. A query filters the sentences, then
shows one entry per surviving group, quoting its clearest sentence and listing the other
documents in ``also_in``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from retrieval.errors import InvalidQuery
from retrieval.ingest.corpus import Corpus
from retrieval.models import SentenceKind
from retrieval.results import Event, Timeline
from retrieval.search.analysis import analyze
from retrieval.search.bm25 import BM25Index
from retrieval.timeline.events import DatedSentence
from retrieval.timeline.temporal import period

# Two sentences tell the same event when their dates are compatible (one period holds the other)
# and the idf-weighted share of the shorter sentence's terms found in the longer one reaches this.
# On the seeds, restatements of one event score 0.32-0.59 and distinct events at most 0.26.
SAME_EVENT_OVERLAP = 0.3
# ...and they share at least this many terms, so two sentences that merely name the same
# subject ("the harbour bridge opened" / "the harbour bridge toll rose") stay apart.
MIN_SHARED_TERMS = 3

# A sentence is about the topic when the idf share of topic terms it contains, plus this weight
# times its context, reaches the threshold. Its context is the smaller of its best chunk's BM25
# score relative to the corpus's best chunk and the topic share of its richer neighbour: the
# event may say "the move" while the sentence beside it names the embargo, but a topic word
# somewhere in a long chunk is not enough. A sentence naming half the topic's weight passes on
# its own; one naming none needs a neighbour and a chunk that both score at least 5/8.
CONTEXT_WEIGHT = 0.8
TOPIC_THRESHOLD = 0.5

_BOUND = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_ANAPHORIC_OPENING = re.compile(r"(?:it|they|this|these|that|those|he|she|we)\b", re.IGNORECASE)


def _parse_bound(value: str | None, option: str) -> tuple[dt.date, dt.date] | None:
    """The period a ``--from``/``--to`` value covers; "2014-10" is the whole month."""
    if value is None:
        return None
    text = value.strip()
    span = period(text) if _BOUND.fullmatch(text) else None
    if span is None:
        raise InvalidQuery(
            f"the {option} date {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD "
            "(e.g. 2014, 2014-10 or 2014-10-02)"
        )
    return span


@dataclass(frozen=True, slots=True)
class _Period:
    """The inclusive day range a query asks for."""

    first: dt.date
    last: dt.date

    @classmethod
    def parse(cls, start: str | None, end: str | None) -> _Period | None:
        lower, upper = _parse_bound(start, "start"), _parse_bound(end, "end")
        if lower is None and upper is None:
            return None
        first = lower[0] if lower else dt.date.min
        last = upper[1] if upper else dt.date.max
        if first > last:
            raise InvalidQuery(f"the start date {start} is after the end date {end}")
        return cls(first, last)

    def overlaps(self, event: DatedSentence) -> bool:
        return event.first <= self.last and self.first <= event.last


def _compatible(a: DatedSentence, b: DatedSentence) -> bool:
    """Whether one date's period contains the other's ("2014-10" and "2014-10-02")."""
    return (a.first <= b.first and b.last <= a.last) or (b.first <= a.first and a.last <= b.last)


def _order(event: DatedSentence) -> tuple[dt.date, int, int]:
    """Chronological: by the period's first day, a coarser period first, then corpus order."""
    return (event.first, -(event.last - event.first).days, event.sentence)


def _clarity(event: DatedSentence) -> tuple[bool, bool, int, int]:
    """Sort key for the sentence to quote: explicit date, stands alone, finest date, shortest."""
    return (
        not event.explicit,
        bool(_ANAPHORIC_OPENING.match(event.text)),
        (event.last - event.first).days,
        len(event.text),
    )


class Timelines:
    """Answers timeline queries over one corpus; events are built lazily and cached."""

    def __init__(self, corpus: Corpus, index: BM25Index) -> None:
        self._corpus = corpus
        self._index = index
        self._events: list[DatedSentence] | None = None
        self._groups: list[int] = []
        self._chunks_of: dict[int, list[int]] = {}
        self._idf_cache: dict[str, float] = {}
        self._terms_cache: dict[int, frozenset[str]] = {}
        self._building = threading.Lock()

    def timeline(
        self,
        topic: str | None,
        start: str | None,
        end: str | None,
        docs: list[str],
        limit: int | None,
    ) -> Timeline:
        """Events in chronological order that match every filter given."""
        span = _Period.parse(start, end)
        terms = self._topic_terms(topic)
        events = self._built()
        wanted = set(docs)
        chosen = [
            i
            for i, event in enumerate(events)
            if (not wanted or event.doc_id in wanted) and (span is None or span.overlaps(event))
        ]
        if terms is not None:
            chosen = self._about(chosen, terms)
        entries = self._entries(chosen)
        if limit is not None:
            entries = entries[: max(limit, 0)]
        return Timeline(topic=topic, start=start, end=end, docs=docs, events=entries)

    # Building -----------------------------------------------------------------------------

    def _built(self) -> list[DatedSentence]:
        """The corpus's events, tagged and grouped on first use (once, even across threads)."""
        with self._building:
            events = self._events
            if events is None:
                events = self._extract()
                self._groups = self._group(events)
                self._chunks_of = self._sentence_chunks(events)
                self._events = events
            return events

    def _extract(self) -> list[DatedSentence]:
        """Every document's events, in chronological order (coarser first, then corpus order)."""
        events: list[DatedSentence] = []
        for document in self._corpus.documents:
            first = self._corpus.sentence_range(document.doc_id).start
            stored = self._corpus.events(document.doc_id)
            events.extend(replace(event, sentence=first + event.sentence) for event in stored)
        return sorted(events, key=_order)

    def _group(self, events: Sequence[DatedSentence]) -> list[int]:
        """A group number per event; events telling the same event share one."""
        groups = list(range(len(events)))
        by_year: defaultdict[int, list[int]] = defaultdict(list)
        for i, event in enumerate(events):
            for other in self._candidates(by_year, event):
                if _compatible(event, events[other]) and self._same(event, events[other]):
                    groups[i] = groups[other]
                    break
            for year in range(event.first.year, event.last.year + 1):
                by_year[year].append(i)
        return groups

    @staticmethod
    def _candidates(by_year: dict[int, list[int]], event: DatedSentence) -> Iterable[int]:
        seen: set[int] = set()
        for year in range(event.first.year, event.last.year + 1):
            for other in by_year.get(year, ()):
                if other not in seen:
                    seen.add(other)
                    yield other

    def _same(self, a: DatedSentence, b: DatedSentence) -> bool:
        shared = a.terms & b.terms
        if len(shared) < MIN_SHARED_TERMS:
            return False
        smaller = min(self._weight(a.terms), self._weight(b.terms))
        return smaller > 0 and self._weight(shared) / smaller >= SAME_EVENT_OVERLAP

    def _idf(self, term: str) -> float:
        """A strictly positive idf (Lucene's form), so tiny corpora still weigh terms sensibly."""
        if term not in self._idf_cache:
            n, df = self._index.n_chunks, self._index.doc_freq(term)
            self._idf_cache[term] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return self._idf_cache[term]

    def _weight(self, terms: Iterable[str]) -> float:
        return sum(self._idf(term) for term in terms)

    def _sentence_chunks(self, events: Sequence[DatedSentence]) -> dict[int, list[int]]:
        """Chunk indices holding each event sentence (chunks overlap, so there may be two)."""
        wanted = {event.sentence for event in events}
        chunks_of: defaultdict[int, list[int]] = defaultdict(list)
        for doc_id in dict.fromkeys(event.doc_id for event in events):
            for c in self._corpus.chunk_range(doc_id):
                chunk = self._corpus.chunks[c]
                for sentence in range(chunk.first, chunk.last + 1):
                    if sentence in wanted:
                        chunks_of[sentence].append(c)
        return dict(chunks_of)

    # Querying -----------------------------------------------------------------------------

    def _topic_terms(self, topic: str | None) -> list[str] | None:
        if topic is None or not topic.strip():
            return None
        terms = list(dict.fromkeys(analyze(topic)))
        if not terms:
            raise InvalidQuery(
                f"the topic {topic!r} has only common words; name what the events are about"
            )
        return terms

    def _about(self, chosen: list[int], terms: list[str]) -> list[int]:
        """The chosen events relevant to the topic terms, order kept."""
        known = [term for term in terms if self._index.doc_freq(term) > 0]
        if not known:
            return []
        weights = {term: self._idf(term) for term in known}
        total = sum(weights.values())

        def share(terms: frozenset[str]) -> float:
            return sum(w for term, w in weights.items() if term in terms) / total

        chunk_scores = self._index.scores(known)
        best = float(chunk_scores.max())
        events = self._built()
        kept = []
        for i in chosen:
            event = events[i]
            context = 0.0
            if best > 0:
                neighbour = max(map(share, self._neighbour_terms(event)), default=0.0)
                context = min(self._chunk_score(event, chunk_scores) / best, neighbour)
            if share(event.terms) + CONTEXT_WEIGHT * context >= TOPIC_THRESHOLD:
                kept.append(i)
        return kept

    def _chunk_score(self, event: DatedSentence, scores: np.ndarray) -> float:
        return max((float(scores[c]) for c in self._chunks_of.get(event.sentence, [])), default=0)

    def _neighbour_terms(self, event: DatedSentence) -> list[frozenset[str]]:
        """The search terms of the body sentences just before and after the event's."""
        sentences = self._corpus.sentences
        found = []
        for i in (event.sentence - 1, event.sentence + 1):
            if not 0 <= i < len(sentences) or sentences[i].doc_id != event.doc_id:
                continue
            if sentences[i].kind is SentenceKind.BODY:
                if i not in self._terms_cache:
                    self._terms_cache[i] = frozenset(analyze(sentences[i].text))
                found.append(self._terms_cache[i])
        return found

    def _entries(self, chosen: list[int]) -> list[Event]:
        """One entry per group of chosen events, in chronological order of the quoted ones."""
        events = self._built()
        members: dict[int, list[DatedSentence]] = {}
        for i in chosen:
            members.setdefault(self._groups[i], []).append(events[i])
        quoted = [min(group, key=_clarity) for group in members.values()]
        also_in = [
            list(dict.fromkeys(e.doc_id for e in group if e.doc_id != q.doc_id))
            for q, group in zip(quoted, members.values(), strict=True)
        ]
        pairs = sorted(zip(quoted, also_in, strict=True), key=lambda pair: _order(pair[0]))
        return [self._event(event, others) for event, others in pairs]

    def _event(self, event: DatedSentence, also_in: list[str]) -> Event:
        document = self._corpus.document(event.doc_id)
        return Event(
            date=event.date,
            granularity=event.granularity,
            text=event.text,
            doc_id=event.doc_id,
            title=document.title,
            source=document.source,
            start=event.start,
            end=event.end,
            end_date=event.end_date,
            also_in=also_in,
        )
