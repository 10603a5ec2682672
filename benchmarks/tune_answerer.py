r"""Fit the answerer's ranking weights and abstention boundary on question sets.

    python benchmarks/tune_answerer.py \
        --set seeds tests/data/dev_questions.jsonl \
        --set tests/data/heldout/corpus tests/data/heldout/questions.jsonl \
        --set tests/data/blind/corpus tests/data/blind/questions.jsonl \
        --set tests/data/newswire/corpus tests/data/newswire/questions.jsonl \
        --set tests/data/reference/corpus tests/data/reference/questions.jsonl

Ranking: coordinate ascent on the linear weights over ``answer_features.FEATURES`` from
equal weights (or the current ones) and from seeded random starts, maximizing how often a
sentence holding a key phrase (from a gold document) ranks first. It first leaves each
set out in turn (fit on the others from equal weights, score the one left out: the
honest estimate for unseen documents), then fits on all sets: the weights to paste into
``retrieval/answerer.py``. Abstention: a grid over the context-coverage floor and the
unseen-word ceiling, maximizing abstention accuracy summed over the sets.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.answer import answerer
from retrieval.answer.evaluation import read_questions
from retrieval.answer.features import FEATURES
from retrieval.answer.question import parse_question
from retrieval.search.corpus_cache import IndexOptions
from retrieval.service import QAService

_STEPS = (0.4, 0.2, 0.1, 0.05, -0.05, -0.1, -0.2, -0.4)
_CONTEXT = FEATURES.index("context_coverage")


@dataclass
class Example:
    features: np.ndarray  # candidates x features
    hits: np.ndarray  # bool per candidate
    unseen: float
    answerable: bool


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold().replace("’", "'")


def load(corpus: Path, questions: Path, cache: Path) -> list[Example]:
    service = QAService.open(corpus, IndexOptions(), cache)
    engine, sentences = service._answerer, service._loaded.corpus.sentences
    found = []
    for item in read_questions(questions):
        profile, _, candidates = engine.candidates(parse_question(item.q))
        matrix = np.array([c.features for c in candidates]).reshape(-1, len(FEATURES))
        hits = np.array(
            [
                sentences[c.index].doc_id in item.docs
                and any(_normal(k) in _normal(sentences[c.index].text) for k in item.keys)
                for c in candidates
            ],
            dtype=bool,
        )
        found.append(Example(matrix, hits, engine.unseen_share(profile), not item.unanswerable))
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
    rng = np.random.default_rng(1)
    starts = [start] + [rng.uniform(-0.2, 1.0, start.size) for _ in range(restarts)]
    fits = [fit_ranking(data, begin.copy()) for begin in starts]
    return max(fits, key=lambda weights: ranked_first(data, weights))


def abstention(
    data: list[Example], weights: np.ndarray, floor: float, ceiling: float
) -> tuple[float, int]:
    """Abstention accuracy and false abstentions of one boundary."""
    correct = false = 0
    for example in data:
        if len(example.features):
            best = int(np.argmax(example.features @ weights))
            context = example.features[best, _CONTEXT]
        else:
            context = 0.0
        abstains = context < floor or example.unseen >= ceiling
        correct += abstains != example.answerable
        false += abstains and example.answerable
    return correct / len(data), false


def fit_abstention(sets: list[list[Example]], weights: np.ndarray) -> tuple[float, float]:
    grid = itertools.product(np.arange(0.0, 0.4, 0.02), np.arange(0.3, 1.01, 0.05))
    return max(
        grid,
        key=lambda fc: sum(abstention(data, weights, fc[0], fc[1])[0] for data in sets),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs=2, action="append", metavar=("CORPUS", "QUESTIONS"))
    parser.add_argument("--restarts", type=int, default=9)
    args = parser.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="quotebot-tune-"))
    sets = {questions: load(Path(corpus), Path(questions), cache) for corpus, questions in args.set}
    start = answerer.RANK_WEIGHTS
    for name, data in sets.items():
        print(f"{name}: ranked first {ranked_first(data, start):.3f} with the current weights")
    neutral = np.full(start.size, 0.5)
    for name, data in sets.items():
        others = [e for other, d in sets.items() if other != name for e in d]
        fitted = fit_with_restarts(others, neutral, args.restarts)
        print(f"left out {name}: ranked first {ranked_first(data, fitted):.3f}")
    weights = fit_with_restarts([e for d in sets.values() for e in d], start, args.restarts)
    floor, ceiling = fit_abstention(list(sets.values()), weights)
    for name, data in sets.items():
        accuracy, false = abstention(data, weights, floor, ceiling)
        print(
            f"fit on all, {name}: ranked first {ranked_first(data, weights):.3f}, "
            f"abstention accuracy {accuracy:.3f}, false abstentions {false}"
        )
    print("RANK_WEIGHTS =", np.array2string(weights, precision=2, separator=", "))
    print(f"CONTEXT_FLOOR = {floor:.2f}\nUNSEEN_CEILING = {ceiling:.2f}")


if __name__ == "__main__":
    main()
