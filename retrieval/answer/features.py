"""What the answerer measures about each candidate sentence.

Every feature is a number in [0, 1] computed from the question and the
sentence (and its neighbours) alone, with weights from the corpus's own IDF, so
the same measurements mean the same thing on any English collection.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.answer.evidence import fits_shape, matches_type
from retrieval.answer.question import AnswerType, Question
from retrieval.search.analysis import analyze

FEATURES = (
    "coverage",
    "soft_coverage",
    "context_coverage",
    "chunk_score",
    "proximity",
    "type_match",
    "short",
    "names",
    "follows_match",
    "phrases",
    "density",
    "key_coverage",
    "key_missing",
    "heading",
    "section_lead",
    "shape",
    "sentence_bm25",
)
_PREFIX = 5
# BM25 over single sentences: rank-bm25's k1 and b, and a typical prose sentence length.
_K1, _B, _SENTENCE_TERMS = 1.5, 0.75, 20.0
_SOFT_CREDIT = 0.5
_SHORT_WORDS = 6
_CONTINUES = re.compile(
    r"^(?:this|that|these|those|it|he|she|they|his|her|their|its|such|there|in return"
    r"|in response|as a result|however|but|instead|the move|the decision)\b",
    re.IGNORECASE,
)
_NAME_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’.-]*)+")
_NAME_EXTRA = 0.25
_CAPITALISED = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][\w'’-]*[A-Za-z]")


@dataclass(frozen=True, slots=True)
class Surroundings:
    """What lies around a candidate sentence: its neighbours, document and headings.

    ``previous``/``following`` are the terms of the answerable sentences just before and
    after; ``topical`` the question's words that run through the whole document (its
    subject, "the museum"); ``heading`` the terms of the sentence's section path and its
    document's title; ``code_follows`` whether a code block comes right after it;
    ``opens_section`` whether it is the first answerable sentence of its section.
    """

    previous: set[str]
    following: set[str]
    topical: frozenset[str]
    heading: frozenset[str]
    code_follows: bool
    opens_section: bool


@dataclass(frozen=True, slots=True)
class QuestionProfile:
    """The question's terms with their weights, computed once per question."""

    question: Question
    weights: dict[str, float]
    total: float
    names: tuple[str, ...]
    pairs: frozenset[tuple[str, str]]
    seen: frozenset[str]  # the terms some document contains

    @classmethod
    def of(
        cls, question: Question, weight_of: dict[str, float], seen: frozenset[str]
    ) -> QuestionProfile:
        weights = _name_weights(question.text, {term: weight_of[term] for term in question.terms})
        names = tuple(dict.fromkeys(_CAPITALISED.findall(question.text)))
        return cls(
            question=question,
            weights=weights,
            total=sum(weights.values()) or 1.0,
            names=names,
            pairs=frozenset(itertools.pairwise(question.terms)),
            seen=seen,
        )


def _name_weights(text: str, weights: dict[str, float]) -> dict[str, float]:
    """A multi-word name is one concept: its words share about one word's weight.

    Without this "Ho Chi Minh City" would count four times as much as "population".
    """
    scaled = dict(weights)
    for match in _NAME_RUN.finditer(text):
        terms = [t for t in dict.fromkeys(analyze(match.group())) if t in weights]
        if len(terms) < 2:
            continue
        group = [weights[t] for t in terms]
        share = (max(group) + _NAME_EXTRA * (sum(group) - max(group))) / sum(group)
        for term in terms:
            scaled[term] = weights[term] * share
    return scaled


def _soft_matches(term: str, present: set[str], heads: set[str]) -> bool:
    """Stems that share a long prefix ("religi"/"religion") are the same word."""
    if len(term) < _PREFIX or term[:_PREFIX] not in heads:
        return False
    return any(other.startswith(term) or term.startswith(other[:-1]) for other in present)


def _coverage(profile: QuestionProfile, present: set[str]) -> tuple[float, float]:
    """Exact and soft IDF-weighted shares of the question found in ``present``."""
    exact = soft = 0.0
    heads = {other[:_PREFIX] for other in present}
    for term, weight in profile.weights.items():
        if term in present:
            exact += weight
            soft += weight
        elif _soft_matches(term, present, heads):
            soft += _SOFT_CREDIT * weight
    return exact / profile.total, soft / profile.total


