"""A live corpus: re-indexing after one changed file against a full rebuild, in one run.

    python benchmarks/update_bench.py --work /tmp/qb [--small 400] [--large-mb 100] [--edits 12]
        [--rounds 3]

1. A corpus of ``--small`` documents (30 KB each): ``quotebot index --rebuild`` (everything)
   against ``quotebot index`` after one file changed (target: at most 0.2 of the rebuild).
   ``--small 0`` leaves this out.
2. A corpus of ``--large-mb`` MB (100 KB documents; 100 MB is about 100,000 chunks): one
   changed file, applied by ``quotebot index`` (a whole process), and ``--edits`` single-file
   updates applied one after another by a running service's ``refresh`` (target: at most
   1 s each), every third one to a file edited before (its segment then dies). The service
   starts its update worker as the console and the bot do. For each: wall and CPU seconds
   (this process and the update worker), and the RSS of the service, of its worker and of
   the merge process a due merge starts, before and at their peaks; then how long that
   merge took to be swapped in.
3. Questions asked while that service applies an update of 20 changed files, against
   questions asked of the same corpus in quiet windows just before and just after each
   update (each half as long as an update), over ``--rounds`` updates, every question asked
   once: p50/p95 of both (target: p95 no worse); and the first 20 questions after each
   swap, on the new index (which carries over what the old one learned about unchanged
   documents).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale_bench import (  # noqa: E402
    answer_seconds,
    corpus_for,
    environment,
    measured,
    quotebot,
    sample_questions,
)

# Questions timed right after each swap, on the new index; questions sampled per round.
_AFTER_SWAP = 20
_PER_ROUND = 1500


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


def in_service(found: dict[str, Any], edits: int, rounds: int) -> dict[str, Any]:
    """A running service: single-file updates one by one, then questions before, during
    and after 20-file updates."""
    os.environ["QUOTEBOT_CACHE_DIR"] = str(found["cache"])
    from bot.settings import load_settings
    from bot.wiring import open_service
    from retrieval.search.corpus_cache import background_workers

    service = open_service(load_settings(), corpus=found["corpus"])
    background_workers().submit(int).result()  # started as the console and the bot do
    me = psutil.Process()
    files = found["files"]
    updates = [_one_update(service, me, path) for path in _edited(files, edits)]
    started = time.perf_counter()
    service.settle()
    merge_wait = time.perf_counter() - started
    quiet, busy, after = _questions_around_updates(service, files, rounds)
    return {
        "chunks": service.status().chunks,
        "updates": updates,
        "merge_wait": merge_wait,
        "quiet": quiet,
        "busy": busy,
        "after": after,
    }


def _questions_around_updates(
    service: Any, files: list[Path], rounds: int
) -> tuple[list[float], list[float], list[float]]:
    """Seconds per question with no update running, while 20 changed files are applied,
    and right after the new index is swapped in, over ``rounds`` updates.

    This machine's speed drifts by up to 2x over tens of seconds, so both kinds are sampled
    by time, not by count (a fixed count weighs slow spells more than a timed window does),
    and each update is bracketed by quiet windows as long as half an update, one before it
    and one after the 20 questions that follow its swap. Every question is asked once (the
    sets are disjoint), after the same 200 warm-up questions and one unmeasured update.
    """
    questions = iter(sample_questions(service, 200 + rounds * _PER_ROUND))
    answer_seconds(service, list(itertools.islice(questions, 200)))
    quiet: list[float] = []
    busy: list[float] = []
    after: list[float] = []
    window = _update_while_asking(service, files[:20], questions, []) / 2
    for number in range(1, rounds + 1):
        quiet += _asked_for(service, questions, window)
        window = (
            _update_while_asking(service, files[20 * number : 20 * (number + 1)], questions, busy)
            / 2
        )
        after += answer_seconds(service, list(itertools.islice(questions, _AFTER_SWAP)))
        quiet += _asked_for(service, questions, window)
    return quiet, busy, after


def _update_while_asking(
    service: Any, changed: list[Path], questions: Iterator[str], busy: list[float]
) -> float:
    """Change ``changed``, refresh in a thread, time questions until it is done: its seconds."""
    for path in changed:
        touch(path, f"batch {time.time_ns()}")
    updating = threading.Thread(target=service.refresh)
    started = time.perf_counter()
    updating.start()
    busy += _asked_while(service, questions, updating.is_alive)
    updating.join()
    return time.perf_counter() - started


def _asked_for(service: Any, questions: Iterator[str], seconds: float) -> list[float]:
    """Seconds of each question asked one after another for ``seconds``."""
    ends = time.perf_counter() + seconds
    return _asked_while(service, questions, lambda: time.perf_counter() < ends)


def _asked_while(service: Any, questions: Iterator[str], going: Callable[[], bool]) -> list[float]:
    """Seconds of each question asked one after another while ``going()`` holds."""
    found: list[float] = []
    while going():
        found += answer_seconds(service, [next(questions)])
    return found


def _edited(files: list[Path], count: int) -> list[Path]:
    """``count`` files to change one at a time; every third one was changed before."""
    fresh = iter(files[len(files) // 2 :: 7])
    chosen: list[Path] = []
    for number in range(count):
        chosen.append(chosen[-2] if number % 3 == 2 else next(fresh))
    return chosen


def _one_update(service: Any, me: psutil.Process, path: Path) -> dict[str, Any]:
    """One changed file applied by ``refresh``: seconds, CPU seconds and memory."""
    touch(path, f"change {time.time_ns()}")
    worker = _worker(me)
    cpu = _cpu_of([me, worker])
    before = {"service": me.memory_info().rss, "worker": _rss_of(worker)}
    peaks, seconds = _peaks_while(me, service.refresh)
    return {
        "seconds": seconds,
        "cpu": _cpu_of([me, worker]) - cpu,
        "before": before,
        "peaks": peaks,
    }


def _worker(me: psutil.Process) -> psutil.Process | None:
    """The service's kept update worker: the oldest process its fork server started."""
    started = _forked(me)
    return min(started, key=lambda p: p.create_time()) if started else None


