"""Large corpora on one machine: indexing, cold start, health, warm answers and memory by size.

    python benchmarks/scale_bench.py --sizes 50,300,1000 --work /tmp/qb [--questions 5000]
        [--peer] [--plot docs/images/scaling.png] [--json rows.json]
    python benchmarks/scale_bench.py --rows rows.json --plot docs/images/scaling.png

For each size (MB) a seeded corpus is generated (``large_corpus.py``; kept in WORK between
runs), then each figure is taken from the real ``quotebot`` processes a person would run:

- ``quotebot index`` from an empty cache: wall time and CPU time (user + system of the whole
  process tree, which load on a shared machine hardly distorts), MB/s of both, and the peak
  RSS of the tree (the parent and its workers added up), beside the cache size it wrote;
- ``quotebot health``, and the Dockerfile's HEALTHCHECK command run with its own timeout;
- a cold ``quotebot ask``, three times: a new process over the built cache, wall and CPU
  time (the best, and the median printed after the table), peak RSS (quotebot's modules
  compiled to bytecode first, as an installed quotebot has them);
- warm answers and flat memory, in one process: p50/p95 over the questions after a warm-up,
  and memory after loading and at ten points up to ``--questions`` questions (sampled from
  the corpus's own sentences, seeded, in another process), as RSS and as its anonymous part
  (the process's own heap; the rest is cache pages the OS mapped in and may take back).
  Flat memory means the anonymous part stops growing once the bounded memos are full: the
  table gives it at the first checkpoint (a tenth of the questions) and at the last.

``--peer`` adds bm25s (method "robertson", mmap'd on load) over the same chunk texts, in the
same run: its index build and its load time, with the ratios. The plot shows time and memory
against corpus size. Load averages at the start and end of each size are in the table.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from large_corpus import generate  # noqa: E402

SAMPLE_SECONDS = 0.05
# Cold asks per size: the best and the median go in the row (a shared machine's load varies).
COLD_RUNS = 3


def quotebot() -> list[str]:
    script = Path(sys.executable).parent / "quotebot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def measured(
    command: list[str], env: dict[str, str], stdin: str | None = None, timeout: float | None = None
) -> dict[str, Any]:
    """Runs ``command``: its wall time, and the peak RSS and CPU time of its process tree.

    RSS is summed over the tree at each sample; CPU time (user + system) is the root's own
    (exact, from its resource usage) plus each worker's last sample, so load on the machine
    stretches the wall time but hardly the CPU seconds.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0]
    workers_cpu: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        root = psutil.Process(process.pid)
        while not done.is_set():
            try:
                workers = root.children(recursive=True)
                peak[0] = max(peak[0], _rss(root) + sum(_rss(p) for p in workers))
                for worker in workers:
                    workers_cpu[worker.pid] = max(workers_cpu.get(worker.pid, 0.0), _cpu(worker))
            except psutil.Error:
                pass
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = process.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise SystemExit(f"{' '.join(command)} did not finish within {timeout} s") from None
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {err[-2000:]}")
    own = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {
        "seconds": seconds,
        "cpu_seconds": own + sum(workers_cpu.values()),
        "peak_rss": peak[0],
        "stdout": out,
    }


def _rss(process: psutil.Process) -> int:
    try:
        return int(process.memory_info().rss)
    except psutil.Error:
        return 0


