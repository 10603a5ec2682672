r"""Fit the answerer's ranking weights, its confidence model and the refusal threshold.

    python benchmarks/tune_answerer.py \
        --set seeds tests/data/dev_questions.jsonl \
        --set tests/data/heldout/corpus tests/data/heldout/questions.jsonl \
        --set ../shared/data/corpora/prometheus-docs tests/data/prometheus/questions.jsonl \
        --sealed tests/data/factoid/corpus tests/data/factoid/questions.jsonl \
        ...

Ranking: listwise logistic regression (L2) on the linear weights over
``features.FEATURES``: the log-probability, under a softmax over each question's
candidates, that a sentence holding a key phrase (from a gold document) comes first, every
fitted set weighing the same. It also reports how often a hit is among the three best
(the ranking's side of hit@3) and among the candidates at all (the ceiling of any ranking).

Confidence: a logistic regression over ``confidence.EVIDENCE`` whose label is "the first
quote answers". Every set's questions are also asked of every other set's corpus, as
off-topic questions (never answered right); they are weighted to count as much as all
the on-topic questions together.

It first leaves each set out in turn: ranking and confidence are fitted on the other sets
only, and the left-out set is scored (its own questions, and off-topic questions to and
from its corpus): the honest estimate for unseen documents. Then it fits on all sets:
the weights to paste into ``retrieval/answer/answerer.py`` and ``confidence.py``, and the
threshold, the lowest that refuses at least ``--off-topic-target`` of the off-topic
questions.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from retrieval.answer import answerer, confidence
from retrieval.answer.evaluation import EvalQuestion, is_hit, read_questions
from retrieval.answer.features import FEATURES
from retrieval.answer.question import parse_question
from retrieval.errors import InvalidQuery
from retrieval.results import Quote
from retrieval.search.backend import SearchBackend
from retrieval.search.corpus_cache import IndexOptions
from retrieval.service import QAService

_L2 = 1e-3
_L2_RANKING = 1e-3


@dataclass
class Example:
    """One question asked of one corpus, with every candidate's features and hit flags."""

    text: str
    questions: str  # the set the question comes from
    corpus: str  # the set whose corpus was asked
    features: np.ndarray  # candidates x features
    hits: np.ndarray  # bool per candidate
    docs: list[str]  # per candidate
    facts: confidence.QuestionFacts
    answerable: bool

    @property
    def off_topic(self) -> bool:
        return self.questions != self.corpus


def _quote(search: SearchBackend, index: int, score: float) -> Quote:
    sentence = search.sentence(index)
    return answerer.quote(sentence, search.document(sentence.doc_id), score)


def _examples(
    service: QAService, corpus: str, source: str, questions: list[EvalQuestion]
) -> list[Example]:
    engine, search, found = service._state.answerer, service._state.search, []
    for item in questions:
        try:
            profile, _, candidates = engine.candidates(parse_question(item.q))
        except InvalidQuery:
            continue
        own = source == corpus
        quotes = [_quote(search, c.index, c.score) for c in candidates if own]
        hits = np.array([is_hit(q, item) for q in quotes] or [False] * len(candidates), dtype=bool)
        matrix = np.array([c.features for c in candidates]).reshape(-1, len(FEATURES))
        docs = [search.sentence(c.index).doc_id for c in candidates]
        answerable = own and not item.unanswerable
        facts = engine.facts(profile)
        found.append(Example(item.q, source, corpus, matrix, hits, docs, facts, answerable))
    return found


def load(sets: list[tuple[str, str]], cache: Path) -> list[Example]:
    """Every set's questions asked of every set's corpus."""
    questions = {name: read_questions(Path(name)) for _, name in sets}
    found = []
    for corpus, name in sets:
        service = QAService.open(Path(corpus), IndexOptions(), cache)
        for source, items in questions.items():
            found += _examples(service, name, source, items)
    return found


def ranked_first(data: list[Example], weights: np.ndarray) -> float:
    """Share of answerable questions whose best-scored sentence is a hit (ties split)."""
    answerable = [e for e in data if e.answerable]
    total = 0.0
    for example in answerable:
        if len(example.features):
            scores = example.features @ weights
            total += example.hits[scores >= scores.max() - 1e-12].mean()
    return total / len(answerable)


