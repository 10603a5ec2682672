"""The extractive answerer: a question in, verbatim quoted sentences out.

BM25 finds the chunks worth reading; every prose sentence in them is measured
(``answer_features``) and ranked by a linear score. The weights and the abstention
boundary were fitted by ``benchmarks/tune_answerer.py`` on the five question sets in
``tests/data`` (each also left out in turn, for an honest estimate on unseen documents).
Below the confidence threshold the answerer abstains and names the nearest sources.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from retrieval.answer.features import (
    FEATURES,
    QuestionProfile,
    features,
    sentence_bm25,
    smoothed_idf,
)
from retrieval.answer.question import Question
from retrieval.ingest.corpus import Corpus
from retrieval.models import SentenceKind
from retrieval.results import Answer, NearbySource, Quote
from retrieval.search.analysis import analyze
from retrieval.search.bm25 import BM25Index

# Ranking weights, in answer_features.FEATURES order (fitted by the tuning script).
RANK_WEIGHTS = np.array([0.25, 0.93, 1.05, 0.07, -0.03, 0.62, 0.31, 0.06, 0.81, -0.04, 0.41, 0.5])
# Confidence is the lesser of two logistic curves: how much of the question the best
# sentence and its neighbours cover, and how little of it the corpus has never seen.
# Each crosses 0.5 at its fitted boundary, so the default threshold of 0.5 abstains
# exactly when the context covers less than CONTEXT_FLOOR of the question's weight or
# more than UNSEEN_CEILING of it is in words absent from every document.
CONTEXT_FLOOR = 0.1
UNSEEN_CEILING = 0.7
_SHARPNESS = 12.0

_CANDIDATE_CHUNKS = 24
_TOPICAL_SHARE = 0.1
_CONTEXT = FEATURES.index("context_coverage")
_DUPLICATE_OVERLAP = 0.8
_KEEP_FRACTION = 0.45
_CLOSE_FRACTION = 0.97
_NEAREST_SOURCES = 3
_MEMO_SENTENCES = 1 << 16
_MEMO_DOCUMENTS = 1 << 14


@dataclass(frozen=True, slots=True)
class AnswerOptions:
    """Knobs a deployment may change; the README documents the threshold's trade-off."""

    threshold: float = 0.5
    candidate_chunks: int = _CANDIDATE_CHUNKS


@dataclass(slots=True)
class Candidate:
    """One sentence under consideration, with its measurements."""

    index: int
    features: np.ndarray
    score: float = 0.0
    also_in: list[str] = field(default_factory=list)


