"""Sentence segmentation accuracy and whole-ingestion throughput.

    python benchmarks/ingest_bench.py [--corpus seeds] [--megabytes 20]

1. Accuracy on the English Golden Rules (48 cases from pySBD, MIT; data in
   benchmarks/data/golden_rules_en.json): quotebot's segmenter (layout + sentencex),
   sentencex alone and, when installed, pysbd, each in the same run. A case counts only
   if every sentence matches exactly.
2. Throughput over a corpus made by repeating the given corpus to the given size: each
   stage on one core (documents to chunks; timeline events; search terms and postings),
   then the whole index build as ``quotebot index`` runs it, on one core and on all cores,
   and loading the result back from the index cache.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sentencex

from retrieval.ingest.chunks import ChunkOptions, chunk_document
from retrieval.ingest.corpus import IngestedDocument
from retrieval.ingest.documents import load_documents
from retrieval.ingest.sentences import split_sentences
from retrieval.ingest.tokenizer import encoding
from retrieval.search import corpus_cache
from retrieval.search.corpus_cache import IndexOptions, load_corpus
from retrieval.search.postings import Postings
from retrieval.search.segment import ingested_terms
from retrieval.timeline.events import document_events

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


def _timed(run: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def _chunked() -> Callable[[Path], list[IngestedDocument]]:
    enc = encoding()

    def chunked(target: Path) -> list[IngestedDocument]:
        found = []
        for document in load_documents(target):
            sentences = split_sentences(document.doc_id, document.text)
            chunks = chunk_document(document.text, sentences, 0, enc, ChunkOptions())
            found.append(IngestedDocument(document, sentences, chunks, []))
        return found

    return chunked


def _full_build(target: Path, parallel: bool) -> float:
    cache = Path(tempfile.mkdtemp(prefix="quotebot-cache-"))
    saved = corpus_cache.PARALLEL_BYTES
    corpus_cache.PARALLEL_BYTES = saved if parallel else 1 << 62
    try:
        seconds, _ = _timed(lambda: load_corpus(target, IndexOptions(), cache))
        return seconds
    finally:
        corpus_cache.PARALLEL_BYTES = saved
        shutil.rmtree(cache)


def throughput(corpus: Path, megabytes: float) -> None:
    target = Path(tempfile.mkdtemp(prefix="quotebot-ingest-"))
    try:
        size = _grow(corpus, megabytes, target)
        chunking, ingested = _timed(lambda: _chunked()(target))
        assert isinstance(ingested, list)
        events, _ = _timed(
            lambda: [list(document_events(i.document, i.sentences, 0)) for i in ingested]
        )
        postings, _ = _timed(
            lambda: Postings.from_token_lists(
                terms for item in ingested for terms in ingested_terms(item)
            )
        )
        one_core = _full_build(target, parallel=False)
        all_cores = _full_build(target, parallel=True)
        cache = Path(tempfile.mkdtemp(prefix="quotebot-cache-"))
        load_corpus(target, IndexOptions(), cache)
        warm, _ = _timed(lambda: load_corpus(target, IndexOptions(), cache))
        shutil.rmtree(cache)
    finally:
        shutil.rmtree(target)
    mb = size / 1e6
    n_sentences = sum(len(item.sentences) for item in ingested)
    n_chunks = sum(len(item.chunks) for item in ingested)
    print(
        f"\nIngestion of {mb:.1f} MB ({len(ingested)} documents, "
        f"{n_sentences} sentences, {n_chunks} chunks):\n"
    )
    print("| stage | seconds | MB/s |\n| --- | ---: | ---: |")
    rows = [
        ("documents to chunks, one core", chunking),
        ("timeline events, one core", events),
        ("search terms and postings, one core", postings),
        ("whole index build (quotebot index), one core", one_core),
        (f"whole index build, {os.cpu_count()} cores", all_cores),
        ("loading it back from the cache", warm),
    ]
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {mb / seconds:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("seeds"))
    parser.add_argument("--megabytes", type=float, default=20.0)
    args = parser.parse_args()
    accuracy()
    throughput(args.corpus, args.megabytes)


if __name__ == "__main__":
    main()
