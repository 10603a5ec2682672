"""The extractive answerer: a question in, verbatim quoted sentences out.

BM25 finds the chunks worth reading; every prose sentence in them is then
scored on what a person would check: how much of the question it covers
(weighted by how rare each word is), whether its neighbours cover the rest,
whether it holds the kind of answer asked for, how close together the matched
words stand, and whether it says anything beyond the question itself. Below a
calibrated confidence the answerer abstains and names the nearest sources.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from retrieval.analysis import analyze
from retrieval.bm25 import BM25Index
from retrieval.corpus import Corpus
from retrieval.evidence import matches_type
from retrieval.models import Sentence, SentenceKind
from retrieval.question import AnswerType, Question
from retrieval.results import Answer, NearbySource, Quote

_CANDIDATE_CHUNKS = 24
_MIN_NEW_TERMS = 3
_MIN_WORDS = 5
_DUPLICATE_OVERLAP = 0.8
_KEEP_FRACTION = 0.6
_CLOSE_FRACTION = 0.9
_NEAREST_SOURCES = 3


@dataclass(frozen=True, slots=True)
class AnswerOptions:
    """Calibrated knobs; the README documents how ``threshold`` was chosen."""

    threshold: float = 0.35
    candidate_chunks: int = _CANDIDATE_CHUNKS


@dataclass(slots=True)
class _Candidate:
    index: int
    score: float
    confidence: float
    also_in: list[str] = field(default_factory=list)


class Answerer:
    """Ranks the sentences of one corpus against questions."""

    def __init__(self, corpus: Corpus, index: BM25Index, options: AnswerOptions) -> None:
        self._corpus = corpus
        self._index = index
        self._options = options
        self._terms: dict[int, tuple[str, ...]] = {}
        self._chunk_docs = np.array([chunk.doc_id for chunk in corpus.chunks], dtype=object)

    def answer(self, question: Question, top: int, docs: Sequence[str] = ()) -> Answer:
        hits = self._index.top_k(
            list(question.terms), self._options.candidate_chunks, self._doc_filter(docs)
        )
        candidates = self._rank(question, hits)
        best = candidates[0].confidence if candidates else 0.0
        if best < self._options.threshold:
            return Answer(
                question=question.text,
                abstained=True,
                confidence=round(best, 4),
                nearest=self._nearest(hits),
            )
        quotes = [self._quote(c) for c in _choose(self._merge(candidates), top, self._doc_of)]
        return Answer(
            question=question.text, abstained=False, confidence=round(best, 4), quotes=quotes
        )

    def _doc_filter(self, docs: Sequence[str]) -> np.ndarray | None:
        if not docs:
            return None
        return np.isin(self._chunk_docs, list(docs))

    def _sentence_terms(self, index: int) -> tuple[str, ...]:
        terms = self._terms.get(index)
        if terms is None:
            terms = tuple(analyze(self._corpus.sentences[index].text))
            self._terms[index] = terms
        return terms

    def _weight(self, term: str) -> float:
        """A smoothed IDF that stays positive and is largest for words the corpus lacks."""
        n = self._index.n_chunks
        return math.log((n + 1) / (self._index.doc_freq(term) + 0.5))

    def _rank(self, question: Question, hits: list[tuple[int, float]]) -> list[_Candidate]:
        if not hits:
            return []
        top_chunk = max(score for _, score in hits) or 1.0
        chunk_scores: dict[int, float] = {}
        for chunk_index, score in hits:
            chunk = self._corpus.chunks[chunk_index]
            for index in range(chunk.first, chunk.last + 1):
                if self._corpus.sentences[index].kind is SentenceKind.BODY:
                    chunk_scores[index] = max(chunk_scores.get(index, 0.0), score / top_chunk)
        weights = {term: self._weight(term) for term in question.terms}
        total = sum(weights.values())
        scored = [
            self._score(question, index, chunk_score, weights, total)
            for index, chunk_score in chunk_scores.items()
        ]
        return sorted(scored, key=lambda c: (-c.score, c.index))

    def _score(
        self,
        question: Question,
        index: int,
        chunk_score: float,
        weights: dict[str, float],
        total: float,
    ) -> _Candidate:
        terms = self._sentence_terms(index)
        present = set(terms)
        coverage = sum(w for t, w in weights.items() if t in present) / total
        context = present | self._neighbour_terms(index)
        context_coverage = sum(w for t, w in weights.items() if t in context) / total
        sentence = self._corpus.sentences[index]
        typed = question.answer_type is not AnswerType.OTHER
        type_match = typed and matches_type(question.answer_type, sentence.text, question.text)
        score = (
            0.55 * coverage
            + 0.15 * context_coverage
            + 0.10 * _proximity(terms, weights)
            + 0.10 * chunk_score
            + (0.15 if type_match else 0.0)
            - _redundancy_penalty(present, weights)
            - (0.2 if len(sentence.text.split()) < _MIN_WORDS else 0.0)
        )
        confidence = (0.75 * coverage + 0.25 * context_coverage) * (
            0.85 if typed and not type_match else 1.0
        )
        return _Candidate(index, score, min(max(confidence, 0.0), 1.0))

    def _neighbour_terms(self, index: int) -> set[str]:
        sentence = self._corpus.sentences[index]
        found: set[str] = set()
        for other in (index - 1, index + 1):
            if 0 <= other < len(self._corpus.sentences):
                neighbour = self._corpus.sentences[other]
                if neighbour.doc_id == sentence.doc_id and neighbour.kind is SentenceKind.BODY:
                    found.update(self._sentence_terms(other))
        return found

    def _merge(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """One quote per distinct sentence; repeats elsewhere go into ``also_in``."""
        kept: list[_Candidate] = []
        for candidate in candidates:
            terms = set(self._sentence_terms(candidate.index))
            twin = next(
                (
                    k
                    for k in kept
                    if _overlap(terms, set(self._sentence_terms(k.index))) >= _DUPLICATE_OVERLAP
                ),
                None,
            )
            if twin is None:
                kept.append(candidate)
                continue
            doc_id = self._doc_of(candidate)
            if doc_id != self._doc_of(twin) and doc_id not in twin.also_in:
                twin.also_in.append(doc_id)
        return kept

    def _doc_of(self, candidate: _Candidate) -> str:
        return self._corpus.sentences[candidate.index].doc_id

    def _quote(self, candidate: _Candidate) -> Quote:
        sentence: Sentence = self._corpus.sentences[candidate.index]
        document = self._corpus.document(sentence.doc_id)
        return Quote(
            text=sentence.text,
            doc_id=sentence.doc_id,
            title=document.title,
            source=document.source,
            start=sentence.start,
            end=sentence.end,
            score=round(candidate.score, 4),
            url=document.url,
            also_in=candidate.also_in,
        )

    def _nearest(self, hits: list[tuple[int, float]]) -> list[NearbySource]:
        nearest: dict[str, float] = {}
        for chunk_index, score in hits:
            doc_id = self._corpus.chunks[chunk_index].doc_id
            nearest.setdefault(doc_id, score)
        return [
            NearbySource(
                doc_id=doc_id,
                title=self._corpus.document(doc_id).title,
                source=self._corpus.document(doc_id).source,
                score=round(score, 4),
            )
            for doc_id, score in list(nearest.items())[:_NEAREST_SOURCES]
        ]


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(len(a | b), 1)


def _proximity(terms: Sequence[str], weights: dict[str, float]) -> float:
    """How tightly the matched question words cluster: matched / shortest window."""
    positions = [(i, t) for i, t in enumerate(terms) if t in weights]
    wanted = {t for _, t in positions}
    if len(wanted) < 2:
        return 0.5 if wanted else 0.0
    best = len(terms)
    counts: dict[str, int] = {}
    left = 0
    for position, term in positions:
        counts[term] = counts.get(term, 0) + 1
        while len(counts) == len(wanted):
            best = min(best, position - positions[left][0] + 1)
            left_term = positions[left][1]
            counts[left_term] -= 1
            if not counts[left_term]:
                del counts[left_term]
            left += 1
    return len(wanted) / best


def _redundancy_penalty(present: set[str], weights: dict[str, float]) -> float:
    """Sentences that only restate the question hold no answer."""
    new_terms = len(present - set(weights))
    return 0.25 * max(_MIN_NEW_TERMS - new_terms, 0) / _MIN_NEW_TERMS


def _choose(
    candidates: list[_Candidate], top: int, doc_of: Callable[[_Candidate], str]
) -> list[_Candidate]:
    """Best first; later quotes prefer a new document only when nearly as good."""
    if not candidates:
        return []
    floor = candidates[0].score * _KEEP_FRACTION
    pool = [c for c in candidates if c.score >= floor]
    chosen: list[_Candidate] = []
    while pool and len(chosen) < top:
        best = pool[0]
        used = {doc_of(c) for c in chosen}
        fresh = next((c for c in pool if doc_of(c) not in used), None)
        pick = fresh if fresh is not None and fresh.score >= _CLOSE_FRACTION * best.score else best
        chosen.append(pick)
        pool.remove(pick)
    return chosen
