r"""Fit the answerer's ranking weights, its confidence model and the refusal threshold.

    python benchmarks/tune_answerer.py \
        --set seeds tests/data/dev_questions.jsonl \
        --set tests/data/heldout/corpus tests/data/heldout/questions.jsonl \
        --set ../shared/data/corpora/prometheus-docs tests/data/prometheus/questions.jsonl \
        ...

Ranking: coordinate ascent on the linear weights over ``features.FEATURES`` from equal
weights (or the current ones) and from seeded random starts, maximizing how often a
sentence holding a key phrase (from a gold document) ranks first.

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
import itertools
import tempfile
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

_STEPS = (0.4, 0.2, 0.1, 0.05, -0.05, -0.1, -0.2, -0.4)
_L2 = 1e-3


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
    engine, search, found = service._answerer, service._search, []
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


def fit_ranking(data: list[Example], weights: np.ndarray, rounds: int = 3) -> np.ndarray:
    best = ranked_first(data, weights)
    for _, feature, step in itertools.product(range(rounds), range(len(weights)), _STEPS):
        trial = weights.copy()
        trial[feature] += step
        score = ranked_first(data, trial)
        if score > best + 1e-9:
            best, weights = score, trial
    return weights


def fit_with_restarts(data: list[Example], start: np.ndarray, restarts: int) -> np.ndarray:
    """The best of coordinate ascent from ``start`` and from seeded random starts."""
    answerable = [e for e in data if e.answerable]
    rng = np.random.default_rng(1)
    starts = [start] + [rng.uniform(-0.2, 1.0, start.size) for _ in range(restarts)]
    fits = [fit_ranking(answerable, begin.copy()) for begin in starts]
    return max(fits, key=lambda weights: ranked_first(answerable, weights))


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


def fit_confidence(data: list[Example], weights: np.ndarray) -> tuple[np.ndarray, float]:
    """Weighted logistic regression (small L2) of "first quote right" on the evidence."""
    inputs, labels = evidence_table(data, weights)
    sample = balance(data)

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        z = inputs @ params[:-1] + params[-1]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        eps = 1e-9
        value = -np.sum(sample * (labels * np.log(p + eps) + (1 - labels) * np.log(1 - p + eps)))
        grad_z = sample * (p - labels)
        grad = np.append(inputs.T @ grad_z, grad_z.sum())
        value += _L2 * np.sum(params[:-1] ** 2) * sample.sum()
        grad[:-1] += 2 * _L2 * params[:-1] * sample.sum()
        return value / sample.sum(), grad / sample.sum()

    start = np.zeros(inputs.shape[1] + 1)
    result = minimize(loss, start, jac=True, method="L-BFGS-B")
    return result.x[:-1], float(result.x[-1])


def predictions(
    data: list[Example], weights: np.ndarray, model: tuple[np.ndarray, float]
) -> tuple[np.ndarray, np.ndarray]:
    inputs, labels = evidence_table(data, weights)
    z = inputs @ model[0] + model[1]
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50))), labels


def report(name: str, data: list[Example], weights: np.ndarray, model, threshold: float) -> None:
    """Hit@1, refusals at ``threshold`` and calibration error of one group of examples."""
    p, right = predictions(data, weights, model)
    sample = balance(data)
    own = np.array([not e.off_topic for e in data])
    answerable = np.array([e.answerable for e in data])
    unanswerable = own & ~answerable
    refused = p < threshold
    bins = np.minimum((p * 10).astype(int), 9)
    ece = (
        sum(abs(np.sum(sample[bins == b] * (p[bins == b] - right[bins == b]))) for b in range(10))
        / sample.sum()
    )

    def share(mask: np.ndarray) -> str:
        return f"{refused[mask].mean():.3f}" if mask.any() else "–"

    print(
        f"{name}: ranked first {ranked_first(data, weights):.3f}, "
        f"off-topic refused {share(~own)}, unanswerable refused {share(unanswerable)}, "
        f"answerable refused {share(answerable)}, ECE {ece:.3f}"
    )


def choose_threshold(data: list[Example], weights: np.ndarray, model, target: float) -> float:
    """The lowest threshold that refuses ``target`` of the off-topic questions."""
    p, _ = predictions(data, weights, model)
    off = np.array([e.off_topic for e in data])
    for threshold in np.arange(0.05, 0.96, 0.01):
        if (p[off] < threshold).mean() >= target:
            return round(float(threshold), 2)
    return 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs=2, action="append", metavar=("CORPUS", "QUESTIONS"))
    parser.add_argument("--restarts", type=int, default=9)
    parser.add_argument("--off-topic-target", type=float, default=0.95)
    args = parser.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="quotebot-tune-"))
    data = load([(corpus, questions) for corpus, questions in args.set], cache)
    names = [questions for _, questions in args.set]
    shipped = (confidence.EVIDENCE_WEIGHTS, confidence.EVIDENCE_BIAS)
    threshold = answerer.AnswerOptions().threshold
    for name in names:
        own = [e for e in data if name in (e.questions, e.corpus)]
        report(f"current, {name}", own, answerer.RANK_WEIGHTS, shipped, threshold)
    neutral = np.full(answerer.RANK_WEIGHTS.size, 0.5)
    for name in names:
        rest = [e for e in data if name not in (e.questions, e.corpus)]
        held = [e for e in data if name in (e.questions, e.corpus)]
        weights = fit_with_restarts(rest, neutral, args.restarts)
        model = fit_confidence(rest, weights)
        cut = choose_threshold(rest, weights, model, args.off_topic_target)
        report(f"left out {name} (threshold {cut})", held, weights, model, cut)
    weights = fit_with_restarts(data, answerer.RANK_WEIGHTS, args.restarts)
    model = fit_confidence(data, weights)
    cut = choose_threshold(data, weights, model, args.off_topic_target)
    for name in names:
        own = [e for e in data if name in (e.questions, e.corpus)]
        report(f"fit on all, {name}", own, weights, model, cut)
    report("fit on all, every set", data, weights, model, cut)
    print("RANK_WEIGHTS =", np.array2string(weights, precision=2, separator=", "))
    print("EVIDENCE_WEIGHTS =", np.array2string(model[0], precision=3, separator=", "))
    print(f"EVIDENCE_BIAS = {model[1]:.3f}\nthreshold = {cut}")


if __name__ == "__main__":
    main()
