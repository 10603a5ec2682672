"""A live corpus: re-indexing after one changed file against a full rebuild, in one run.

    python benchmarks/update_bench.py --work /tmp/qb [--small 400] [--large-mb 100]

1. A corpus of ``--small`` documents (30 KB each): ``quotebot index --rebuild`` (everything)
   against ``quotebot index`` after one file changed (target: at most 0.2 of the rebuild).
2. A corpus of ``--large-mb`` MB (100 KB documents; 100 MB is about 130,000 chunks): one
   changed file, applied by ``quotebot index`` (a whole process) and by a running service's
   ``refresh`` (target: at most 1 s), with the service's RSS before and at its peak during
   the update.
3. Questions asked while that service applies an update of 20 changed files, against the
   same questions with no update running: p50/p95 of both (target: p95 no worse); and the
   first questions after the new index is swapped in, which meet its fresh memos.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale_bench import (  # noqa: E402
    corpus_for,
    environment,
    measured,
    quotebot,
    sample_questions,
)

# Questions timed right after the swap, when the new index's memos are still empty.
_AFTER_SWAP = 20


def touch(path: Path, mark: str) -> None:
    """Changes one file the way an editor would: new content, new modification time."""
    text = path.read_text(encoding="utf-8")
    path.write_text(f"{text}\nThe maintainers noted {mark} in the release log.\n", "utf-8")


def documents(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md"))


def small_corpus(work: Path, count: int) -> dict[str, float]:
    corpus = corpus_for(work, count * 0.03, document_kb=30)
    env = environment(work / "cache-small")
    index = [*quotebot(), "index", "--corpus", str(corpus)]
    measured(index, env)
    full = measured([*index, "--rebuild"], env)
    touch(documents(corpus)[len(documents(corpus)) // 2], f"change {time.time_ns()}")
    one = measured(index, env)
    return {
        "documents": len(documents(corpus)),
        "full": full["seconds"],
        "full_cpu": full["cpu_seconds"],
        "one_changed": one["seconds"],
        "one_changed_cpu": one["cpu_seconds"],
    }


def large_corpus(work: Path, megabytes: float) -> dict[str, Any]:
    corpus = corpus_for(work, megabytes)
    cache = work / f"cache-large-{megabytes:g}"
    env = environment(cache)
    index = [*quotebot(), "index", "--corpus", str(corpus)]
    measured(index, env)
    files = documents(corpus)
    touch(files[len(files) // 3], f"change {time.time_ns()}")
    process = measured(index, env)
    return {
        "corpus": corpus,
        "cache": cache,
        "files": files,
        "process": process["seconds"],
        "process_cpu": process["cpu_seconds"],
    }


def in_service(found: dict[str, Any]) -> dict[str, Any]:
    """A running service: one changed file, then questions during a 20-file update."""
    os.environ["QUOTEBOT_CACHE_DIR"] = str(found["cache"])
    from bot.settings import load_settings
    from bot.wiring import open_service

    service = open_service(load_settings(), corpus=found["corpus"])
    me = psutil.Process()
    questions = sample_questions(service, 400)
    for question in questions[:100]:
        service.ask(question)
    quiet = _latencies(service, questions[100:400])
    files = found["files"]
    touch(files[len(files) // 2], f"change {time.time_ns()}")
    before = me.memory_info().rss
    peak, seconds = _peak_while(me, service.refresh)
    for path in files[:20]:
        touch(path, f"batch {time.time_ns()}")
    busy: list[float] = []
    updating = threading.Thread(target=service.refresh)
    updating.start()
    position = 100
    while updating.is_alive():
        busy += _latencies(service, [questions[position % 400]])
        position += 1
    updating.join()
    after = _latencies(service, questions[100 : 100 + _AFTER_SWAP])
    return {
        "chunks": service.status().chunks,
        "refresh": seconds,
        "rss_before": before,
        "rss_peak": peak,
        "quiet": quiet,
        "busy": busy,
        "after": after,
    }


def _latencies(service: Any, questions: list[str]) -> list[float]:
    found = []
    for question in questions:
        started = time.perf_counter()
        service.ask(question)
        found.append(time.perf_counter() - started)
    return found


def _peak_while(me: psutil.Process, work: Any) -> tuple[int, float]:
    peak = [me.memory_info().rss]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], me.memory_info().rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return peak[0], seconds


def _p(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return 1000 * ordered[int(share * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--small", type=int, default=400)
    parser.add_argument("--large-mb", type=float, default=100)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    small = small_corpus(args.work, args.small)
    large = large_corpus(args.work, args.large_mb)
    running = in_service(large)
    mb = 1e6
    load = os.getloadavg()
    print("| case | seconds (CPU s) | against a full rebuild |\n| --- | ---: | ---: |")
    print(
        f"| {small['documents']} documents, full rebuild "
        f"| {small['full']:.2f} ({small['full_cpu']:.2f}) | 1.00 |"
    )
    print(
        f"| {small['documents']} documents, one changed (quotebot index) "
        f"| {small['one_changed']:.2f} ({small['one_changed_cpu']:.2f}) "
        f"| {small['one_changed'] / small['full']:.2f} "
        f"(CPU {small['one_changed_cpu'] / small['full_cpu']:.2f}) |"
    )
    print(
        f"| {running['chunks']:,} chunks, one changed (quotebot index, whole process) "
        f"| {large['process']:.2f} ({large['process_cpu']:.2f}) | |"
    )
    print(
        f"| {running['chunks']:,} chunks, one changed (running service, refresh) "
        f"| {running['refresh']:.2f} | |"
    )
    print(
        f"\nService RSS {running['rss_before'] / mb:,.0f} MB before the update, "
        f"{running['rss_peak'] / mb:,.0f} MB at its peak during it."
    )
    quiet, busy = running["quiet"], running["busy"]
    print(
        f"Questions: p50 {_p(quiet, 0.5):.1f} ms, p95 {_p(quiet, 0.95):.1f} ms with no update "
        f"({len(quiet)}); p50 {_p(busy, 0.5):.1f} ms, p95 {_p(busy, 0.95):.1f} ms while 20 "
        f"changed files were applied ({len(busy)} questions, median of both "
        f"{statistics.median(quiet + busy) * 1000:.1f} ms)."
    )
    after = running["after"]
    print(
        f"The first {len(after)} questions after the swap (asked before, on the old index): "
        f"p50 {_p(after, 0.5):.1f} ms, p95 {_p(after, 0.95):.1f} ms."
    )
    print(
        f"\n{os.cpu_count()} cores; load average "
        f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the end."
    )


if __name__ == "__main__":
    main()