def ranked_within(data: list[Example], weights: np.ndarray, k: int = 3) -> float:
    """Share of answerable questions with a hit among their ``k`` best-scored sentences:
    the ranking's side of hit@3 (before near-duplicates merge and later quotes prefer a
    new document, so an answer's hit@3 can differ a little)."""
    answerable = [e for e in data if e.answerable]
    found = 0
    for example in answerable:
        if len(example.features):
            order = np.argsort(-(example.features @ weights), kind="stable")
            found += bool(example.hits[order[:k]].any())
    return found / len(answerable) if answerable else 0.0


def candidate_recall(data: list[Example]) -> float:
    """Share of answerable questions with a hit anywhere among their candidates: the
    ceiling any ranking of the same candidates can reach."""
    answerable = [e for e in data if e.answerable]
    return sum(bool(e.hits.any()) for e in answerable) / len(answerable) if answerable else 0.0


def _listwise_loss(
    examples: list[Example], share: np.ndarray, l2: float
) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """Minus the log-probability, under a softmax over each question's candidates, that
    a hit comes first; each question weighted by ``share``, plus an L2 penalty."""

    def loss(weights: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = l2 * float(weights @ weights), 2 * l2 * weights
        for example, weight in zip(examples, share, strict=True):
            scores = example.features @ weights
            top = scores.max()
            every = np.exp(scores - top)
            right = every * example.hits
            value += weight * (np.log(every.sum()) - np.log(right.sum()))
            grad += weight * (
                every @ example.features / every.sum() - right @ example.features / right.sum()
            )
        return value, grad

    return loss


def fit_ranking(data: list[Example], l2: float = _L2_RANKING) -> np.ndarray:
    """Listwise logistic regression over the answerable questions with a hit among their
    candidates, every fitted set weighing the same."""
    examples = [e for e in data if e.answerable and e.hits.any()]
    sizes = Counter(e.questions for e in examples)
    share = np.array([1.0 / (sizes[e.questions] * len(sizes)) for e in examples])
    start = np.zeros(len(FEATURES))
    result = minimize(_listwise_loss(examples, share, l2), start, jac=True, method="L-BFGS-B")
    return np.asarray(result.x)


def evidence_table(data: list[Example], weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The confidence inputs and labels (first quote right) under ranking ``weights``."""
    rows, labels = [], []
    for e in data:
        if not len(e.features):
            rows.append(np.zeros(len(confidence.EVIDENCE)))
            labels.append(False)
            continue
        scores = e.features @ weights
        rows.append(confidence.evidence(e.features, scores, e.docs, e.facts))
        labels.append(bool(e.hits[int(np.argmax(scores))]))
    return np.array(rows), np.array(labels, dtype=float)


def balance(data: list[Example]) -> np.ndarray:
    """Off-topic examples together weigh as much as all the on-topic ones."""
    off = np.array([e.off_topic for e in data])
    scale = (len(data) - off.sum()) / max(off.sum(), 1)
    return np.where(off, scale, 1.0)


def logistic(inputs: np.ndarray, labels: np.ndarray, sample: np.ndarray) -> confidence.Model:
    """Weighted logistic regression with a small L2 penalty."""

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        p = probabilities(inputs, confidence.Model(params[:-1], params[-1]))
        eps = 1e-9
        value = -np.sum(sample * (labels * np.log(p + eps) + (1 - labels) * np.log(1 - p + eps)))
        grad_z = sample * (p - labels)
        grad = np.append(inputs.T @ grad_z, grad_z.sum())
        value += _L2 * np.sum(params[:-1] ** 2) * sample.sum()
        grad[:-1] += 2 * _L2 * params[:-1] * sample.sum()
        return value / sample.sum(), grad / sample.sum()

    result = minimize(loss, np.zeros(inputs.shape[1] + 1), jac=True, method="L-BFGS-B")
    return confidence.Model(result.x[:-1], float(result.x[-1]))


def probabilities(inputs: np.ndarray, model: confidence.Model) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(inputs @ model.weights + model.bias, -50, 50)))


@dataclass
class Fitted:
    """Everything the tuner fits, as the answerer uses it."""

    ranking: np.ndarray
    answerable: confidence.Model  # "the sources answer it" (off-topic and unanswerable: no)
    right: confidence.Model  # "the first quote answers it"
    threshold: float


def fit(data: list[Example], target: float) -> Fitted:
    """Ranking weights, both confidence models and the threshold fitted on ``data``: the
    lowest answerability threshold that refuses ``target`` of the off-topic questions."""
    ranking = fit_ranking(data)
    inputs, right = evidence_table(data, ranking)
    sample = balance(data)
    answerable = np.array([e.answerable for e in data], dtype=float)
    fitted = Fitted(
        ranking, logistic(inputs, answerable, sample), logistic(inputs, right, sample), 0.5
    )
    off = np.array([e.off_topic for e in data])
    chances = probabilities(inputs, fitted.answerable)[off]
    fitted.threshold = next(
        (round(float(t), 2) for t in np.arange(0.01, 0.96, 0.01) if (chances < t).mean() >= target),
        0.5,
    )
    return fitted


def report(name: str, data: list[Example], fitted: Fitted) -> None:
    """Hit@1 (a refusal counts as a miss), refusals and calibration error of one group."""
    inputs, right = evidence_table(data, fitted.ranking)
    refused = probabilities(inputs, fitted.answerable) < fitted.threshold
    p = probabilities(inputs, fitted.right)
    sample = balance(data)
    own = np.array([not e.off_topic for e in data])
    answerable = np.array([e.answerable for e in data])
    unanswerable = own & ~answerable
    bins = np.minimum((p * 10).astype(int), 9)
    ece = (
        sum(abs(np.sum(sample[bins == b] * (p[bins == b] - right[bins == b]))) for b in range(10))
        / sample.sum()
    )
    answered_right = (right.astype(bool) & ~refused)[answerable].mean() if answerable.any() else 0

    def share(mask: np.ndarray) -> str:
        return f"{refused[mask].mean():.3f}" if mask.any() else "–"

    print(
        f"{name}: candidates hold a hit {candidate_recall(data):.3f}, "
        f"ranked first {ranked_first(data, fitted.ranking):.3f}, "
        f"in the best 3 {ranked_within(data, fitted.ranking):.3f}, "
        f"hit@1 {answered_right:.3f}, off-topic refused {share(~own)}, "
        f"unanswerable refused {share(unanswerable)}, answerable refused {share(answerable)}, "
        f"ECE {ece:.3f}"
    )


def involving(data: list[Example], name: str) -> list[Example]:
    """A set's questions asked of every corpus, and every set's questions asked of its corpus."""
    return [e for e in data if name in (e.questions, e.corpus)]


def _model(name: str, model: confidence.Model) -> str:
    weights = np.array2string(model.weights, precision=3, separator=", ")
    return f"{name} = Model(np.array({weights}), {model.bias:.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs=2, action="append", metavar=("CORPUS", "QUESTIONS"))
    parser.add_argument(
        "--sealed",
        nargs=2,
        action="append",
        default=[],
        metavar=("CORPUS", "QUESTIONS"),
        help="a set only reported, never fitted on (nor used as off-topic questions)",
    )
    parser.add_argument("--off-topic-target", type=float, default=0.95)
    parser.add_argument("--cache", type=Path, help="index cache folder (default: a new one)")
    args = parser.parse_args()
    cache = args.cache or Path(tempfile.mkdtemp(prefix="quotebot-tune-"))
    every = [*args.set, *args.sealed]
    data = load([(corpus, questions) for corpus, questions in every], cache)
    names = [questions for _, questions in args.set]
    sealed = [questions for _, questions in args.sealed]
    fitted = [e for e in data if not {e.questions, e.corpus} & set(sealed)]
    shipped = Fitted(
        answerer.RANK_WEIGHTS,
        confidence.ANSWERABLE,
        confidence.RIGHT,
        answerer.AnswerOptions().threshold,
    )
    for name in names + sealed:
        report(f"current, {name}", involving(data, name), shipped)
    for name in names:
        rest = [e for e in fitted if name not in (e.questions, e.corpus)]
        model = fit(rest, args.off_topic_target)
        report(f"left out {name} (threshold {model.threshold})", involving(data, name), model)
    model = fit(fitted, args.off_topic_target)
    for name in names + sealed:
        report(f"fit on all, {name}", involving(data, name), model)
    report("fit on all, every fitted set", fitted, model)
    print("RANK_WEIGHTS =", np.array2string(model.ranking, precision=3, separator=", "))
    print(_model("ANSWERABLE", model.answerable))
    print(_model("RIGHT", model.right))
    print(f"threshold = {model.threshold}")


if __name__ == "__main__":
    main()
