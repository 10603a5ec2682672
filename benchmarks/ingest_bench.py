"""Sentence segmentation accuracy and whole-ingestion throughput.

    python benchmarks/ingest_bench.py [--corpus seeds] [--megabytes 20]

1. Accuracy on the English Golden Rules (48 cases from pySBD, MIT; data in
   benchmarks/data/golden_rules_en.json): quotebot's segmenter (layout + sentencex),
   sentencex alone and, when installed, pysbd, each in the same run. A case counts only
   if every sentence matches exactly.
2. Throughput: documents to chunks (decode, metadata, layout, sentences, tiktoken chunks)
   on one core, over a corpus made by repeating the given corpus to the given size, plus
   the BM25 index build on top, and loading the result back from the index cache.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sentencex

from retrieval.ingest.chunks import ChunkOptions
from retrieval.ingest.corpus import build_corpus
from retrieval.ingest.sentences import split_sentences
from retrieval.search.corpus_cache import IndexOptions, build_index, load_corpus

GOLDEN = Path(__file__).parent / "data" / "golden_rules_en.json"


def _quotebot(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences("golden", text)]


def _sentencex(text: str) -> list[str]:
    return [piece.strip() for piece in sentencex.segment("en", text) if piece.strip()]


def _segmenters() -> dict[str, Callable[[str], list[str]]]:
    found = {"quotebot": _quotebot, "sentencex": _sentencex}
    try:
        import pysbd
    except ImportError:
        return found
    segmenter = pysbd.Segmenter(language="en", clean=False)
    found["pysbd"] = lambda text: [s.strip() for s in segmenter.segment(text) if s.strip()]
    return found


def accuracy() -> None:
    cases = json.loads(GOLDEN.read_text(encoding="utf-8"))
    print(f"English Golden Rules ({len(cases)} cases), exact match of every sentence:\n")
    print("| segmenter | correct | accuracy |\n| --- | ---: | ---: |")
    for name, segment in _segmenters().items():
        correct = sum(segment(case["text"]) == case["sentences"] for case in cases)
        print(f"| {name} | {correct}/{len(cases)} | {correct / len(cases):.1%} |")


def _grow(corpus: Path, megabytes: float, target: Path) -> int:
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md"))
    written = copy = 0
    while written < megabytes * 1e6:
        for path in files:
            (target / f"{path.stem}_{copy}{path.suffix}").write_bytes(path.read_bytes())
            written += path.stat().st_size
        copy += 1
    return written


def throughput(corpus: Path, megabytes: float) -> None:
    target = Path(tempfile.mkdtemp(prefix="quotebot-ingest-"))
    try:
        size = _grow(corpus, megabytes, target)
        started = time.perf_counter()
        built = build_corpus(target, ChunkOptions())
        ingest = time.perf_counter() - started
        started = time.perf_counter()
        build_index(built, IndexOptions())
        index = time.perf_counter() - started
        cache = Path(tempfile.mkdtemp(prefix="quotebot-cache-"))
        load_corpus(target, IndexOptions(), cache)
        started = time.perf_counter()
        load_corpus(target, IndexOptions(), cache)
        warm = time.perf_counter() - started
        shutil.rmtree(cache)
    finally:
        shutil.rmtree(target)
    mb = size / 1e6
    print(
        f"\nIngestion of {mb:.1f} MB ({len(built.documents)} documents, "
        f"{len(built.sentences)} sentences, {len(built.chunks)} chunks), one core:\n"
    )
    print("| stage | seconds | MB/s |\n| --- | ---: | ---: |")
    print(f"| documents to chunks | {ingest:.2f} | {mb / ingest:.2f} |")
    print(f"| BM25 index build | {index:.2f} | {mb / index:.2f} |")
    print(f"| whole ingestion | {ingest + index:.2f} | {mb / (ingest + index):.2f} |")
    print(f"| loading it back from the cache | {warm:.2f} | {mb / warm:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("seeds"))
    parser.add_argument("--megabytes", type=float, default=20.0)
    args = parser.parse_args()
    accuracy()
    throughput(args.corpus, args.megabytes)


if __name__ == "__main__":
    main()
