"""Whether the answerer's confidence means what it says, measured on question sets.

An outcome is one question asked of one corpus with abstention turned off, so the
same run shows what every threshold would do: a question is refused at threshold
``t`` when its answerability (the probability that the sources answer it) is below
``t``. Questions asked of another set's corpus are off-topic, and the sets together
give the reliability of the confidence (among answers given with confidence near p,
the share whose first quote is right) and the refusal trade-off (off-topic questions
refused against answerable ones refused).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from retrieval.answer.evaluation import EvalQuestion, is_hit
from retrieval.results import Answer


@dataclass(frozen=True, slots=True)
class Outcome:
    """One question asked of one corpus, answered with abstention turned off."""

    answerable: bool  # the corpus answers it (its own set, not marked unanswerable)
    off_topic: bool  # it was written for another corpus
    confidence: float  # that the first quote answers
    answerability: float  # that the sources answer it at all
    hit1: bool
    hit3: bool


@dataclass(frozen=True, slots=True)
class Bin:
    """Answers whose confidence fell in one interval, and how many were right."""

    low: float
    high: float
    weight: float
    mean_confidence: float
    accuracy: float


@dataclass(frozen=True, slots=True)
class Refusals:
    """What one threshold refuses: shares of each kind of question."""

    threshold: float
    off_topic: float
    unanswerable: float
    answerable: float


Judged = tuple[Answer, float]  # an answer and its question's answerability


def outcomes(
    questions: Iterable[EvalQuestion], judge: Callable[[str], Judged | None], off_topic: bool
) -> list[Outcome]:
    """Ask every question; ``judge`` must not abstain (None stands for a rejected question)."""
    found = []
    for question in questions:
        judged = judge(question.q)
        result, chance = judged if judged is not None else (None, 0.0)
        quotes = result.quotes if result is not None else []
        hits = [not off_topic and is_hit(quote, question) for quote in quotes]
        found.append(
            Outcome(
                answerable=not off_topic and not question.unanswerable,
                off_topic=off_topic,
                confidence=result.confidence if result is not None else 0.0,
                answerability=chance,
                hit1=any(hits[:1]),
                hit3=any(hits[:3]),
            )
        )
    return found


def balanced_weights(found: Sequence[Outcome]) -> list[float]:
    """Weights under which the off-topic questions count as much as all the others together.

    Every set asked of every other corpus gives many more off-topic questions than
    on-topic ones; unweighted, they would swamp every measure.
    """
    own = sum(not o.off_topic for o in found)
    other = len(found) - own
    scale = own / other if other and own else 1.0
    return [scale if o.off_topic else 1.0 for o in found]


def reliability(found: Sequence[Outcome], bins: int = 10) -> list[Bin]:
    """Confidence against the share of first quotes that are right, in equal-width bins."""
    weights = balanced_weights(found)
    result = []
    for number in range(bins):
        low, high = number / bins, (number + 1) / bins
        members = [
            (o, w)
            for o, w in zip(found, weights, strict=True)
            if low <= o.confidence < high or (number == bins - 1 and o.confidence == 1.0)
        ]
        total = sum(w for _, w in members)
        if not total:
            continue
        result.append(
            Bin(
                low=low,
                high=high,
                weight=total,
                mean_confidence=sum(o.confidence * w for o, w in members) / total,
                accuracy=sum(o.hit1 * w for o, w in members) / total,
            )
        )
    return result


def expected_calibration_error(found: Sequence[Outcome], bins: int = 10) -> float:
    """The weighted mean gap between confidence and accuracy over the reliability bins."""
    table = reliability(found, bins)
    total = sum(b.weight for b in table)
    if not total:
        return 0.0
    return sum(b.weight * abs(b.mean_confidence - b.accuracy) for b in table) / total


def refusals(found: Sequence[Outcome], threshold: float) -> Refusals:
    """The share of each kind of question a threshold refuses."""

    def refused(kind: Callable[[Outcome], bool]) -> float:
        group = [o for o in found if kind(o)]
        return sum(o.answerability < threshold for o in group) / len(group) if group else 0.0

    return Refusals(
        threshold=threshold,
        off_topic=refused(lambda o: o.off_topic),
        unanswerable=refused(lambda o: not o.off_topic and not o.answerable),
        answerable=refused(lambda o: o.answerable),
    )
