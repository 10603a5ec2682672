"""Timeline queries: dated events merged across documents, filtered by period, documents, topic.

Events are per-document records (``retrieval.timeline.events``), computed at index time and
handed in, or built here on first use when the index holds none. Loading groups the records
that tell the same statement at compatible dates, across documents; a query filters the
records, then shows one entry per surviving group, quoting its clearest sentence and listing
the other documents in ``also_in``. A topic filter is a search: postings of the events'
terms and the chunk index's hits, never a pass over every event.
"""

from __future__ import annotations

import math
import re
import threading
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retrieval.errors import InvalidQuery
from retrieval.ingest.corpus import Corpus
from retrieval.models import SentenceKind
from retrieval.results import Event, Timeline
from retrieval.search.analysis import analyze
from retrieval.search.backend import SearchBackend
from retrieval.timeline.events import document_events
from retrieval.timeline.records import EventRecord
from retrieval.timeline.temporal import day_span, granularity

# Two events tell the same statement when their dates are compatible (one period holds the
# other) and the idf-weighted share of the smaller clause's terms found in the other reaches
# this. On the seeds, restatements of one event score 0.32-0.59 and distinct events at most 0.26.
SAME_EVENT_OVERLAP = 0.3
# ...and they share at least this many terms (or every term of a shorter clause), so two
# sentences that merely name the same subject ("the harbour bridge opened" / "the harbour
# bridge toll rose") stay apart.
MIN_SHARED_TERMS = 3

# A sentence is about the topic when the idf share of topic terms it contains, plus this weight
# times its context, reaches the threshold. Its context is the smaller of its best chunk's BM25
# score relative to the corpus's best chunk and the topic share of its richer neighbour: the
# event may say "the move" while the sentence beside it names the embargo, but a topic word
# somewhere in a long chunk is not enough. A sentence naming half the topic's weight passes on
# its own; one naming none needs a neighbour and a chunk that both score at least 5/8.
CONTEXT_WEIGHT = 0.8
TOPIC_THRESHOLD = 0.5

# Days per bucket when looking for events whose periods may overlap; about a year.
_BUCKET_DAYS = 366
_BOUND = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?|BC\d{4}")
_ANAPHORIC_OPENING = re.compile(r"(?:it|they|this|these|that|those|he|she|we)\b", re.IGNORECASE)


def corpus_events(corpus: Corpus) -> list[EventRecord]:
    """Every document's event records, built from the corpus (when the index has none)."""
    records: list[EventRecord] = []
    for document in corpus.documents:
        span = corpus.sentence_range(document.doc_id)
        records.extend(document_events(document, corpus.sentences[span.start : span.stop]))
    return records


def _parse_bound(value: str | None, option: str) -> tuple[int, int] | None:
    """The days a ``--from``/``--to`` value covers; "2014-10" is the whole month."""
    if value is None:
        return None
    text = value.strip()
    span = day_span(text) if _BOUND.fullmatch(text) else None
    if span is None:
        raise InvalidQuery(
            f"the {option} date {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD "
            "(e.g. 2014, 2014-10 or 2014-10-02)"
        )
    return span


@dataclass(frozen=True, slots=True)
class _Period:
    """The inclusive day range a query asks for."""

    first: float
    last: float

    @classmethod
    def parse(cls, start: str | None, end: str | None) -> _Period | None:
        lower, upper = _parse_bound(start, "start"), _parse_bound(end, "end")
        if lower is None and upper is None:
            return None
        first = lower[0] if lower else -math.inf
        last = upper[1] if upper else math.inf
        if first > last:
            raise InvalidQuery(f"the start date {start} is after the end date {end}")
        return cls(first, last)

    def overlaps(self, event: EventRecord) -> bool:
        return event.first_day <= self.last and self.first <= event.last_day

    def holds(self, event: EventRecord) -> bool:
        """Whether the event lies inside the range, rather than merely reaching into it."""
        return self.first <= event.first_day and event.last_day <= self.last


