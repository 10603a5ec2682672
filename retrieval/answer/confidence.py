"""Two probabilities from what the ranking found: that the sources answer the question at
all (``answerability``, which decides whether to abstain) and that the first quote
answers it (``probability``, the confidence an answer shows).

Two logistic models read the same evidence (``EVIDENCE``): how well the best sentence
scored and how far ahead of the next it is, how much of the question it and its
neighbours cover, whether the question's rarest words are among them, how well the best
of all candidates cover the question and its rare words, how much of the question no
document contains at all, whether the expected kind of answer is there, and whether a
page title, heading or sentence subject names what is asked, and how large the corpus
is (a large one offers any question more chance matches). Both were
fitted by ``benchmarks/tune_answerer.py`` on the question sets in ``tests/data``, with each
set also asked of every other set's corpus as off-topic questions (never answered, whose
first quote is never right). So a confidence of 0.7 means that about 70% of answers given
with it quote a sentence that answers; and a question whose answerability is low is one
like those the sources did not answer.

Two models rather than one because the questions the sources answer but whose best
sentence ranks second are not off-topic: a single "first quote right" model would refuse
them along with the off-topic ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.answer.features import FEATURES

EVIDENCE = (
    "best_score",
    "lead",
    "context_coverage",
    "coverage",
    "key_coverage",
    "key_missing",
    "unseen_share",
    "names_unseen",
    "rarest_seen",
    "type_match",
    "names",
    "one_term",
    "agreement",
    "best_key_coverage",
    "best_context_coverage",
    "best_soft_coverage",
    "best_coverage",
    "title",
    "document_share",
    "opening",
    "heading",
    "best_title",
    "best_document_share",
    "best_opening",
    "best_heading",
    "corpus_size",
)


@dataclass(frozen=True, slots=True)
class Model:
    """A logistic model over ``EVIDENCE``: weights in that order, and the intercept."""

    weights: np.ndarray
    bias: float


# Fitted by the tuning script.
ANSWERABLE = Model(
    np.array(
        [
            *(0.334, 0.067, 1.028, 0.214, -0.023, 0.571, -0.637, -2.096, -0.168),
            *(-0.490, 0.795, -0.577, 1.501, 0.345, 1.121, 0.790, 0.300, 0.232),
            *(-0.026, 0.223, 0.068, 0.157, 0.067, 0.181, -0.260, -1.166),
        ]
    ),
    -5.917,
)
RIGHT = Model(
    np.array(
        [
            *(0.272, 0.504, 1.141, 0.226, 0.110, 0.474, -0.775, -1.839, 0.588),
            *(-0.256, 0.143, -0.528, 0.830, -0.166, 0.671, -0.035, 0.568, -0.671),
            *(0.095, 0.100, -0.075, -0.718, 0.062, -0.332, -0.916, -0.910),
        ]
    ),
    -5.997,
)

_FROM_BEST = tuple(FEATURES.index(name) for name in EVIDENCE[2:6])
_BEST_OF_ALL = tuple(FEATURES.index(name.removeprefix("best_")) for name in EVIDENCE[13:17])
_PLACE = tuple(FEATURES.index(name) for name in EVIDENCE[17:21])
_TYPE, _NAMES = FEATURES.index("type_match"), FEATURES.index("names")
_AGREEING = 5


@dataclass(frozen=True, slots=True)
class QuestionFacts:
    """What the corpus as a whole says about a question, before any sentence is read."""

    unseen_share: float  # of the question's weight, in words no document contains
    names_unseen: float  # of the names it mentions, the share no document contains
    rarest_seen: float  # IDF of its rarest word some document contains, over the largest IDF
    terms: int
    corpus_size: float  # log10 of the chunks searched, over 5 (1.0 for 100,000 chunks)


def evidence(
    features: np.ndarray, scores: np.ndarray, docs: Sequence[str], facts: QuestionFacts
) -> np.ndarray:
    """The confidence model's inputs from every candidate (features, score, document).

    ``agreement`` is the share of the best few candidates' score that lies in the best
    one's document: an answer tends to gather in one place, chance matches scatter. Then
    come the best coverage found among all the candidates, ranked first or not, and where
    the question's words are found about the best sentence (its page's title, its
    document's share of the retrieved score, its opening words, its headings) and about
    any candidate: a page or section named for the question is evidence that the sources
    address it. Last, the corpus's size: the more chunks, the more chance matches an
    off-topic question finds, so the same match means less in a large corpus.
    """
    order = np.argsort(-scores, kind="stable")
    best = int(order[0])
    following = float(scores[order[1]]) if len(order) > 1 else 0.0
    top = order[:_AGREEING]
    mass = np.clip(scores[top], 0.0, None)
    same = np.array([docs[i] == docs[best] for i in top])
    agreement = float(mass[same].sum() / mass.sum()) if mass.sum() > 0 else 0.0
    row = features[best]
    return np.array(
        [
            float(scores[best]),
            float(scores[best]) - following,
            *(row[i] for i in _FROM_BEST),
            facts.unseen_share,
            facts.names_unseen,
            facts.rarest_seen,
            row[_TYPE],
            row[_NAMES],
            float(facts.terms == 1),
            agreement,
            *features[:, _BEST_OF_ALL].max(axis=0),
            *(row[i] for i in _PLACE),
            *features[:, _PLACE].max(axis=0),
            facts.corpus_size,
        ]
    )


def probability(inputs: np.ndarray, model: Model = RIGHT) -> float:
    """The logistic of the weighted evidence, in [0, 1]: by default the probability that
    the first quote answers the question."""
    z = float(model.weights @ inputs) + model.bias
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def answerability(inputs: np.ndarray) -> float:
    """The probability that the sources answer the question at all."""
    return probability(inputs, ANSWERABLE)
