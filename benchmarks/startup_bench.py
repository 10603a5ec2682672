"""Start-up time as a person feels it, over the bundled seeds with a warm index cache.

- console: from launching ``quotebot console`` in a pseudo-terminal to its prompt (target 1.5 s)
- ask: the whole ``quotebot ask QUESTION`` process, start to exit (target 1 s)

Usage: python benchmarks/startup_bench.py [--runs N] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pexpect

REPO = Path(__file__).resolve().parent.parent
QUESTION = "When was the arms embargo lifted?"
TARGETS = {"console to prompt": 1.5, "ask, whole process": 1.0}


def _quotebot() -> list[str]:
    """The installed console script beside this Python, as a person would run it."""
    script = Path(sys.executable).parent / "quotebot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def console_to_prompt(env: dict[str, str], corpus: Path) -> float:
    started = time.perf_counter()
    command, *args = _quotebot()
    child = pexpect.spawn(command, [*args, "console", "--corpus", str(corpus)], env=env, timeout=60)
    child.expect("quotebot>")
    elapsed = time.perf_counter() - started
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def ask_process(env: dict[str, str], corpus: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [*_quotebot(), "ask", QUESTION, "--corpus", str(corpus)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(name: str, run: Callable[[], float], runs: int) -> None:
    run()  # the first run warms the OS file cache; it is not counted
    samples = [run() for _ in range(runs)]
    median = statistics.median(samples)
    verdict = "ok" if median <= TARGETS[name] else "OVER TARGET"
    print(
        f"{name:<20} median {median:.3f} s  p95 {_p95(samples):.3f} s  "
        f"min {min(samples):.3f} s  target {TARGETS[name]:.1f} s  {verdict}  ({runs} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--corpus", type=Path, default=REPO / "seeds")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "QUOTEBOT_CACHE_DIR": str(Path(scratch) / "cache"),
            "HOME": scratch,
            "TERM": "xterm-256color",
            "PROMPT_TOOLKIT_NO_CPR": "1",
        }
        subprocess.run(
            [*_quotebot(), "index", "--corpus", str(options.corpus)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        measure("console to prompt", lambda: console_to_prompt(env, options.corpus), options.runs)
        measure("ask, whole process", lambda: ask_process(env, options.corpus), options.runs)


if __name__ == "__main__":
    main()
