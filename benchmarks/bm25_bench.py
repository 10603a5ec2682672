"""Benchmark: BM25Index against rank_bm25 and bm25s on seeded synthetic Zipfian corpora.

    python benchmarks/bm25_bench.py --sizes 10000,100000,1000000

Each (engine, size) runs in its own subprocess, which regenerates the same corpus from the seed,
so peak RSS is per engine. Reported per run: build seconds, p50/p95 top-10 query milliseconds
and peak RSS. BM25Index is fed chunks streamed from a generator (ids turned into strings on the
fly, counted in its build time); rank_bm25 and bm25s get the corpus materialized in the form
their APIs take (not counted in their build time, counted in their RSS). bm25s indexes token
ids with its "robertson" method; its idf differs slightly, so it is a speed peer, not a
reference.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

import numpy as np

ENGINES = ("quotebot", "rank-bm25", "bm25s")
BLOCK_CHUNKS = 20_000
TOP_K = 10

Search = Callable[[list[str]], object]


@dataclass(frozen=True)
class CorpusSpec:
    """Everything that determines the synthetic corpus and its queries."""

    n_chunks: int
    vocabulary: int
    exponent: float
    mean_words: int
    seed: int


@dataclass(frozen=True)
class Run:
    """One engine's measurements on one corpus size."""

    engine: str
    n_chunks: int
    build_s: float
    p50_ms: float
    p95_ms: float
    peak_rss_mb: float
    n_queries: int


def term(term_id: int) -> str:
    return f"w{term_id}"