def _forked(me: psutil.Process) -> list[psutil.Process]:
    """The processes the service's fork server started (its update worker, a merge)."""
    forked = []
    for child in me.children():
        with contextlib.suppress(psutil.Error):
            if "forkserver" in " ".join(child.cmdline()):
                forked += child.children()
    return forked


def _cpu_of(processes: list[psutil.Process | None]) -> float:
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.Error, AttributeError):
            times = process.cpu_times()  # type: ignore[union-attr]
            total += times.user + times.system
    return total


def _rss_of(process: psutil.Process | None) -> int:
    with contextlib.suppress(psutil.Error, AttributeError):
        return int(process.memory_info().rss)  # type: ignore[union-attr]
    return 0


def _peaks_while(me: psutil.Process, work: Any) -> tuple[dict[str, int], float]:
    """Peak RSS of the service and of its worker processes while ``work`` runs (and a
    merge it starts, sampled until the service settles or 0.5 s after ``work``)."""
    peak = {"service": me.memory_info().rss, "worker": 0, "merge": 0}
    done = threading.Event()
    worker = _worker(me)

    def sample() -> None:
        while not done.wait(0.02):
            peak["service"] = max(peak["service"], me.memory_info().rss)
            for child in _forked(me):
                with contextlib.suppress(psutil.Error):
                    role = "worker" if worker is not None and child.pid == worker.pid else "merge"
                    peak[role] = max(peak[role], child.memory_info().rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    time.sleep(0.5)
    done.set()
    sampler.join()
    return peak, seconds


def _p(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return 1000 * ordered[int(share * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--small", type=int, default=400)
    parser.add_argument("--large-mb", type=float, default=100)
    parser.add_argument("--edits", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3, help="20-file updates questions meet")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    started_load = os.getloadavg()
    small = small_corpus(args.work, args.small) if args.small else None
    large = large_corpus(args.work, args.large_mb)
    running = in_service(large, args.edits, args.rounds)
    load = os.getloadavg()
    print("| case | seconds (CPU s) | against a full rebuild |\n| --- | ---: | ---: |")
    if small is not None:
        _small_rows(small)
    print(
        f"| {running['chunks']:,} chunks, one changed (quotebot index, whole process) "
        f"| {large['process']:.2f} ({large['process_cpu']:.2f}) | |"
    )
    updates = running["updates"]
    seconds = [u["seconds"] for u in updates]
    cpu = [u["cpu"] for u in updates]
    print(
        f"| {running['chunks']:,} chunks, one changed (running service, refresh), "
        f"median / max of {len(updates)} "
        f"| {statistics.median(seconds):.2f} ({statistics.median(cpu):.2f}) / "
        f"{max(seconds):.2f} ({max(cpu):.2f}) | |"
    )
    print("\n| update | seconds | CPU s | service RSS MB | worker RSS MB | merge RSS MB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for number, update in enumerate(updates, start=1):
        before, peaks = update["before"], update["peaks"]
        print(
            f"| {number} | {update['seconds']:.2f} | {update['cpu']:.2f} "
            f"| {before['service'] / MB:,.0f} → {peaks['service'] / MB:,.0f} "
            f"| {before['worker'] / MB:,.0f} → {peaks['worker'] / MB:,.0f} "
            f"| {peaks['merge'] / MB:,.0f} |"
        )
    wait = running["merge_wait"]
    print(f"\nA merge still running after the last update was swapped in {wait:.2f} s later.")
    quiet, busy = running["quiet"], running["busy"]
    print(
        f"Questions: p50 {_p(quiet, 0.5):.1f} ms, p95 {_p(quiet, 0.95):.1f} ms with no update "
        f"({len(quiet)}); p50 {_p(busy, 0.5):.1f} ms, p95 {_p(busy, 0.95):.1f} ms while 20 "
        f"changed files were applied ({len(busy)} questions over {args.rounds} updates, "
        f"median of both "
        f"{statistics.median(quiet + busy) * 1000:.1f} ms)."
    )
    after = running["after"]
    print(
        f"The first {_AFTER_SWAP} questions after each swap ({len(after)}): "
        f"p50 {_p(after, 0.5):.1f} ms, p95 {_p(after, 0.95):.1f} ms."
    )
    print(
        f"\n{os.cpu_count()} cores; load average {started_load[0]:.1f} at the start, "
        f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the end."
    )


MB = 1e6


def _small_rows(small: dict[str, float]) -> None:
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


if __name__ == "__main__":
    main()
