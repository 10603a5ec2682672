"""Cold ``quotebot ask`` of two or more versions of the code, in alternating rounds.

    python benchmarks/cold_ask_bench.py --corpus DIR --rounds 5 \\
        --version before=/tmp/qb-before:/tmp/cache-before --version now=.:/tmp/cache-now

Each ``--version NAME=CODE:CACHE`` is a checkout of quotebot (``git worktree add --detach
/tmp/qb-before COMMIT``) and an index cache that checkout built over the corpus
(``QUOTEBOT_CACHE_DIR=CACHE PYTHONPATH=CODE python -m bot index --corpus DIR``): the cache
fingerprints the code that wrote it, so each version needs its own. Every round runs one
cold ask of each version in turn, so a shared machine's load falls on all of them alike;
the report gives wall and CPU seconds (user + system, which load hardly stretches), best
and median, the peak RSS, and whether all versions printed the same answers. The
checkouts' modules are compiled to bytecode first, as an installed quotebot has them
(``--no-bytecode`` leaves a checkout without, as a checkout run with
PYTHONDONTWRITEBYTECODE=1 is).
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

QUESTIONS = (
    "What changed in the parser?",
    "What does the configuration file contain?",
    "How do I install it?",
)


@dataclass
class Version:
    name: str
    code: Path
    cache: Path
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)


def parsed(text: str) -> Version:
    name, _, where = text.partition("=")
    code, _, cache = where.partition(":")
    if not (name and code and cache):
        raise SystemExit(f"--version {text!r}: give NAME=CODE:CACHE")
    return Version(name, Path(code).resolve(), Path(cache).resolve())


def cold_ask(version: Version, corpus: Path, question: str, bytecode: bool) -> None:
    env = {**os.environ, "PYTHONPATH": str(version.code), "QUOTEBOT_CACHE_DIR": str(version.cache)}
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "bot", "ask", question, "--corpus", str(corpus)],
        env=env,
        capture_output=True,
        text=True,
        cwd=version.cache,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0 or "rebuilding" in run.stderr:
        raise SystemExit(f"{version.name}: not a cold ask over a built cache: {run.stderr[-500:]}")
    version.walls.append(seconds)
    version.cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    version.rss.append(after.ru_maxrss / 1024)
    version.answers.append(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--version", action="append", required=True, metavar="NAME=CODE:CACHE")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-bytecode", action="append", default=[], metavar="NAME")
    args = parser.parse_args()
    versions = [parsed(text) for text in args.version]
    for version in versions:
        if version.name not in args.no_bytecode:
            for package in ("bot", "retrieval"):
                compileall.compile_dir(version.code / package, quiet=1)
    for round_number in range(args.rounds):
        for version in versions:
            question = QUESTIONS[round_number % len(QUESTIONS)]
            cold_ask(version, args.corpus.resolve(), question, version.name not in args.no_bytecode)
    for v in versions:
        print(
            f"{v.name:>14}: wall {min(v.walls):.2f} s best, {statistics.median(v.walls):.2f} "
            f"median | CPU {min(v.cpus):.2f} s best, {statistics.median(v.cpus):.2f} median "
            f"| peak RSS {max(v.rss):.0f} MB"
        )
    same = all(v.answers == versions[0].answers for v in versions[1:])
    print(f"same answers: {same}; {args.rounds} rounds; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
