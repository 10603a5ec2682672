r"""Answer quality over question sets: hits beside a BM25 baseline, refusals, calibration.

    python benchmarks/answer_quality.py \
        --set seeds seeds tests/data/dev_questions.jsonl \
        --set factoid tests/data/factoid/corpus tests/data/factoid/questions.jsonl \
        --set peps ../shared/data/corpora/peps-dev tests/data/peps/questions.jsonl \
        --images docs/images

Each set is asked of its own corpus (hit@1, hit@3, its unanswerable questions refused,
answerable ones falsely refused) and of every other set's corpus (off-topic: all should
be refused). The confidence is then checked as a probability (expected calibration error;
a reliability plot) and the refusal trade-off is drawn over every threshold. Images need
matplotlib (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from retrieval.answer.answerer import AnswerOptions
from retrieval.answer.calibration import (
    Judged,
    Outcome,
    expected_calibration_error,
    outcomes,
    refusals,
    reliability,
)
from retrieval.answer.evaluation import EvalQuestion, SentenceBaseline, read_questions
from retrieval.answer.question import parse_question
from retrieval.errors import InvalidQuery
from retrieval.results import Answer
from retrieval.search.corpus_cache import IndexOptions
from retrieval.service import QAService

_CURVE = [step / 100 for step in range(101)]


@dataclass
class QuestionSet:
    name: str
    service: QAService
    questions: list[EvalQuestion]


def _load(name: str, corpus: str, questions: str, cache: Path) -> QuestionSet:
    never_abstain = AnswerOptions(threshold=0.0)
    service = QAService.open(Path(corpus), IndexOptions(), cache, never_abstain)
    return QuestionSet(name, service, read_questions(Path(questions)))


def _judge(service: QAService) -> Callable[[str], Judged | None]:
    """Answers (never abstaining) with the answerability the threshold is compared to."""
    engine = service._state.answerer

    def judge(question: str) -> Judged | None:
        try:
            answer = service.ask(question)
            profile, _, candidates = engine.candidates(parse_question(question))
        except InvalidQuery:
            return None
        return answer, engine.assess(profile, candidates)[0]

    return judge


def _baseline(service: QAService) -> Callable[[str], Judged | None]:
    baseline = SentenceBaseline(service.corpus)

    def judge(question: str) -> Judged | None:
        answer: Answer | None = baseline.answer(question)
        return None if answer is None else (answer, 1.0)

    return judge


def _own_row(item: QuestionSet, found: list[Outcome], threshold: float) -> str:
    answerable = [o for o in found if o.answerable]
    unanswerable = [o for o in found if not o.answerable]
    shown = [o for o in answerable if o.answerability >= threshold]
    base = outcomes(item.questions, _baseline(item.service), off_topic=False)
    base_answerable = [o for o in base if o.answerable]
    refused = sum(o.answerability < threshold for o in unanswerable)
    falsely = len(answerable) - len(shown)

    def share(hits: int, of: int) -> str:
        return f"{hits / of:.3f}" if of else "–"

    return (
        f"| {item.name} ({len(answerable)} + {len(unanswerable)}) "
        f"| {share(sum(o.hit1 for o in shown), len(answerable))} "
        f"| {share(sum(o.hit3 for o in shown), len(answerable))} "
        f"| {refused}/{len(unanswerable)} | {falsely}/{len(answerable)} "
        f"| {share(sum(o.hit1 for o in base_answerable), len(base_answerable))} "
        f"| {share(sum(o.hit3 for o in base_answerable), len(base_answerable))} |"
    )


def _images(found: list[Outcome], threshold: float, folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    table = reliability(found)
    figure, axes = plt.subplots(figsize=(4.5, 4.5))
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    axes.plot(
        [b.mean_confidence for b in table],
        [b.accuracy for b in table],
        marker="o",
        label="quotebot",
    )
    axes.set_xlabel("confidence")
    axes.set_ylabel("share of first quotes that answer")
    axes.set_title(f"Reliability (ECE {expected_calibration_error(found):.3f})")
    axes.legend(loc="upper left")
    figure.tight_layout()
    figure.savefig(folder / "reliability.png", dpi=120)
    plt.close(figure)

    curve = [refusals(found, t) for t in _CURVE]
    chosen = refusals(found, threshold)
    figure, axes = plt.subplots(figsize=(4.5, 4.5))
    axes.plot([r.answerable for r in curve], [r.off_topic for r in curve], label="off-topic")
    axes.plot([r.answerable for r in curve], [r.unanswerable for r in curve], label="unanswerable")
    axes.scatter(
        [chosen.answerable], [chosen.off_topic], color="black", zorder=3, label=f"t = {threshold}"
    )
    axes.set_xlabel("answerable questions refused")
    axes.set_ylabel("questions refused")
    axes.set_xlim(0, 0.3)
    axes.set_title("Refusal trade-off over thresholds")
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(folder / "refusal_tradeoff.png", dpi=120)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs=3, action="append", metavar=("NAME", "CORPUS", "QUESTIONS"))
    parser.add_argument("--threshold", type=float, default=AnswerOptions().threshold)
    parser.add_argument("--images", type=Path, help="folder for reliability and trade-off PNGs")
    parser.add_argument("--cache", type=Path, help="index cache folder (default: a new one)")
    args = parser.parse_args()
    cache = args.cache or Path(tempfile.mkdtemp(prefix="quotebot-quality-"))
    sets = [_load(name, corpus, questions, cache) for name, corpus, questions in args.set]
    print(
        "| set (answerable + not) | hit@1 | hit@3 | unanswerable refused | answerable refused "
        "| BM25 hit@1 | BM25 hit@3 |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    found: list[Outcome] = []
    for item in sets:
        own = outcomes(item.questions, _judge(item.service), off_topic=False)
        print(_own_row(item, own, args.threshold))
        found += own
    print("\n| corpus | off-topic questions | refused |\n| --- | ---: | ---: |")
    for item in sets:
        asked = [q for other in sets if other is not item for q in other.questions]
        off = outcomes(asked, _judge(item.service), off_topic=True)
        print(f"| {item.name} | {len(off)} | {refusals(off, args.threshold).off_topic:.3f} |")
        found += off
    total = refusals(found, args.threshold)
    print(
        f"\nthreshold {args.threshold}: off-topic refused {total.off_topic:.3f}, "
        f"unanswerable refused {total.unanswerable:.3f}, "
        f"answerable refused {total.answerable:.3f}"
    )
    print(
        f"expected calibration error (off-topic weighted as all the rest): "
        f"{expected_calibration_error(found):.3f}"
    )
    for b in reliability(found):
        print(
            f"  confidence {b.low:.1f}-{b.high:.1f}: mean {b.mean_confidence:.2f}, "
            f"right {b.accuracy:.2f} (weight {b.weight:.0f})"
        )
    if args.images:
        _images(found, args.threshold, args.images)


if __name__ == "__main__":
    main()