def _key_concepts(profile: QuestionProfile, context: set[str]) -> tuple[float, float]:
    """How the corpus's rarest question words fare in ``context``.

    Squared-IDF coverage of the terms some document contains, and the weight of the
    heaviest of them that ``context`` lacks (relative to the heaviest). Squaring makes
    the question's key concepts (its rare words, names) count for nearly all of it, so
    common words that happen to match count for little.
    """
    known = {term: weight for term, weight in profile.weights.items() if term in profile.seen}
    squares = sum(weight * weight for weight in known.values()) or 1.0
    covered = sum(weight * weight for term, weight in known.items() if term in context)
    missing = max((weight for term, weight in known.items() if term not in context), default=0.0)
    return covered / squares, missing / (max(known.values(), default=0.0) or 1.0)


def proximity(terms: Sequence[str], wanted_terms: dict[str, float]) -> float:
    """How tightly the matched question words cluster: matched / shortest window."""
    positions = [(i, t) for i, t in enumerate(terms) if t in wanted_terms]
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


def sentence_bm25(profile: QuestionProfile, terms: Sequence[str]) -> float:
    """BM25 of one sentence for the question, with the question's IDF weights.

    The answerer divides it by the best candidate's, as the last feature.
    """
    counts = Counter(terms)
    norm = _K1 * (1 - _B + _B * len(terms) / _SENTENCE_TERMS)
    return sum(
        weight * counts[term] * (_K1 + 1) / (counts[term] + norm)
        for term, weight in profile.weights.items()
        if counts[term]
    )


def _phrase_share(profile: QuestionProfile, terms: Sequence[str]) -> float:
    """Share of the question's adjacent word pairs that stand together in the sentence."""
    if not profile.pairs:
        return 0.0
    return len(profile.pairs & set(itertools.pairwise(terms))) / len(profile.pairs)


def features(
    profile: QuestionProfile,
    text: str,
    terms: Sequence[str],
    around: Surroundings,
    chunk_score: float,
) -> np.ndarray:
    """The feature vector of one candidate sentence, in ``FEATURES`` order, but for the
    last one (``sentence_bm25``), which is relative to the other candidates.

    A sentence that carries on ("This was because …") from one matching the question
    often holds the answer. Topical words count as present everywhere in their document
    except for the exact ``coverage``; heading words count as context, since a sentence
    under "Counter" need not repeat "counter" to define one, and the first sentence under
    a heading that matches the question (an FAQ's question, a glossary entry) often answers.
    """
    present = set(terms)
    coverage, _ = _coverage(profile, present)
    _, soft = _coverage(profile, present | around.topical)
    context_terms = present | around.previous | around.following | around.topical | around.heading
    _, context = _coverage(profile, context_terms)
    key_coverage, key_missing = _key_concepts(profile, context_terms)
    follows = _coverage(profile, around.previous)[1] if _CONTINUES.match(text) else 0.0
    question = profile.question
    kind = question.answer_type
    type_match = kind is not AnswerType.OTHER and matches_type(kind, text, question.text)
    names = profile.names
    heading = _coverage(profile, set(around.heading))[0]
    return np.array(
        [
            coverage,
            soft,
            context,
            chunk_score,
            proximity(terms, profile.weights),
            float(type_match),
            float(len(text.split()) < _SHORT_WORDS),
            sum(name in text for name in names) / len(names) if names else 0.0,
            follows,
            _phrase_share(profile, terms),
            coverage / math.log2(2 + len(terms)) * 2,
            key_coverage,
            key_missing,
            heading,
            heading * around.opens_section,
            fits_shape(question.shape, text, question.focus, around.code_follows),
        ]
    )


def smoothed_idf(n_chunks: int, doc_freq: int) -> float:
    """An IDF that stays positive and is largest for words the corpus lacks."""
    return math.log((n_chunks + 1) / (doc_freq + 0.5))
