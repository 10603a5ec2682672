"""Warm questions under CPython's default collector thresholds against quotebot's, in one run.

    python benchmarks/collector_bench.py CORPUS [--blocks 8] [--size 250]

One service over CORPUS (its cache as the settings say) answers 300 warm-up questions, then
``--blocks`` rounds of ``--size`` questions under each setting in turn, so both meet the same
memos and the same machine; every question is asked once. Reports p50 / p95 / p99 and the
seconds the collector ran under each.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale_bench import answer_seconds, sample_questions  # noqa: E402

WARM_UP = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--blocks", type=int, default=8)
    parser.add_argument("--size", type=int, default=250)
    args = parser.parse_args()
    from bot.settings import load_settings
    from bot.wiring import open_service

    default = gc.get_threshold()
    service = open_service(load_settings(), corpus=args.corpus)  # sets quotebot's thresholds
    service.settle()
    settings = {"CPython's default": default, "quotebot's": gc.get_threshold()}
    seconds, collecting = _collector_clock()
    total = WARM_UP + args.blocks * args.size * len(settings)
    questions = iter(sample_questions(service, total))
    for question in itertools.islice(questions, WARM_UP):
        service.ask(question)
    latencies: dict[str, list[float]] = {name: [] for name in settings}
    for _ in range(args.blocks):
        for name, thresholds in settings.items():
            gc.set_threshold(*thresholds)
            collecting["now"] = name
            latencies[name] += answer_seconds(service, itertools.islice(questions, args.size))
    for name, found in latencies.items():
        ordered = sorted(found)
        p50, p95, p99 = (
            1000 * ordered[int(share * (len(ordered) - 1))] for share in (0.5, 0.95, 0.99)
        )
        print(
            f"{name} thresholds {settings[name]}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
            f"p99 {p99:.1f} ms over {len(found)} questions; "
            f"collector {seconds.get(name, 0.0):.2f} s"
        )


def _collector_clock() -> tuple[dict[str, float], dict[str, Any]]:
    """Seconds the collector runs, added up under the setting named in ``collecting["now"]``."""
    seconds: dict[str, float] = {}
    collecting: dict[str, Any] = {"now": None, "since": 0.0}

    def clock(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting["since"] = time.perf_counter()
        elif collecting["now"] is not None:
            name = collecting["now"]
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - collecting["since"]

    gc.callbacks.append(clock)
    return seconds, collecting


if __name__ == "__main__":
    main()