def _nested(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether one period (first and last day) holds the other ("2014-10" and "2014-10-02")."""
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def _buckets(event: EventRecord) -> range:
    return range(event.first_day // _BUCKET_DAYS, event.last_day // _BUCKET_DAYS + 1)


@dataclass(frozen=True, slots=True)
class _Events:
    """The corpus's event records in chronological order, with what queries look up."""

    records: list[EventRecord]
    sentences: list[int]  # each record's sentence in the corpus sentence list
    groups: list[int]  # records telling the same statement share a number
    postings: dict[str, list[int]]  # search term -> records whose sentence holds it
    at_sentence: dict[int, list[int]]  # corpus sentence -> its records


class Timelines:
    """Answers timeline queries over one corpus and its event records."""

    def __init__(self, search: SearchBackend, records: Sequence[EventRecord] | None = None) -> None:
        self._search = search
        self._records = records
        self._events: _Events | None = None
        self._idf_cache: dict[str, float] = {}
        self._terms_cache: dict[int, frozenset[str] | None] = {}
        self._chunk_spans: dict[str, tuple[list[int], list[int], range]] = {}
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
        candidates: Iterable[int] = range(len(events.records))
        if terms is not None:
            candidates = self._about(events, terms)
        wanted = set(docs)
        chosen = [
            i
            for i in candidates
            if (not wanted or events.records[i].doc_id in wanted)
            and (span is None or span.overlaps(events.records[i]))
        ]
        entries = self._entries(events, chosen, span)
        if limit is not None:
            entries = entries[: max(limit, 0)]
        return Timeline(topic=topic, start=start, end=end, docs=docs, events=entries)

    # Building -----------------------------------------------------------------------------

    def _built(self) -> _Events:
        """The events, checked, ordered and grouped on first use (once, even across threads)."""
        with self._building:
            if self._events is None:
                records = self._records
                if records is None:
                    records = self._search.events()
                self._events = self._arrange(records)
                self._records = None
            return self._events

    def _sentence_of(self, record: EventRecord) -> int | None:
        """The record's corpus sentence, or None when it does not fit the corpus."""
        try:
            span = self._search.sentence_range(record.doc_id)
        except KeyError:
            return None
        if not 0 <= record.sentence < len(span):
            return None
        size = len(self._search.sentence(span.start + record.sentence).text)
        fits = (
            0 <= record.highlight_start <= record.highlight_end <= size
            and 0 <= record.date_start <= record.date_end <= size
            and record.first_day <= record.last_day
        )
        return span.start + record.sentence if fits else None

    def _arrange(self, records: Sequence[EventRecord]) -> _Events:
        placed = [(s, r) for r in records if (s := self._sentence_of(r)) is not None]
        placed.sort(key=lambda pair: _order(pair[1], pair[0]))
        ordered = [record for _, record in placed]
        sentences = [sentence for sentence, _ in placed]
        postings: defaultdict[str, list[int]] = defaultdict(list)
        at_sentence: defaultdict[int, list[int]] = defaultdict(list)
        for i, (sentence, record) in enumerate(placed):
            for term in record.terms:
                postings[term].append(i)
            at_sentence[sentence].append(i)
        groups = self._group(ordered, sentences)
        return _Events(ordered, sentences, groups, dict(postings), dict(at_sentence))

    def _group(self, events: Sequence[EventRecord], sentences: Sequence[int]) -> list[int]:
        """A group number per event; events telling the same statement share one: the first
        earlier event (by bucket, then order) at a compatible date saying the same.
        """
        groups = list(range(len(events)))
        clauses = [frozenset(event.clause_terms) for event in events]
        weights = [self._weight(clause) for clause in clauses]
        periods = [(event.first_day, event.last_day) for event in events]
        by_bucket: defaultdict[int, list[int]] = defaultdict(list)
        for i, event in enumerate(events):
            buckets = _buckets(event)
            seen: set[int] = set()
            for other in (o for bucket in buckets for o in by_bucket.get(bucket, ())):
                if other in seen:
                    continue
                seen.add(other)
                if (
                    _nested(periods[i], periods[other])
                    and sentences[other] != sentences[i]
                    and self._same(clauses[i], clauses[other], min(weights[i], weights[other]))
                ):
                    groups[i] = groups[other]
                    break
            for bucket in buckets:
                by_bucket[bucket].append(i)
        return groups

    def _same(self, a: frozenset[str], b: frozenset[str], smaller: float) -> bool:
        """Whether two clauses (``smaller``: the lesser of their weights) say the same."""
        shared = a & b
        if len(shared) < min(MIN_SHARED_TERMS, len(a), len(b)):
            return False
        return smaller > 0 and self._weight(shared) / smaller >= SAME_EVENT_OVERLAP

    def _idf(self, term: str) -> float:
        """A strictly positive idf (Lucene's form), so tiny corpora still weigh terms sensibly."""
        if term not in self._idf_cache:
            n, df = self._search.n_chunks, self._search.doc_freq(term)
            self._idf_cache[term] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return self._idf_cache[term]

    def _weight(self, terms: Iterable[str]) -> float:
        return sum(self._idf(term) for term in terms)

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

    def _about(self, events: _Events, terms: list[str]) -> list[int]:
        """Events relevant to the topic terms, in order: those naming a topic term, and those
        in chunks the index finds for the topic (their neighbours may name it).
        """
        known = [term for term in terms if self._search.doc_freq(term) > 0]
        if not known:
            return []
        weights = {term: self._idf(term) for term in known}
        total = sum(weights.values())

        def share(found: Iterable[str]) -> float:
            present = set(found)
            return sum(w for term, w in weights.items() if term in present) / total

        chunk_scores = self._search.chunk_scores(known)
        best = max(chunk_scores.values(), default=0.0)
        candidates = {i for term in known for i in events.postings.get(term, ())}
        candidates.update(self._in_chunks(events, (c for c, s in chunk_scores.items() if s)))
        kept = []
        for i in sorted(candidates):
            sentence = events.sentences[i]
            context = 0.0
            if best > 0:
                doc_id = events.records[i].doc_id
                neighbour = max(map(share, self._neighbour_terms(sentence, doc_id)), default=0.0)
                context = min(self._chunk_score(sentence, doc_id, chunk_scores) / best, neighbour)
            if share(events.records[i].terms) + CONTEXT_WEIGHT * context >= TOPIC_THRESHOLD:
                kept.append(i)
        return kept

    def _in_chunks(self, events: _Events, chunks: Iterable[int]) -> Iterable[int]:
        for c in chunks:
            chunk = self._search.chunk(c)
            for sentence in range(chunk.first, chunk.last + 1):
                yield from events.at_sentence.get(sentence, ())

    def _chunks_holding(self, sentence: int, doc_id: str) -> list[int]:
        """Indices of the chunks that hold a sentence (chunks overlap, so there may be two)."""
        if doc_id not in self._chunk_spans:
            chunks = self._search.chunk_range(doc_id)
            spans = [(self._search.chunk(c).first, self._search.chunk(c).last) for c in chunks]
            self._chunk_spans[doc_id] = ([f for f, _ in spans], [last for _, last in spans], chunks)
        firsts, lasts, chunks = self._chunk_spans[doc_id]
        holding = []
        # Chunks follow each other through the document: the first and last sentences rise.
        for c in range(bisect_right(firsts, sentence) - 1, -1, -1):
            if lasts[c] < sentence:
                break
            holding.append(chunks[c])
        return holding

    def _chunk_score(self, sentence: int, doc_id: str, scores: dict[int, float]) -> float:
        holding = self._chunks_holding(sentence, doc_id)
        return max((scores.get(c, 0.0) for c in holding), default=0.0)

    def _neighbour_terms(self, sentence: int, doc_id: str) -> list[frozenset[str]]:
        """The search terms of the body sentences just before and after the event's."""
        span = self._search.sentence_range(doc_id)
        found = []
        for i in (sentence - 1, sentence + 1):
            if i not in span:
                continue
            if i not in self._terms_cache:
                neighbour = self._search.sentence(i)
                body = neighbour.kind is SentenceKind.BODY
                self._terms_cache[i] = frozenset(analyze(neighbour.text)) if body else None
            terms = self._terms_cache[i]
            if terms is not None:
                found.append(terms)
        return found

    def _entries(self, events: _Events, chosen: list[int], span: _Period | None) -> list[Event]:
        """One entry per group of chosen events, in chronological order of the quoted ones.

        Within a period filter, events inside the period come first and those that merely
        reach into it (a century around a year) after them, so they never crowd it out.
        """
        members: dict[int, list[int]] = {}
        for i in chosen:
            members.setdefault(events.groups[i], []).append(i)
        quoted = [min(group, key=lambda i: self._clarity(events, i)) for group in members.values()]
        also_in = [
            list(
                dict.fromkeys(
                    events.records[i].doc_id
                    for i in group
                    if events.records[i].doc_id != events.records[q].doc_id
                )
            )
            for q, group in zip(quoted, members.values(), strict=True)
        ]
        pairs = sorted(
            zip(quoted, also_in, strict=True),
            key=lambda pair: (
                span is not None and not span.holds(events.records[pair[0]]),
                pair[0],
            ),
        )
        return [self._event(events, i, others) for i, others in pairs]

    def _clarity(self, events: _Events, i: int) -> tuple[bool, int, bool, int]:
        """Sort key for the sentence to quote: explicit date, finest date (so a group keeps
        its most precise date), stands alone, shortest.
        """
        record = events.records[i]
        text = self._search.sentence(events.sentences[i]).text
        return (
            not record.explicit,
            record.last_day - record.first_day,
            bool(_ANAPHORIC_OPENING.match(text)),
            len(text),
        )

    def _event(self, events: _Events, i: int, also_in: list[str]) -> Event:
        record = events.records[i]
        sentence = self._search.sentence(events.sentences[i])
        document = self._search.document(record.doc_id)
        return Event(
            date=record.value,
            granularity=granularity(record.value),
            text=sentence.text,
            doc_id=record.doc_id,
            title=document.title,
            source=document.source,
            start=sentence.start,
            end=sentence.end,
            end_date=record.end_value,
            also_in=also_in,
            highlight_start=record.highlight_start,
            highlight_end=record.highlight_end,
            section=sentence.section,
            date_in_text=record.date_end > record.date_start,
        )


def _order(record: EventRecord, sentence: int) -> tuple[int, int, int, int]:
    """Chronological: by the period's first day, a coarser period first, then text order."""
    return (record.first_day, record.first_day - record.last_day, sentence, record.date_start)