def chunk_blocks(spec: CorpusSpec) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Blocks of (flat term ids, chunk lengths): Zipf-distributed ids, Poisson lengths."""
    ranks = np.arange(1, spec.vocabulary + 1, dtype=np.float64)
    cdf = np.cumsum(ranks**-spec.exponent)
    cdf /= cdf[-1]
    rng = np.random.default_rng([spec.seed, spec.n_chunks])
    for start in range(0, spec.n_chunks, BLOCK_CHUNKS):
        n = min(BLOCK_CHUNKS, spec.n_chunks - start)
        lengths = np.maximum(rng.poisson(spec.mean_words, n), 1)
        ids = np.searchsorted(cdf, rng.random(int(lengths.sum()))).astype(np.int32)
        yield ids, lengths


def chunk_id_lists(spec: CorpusSpec) -> Iterator[list[int]]:
    for ids, lengths in chunk_blocks(spec):
        for chunk in np.split(ids, np.cumsum(lengths)[:-1]):
            yield chunk.tolist()


def chunk_term_lists(spec: CorpusSpec) -> Iterator[list[str]]:
    names = [term(i) for i in range(spec.vocabulary)]
    for ids in chunk_id_lists(spec):
        yield [names[i] for i in ids]


def queries(spec: CorpusSpec, n: int, terms_per_query: int = 5) -> list[list[str]]:
    """Mid-frequency terms: Zipf ranks log-uniform in [50, 5000), in about 0.2-18% of chunks."""
    rng = np.random.default_rng([spec.seed, 1])
    low, high = np.log(50), np.log(min(5_000, spec.vocabulary))
    ranks = np.exp(rng.uniform(low, high, size=(n, terms_per_query))).astype(np.int64)
    return [[term(int(rank) - 1) for rank in row] for row in ranks]


def time_queries(search: Callable[[list[str]], object], query_list: list[list[str]]) -> np.ndarray:
    """Milliseconds per query, after one untimed warm-up query."""
    search(query_list[0])
    elapsed = []
    for query in query_list:
        start = time.perf_counter()
        search(query)
        elapsed.append((time.perf_counter() - start) * 1000)
    return np.array(elapsed)


def build_quotebot(spec: CorpusSpec) -> tuple[float, Search]:
    from retrieval.search.bm25 import BM25Index

    start = time.perf_counter()
    index = BM25Index.from_token_lists(chunk_term_lists(spec))
    return time.perf_counter() - start, lambda query: index.top_k(query, TOP_K)


def build_rank_bm25(spec: CorpusSpec) -> tuple[float, Search]:
    from rank_bm25 import BM25Okapi

    corpus = list(chunk_term_lists(spec))
    start = time.perf_counter()
    model = BM25Okapi(corpus)
    # What rank_bm25's own get_top_n does, without mapping indices back to documents.
    return time.perf_counter() - start, lambda q: np.argsort(model.get_scores(q))[::-1][:TOP_K]


def build_bm25s(spec: CorpusSpec) -> tuple[float, Search]:
    import bm25s

    corpus = list(chunk_id_lists(spec))
    vocabulary = {term(i): i for i in range(spec.vocabulary)}
    start = time.perf_counter()
    model = bm25s.BM25(method="robertson", k1=1.5, b=0.75)
    model.index((corpus, vocabulary), show_progress=False)
    del corpus
    return time.perf_counter() - start, lambda query: model.retrieve(
        [query], k=TOP_K, show_progress=False
    )


BUILDERS: dict[str, Callable[[CorpusSpec], tuple[float, Search]]] = {
    "quotebot": build_quotebot,
    "rank-bm25": build_rank_bm25,
    "bm25s": build_bm25s,
}


def run_engine(engine: str, spec: CorpusSpec, n_queries: int) -> Run:
    """Builds and queries one engine in this process (meant to be a fresh child process)."""
    build_s, search = BUILDERS[engine](spec)
    elapsed = time_queries(search, queries(spec, n_queries))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return Run(
        engine=engine,
        n_chunks=spec.n_chunks,
        build_s=build_s,
        p50_ms=float(np.percentile(elapsed, 50)),
        p95_ms=float(np.percentile(elapsed, 95)),
        peak_rss_mb=peak_kib / 1024,
        n_queries=len(elapsed),
    )


def run_in_child(engine: str, spec: CorpusSpec, n_queries: int) -> Run:
    """Runs one engine in a subprocess so its peak RSS is its own."""
    command = [
        sys.executable,
        __file__,
        "--child",
        engine,
        "--sizes",
        str(spec.n_chunks),
        "--vocabulary",
        str(spec.vocabulary),
        "--exponent",
        str(spec.exponent),
        "--mean-words",
        str(spec.mean_words),
        "--seed",
        str(spec.seed),
        "--queries",
        str(n_queries),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return Run(**json.loads(result.stdout.splitlines()[-1]))


def markdown_table(runs: list[Run], skipped: dict[int, str]) -> str:
    """One row per (size, engine), with p50 ratios against BM25Index at the same size."""
    ours = {run.n_chunks: run.p50_ms for run in runs if run.engine == "quotebot"}
    lines = [
        "| chunks | engine | build s | p50 ms | p95 ms | peak RSS MB | queries | p50 / ours |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        ratio = run.p50_ms / ours[run.n_chunks] if run.n_chunks in ours else float("nan")
        lines.append(
            f"| {run.n_chunks:,} | {run.engine} | {run.build_s:.1f} | {run.p50_ms:.2f} | "
            f"{run.p95_ms:.2f} | {run.peak_rss_mb:,.0f} | {run.n_queries} | {ratio:.1f}x |"
        )
    lines += [f"| {size:,} | rank-bm25 | {reason} | | | | | |" for size, reason in skipped.items()]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--vocabulary", type=int, default=300_000)
    parser.add_argument("--exponent", type=float, default=1.1)
    parser.add_argument("--mean-words", type=int, default=120)
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rank-bm25-max-chunks", type=int, default=100_000)
    parser.add_argument("--rank-bm25-queries-above-10k", type=int, default=20)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    specs = [
        CorpusSpec(size, args.vocabulary, args.exponent, args.mean_words, args.seed)
        for size in sizes
    ]
    if args.child:
        print(json.dumps(asdict(run_engine(args.child, specs[0], args.queries))))
        return
    runs: list[Run] = []
    skipped: dict[int, str] = {}
    for spec in specs:
        for engine in args.engines.split(","):
            n_queries = args.queries
            if engine == "rank-bm25" and spec.n_chunks > args.rank_bm25_max_chunks:
                skipped[spec.n_chunks] = (
                    f"skipped: above {args.rank_bm25_max_chunks:,} chunks (minutes per query)"
                )
                continue
            if engine == "rank-bm25" and spec.n_chunks > 10_000:
                n_queries = min(n_queries, args.rank_bm25_queries_above_10k)
            run = run_in_child(engine, spec, n_queries)
            print(json.dumps(asdict(run)), file=sys.stderr, flush=True)
            runs.append(run)
    print(markdown_table(runs, skipped))


if __name__ == "__main__":
    main()