class Answerer:
    """Ranks the sentences of one corpus against questions."""

    def __init__(self, corpus: Corpus, index: BM25Index, options: AnswerOptions) -> None:
        self._corpus = corpus
        self._index = index
        self._options = options
        # Bounded memos, so memory stays flat however many questions a process answers.
        self._sentence_terms = lru_cache(maxsize=_MEMO_SENTENCES)(self._analyzed)
        self._doc_subjects = lru_cache(maxsize=_MEMO_DOCUMENTS)(self._subjects)

    def answer(self, question: Question, top: int, docs: Sequence[str] = ()) -> Answer:
        profile, hits, candidates = self.candidates(question, docs)
        confidence = self.confidence(profile, candidates)
        if not candidates or confidence < self._options.threshold:
            return Answer(
                question=question.text,
                abstained=True,
                confidence=round(confidence, 4),
                nearest=self._nearest(hits),
            )
        floor = candidates[0].score * _KEEP_FRACTION
        contenders = [c for c in candidates if c.score >= floor]
        chosen = _choose(self._merge(contenders), top, self._doc_of)
        return Answer(
            question=question.text,
            abstained=False,
            confidence=round(confidence, 4),
            quotes=[self._quote(candidate) for candidate in chosen],
        )

    def candidates(
        self, question: Question, docs: Sequence[str] = ()
    ) -> tuple[QuestionProfile, list[tuple[int, float]], list[Candidate]]:
        """Every prose sentence of the best chunks, measured and ranked best first."""
        weight_of = {
            term: smoothed_idf(self._index.n_chunks, self._index.doc_freq(term))
            for term in question.terms
        }
        profile = QuestionProfile.of(question, weight_of)
        hits = self._index.top_k(
            list(question.terms), self._options.candidate_chunks, self._doc_filter(docs)
        )
        scored = self._sentence_chunk_scores(hits)
        bm25 = {i: sentence_bm25(profile, self._sentence_terms(i)) for i in scored}
        best_bm25 = max(bm25.values(), default=0.0) or 1.0
        candidates = [
            Candidate(
                index,
                np.append(self._features(profile, index, chunk_score), bm25[index] / best_bm25),
            )
            for index, chunk_score in scored.items()
        ]
        for candidate in candidates:
            candidate.score = float(RANK_WEIGHTS @ candidate.features)
        candidates.sort(key=lambda c: (-c.score, c.index))
        return profile, hits, candidates

    def unseen_share(self, profile: QuestionProfile) -> float:
        """The share of the question's weight in words no document contains."""
        unseen = sum(w for t, w in profile.weights.items() if not self._index.doc_freq(t))
        return unseen / profile.total

    def confidence(self, profile: QuestionProfile, candidates: list[Candidate]) -> float:
        """How sure the answerer is that the sources answer, in [0, 1]; 0.5 is the boundary."""
        if not candidates:
            return 0.0
        context = float(candidates[0].features[_CONTEXT])
        return min(
            _logistic(_SHARPNESS * (context - CONTEXT_FLOOR)),
            _logistic(_SHARPNESS * (UNSEEN_CEILING - self.unseen_share(profile))),
        )

    def _sentence_chunk_scores(self, hits: list[tuple[int, float]]) -> dict[int, float]:
        """Each prose sentence of the hit chunks with its best chunk's relative score."""
        top = max((score for _, score in hits), default=0.0) or 1.0
        scores: dict[int, float] = {}
        for chunk_index, score in hits:
            chunk = self._corpus.chunks[chunk_index]
            for index in range(chunk.first, chunk.last + 1):
                if self._corpus.sentences[index].kind is SentenceKind.BODY:
                    scores[index] = max(scores.get(index, 0.0), max(score, 0.0) / top)
        return scores

    def _features(self, profile: QuestionProfile, index: int, chunk_score: float) -> np.ndarray:
        sentence = self._corpus.sentences[index]
        return features(
            profile,
            sentence.text,
            self._sentence_terms(index),
            (self._neighbour_terms(index, -1), self._neighbour_terms(index, 1)),
            chunk_score,
            self._topical(sentence.doc_id, profile),
        )

    def _topical(self, doc_id: str, profile: QuestionProfile) -> frozenset[str]:
        """Question terms found in a large share of one document's prose sentences."""
        return self._doc_subjects(doc_id).intersection(profile.weights)

    def _subjects(self, doc_id: str) -> frozenset[str]:
        """Terms in a large share of a document's prose sentences (and in more than one).

        Only these are kept per document, so the memo stays small however large documents are.
        """
        counts: Counter[str] = Counter()
        prose = 0
        for index in self._corpus.sentence_range(doc_id):
            sentence = self._corpus.sentences[index]
            if sentence.kind is SentenceKind.BODY:
                counts.update(set(analyze(sentence.text)))
                prose += 1
        floor = _TOPICAL_SHARE * prose
        return frozenset(t for t, count in counts.items() if count >= floor and count > 1)

    def _doc_filter(self, docs: Sequence[str]) -> np.ndarray | None:
        return self._corpus.chunk_mask(docs) if docs else None

    def _analyzed(self, index: int) -> tuple[str, ...]:
        return tuple(analyze(self._corpus.sentences[index].text))

    def _neighbour_terms(self, index: int, step: int) -> set[str]:
        """Terms of the prose sentence ``step`` away, when it is in the same document."""
        other = index + step
        if not 0 <= other < len(self._corpus.sentences):
            return set()
        neighbour = self._corpus.sentences[other]
        same_doc = neighbour.doc_id == self._corpus.sentences[index].doc_id
        if not same_doc or neighbour.kind is not SentenceKind.BODY:
            return set()
        return set(self._sentence_terms(other))

    def _merge(self, candidates: list[Candidate]) -> list[Candidate]:
        """One quote per distinct sentence; repeats elsewhere go into ``also_in``."""
        kept: list[tuple[Candidate, set[str]]] = []
        for candidate in candidates:
            terms = set(self._sentence_terms(candidate.index))
            twin = next((k for k, t in kept if _overlap(terms, t) >= _DUPLICATE_OVERLAP), None)
            if twin is None:
                kept.append((candidate, terms))
                continue
            doc_id = self._doc_of(candidate)
            if doc_id != self._doc_of(twin) and doc_id not in twin.also_in:
                twin.also_in.append(doc_id)
        return [candidate for candidate, _ in kept]

    def _doc_of(self, candidate: Candidate) -> str:
        return self._corpus.sentences[candidate.index].doc_id

    def _quote(self, candidate: Candidate) -> Quote:
        return quote(self._corpus, candidate.index, candidate.score, candidate.also_in)

    def _nearest(self, hits: list[tuple[int, float]]) -> list[NearbySource]:
        best: dict[str, float] = {}
        for chunk_index, score in hits:
            best.setdefault(self._corpus.chunks[chunk_index].doc_id, score)
        return [
            NearbySource(
                doc_id=doc_id,
                title=self._corpus.document(doc_id).title,
                source=self._corpus.document(doc_id).source,
                score=round(score, 4),
            )
            for doc_id, score in list(best.items())[:_NEAREST_SOURCES]
        ]


def quote(corpus: Corpus, index: int, score: float, also_in: Sequence[str] = ()) -> Quote:
    """The corpus sentence at ``index`` as a quote with its source."""
    sentence = corpus.sentences[index]
    document = corpus.document(sentence.doc_id)
    return Quote(
        text=sentence.text,
        doc_id=sentence.doc_id,
        title=document.title,
        source=document.source,
        start=sentence.start,
        end=sentence.end,
        score=round(score, 4),
        url=document.url,
        also_in=list(also_in),
    )


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(len(a | b), 1)


def _choose(
    candidates: list[Candidate], top: int, doc_of: Callable[[Candidate], str]
) -> list[Candidate]:
    """Best first; later quotes prefer a new document only when nearly as good."""
    pool = list(candidates)
    chosen: list[Candidate] = []
    while pool and len(chosen) < top:
        best = pool[0]
        used = {doc_of(c) for c in chosen}
        fresh = next((c for c in pool if doc_of(c) not in used), None)
        pick = fresh if fresh is not None and fresh.score >= _CLOSE_FRACTION * best.score else best
        chosen.append(pick)
        pool.remove(pick)
    return chosen
