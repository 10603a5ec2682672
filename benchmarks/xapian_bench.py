"""Benchmark: the Xapian backend on 1, 2 and 4 loopback shards beside the in-process index.

    python benchmarks/xapian_bench.py --sizes 100000,1000000 [--bot-rss] [--shards 1,2,4]

For each size a seeded synthetic corpus (documents of 20 chunks, chunks of six ~20-word
sentences of Zipfian words) is built once as a ``Corpus``; the in-process BM25 index and the
Xapian shards are built from it in the same run (shards by ``--workers`` processes, default 2;
the in-process index on one core). The synthetic text has no dates, so no timeline events are
tagged (``events=[]``); the in-process build tags none either. Reported per backend: build
seconds, disk MB (shards), p50/p95 top-10 query milliseconds over 200 five-term queries (after
one warm pass), and the ratio to the in-process p50. Shards are served by real
``xapian-tcpsrv`` processes on 127.0.0.1. ``--bot-rss`` also runs ``quotebot ask --json -`` on
the remote backend over the largest shard count, with one question and with 200, and reports
each process's peak RSS: the first should not grow with the corpus. Needs xapian-tools and
the bindings (pip install '.[xapian]').
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from retrieval.ingest.corpus import Corpus, IngestedDocument
from retrieval.models import Chunk, Document, Sentence
from retrieval.search.corpus_cache import IndexOptions, build_index

TOP_K = 10
QUERIES = 200
QUERY_TERMS = 5
SENTENCES_PER_CHUNK = 6
CHUNKS_PER_DOCUMENT = 20
WORDS_PER_SENTENCE = 20
VOCABULARY = 200_000
EXPONENT = 1.07


@dataclass(frozen=True)
class Row:
    """One backend's measurements at one corpus size."""

    n_chunks: int
    backend: str
    build_s: float
    disk_mb: float
    p50_ms: float
    p95_ms: float
    vs_local: float


@functools.cache
def zipf_cdf() -> np.ndarray:
    ranks = np.arange(1, VOCABULARY + 1, dtype=np.float64)
    cdf = np.cumsum(ranks**-EXPONENT)
    return cdf / cdf[-1]


def zipf_words(rng: np.random.Generator, count: int) -> np.ndarray:
    return np.searchsorted(zipf_cdf(), rng.random(count))