def _cpu(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return float(times.user + times.system)


def memory_now() -> dict[str, int]:
    """This process's RSS split into anonymous memory (its own heap) and mapped file pages
    (the cache's segments as far as the OS paged them in), and its USS."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon", "RssFile"):
            fields[name] = int(value.split()[0]) * 1024
    return {
        "rss": fields.get("VmRSS", 0),
        "anon": fields.get("RssAnon", 0),
        "file": fields.get("RssFile", 0),
        "uss": int(psutil.Process().memory_full_info().uss),
    }


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def corpus_for(work: Path, megabytes: float, document_kb: int = 100) -> Path:
    """The seeded corpus of that size, generated into ``work`` once and kept."""
    suffix = "" if document_kb == 100 else f"-{document_kb}kb"
    folder = work / f"corpus-{megabytes:g}{suffix}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate(folder, megabytes, 7, Path("/usr/share/doc"), document_kb * 1000)
        (folder / ".complete").write_text("")
    return folder


def environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUOTEBOT_")}
    env["QUOTEBOT_CACHE_DIR"] = str(cache)
    return env


def in_child(arguments: list[str], cache: Path) -> dict[str, Any]:
    """Runs this file in one of its hidden modes in a fresh process, so its memory is its own."""
    result = measured([sys.executable, __file__, *arguments], environment(cache))
    return json.loads(result["stdout"].strip().splitlines()[-1])


def warm(corpus: Path, questions_file: Path, checkpoints: int = 10) -> None:
    """``--warm`` mode: answer questions in this process and report latency and memory.

    Memory is sampled at ``checkpoints`` points: a bounded process levels off, and the split
    into anonymous memory and mapped file pages tells heap growth from the OS paging in
    more of the cache (which it may take back at any time).
    """
    from bot.settings import load_settings
    from bot.wiring import open_service

    service = open_service(load_settings(), corpus=corpus)
    after_load = memory_now()
    asked = json.loads(questions_file.read_text(encoding="utf-8"))
    every = max(1, len(asked) // checkpoints)
    latencies, trace = [], []
    for number, question in enumerate(asked, 1):
        started = time.perf_counter()
        service.ask(question)
        latencies.append(time.perf_counter() - started)
        if number % every == 0 or number == len(asked):
            trace.append({"questions": number, **memory_now()})
    steady = sorted(latencies[min(200, len(latencies) // 10) :])
    print(
        json.dumps(
            {
                "p50_ms": 1000 * statistics.median(steady),
                "p95_ms": 1000 * steady[int(0.95 * (len(steady) - 1))],
                "rss_after_load": after_load["rss"],
                "anon_after_load": after_load["anon"],
                "rss_after_questions": trace[-1]["rss"],
                "anon_after_questions": trace[-1]["anon"],
                "memory_trace": trace,
                "questions": len(asked),
            }
        )
    )


def answer_seconds(service: Any, questions: Iterable[str]) -> list[float]:
    """Wall seconds of each ``service.ask``, one question after another."""
    found = []
    for question in questions:
        started = time.perf_counter()
        service.ask(question)
        found.append(time.perf_counter() - started)
    return found


def sample_questions(service: Any, count: int) -> list[str]:
    """Questions made of a few words of random body sentences, seeded."""
    from retrieval.models import SentenceKind
    from retrieval.search.analysis import analyze

    rng = random.Random(11)
    sentences = service.corpus.sentences
    questions: list[str] = []
    while len(questions) < count:
        sentence = sentences[rng.randrange(len(sentences))]
        words = [w for w in sentence.text.split() if w.isalpha() and len(w) > 3]
        if sentence.kind is SentenceKind.BODY and len(words) >= 3:
            picked = " ".join(rng.sample(words, 3))
            if len(analyze(picked)) >= 2:
                questions.append(f"What about {picked}?")
    return questions


def sample_mode(corpus: Path, count: int, out: Path) -> None:
    """``--sample`` mode: writes the questions, so sampling them (which reads sentences)
    happens in another process than the one whose memory is measured."""
    from bot.settings import load_settings
    from bot.wiring import open_service

    service = open_service(load_settings(), corpus=corpus)
    out.write_text(json.dumps(sample_questions(service, count)), encoding="utf-8")
    print(json.dumps({}))


def healthcheck(repo: Path) -> tuple[list[str], float]:
    """The Dockerfile's HEALTHCHECK command and its timeout in seconds."""
    line = next(
        line
        for line in (repo / "Dockerfile").read_text().splitlines()
        if line.startswith("HEALTHCHECK")
    )
    timeout = re.search(r"--timeout=(\d+)s", line)
    command = json.loads(line.partition(" CMD ")[2])
    return command, float(timeout.group(1)) if timeout else 30.0


def one_size(work: Path, megabytes: int, questions: int, peer: bool) -> dict[str, Any]:
    corpus = corpus_for(work, megabytes)
    size = folder_bytes(corpus) / 1e6
    cache = Path(tempfile.mkdtemp(prefix=f"quotebot-scale-{megabytes}-", dir=work))
    env = environment(cache)
    load_before = os.getloadavg()
    index = measured([*quotebot(), "index", "--corpus", str(corpus)], env)
    health = [measured([*quotebot(), "health", "--corpus", str(corpus)], env) for _ in range(3)]
    probe, timeout = healthcheck(HERE.parent)
    probe_env = {**env, "QUOTEBOT_CORPUS": str(corpus)}
    probe_run = measured([*quotebot(), *probe[1:]], probe_env, timeout=timeout)
    cold = [
        measured([*quotebot(), "ask", "What changed in the parser?", "--corpus", str(corpus)], env)
        for _ in range(COLD_RUNS)
    ]
    asked = cache / "questions.json"
    in_child(["--sample", str(corpus), "--questions", str(questions), "--out", str(asked)], cache)
    row: dict[str, Any] = {
        "megabytes": size,
        "documents": sum(1 for p in corpus.rglob("*") if p.suffix in (".txt", ".md")),
        "index_seconds": index["seconds"],
        "index_cpu_seconds": index["cpu_seconds"],
        "index_mb_s": size / index["seconds"],
        "index_mb_per_cpu_s": size / index["cpu_seconds"],
        "index_peak_rss": index["peak_rss"],
        "cache_bytes": folder_bytes(cache),
        "health_seconds": min(h["seconds"] for h in health),
        "health_cpu_seconds": min(h["cpu_seconds"] for h in health),
        "healthcheck": f"{' '.join(probe)} (timeout {timeout:g} s)",
        "healthcheck_seconds": probe_run["seconds"],
        "cold_ask_seconds": min(c["seconds"] for c in cold),
        "cold_ask_cpu_seconds": min(c["cpu_seconds"] for c in cold),
        "cold_ask_median_seconds": statistics.median(c["seconds"] for c in cold),
        "cold_ask_median_cpu_seconds": statistics.median(c["cpu_seconds"] for c in cold),
        "cold_ask_rss": max(c["peak_rss"] for c in cold),
        **in_child(["--warm", str(corpus), "--out", str(asked)], cache),
    }
    if peer:
        # bm25s over the same chunk texts: build (tokenize + index + save) and mmap'd load.
        row.update(in_child(["--bm25s", str(corpus), "--work", str(work)], cache))
    row["load_average"] = [*load_before, *os.getloadavg()]
    shutil.rmtree(cache)
    return row


def bm25s_mode(corpus: Path, work: Path) -> None:
    import bm25s

    from bot.settings import load_settings
    from bot.wiring import open_service

    service = open_service(load_settings(), corpus=corpus)
    sentences = service.corpus.sentences
    texts = [
        " ".join(s.text for s in sentences[chunk.first : chunk.last + 1])
        for chunk in service.corpus.chunks
    ]
    folder = Path(tempfile.mkdtemp(prefix="bm25s-", dir=work))
    started, cpu = time.perf_counter(), time.process_time()
    retriever = bm25s.BM25(method="robertson")
    retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
    retriever.save(str(folder))
    built, built_cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    bm25s.BM25.load(str(folder), mmap=True)
    loaded = time.perf_counter() - started
    shutil.rmtree(folder)
    print(
        json.dumps(
            {
                "bm25s_build_seconds": built,
                "bm25s_build_cpu_seconds": built_cpu,
                "bm25s_load_seconds": loaded,
            }
        )
    )


def table(rows: list[dict[str, Any]]) -> str:
    mb = 1e6
    lines = [
        "| corpus | docs | index s (CPU s) | index MB/s (per CPU s) | index peak RSS MB "
        "| cache MB | health s (CPU s) | cold ask s (CPU s), best | cold ask RSS MB "
        "| warm p50 / p95 ms | after load → after N questions: RSS (anon) MB "
        "| anon MB at N/10 → N | load avg |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for r in rows:
        first, last = r["memory_trace"][0]["anon"], r["memory_trace"][-1]["anon"]
        lines.append(
            f"| {r['megabytes']:.0f} MB | {r['documents']:,} "
            f"| {r['index_seconds']:.0f} ({r['index_cpu_seconds']:.0f}) "
            f"| {r['index_mb_s']:.2f} ({r['index_mb_per_cpu_s']:.2f}) "
            f"| {r['index_peak_rss'] / mb:,.0f} | {r['cache_bytes'] / mb:,.0f} "
            f"| {r['health_seconds']:.2f} ({r['health_cpu_seconds']:.2f}) "
            f"| {r['cold_ask_seconds']:.2f} ({r['cold_ask_cpu_seconds']:.2f}) "
            f"| {r['cold_ask_rss'] / mb:,.0f} | {r['p50_ms']:.0f} / {r['p95_ms']:.0f} "
            f"| {r['rss_after_load'] / mb:,.0f} ({r['anon_after_load'] / mb:,.0f}) → "
            f"{r['rss_after_questions'] / mb:,.0f} ({r['anon_after_questions'] / mb:,.0f}) "
            f"({r['questions']:,}) "
            f"| {first / mb:,.0f} → {last / mb:,.0f} "
            f"| {' → '.join(f'{a:.1f}' for a in r['load_average'][::3])} |"
        )
    return "\n".join(lines)


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["megabytes"] for r in rows]
    figure, (times, memory) = plt.subplots(1, 2, figsize=(10, 4))
    times.plot(sizes, [r["index_seconds"] for r in rows], "o-", label="quotebot index, wall")
    times.plot(sizes, [r["index_cpu_seconds"] for r in rows], "o:", label="quotebot index, CPU")
    times.plot(sizes, [r["cold_ask_seconds"] for r in rows], "s-", label="cold quotebot ask")
    times.plot(sizes, [r["health_seconds"] for r in rows], "^-", label="quotebot health")
    times.set(xlabel="corpus MB", ylabel="seconds", yscale="log", title="Time")
    times.legend()
    memory.plot(sizes, [r["index_peak_rss"] / 1e6 for r in rows], "o-", label="index, peak")
    memory.plot(sizes, [r["cold_ask_rss"] / 1e6 for r in rows], "s-", label="cold ask, peak")
    memory.plot(sizes, [r["cache_bytes"] / 1e6 for r in rows], "d--", label="cache on disk")
    memory.plot(
        sizes,
        [r["anon_after_questions"] / 1e6 for r in rows],
        "v-",
        label="after the questions (anon)",
    )
    memory.set(xlabel="corpus MB", ylabel="MB", title="Memory (RSS) and cache size")
    memory.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,300")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "quotebot-scale")
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--peer", action="store_true")
    parser.add_argument("--plot", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="Also write the rows here.")
    parser.add_argument("--rows", type=Path, default=None, help="Table and plot of saved rows.")
    parser.add_argument("--warm", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--bm25s", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm is not None:
        warm(args.warm, args.out)
        return
    if args.sample is not None:
        sample_mode(args.sample, args.questions, args.out)
        return
    if args.bm25s is not None:
        bm25s_mode(args.bm25s, args.work)
        return
    if args.rows is not None:
        rows = json.loads(args.rows.read_text())
    else:
        rows = measure(args.work, args.sizes, args.questions, args.peer, args.json)
    print(f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end\n")
    print(table(rows))
    for r in rows:
        if "bm25s_build_seconds" in r:
            print(
                f"\n{r['megabytes']:.0f} MB, bm25s peer: build {r['bm25s_build_seconds']:.1f} s "
                f"({r['bm25s_build_cpu_seconds']:.1f} CPU s; tokenize, index, save), quotebot "
                f"index {r['index_seconds']:.1f} s ({r['index_cpu_seconds']:.1f} CPU s; reading, "
                f"sentences, chunks, events, postings), CPU ratio "
                f"{r['index_cpu_seconds'] / r['bm25s_build_cpu_seconds']:.1f}; load "
                f"{r['bm25s_load_seconds']:.2f} s (mmap) against a whole cold quotebot ask "
                f"{r['cold_ask_seconds']:.2f} s"
            )
    for r in rows:
        if "cold_ask_median_seconds" in r:
            print(
                f"\n{r['megabytes']:.0f} MB, cold ask of {COLD_RUNS}: "
                f"best {r['cold_ask_seconds']:.2f} s ({r['cold_ask_cpu_seconds']:.2f} CPU s), "
                f"median {r['cold_ask_median_seconds']:.2f} s "
                f"({r['cold_ask_median_cpu_seconds']:.2f} CPU s)"
            )
    for r in rows:
        trace = ", ".join(
            f"{point['questions']:,}: {point['anon'] / 1e6:,.0f}" for point in r["memory_trace"]
        )
        print(f"\n{r['megabytes']:.0f} MB, anonymous MB after so many questions: {trace}")
    if args.plot:
        plot(rows, args.plot)


def compile_quotebot() -> None:
    """Writes the bytecode of quotebot's own modules, as installing it does (pip compiles
    them, the image keeps them). An editable checkout run with PYTHONDONTWRITEBYTECODE=1
    has none and compiles every module on every start: about a quarter of a second more
    for each cold command, which no installed quotebot pays."""
    for package in ("bot", "retrieval"):
        compileall.compile_dir(HERE.parent / package, quiet=1)


def measure(
    work: Path, sizes: str, questions: int, peer: bool, out: Path | None
) -> list[dict[str, Any]]:
    work.mkdir(parents=True, exist_ok=True)
    compile_quotebot()
    rows = []
    for size in (int(s) for s in sizes.split(",")):
        rows.append(one_size(work, size, questions, peer))
        print(json.dumps(rows[-1]), flush=True)
        if out:
            out.write_text(json.dumps(rows, indent=1))
    return rows


if __name__ == "__main__":
    main()
