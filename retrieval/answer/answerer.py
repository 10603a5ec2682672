"""The extractive answerer: a question in, verbatim quoted sentences out.

BM25 finds the chunks worth reading; every answerable sentence in them is measured
(``features``) and ranked by a linear score whose weights were fitted by
``benchmarks/tune_answerer.py`` on the question sets in ``tests/data`` (each also left
out in turn, for an honest estimate on unseen documents).

The answer's ``confidence`` is a probability: that its first quote answers the question.
Among answers given with confidence near p, about p quote a right sentence first. A
second probability, that the sources answer the question at all, decides whether to
answer: below ``AnswerOptions.threshold`` (fitted to refuse 95% of off-topic questions)
the answerer abstains and names the nearest sources instead. Both were fitted with every
question set also asked of every other set's corpus (``confidence.py`` says what they
read), so both are low for questions a corpus does not answer.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from retrieval.answer import confidence as confidence_model
from retrieval.answer.corpus_view import CorpusView, innermost_heading, locate
from retrieval.answer.features import QuestionProfile, feature_matrix, smoothed_idf
from retrieval.answer.question import Question, Shape
from retrieval.models import ANSWERABLE_KINDS, Document, Sentence
from retrieval.results import Answer, NearbySource, Quote
from retrieval.search.analysis import analyze
from retrieval.search.backend import SearchBackend

# Ranking weights, in features.FEATURES order (fitted by the tuning script).
RANK_WEIGHTS = np.array(
    [
        *(1.334, 1.614, 3.608, 2.661, -0.019, 2.593, -1.301, 0.212, 0.714),
        *(0.679, -0.106, 0.880, 0.345, 1.985, 0.501, 2.226, 2.005, 0.511),
        *(0.388, -0.830, -1.000, 1.147, -0.267, 1.500, -0.450, -1.508, 2.008),
        *(-1.848,),
    ]
)

_CANDIDATE_CHUNKS = 24
# The opening chunk of the pages named for the question ("Models" for "What is a
# model?"), which plain BM25 can miss when the term is everywhere.
_TITLED_DOCUMENTS = 3
# How much deeper a definition question looks for a section headed by what it asks about.
_DEEPER_POOL = 4
_HEADED_SECTIONS = 2
_DUPLICATE_OVERLAP = 0.8
_KEEP_FRACTION = 0.45
_CLOSE_FRACTION = 0.97
_NEAREST_SOURCES = 3
_SIZE_SCALE = 5.0


@dataclass(frozen=True, slots=True)
class AnswerOptions:
    """Knobs a deployment may change; the README documents the threshold's trade-off."""

    threshold: float = 0.30
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

    def __init__(self, search: SearchBackend, options: AnswerOptions) -> None:
        self._search = search
        self._options = options
        self._view = CorpusView(search)

    def carry(self, older: Answerer, moved: Mapping[str, int]) -> None:
        """Starts from what ``older`` learned about documents unchanged since
        (``CorpusView.carry``)."""
        self._view.carry(older._view, moved)

    def answer(self, question: Question, top: int, docs: Sequence[str] = ()) -> Answer:
        profile, hits, candidates = self.candidates(question, docs)
        answerable, confidence = self.assess(profile, candidates)
        if not candidates or answerable < self._options.threshold:
            return Answer(
                question=question.text,
                abstained=True,
                confidence=round(confidence, 4),
                nearest=self._nearest(hits),
            )
        floor = candidates[0].score * _KEEP_FRACTION
        contenders = [c for c in candidates if c.score >= floor]
        chosen = _choose(self._merge(contenders, top), top, self._doc_of)
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
            term: smoothed_idf(self._search.n_chunks, self._search.doc_freq(term))
            for term in question.terms
        }
        seen = frozenset(term for term in question.terms if self._search.doc_freq(term))
        profile = QuestionProfile.of(question, weight_of, seen)
        hits = self._retrieve(question, docs)
        scored = self._sentence_chunk_scores(hits)
        if not scored:
            return profile, hits, []
        indices = list(scored)
        matrix = feature_matrix(
            profile,
            [self._view.facts(index) for index in indices],
            locate(self._view, profile, indices),
            np.fromiter(scored.values(), float, len(scored)),
            self._document_shares(hits, indices),
        )
        scores = matrix @ RANK_WEIGHTS
        candidates = [
            Candidate(index, row, float(score))
            for index, row, score in zip(indices, matrix, scores, strict=True)
        ]
        candidates.sort(key=lambda c: (-c.score, c.index))
        return profile, hits, candidates

    def _retrieve(self, question: Question, docs: Sequence[str]) -> list[tuple[int, float]]:
        """The best chunks for the question, then the opening chunk of each page titled by
        it and, for a definition, the chunks a little further down where a section headed by
        its focus starts (all scored as the last of the best, so only their sentences' own
        fit lifts them)."""
        terms = list(question.terms)
        wanted = self._options.candidate_chunks
        deeper = question.shape is Shape.DEFINITION and bool(question.focus)
        pool = self._search.top_k(terms, wanted * _DEEPER_POOL if deeper else wanted, docs)
        hits = pool[:wanted]
        allowed = set(docs)
        titled = [d for d in self._view.titled(terms) if not allowed or d in allowed]
        have = {chunk for chunk, _ in hits}
        floor = min((score for _, score in hits), default=0.0)
        for doc_id in titled[:_TITLED_DOCUMENTS]:
            first = self._search.chunk_range(doc_id).start
            if first not in have:
                hits.append((first, floor))
                have.add(first)
        if deeper:
            headed = self._headed_chunks(pool[wanted:], question.focus, have)
            hits.extend((chunk, floor) for chunk in headed)
        return hits

    def _headed_chunks(
        self, below: list[tuple[int, float]], focus: Sequence[str], have: set[int]
    ) -> list[int]:
        """The first few of the chunks ``below`` the best that hold a section headed by
        exactly ``focus``: a glossary's entry for a word every page uses, which BM25 ranks
        below the pages that use it."""
        found = (c for c, _ in below if c not in have and self._holds_section(c, focus))
        return list(itertools.islice(found, _HEADED_SECTIONS))

    def _holds_section(self, chunk_index: int, focus: Sequence[str]) -> bool:
        chunk = self._search.chunk(chunk_index)
        wanted = set(focus)
        sections = {self._search.sentence(i).section for i in range(chunk.first, chunk.last + 1)}
        return any(innermost_heading(section) == wanted for section in sections)

    def facts(self, profile: QuestionProfile) -> confidence_model.QuestionFacts:
        """What the corpus as a whole says about the question (for the confidence)."""
        weights = profile.weights
        unseen = sum(w for t, w in weights.items() if t not in profile.seen)
        absent = [
            name for name in profile.names if not any(map(self._search.doc_freq, analyze(name)))
        ]
        largest = smoothed_idf(self._search.n_chunks, 0)
        return confidence_model.QuestionFacts(
            unseen_share=unseen / profile.total,
            names_unseen=len(absent) / len(profile.names) if profile.names else 0.0,
            rarest_seen=max((w for t, w in weights.items() if t in profile.seen), default=0.0)
            / largest,
            terms=len(weights),
            corpus_size=corpus_size(self._search.n_chunks),
        )

    def evidence(self, profile: QuestionProfile, candidates: list[Candidate]) -> np.ndarray:
        """What the confidence model reads: every candidate and the question."""
        return confidence_model.evidence(
            np.array([c.features for c in candidates]),
            np.array([c.score for c in candidates]),
            [self._doc_of(c) for c in candidates],
            self.facts(profile),
        )

    def assess(self, profile: QuestionProfile, candidates: list[Candidate]) -> tuple[float, float]:
        """The probability that the sources answer the question, and that the first quote
        does (see ``confidence_model``); both 0 without candidates."""
        if not candidates:
            return 0.0, 0.0
        inputs = self.evidence(profile, candidates)
        return confidence_model.answerability(inputs), confidence_model.probability(inputs)

    def _sentence_chunk_scores(self, hits: list[tuple[int, float]]) -> dict[int, float]:
        """Each prose sentence of the hit chunks with its best chunk's relative score."""
        top = max((score for _, score in hits), default=0.0) or 1.0
        scores: dict[int, float] = {}
        for chunk_index, score in hits:
            chunk = self._search.chunk(chunk_index)
            for index in range(chunk.first, chunk.last + 1):
                if self._search.sentence(index).kind in ANSWERABLE_KINDS:
                    scores[index] = max(scores.get(index, 0.0), max(score, 0.0) / top)
        return scores

    def _document_shares(self, hits: list[tuple[int, float]], indices: list[int]) -> np.ndarray:
        """Each candidate's document's share of the hit chunks' score, over the best one's."""
        mass: dict[str, float] = {}
        for chunk_index, score in hits:
            doc_id = self._search.chunk(chunk_index).doc_id
            mass[doc_id] = mass.get(doc_id, 0.0) + max(score, 0.0)
        best = max(mass.values(), default=0.0) or 1.0
        return np.array([mass.get(self._view.facts(index).doc_id, 0.0) / best for index in indices])

    def _merge(self, candidates: list[Candidate], top: int) -> list[Candidate]:
        """One quote per distinct sentence; repeats elsewhere go into ``also_in``.

        Candidates come best first. Once ``top`` distinct ones are kept, a new distinct
        one too far behind the ``top``-th can never be chosen (see ``_choose``), so it is
        not kept; its repeats would have gone to it, never to a quote.
        """
        kept: list[tuple[Candidate, set[str]]] = []
        for candidate in candidates:
            terms = set(self._view.facts(candidate.index).terms)
            twin = next((k for k, t in kept if _overlap(terms, t) >= _DUPLICATE_OVERLAP), None)
            if twin is None:
                if len(kept) < top or candidate.score >= _CLOSE_FRACTION * kept[top - 1][0].score:
                    kept.append((candidate, terms))
                continue
            doc_id = self._doc_of(candidate)
            if doc_id != self._doc_of(twin) and doc_id not in twin.also_in:
                twin.also_in.append(doc_id)
        return [candidate for candidate, _ in kept]

    def _doc_of(self, candidate: Candidate) -> str:
        return self._search.sentence(candidate.index).doc_id

    def _quote(self, candidate: Candidate) -> Quote:
        sentence = self._search.sentence(candidate.index)
        document = self._search.document(sentence.doc_id)
        code = self._view.code_after(candidate.index)
        return quote(sentence, document, candidate.score, candidate.also_in, code)

    def _nearest(self, hits: list[tuple[int, float]]) -> list[NearbySource]:
        best: dict[str, float] = {}
        for chunk_index, score in hits:
            best.setdefault(self._search.chunk(chunk_index).doc_id, score)
        return [
            NearbySource(
                doc_id=doc_id,
                title=self._search.document(doc_id).title,
                source=self._search.document(doc_id).source,
                score=round(score, 4),
            )
            for doc_id, score in list(best.items())[:_NEAREST_SOURCES]
        ]


def quote(
    sentence: Sentence,
    document: Document,
    score: float,
    also_in: Sequence[str] = (),
    code: str | None = None,
) -> Quote:
    """``sentence`` of ``document`` as a quote with its source (and the code block after it)."""
    page, page_start = document.page_of(sentence.start) if document.paged else (None, 0)
    return Quote(
        text=sentence.text,
        doc_id=sentence.doc_id,
        title=document.title,
        source=document.source,
        start=sentence.start - page_start,
        end=sentence.end - page_start,
        score=round(score, 4),
        url=document.url,
        also_in=list(also_in),
        section=sentence.section,
        page=page,
        code=code,
    )


def corpus_size(n_chunks: int) -> float:
    """The size of a corpus as the confidence model reads it: log10 of its chunks over 5."""
    return math.log10(max(n_chunks, 1)) / _SIZE_SCALE


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
