"""The answerer's confidence: the probability that its first quote answers the question.

A logistic model reads what the ranking found (``EVIDENCE``): how well the best sentence
scored and how far ahead of the next it is, how much of the question it and its
neighbours cover, whether the question's rarest words are among them, how much of the
question no document contains at all, and whether the expected kind of answer is there.
Its weights were fitted by ``benchmarks/tune_answerer.py`` on the question sets in
``tests/data``, with each set also asked of every other set's corpus as off-topic
questions (whose first quote is never right), so a confidence of 0.7 means that about
70% of answers given with it quote a sentence that answers.
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
)
# Fitted by the tuning script, in EVIDENCE order, and the intercept.
EVIDENCE_WEIGHTS = np.array(
    [0.114, 1.233, 1.378, 1.081, -0.026, 0.284, -1.094, -1.943, 1.323, 0.182, 0.2, -0.568, 1.19]
)
EVIDENCE_BIAS = -4.642

_FROM_BEST = tuple(FEATURES.index(name) for name in EVIDENCE[2:6])
_TYPE, _NAMES = FEATURES.index("type_match"), FEATURES.index("names")
_AGREEING = 5


@dataclass(frozen=True, slots=True)
class QuestionFacts:
    """What the corpus as a whole says about a question, before any sentence is read."""

    unseen_share: float  # of the question's weight, in words no document contains
    names_unseen: float  # of the names it mentions, the share no document contains
    rarest_seen: float  # IDF of its rarest word some document contains, over the largest IDF
    terms: int


def evidence(
    features: np.ndarray, scores: np.ndarray, docs: Sequence[str], facts: QuestionFacts
) -> np.ndarray:
    """The confidence model's inputs from every candidate (features, score, document).

    ``agreement`` is the share of the best few candidates' score that lies in the best
    one's document: an answer tends to gather in one place, chance matches scatter.
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
        ]
    )


def probability(
    inputs: np.ndarray, weights: np.ndarray = EVIDENCE_WEIGHTS, bias: float = EVIDENCE_BIAS
) -> float:
    """The logistic of the weighted evidence, in [0, 1]."""
    z = float(weights @ inputs) + bias
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
