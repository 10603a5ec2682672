"""Large corpora on one machine: indexing, cold start, health, warm answers and memory by size.

    python benchmarks/scale_bench.py --sizes 50,300,1000 --work /tmp/qb [--questions 5000]
        [--peer] [--plot docs/scaling.png]

For each size (MB) a seeded corpus is generated (``large_corpus.py``; kept in WORK between
runs), then each figure is taken from the real ``quotebot`` processes a person would run:

- ``quotebot index`` from an empty cache: MB/s, and peak RSS of its whole process tree
  (the parent and its worker processes added up), beside the cache size it wrote;
- ``quotebot health``: wall time;
- a cold ``quotebot ask``: a new process over the built cache, wall time and peak RSS;
- warm answers and flat memory, in one process: p50/p95 over the questions after a warm-up,
  and RSS after loading and after ``--questions`` questions (sampled from the corpus's own
  sentences, seeded).

``--peer`` adds bm25s (method "robertson", mmap'd on load) over the same chunk texts, in the
same run: its index build and its load time, with the ratios. The plot shows time and memory
against corpus size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from large_corpus import generate  # noqa: E402

SAMPLE_SECONDS = 0.05


def quotebot() -> list[str]:
    script = Path(sys.executable).parent / "quotebot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def measured(command: list[str], env: dict[str, str], stdin: str | None = None) -> dict[str, Any]:
    """Runs ``command``; its wall time and the peak RSS of its process tree (summed)."""
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
    done = threading.Event()

    def sample() -> None:
        root = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                peak[0] = max(peak[0], sum(_rss(p) for p in tree))
            except psutil.Error:
                pass
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate(stdin)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {err[-2000:]}")
    return {"seconds": seconds, "peak_rss": peak[0], "stdout": out}


def _rss(process: psutil.Process) -> int:
    try:
        return int(process.memory_info().rss)
    except psutil.Error:
        return 0


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


def warm(corpus: Path, questions: int) -> None:
    """``--warm`` mode: answer questions in this process and report latency and RSS."""
    from bot.settings import load_settings
    from bot.wiring import open_service

    me = psutil.Process()
    service = open_service(load_settings(), corpus=corpus)
    after_load = me.memory_info().rss
    asked = sample_questions(service, questions)
    latencies = []
    for question in asked:
        started = time.perf_counter()
        service.ask(question)
        latencies.append(time.perf_counter() - started)
    steady = sorted(latencies[min(200, len(latencies) // 10) :])
    print(
        json.dumps(
            {
                "p50_ms": 1000 * statistics.median(steady),
                "p95_ms": 1000 * steady[int(0.95 * (len(steady) - 1))],
                "rss_after_load": after_load,
                "rss_after_questions": me.memory_info().rss,
                "questions": len(asked),
            }
        )
    )


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


def one_size(work: Path, megabytes: int, questions: int, peer: bool) -> dict[str, Any]:
    corpus = corpus_for(work, megabytes)
    size = folder_bytes(corpus)
    cache = Path(tempfile.mkdtemp(prefix=f"quotebot-scale-{megabytes}-", dir=work))
    env = environment(cache)
    index = measured([*quotebot(), "index", "--corpus", str(corpus)], env)
    health = min(
        measured([*quotebot(), "health", "--corpus", str(corpus)], env)["seconds"] for _ in range(3)
    )
    cold = measured(
        [*quotebot(), "ask", "What changed in the parser?", "--corpus", str(corpus)], env
    )
    row: dict[str, Any] = {
        "megabytes": size / 1e6,
        "documents": sum(1 for p in corpus.rglob("*") if p.suffix in (".txt", ".md")),
        "index_seconds": index["seconds"],
        "index_mb_s": size / 1e6 / index["seconds"],
        "index_peak_rss": index["peak_rss"],
        "cache_bytes": folder_bytes(cache),
        "health_seconds": health,
        "cold_ask_seconds": cold["seconds"],
        "cold_ask_rss": cold["peak_rss"],
        **in_child(["--warm", str(corpus), "--questions", str(questions)], cache),
    }
    if peer:
        # bm25s over the same chunk texts: build (tokenize + index + save) and mmap'd load.
        row.update(in_child(["--bm25s", str(corpus), "--work", str(work)], cache))
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
    started = time.perf_counter()
    retriever = bm25s.BM25(method="robertson")
    retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
    retriever.save(str(folder))
    built = time.perf_counter() - started
    started = time.perf_counter()
    bm25s.BM25.load(str(folder), mmap=True)
    loaded = time.perf_counter() - started
    shutil.rmtree(folder)
    print(json.dumps({"bm25s_build_seconds": built, "bm25s_load_seconds": loaded}))


def table(rows: list[dict[str, Any]]) -> str:
    mb = 1e6
    lines = [
        "| corpus | docs | index MB/s | index peak RSS MB | cache MB | health s | cold ask s "
        "| cold ask RSS MB | warm p50 ms | warm p95 ms | RSS after load → after N questions MB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['megabytes']:.0f} MB | {r['documents']:,} | {r['index_mb_s']:.2f} "
            f"| {r['index_peak_rss'] / mb:,.0f} | {r['cache_bytes'] / mb:,.0f} "
            f"| {r['health_seconds']:.2f} | {r['cold_ask_seconds']:.2f} "
            f"| {r['cold_ask_rss'] / mb:,.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} "
            f"| {r['rss_after_load'] / mb:,.0f} → {r['rss_after_questions'] / mb:,.0f} "
            f"({r['questions']:,}) |"
        )
    return "\n".join(lines)


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["megabytes"] for r in rows]
    figure, (times, memory) = plt.subplots(1, 2, figsize=(10, 4))
    times.plot(sizes, [r["index_seconds"] for r in rows], "o-", label="quotebot index")
    times.plot(sizes, [r["cold_ask_seconds"] for r in rows], "s-", label="cold quotebot ask")
    times.plot(sizes, [r["health_seconds"] for r in rows], "^-", label="quotebot health")
    times.set(xlabel="corpus MB", ylabel="seconds", yscale="log", title="Time")
    times.legend()
    memory.plot(sizes, [r["index_peak_rss"] / 1e6 for r in rows], "o-", label="index, peak")
    memory.plot(sizes, [r["cold_ask_rss"] / 1e6 for r in rows], "s-", label="cold ask, peak")
    memory.plot(sizes, [r["cache_bytes"] / 1e6 for r in rows], "d--", label="cache on disk")
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
    parser.add_argument("--warm", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--bm25s", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm is not None:
        warm(args.warm, args.questions)
        return
    if args.bm25s is not None:
        bm25s_mode(args.bm25s, args.work)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        rows.append(one_size(args.work, size, args.questions, args.peer))
        print(json.dumps(rows[-1]), flush=True)
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1))
    print(f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end\n")
    print(table(rows))
    if any("bm25s_build_seconds" in r for r in rows):
        for r in rows:
            if "bm25s_build_seconds" in r:
                print(
                    f"\n{r['megabytes']:.0f} MB, bm25s peer: "
                    f"build {r['bm25s_build_seconds']:.1f} s "
                    f"(quotebot index {r['index_seconds']:.1f} s, incl. sentences, chunks and "
                    f"timeline events), load {r['bm25s_load_seconds']:.2f} s "
                    f"(quotebot cold ask, a whole process: {r['cold_ask_seconds']:.2f} s)"
                )
    if args.plot:
        plot(rows, args.plot)


if __name__ == "__main__":
    main()