def synthetic_corpus(n_chunks: int, seed: int, root: Path) -> Corpus:
    """Documents of plain sentences, written under ``root`` (a corpus reads texts from its
    files) and chunked by hand into fixed runs of sentences."""
    rng = np.random.default_rng([seed, n_chunks])
    words = [f"w{i}" for i in range(VOCABULARY)]
    records = []
    n_documents = -(-n_chunks // CHUNKS_PER_DOCUMENT)
    for number in range(n_documents):
        chunks_here = min(CHUNKS_PER_DOCUMENT, n_chunks - number * CHUNKS_PER_DOCUMENT)
        n_sentences = chunks_here * SENTENCES_PER_CHUNK
        ids = zipf_words(rng, n_sentences * WORDS_PER_SENTENCE).reshape(n_sentences, -1)
        doc_id = f"doc{number:07d}"
        texts = [" ".join([words[i] for i in row]).capitalize() + "." for row in ids.tolist()]
        sentences, offset = [], 0
        for text in texts:
            sentences.append(Sentence(doc_id, offset, offset + len(text), text))
            offset += len(text) + 1
        chunks = [
            Chunk(
                doc_id,
                c * SENTENCES_PER_CHUNK,
                (c + 1) * SENTENCES_PER_CHUNK - 1,
                sentences[c * SENTENCES_PER_CHUNK].start,
                sentences[(c + 1) * SENTENCES_PER_CHUNK - 1].end,
                WORDS_PER_SENTENCE * SENTENCES_PER_CHUNK,
            )
            for c in range(chunks_here)
        ]
        text = " ".join(texts)
        source = f"{doc_id}.txt"
        (root / source).write_text(text, encoding="utf-8")
        document = Document(doc_id, root / source, source, text, f"Doc {number}")
        records.append(IngestedDocument(document, sentences, chunks, []))
    return Corpus(root, records)


def queries(seed: int) -> list[list[str]]:
    rng = np.random.default_rng([seed, 99])
    return [[f"w{i}" for i in zipf_words(rng, QUERY_TERMS)] for _ in range(QUERIES)]


def latencies(search: Callable[[list[str]], object], batch: list[list[str]]) -> tuple[float, float]:
    for terms in batch:
        search(terms)
    times = []
    for terms in batch:
        started = time.perf_counter()
        search(terms)
        times.append((time.perf_counter() - started) * 1000)
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(folder: Path, shards: int) -> Iterator[list[str]]:
    """``xapian-tcpsrv`` per shard on loopback, stopped (with its children) afterwards."""
    processes, addresses = [], []
    try:
        for k in range(1, shards + 1):
            port = free_port()
            processes.append(
                subprocess.Popen(
                    [
                        "xapian-tcpsrv",
                        "--port",
                        str(port),
                        "--interface",
                        "127.0.0.1",
                        str(folder / f"shard-{k}"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            addresses.append(f"127.0.0.1:{port}")
            wait_listening(port)
        yield addresses
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()


def wait_listening(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"xapian-tcpsrv on port {port} did not start")


def disk_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def bot_rss_mb(addresses: Sequence[str], batch: list[list[str]]) -> float:
    """Peak RSS of a ``quotebot ask --json -`` process once it has answered ``batch``."""
    env = {
        **os.environ,
        "QUOTEBOT_SEARCH_BACKEND": "xapian",
        "QUOTEBOT_XAPIAN_REMOTES": ",".join(addresses),
    }
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert bot.stdin is not None and bot.stdout is not None
    for terms in batch:
        bot.stdin.write(f"What about {' '.join(terms)}?\n")
        bot.stdin.flush()
        bot.stdout.readline()
    status = Path(f"/proc/{bot.pid}/status").read_text(encoding="utf-8")
    bot.stdin.close()
    bot.wait()
    peak_kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    return int(peak_kb) / 1024


def measure(
    n_chunks: int, seed: int, work: Path, with_bot: bool, workers: int, shard_counts: list[int]
) -> tuple[list[Row], tuple[float, float] | None]:
    from retrieval.search.xapian.build import build_shards
    from retrieval.search.xapian.remote import Remote
    from retrieval.search.xapian.remote_index import ShardIndex
    from retrieval.search.xapian.shards import ShardSet

    texts = work / f"{n_chunks}-texts"
    texts.mkdir()
    corpus = synthetic_corpus(n_chunks, seed, texts)
    batch = queries(seed)
    options = IndexOptions()
    started = time.perf_counter()
    local = build_index(corpus, options)
    local_build = time.perf_counter() - started
    local_p50, local_p95 = latencies(lambda terms: local.top_k(terms, TOP_K), batch)
    rows = [Row(n_chunks, "in-process", local_build, 0.0, local_p50, local_p95, 1.0)]
    print(json.dumps(asdict(rows[-1])), file=sys.stderr, flush=True)
    bot_rss = None
    for shards in shard_counts:
        folder = work / f"{n_chunks}-{shards}"
        started = time.perf_counter()
        build_shards(corpus, options, folder, shards, workers, events=[])
        build_s = time.perf_counter() - started
        with serving(folder, shards) as addresses:
            index = ShardIndex(ShardSet([Remote.parse(a) for a in addresses]))
            p50, p95 = latencies(functools.partial(index.top_k, k=TOP_K), batch)
            if with_bot and shards == max(shard_counts):
                bot_rss = (bot_rss_mb(addresses, batch[:1]), bot_rss_mb(addresses, batch))
                print(json.dumps({"bot_rss_mb": bot_rss}), file=sys.stderr, flush=True)
        rows.append(
            Row(
                n_chunks,
                f"xapian, {shards} shard{'s' * (shards > 1)}",
                build_s,
                disk_bytes(folder) / 1e6,
                p50,
                p95,
                p50 / local_p50,
            )
        )
        print(json.dumps(asdict(rows[-1])), file=sys.stderr, flush=True)
        shutil.rmtree(folder)
    shutil.rmtree(texts)
    return rows, bot_rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--bot-rss", action="store_true", help="Also measure a bot process.")
    parser.add_argument("--shards", default="1,2,4", help="Shard counts to build and query.")
    parser.add_argument("--workers", type=int, default=2, help="Processes writing shards.")
    parser.add_argument("--work", type=Path, default=None, help="Where shards are written.")
    args = parser.parse_args()
    if shutil.which("xapian-tcpsrv") is None:
        raise SystemExit("error: xapian-tcpsrv is not installed (apt-get install xapian-tools)")
    shard_counts = [int(n) for n in args.shards.split(",")]
    work = Path(tempfile.mkdtemp(prefix="xapian-bench-", dir=args.work))
    print("| chunks | backend | build s | disk MB | p50 ms | p95 ms | p50 vs in-process |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    rss = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            rows, bot_rss = measure(size, args.seed, work, args.bot_rss, args.workers, shard_counts)
            for row in rows:
                print(
                    f"| {row.n_chunks:,} | {row.backend} | {row.build_s:.1f} | "
                    f"{row.disk_mb:,.0f} | {row.p50_ms:.2f} | {row.p95_ms:.2f} | "
                    f"{row.vs_local:.1f}x |",
                    flush=True,
                )
            if bot_rss is not None:
                rss.append((size, bot_rss))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for size, (one, all_questions) in rss:
        print(
            f"bot process on {max(shard_counts)} remote shards, {size:,} chunks: peak RSS "
            f"{one:.0f} MB after 1 question, {all_questions:.0f} MB after {QUERIES}"
        )


if __name__ == "__main__":
    main()
