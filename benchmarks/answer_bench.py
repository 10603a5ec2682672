"""Answer latency over a corpus, warm (index loaded, each question asked once before).

    python benchmarks/answer_bench.py --corpus seeds --questions tests/data/dev_questions.jsonl

Prints p50/p95 milliseconds per question for quotebot's answerer and, in the same run,
for a plain BM25 sentence ranking with rank-bm25's BM25Okapi (the peer), and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rank_bm25 import BM25Okapi

from retrieval.answer.evaluation import read_questions
from retrieval.models import SentenceKind
from retrieval.search.analysis import analyze
from retrieval.search.corpus_cache import IndexOptions
from retrieval.service import QAService


def _timings(ask: Callable[[str], object], questions: list[str], rounds: int) -> list[float]:
    for question in questions:
        ask(question)
    times = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            ask(question)
            times.append((time.perf_counter() - started) * 1000)
    return times


def _row(name: str, times: list[float]) -> tuple[str, float, float]:
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"| {name} | {statistics.median(times):.2f} | {p95:.2f} |")
    return name, statistics.median(times), p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("seeds"))
    parser.add_argument("--questions", type=Path, default=Path("tests/data/dev_questions.jsonl"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    service = QAService.open(args.corpus, IndexOptions(), Path(tempfile.mkdtemp()))
    questions = [q.q for q in read_questions(args.questions)]
    sentences = [s.text for s in service.corpus.sentences if s.kind is SentenceKind.BODY]
    peer = BM25Okapi([analyze(text) for text in sentences])

    def peer_ask(question: str) -> object:
        return peer.get_top_n(analyze(question), sentences, n=3)

    print(f"{len(questions)} questions x {args.rounds} rounds over {args.corpus}\n")
    print("| system | p50 ms | p95 ms |\n| --- | ---: | ---: |")
    ours = _row("quotebot ask (answerer)", _timings(service.ask, questions, args.rounds))
    theirs = _row("rank-bm25 sentences (peer)", _timings(peer_ask, questions, args.rounds))
    print(f"\np50 ratio quotebot / rank-bm25 sentences: {ours[1] / theirs[1]:.2f}")


if __name__ == "__main__":
    main()
