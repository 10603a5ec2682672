"""What the answerer measures about each candidate sentence.

Every feature is a number in [0, 1] computed from the question and the sentence (and
its neighbours, section and document) alone, with weights from the corpus's own IDF, so
the same measurements mean the same thing on any English collection. The candidates of
one question are measured together: where each question term is found (the sentence,
its neighbours, its headings, its document's recurring words) is a small matrix, and
most features are weighted sums over it.
"""

from __future__ import annotations

import itertools
import math
import re
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
    "title",
    "document_share",
    "lead",
    "asks",
    "opening",
    "title_lead",
    "shape_lead",
    "reason_match",
    "code_match",
    "heading_cue",
    "changelog",
)
_PREFIX = 5
# BM25 over single sentences: rank-bm25's k1 and b, and a typical prose sentence length.
_K1, _B, _SENTENCE_TERMS = 1.5, 0.75, 20.0
_SOFT_CREDIT = 0.5
_SHORT_WORDS = 6
# A sentence's opening words name what it is about: its subject, in English prose.
OPENING_TERMS = 4
_CONTINUES = re.compile(
    r"^(?:this|that|these|those|it|he|she|they|his|her|their|its|such|there|in return"
    r"|in response|as a result|however|but|instead|the move|the decision)\b",
    re.IGNORECASE,
)
_NAME_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’.-]*)+")
_NAME_EXTRA = 0.25
_CAPITALISED = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][\w'’-]*[A-Za-z]")
# Documentation's own words for the sections that hold each kind of answer: why (a
# rationale), what (an overview or glossary), how (a usage guide).
_SECTION_CUES = {
    "reason": frozenset(analyze("rationale motivation reasons purpose background")),
    "definition": frozenset(analyze("overview introduction abstract summary glossary concepts")),
    "howto": frozenset(analyze("usage examples tutorial guide")),
}


@dataclass(frozen=True, slots=True)
class SentenceFacts:
    """What no question changes about an answerable sentence, worked out once and kept.

    ``previous``/``following`` are the corpus indices of the answerable sentences just
    before and after it in its document (None at an edge or next to a heading or code);
    ``heading`` the terms of its section path and its document's title.
    """

    text: str
    doc_id: str
    terms: tuple[str, ...]
    previous: int | None
    following: int | None
    heading: tuple[str, ...]
    title: tuple[str, ...]
    lead: float  # 1 for the document's first answerable sentence, falling to 0 by the sixth
    continues: bool  # ``carries_on``
    short: bool
    asks: bool  # it is itself a question ("Should str(True) return 'True'?")
    code_follows: bool
    opens_section: bool  # the first answerable sentence of its section
    own_heading: frozenset[str]  # the terms of the innermost heading above it
    changelog: bool  # its document is a release note or changelog


def carries_on(text: str) -> bool:
    """Whether a sentence carries on from the one before ("This was because …")."""
    return _CONTINUES.match(text) is not None


def is_short(text: str) -> bool:
    return len(text.split()) < _SHORT_WORDS


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


class TermMatcher:
    """Which of the question's terms a bag of words holds, exactly or softly.

    Stems that share a long prefix ("religi"/"religion", "configur"/"configuration")
    are the same word softly; only words with the term's first letters are compared.
    """

    def __init__(self, terms: Sequence[str]) -> None:
        self.size = len(terms)
        self._terms = tuple(terms)
        self._by_head: dict[str, list[tuple[int, str]]] = {}
        for column, term in enumerate(terms):
            if len(term) >= _PREFIX:
                self._by_head.setdefault(term[:_PREFIX], []).append((column, term))
        self._heads = frozenset(self._by_head)

    def counts(self, words: Sequence[str]) -> tuple[list[int], list[bool]]:
        """How often each term occurs in ``words``, and whether each is there softly."""
        counts = [words.count(term) for term in self._terms]
        soft = [count > 0 for count in counts]
        shared = self._heads.intersection([word[:_PREFIX] for word in words])
        for word in words:
            if word[:_PREFIX] not in shared:
                continue
            for column, term in self._by_head[word[:_PREFIX]]:
                if word.startswith(term) or term.startswith(word[:-1]):
                    soft[column] = True
        return counts, soft


@dataclass(frozen=True, slots=True)
class Matches:
    """Where each question term (columns) is found for each candidate (rows).

    ``sentence`` holds counts, the rest are booleans; ``*_soft`` include the exact
    matches. ``topical`` are the question's words that run through the candidate's whole
    document (its subject, "the museum"); ``heading`` the words of its section path and
    document title; ``opening`` the sentence's first ``OPENING_TERMS`` terms;
    ``previous``/``following`` the answerable sentences around it.
    """

    sentence: np.ndarray
    opening: np.ndarray
    sentence_soft: np.ndarray
    previous: np.ndarray
    previous_soft: np.ndarray
    following: np.ndarray
    following_soft: np.ndarray
    heading: np.ndarray
    heading_soft: np.ndarray
    title: np.ndarray
    topical: np.ndarray


def _shares(profile: QuestionProfile, exact: np.ndarray, soft: np.ndarray) -> np.ndarray:
    """The IDF-weighted share of the question found, soft matches at half credit."""
    weights = np.fromiter(profile.weights.values(), float, len(profile.weights))
    partial = soft & ~exact
    return (exact @ weights + _SOFT_CREDIT * (partial @ weights)) / profile.total


def _key_concepts(profile: QuestionProfile, context: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How the corpus's rarest question words fare in each candidate's ``context``.

    Squared-IDF coverage of the terms some document contains, and the weight of the
    heaviest of them that the context lacks (relative to the heaviest). Squaring makes
    the question's key concepts (its rare words, names) count for nearly all of it, so
    common words that happen to match count for little.
    """
    weights = np.fromiter(profile.weights.values(), float, len(profile.weights))
    known = np.array([term in profile.seen for term in profile.weights], dtype=bool)
    squares = np.where(known, weights * weights, 0.0)
    covered = (context @ squares) / (squares.sum() or 1.0)
    lacking = np.where(known & ~context, weights, 0.0)
    heaviest = float(weights[known].max()) if known.any() else 0.0
    return covered, lacking.max(axis=1, initial=0.0) / (heaviest or 1.0)


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


def _sentence_bm25(profile: QuestionProfile, counts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """BM25 of each sentence for the question, with the question's IDF weights,
    relative to the best candidate's."""
    weights = np.fromiter(profile.weights.values(), float, len(profile.weights))
    norm = _K1 * (1 - _B + _B * lengths / _SENTENCE_TERMS)
    saturated = counts * (_K1 + 1) / (counts + norm[:, None])
    scores = saturated @ weights
    return scores / (scores.max(initial=0.0) or 1.0)


def _phrase_share(profile: QuestionProfile, terms: Sequence[str]) -> float:
    """Share of the question's adjacent word pairs that stand together in the sentence."""
    if not profile.pairs:
        return 0.0
    return len(profile.pairs & set(itertools.pairwise(terms))) / len(profile.pairs)


def _section_cues(question: Question) -> frozenset[str]:
    """The heading words of the sections that answer questions of this kind."""
    if question.answer_type is AnswerType.REASON:
        return _SECTION_CUES["reason"]
    return _SECTION_CUES.get(question.shape.value, frozenset())


def _headed(facts: SentenceFacts, question: Question) -> bool:
    """Whether the sentence opens a section headed by exactly what is asked about (a
    glossary entry, a definition list's term, a page named for it)."""
    return facts.opens_section and bool(question.focus) and facts.own_heading == set(question.focus)


def _one_by_one(profile: QuestionProfile, facts: SentenceFacts, matched: int) -> list[float]:
    """The features read from the sentence's wording: proximity, answer type, names,
    adjacent pairs and the question's form."""
    question = profile.question
    kind = question.answer_type
    type_match = kind is not AnswerType.OTHER and matches_type(kind, facts.text, question.text)
    names = profile.names
    return [
        proximity(facts.terms, profile.weights) if matched else 0.0,
        float(type_match),
        sum(name in facts.text for name in names) / len(names) if names else 0.0,
        _phrase_share(profile, facts.terms) if matched > 1 else 0.0,
        fits_shape(
            question.shape, facts.text, question.focus, facts.code_follows, _headed(facts, question)
        ),
        float(type_match and kind is AnswerType.REASON),
        float(type_match and kind in (AnswerType.CODE, AnswerType.VERSION)),
        float(not _section_cues(question).isdisjoint(facts.heading)),
    ]


def feature_matrix(
    profile: QuestionProfile,
    sentences: Sequence[SentenceFacts],
    matches: Matches,
    chunk_scores: np.ndarray,
    document_shares: np.ndarray,
) -> np.ndarray:
    """The feature vectors of one question's candidates, in ``FEATURES`` order.

    A sentence that carries on ("This was because …") from one matching the question
    often holds the answer. Topical words count as present everywhere in their document
    except for the exact ``coverage``; heading words count as context, since a sentence
    under "Counter" need not repeat "counter" to define one, and the first sentence under
    a heading that matches the question (an FAQ's question, a glossary entry) often answers.
    ``opening`` is the share of the question in the sentence's first words (its subject:
    "Recording rules precompute …" is about recording rules, "… using recording rules"
    only mentions them).
    ``sentence_bm25`` is relative to the best candidate's; ``document_shares`` is each
    candidate's document's share of the retrieved chunks' BM25 score, relative to the
    best document's (a document about the question gathers many of the best chunks, one
    that mentions it in passing, like a changelog, few). ``title_lead`` is the opening of
    a page whose title names the question ("Models" opens with what a model is), and
    ``shape_lead`` a sentence of the asked-for form (a definition) that opens its
    document or section. ``reason_match`` and ``code_match`` single out the answer types
    whose surface cues are loosest ("because", any code-like name), and ``heading_cue``
    a section whose heading names the kind of answer asked for ("Rationale" for why);
    ``changelog`` a release note's sentence for a question that asks neither when nor which
    version.
    """
    present = matches.sentence > 0
    lengths = np.array([len(facts.terms) for facts in sentences], dtype=float)
    coverage = _shares(profile, present, present)
    topical = present | matches.topical
    soft = _shares(profile, topical, matches.sentence_soft | matches.topical)
    around = topical | matches.previous | matches.following | matches.heading
    around_soft = (
        matches.sentence_soft
        | matches.previous_soft
        | matches.following_soft
        | matches.heading_soft
        | around
    )
    context = _shares(profile, around, around_soft)
    key_coverage, key_missing = _key_concepts(profile, around)
    continues = np.array([facts.continues for facts in sentences], dtype=bool)
    follows = continues * _shares(profile, matches.previous, matches.previous_soft)
    heading = _shares(profile, matches.heading, matches.heading)
    opens = np.array([facts.opens_section for facts in sentences], dtype=bool)
    leads = np.array([facts.lead for facts in sentences])
    title = _shares(profile, matches.title, matches.title)
    matched = present.sum(axis=1)
    worded = np.array(
        [_one_by_one(profile, facts, int(m)) for facts, m in zip(sentences, matched, strict=True)]
    ).reshape(len(sentences), 8)
    return np.column_stack(
        [
            coverage,
            soft,
            context,
            chunk_scores,
            worded[:, 0],
            worded[:, 1],
            np.array([facts.short for facts in sentences], dtype=float),
            worded[:, 2],
            follows,
            worded[:, 3],
            coverage / np.log2(2 + lengths) * 2,
            key_coverage,
            key_missing,
            heading,
            heading * opens,
            worded[:, 4],
            _sentence_bm25(profile, matches.sentence.astype(float), lengths),
            title,
            document_shares,
            leads,
            np.array([facts.asks for facts in sentences], dtype=float),
            _shares(profile, matches.opening, matches.opening),
            title * leads,
            worded[:, 4] * np.maximum(leads, opens),
            worded[:, 5],
            worded[:, 6],
            worded[:, 7],
            _changelogs(profile.question, sentences),
        ]
    )


def _changelogs(question: Question, sentences: Sequence[SentenceFacts]) -> np.ndarray:
    """Sentences of release notes, for a question that asks neither when nor which version."""
    if question.answer_type in (AnswerType.DATE, AnswerType.VERSION):
        return np.zeros(len(sentences))
    return np.array([facts.changelog for facts in sentences], dtype=float)


def smoothed_idf(n_chunks: int, doc_freq: int) -> float:
    """An IDF that stays positive and is largest for words the corpus lacks."""
    return math.log((n_chunks + 1) / (doc_freq + 0.5))
