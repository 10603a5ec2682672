"""Warm questions with the other core idle, spinning, or streaming memory, in one run.

    python benchmarks/contention_bench.py CORPUS [--blocks 6] [--size 150]

What an update's work on the other core costs a question when it holds no lock and shares
no interpreter: one service over CORPUS (its cache as the settings say) answers 300 warm-up
questions, then ``--blocks`` rounds of ``--size`` questions beside each load in turn, a
separate process started for the block: none, a pure-Python spin loop (one core, no
memory traffic), and a numpy loop over 64 MB (memory bandwidth and cache, as ingesting
is). Every question is asked once. Reports p50 / p95 under each.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale_bench import answer_seconds, sample_questions  # noqa: E402

WARM_UP = 300
LOADS = {
    "nothing": None,
    "a spin loop": "while True: pass",
    "a memory-bound loop": (
        "import numpy as np\na = np.zeros((64 << 20) // 8)\nwhile True:\n a.sum()\n a[::7] += 1"
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--blocks", type=int, default=6)
    parser.add_argument("--size", type=int, default=150)
    args = parser.parse_args()
    from bot.settings import load_settings
    from bot.wiring import open_service

    service = open_service(load_settings(), corpus=args.corpus)
    service.settle()
    questions = iter(sample_questions(service, WARM_UP + args.blocks * args.size * len(LOADS)))
    answer_seconds(service, list(itertools.islice(questions, WARM_UP)))
    latencies: dict[str, list[float]] = {name: [] for name in LOADS}
    for _ in range(args.blocks):
        for name, code in LOADS.items():
            load = subprocess.Popen([sys.executable, "-c", code]) if code else None
            time.sleep(0.3)  # the load is running before the first question
            latencies[name] += answer_seconds(service, itertools.islice(questions, args.size))
            if load is not None:
                load.kill()
                load.wait()
    for name, found in latencies.items():
        ordered = sorted(found)
        p50, p95 = (1000 * ordered[int(share * (len(ordered) - 1))] for share in (0.5, 0.95))
        print(f"beside {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(found)} questions")


if __name__ == "__main__":
    main()
