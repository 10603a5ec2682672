"""Indexing throughput on given corpus folders, in CPU seconds, and where one worker's go.

    python benchmarks/index_bench.py CORPUS [CORPUS ...] [--peer] [--stages MB]

For each folder, ``quotebot index`` runs from an empty cache in a process of its own (the
real command, workers and all): its wall time, its CPU time (user + system of the whole
process tree, so load on a shared machine stretches the wall time but hardly the CPU
seconds), MB of file bytes per CPU second, the peak RSS of the tree and the cache size.
quotebot's own modules are compiled to bytecode first, as an installed quotebot has them:
a checkout run with PYTHONDONTWRITEBYTECODE=1 would compile every module each process
imports (the parent, the worker server, each worker) on every run.

``--peer`` adds bm25s (method "robertson") building its index over the same chunk texts,
in the same run, with the CPU ratio. ``--stages MB`` also ingests the first MB megabytes
of each folder in this process, one stage at a time, as one worker does: reading and
markup removal, sentence splitting, tiktoken chunking, timeline events, search terms
(analysis), postings and the segment write; each stage's CPU seconds and share.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale_bench import (  # noqa: E402
    compile_quotebot,
    environment,
    folder_bytes,
    in_child,
    measured,
    quotebot,
)


def corpus_bytes(corpus: Path) -> int:
    """The bytes of the files quotebot reads in ``corpus`` (what MB/s counts)."""
    from retrieval.ingest.documents import document_paths

    return sum(path.stat().st_size for path in document_paths(corpus, False))


def index_row(corpus: Path, work: Path, peer: bool) -> dict[str, Any]:
    cache = Path(tempfile.mkdtemp(prefix="quotebot-index-", dir=work))
    size = corpus_bytes(corpus) / 1e6
    run = measured([*quotebot(), "index", "--corpus", str(corpus)], environment(cache))
    row: dict[str, Any] = {
        "corpus": str(corpus),
        "megabytes": size,
        "seconds": run["seconds"],
        "cpu_seconds": run["cpu_seconds"],
        "mb_per_cpu_s": size / run["cpu_seconds"],
        "peak_rss": run["peak_rss"],
        "cache_bytes": folder_bytes(cache),
    }
    if peer:
        row.update(in_child(["--bm25s", str(corpus), "--work", str(work)], cache))
    shutil.rmtree(cache)
    return row


def stages(corpus: Path, megabytes: float) -> dict[str, float]:
    """CPU seconds of each stage of one worker's ingestion of the first ``megabytes``."""
    from retrieval.ingest import pipeline
    from retrieval.ingest.chunks import ChunkOptions, chunk_document
    from retrieval.ingest.corpus import IngestedDocument, _events
    from retrieval.ingest.documents import document_id, document_paths, relative_source
    from retrieval.ingest.sentences import sentences_of
    from retrieval.ingest.tokenizer import encoding
    from retrieval.models import Metadata
    from retrieval.search.postings import Postings
    from retrieval.search.segment import _columns, analyzed_document
    from retrieval.search.store import write_store
    from retrieval.search.subjects import DocumentSubjects

    options = ChunkOptions()
    enc = encoding(options.encoding)
    spent: dict[str, float] = defaultdict(float)

    def timed(stage: str, work: Callable[..., Any], *arguments: Any) -> Any:
        started = time.process_time()
        result = work(*arguments)
        spent[stage] += time.process_time() - started
        return result

    timed("tagger rules (once per process)", _events, *_tiny_document())
    read = 0
    items: list[IngestedDocument] = []
    for path in document_paths(corpus, False):
        if read >= megabytes * 1e6:
            break
        read += path.stat().st_size
        source = relative_source(path, corpus)
        try:
            text, encoded, reading = timed("read, markup removal", pipeline._read, path, corpus)
        except pipeline.Unreadable:
            continue
        doc_id = document_id(source)
        document = pipeline._document(doc_id, path, source, text, encoded, reading, Metadata())
        found = timed("sentences", sentences_of, doc_id, reading.blocks)
        found = pipeline._within(path, len(text), found)
        chunks = timed("chunks (tiktoken)", chunk_document, text, found, 0, enc, options)
        events = timed("timeline events", _events, document, found)
        items.append(IngestedDocument(document, found, chunks, events))
    analyzed = [timed("search terms (analysis)", analyzed_document, item) for item in items]
    term_lists = (terms for chunks, _ in analyzed for terms in chunks)
    postings = timed("postings", Postings.from_token_lists, term_lists)
    subjects = [DocumentSubjects(terms) for _, terms in analyzed]
    folder = Path(tempfile.mkdtemp(prefix="quotebot-stages-"))
    columns = timed("segment columns", _columns, items, subjects)
    timed("segment write", write_store, folder / "s.seg", columns, {})
    timed("postings write", write_store, folder / "s.post", postings.to_arrays(), {})
    shutil.rmtree(folder)
    return {"megabytes": read / 1e6, **spent}


def _tiny_document() -> tuple[Any, Any]:
    from retrieval.ingest.pipeline import ingest_file

    folder = Path(tempfile.mkdtemp(prefix="quotebot-warm-"))
    (folder / "a.txt").write_text("It rained on 3 May 2001.\n", encoding="utf-8")
    ingested = ingest_file(folder / "a.txt", folder)
    shutil.rmtree(folder)
    assert ingested is not None
    return ingested.document, ingested.sentences


def print_rows(rows: list[dict[str, Any]]) -> None:
    print("| corpus | MB | index s | CPU s | MB per CPU s | peak RSS MB | cache MB | bm25s CPU s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        peer = f"{r['bm25s_build_cpu_seconds']:.1f}" if "bm25s_build_cpu_seconds" in r else "–"
        print(
            f"| {r['corpus']} | {r['megabytes']:.1f} | {r['seconds']:.1f} | "
            f"{r['cpu_seconds']:.1f} | {r['mb_per_cpu_s']:.2f} | {r['peak_rss'] / 1e6:,.0f} | "
            f"{r['cache_bytes'] / 1e6:,.0f} | {peer} |"
        )


def print_stages(corpus: Path, spent: dict[str, float]) -> None:
    megabytes = spent.pop("megabytes")
    once = spent.pop("tagger rules (once per process)")
    total = sum(spent.values())
    print(f"\n{corpus}: first {megabytes:.1f} MB, one process, {total:.2f} CPU s")
    print(f"({megabytes / total:.2f} MB per CPU s; the tagger's rules compiled once: {once:.2f} s)")
    print("\n| stage | CPU s | share | MB per CPU s |\n| --- | ---: | ---: | ---: |")
    for stage, seconds in spent.items():
        rate = megabytes / seconds if seconds else float("inf")
        print(f"| {stage} | {seconds:.2f} | {seconds / total:.0%} | {rate:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path, nargs="+")
    parser.add_argument("--peer", action="store_true")
    parser.add_argument("--stages", type=float, default=0.0, metavar="MB")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--json", type=Path, default=None, help="Also write the rows here.")
    args = parser.parse_args()
    compile_quotebot()
    rows = []
    for corpus in args.corpora:
        rows.append(index_row(corpus, args.work, args.peer))
        print(json.dumps(rows[-1]), flush=True)
    print()
    print_rows(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    for corpus in args.corpora if args.stages else []:
        print_stages(corpus, stages(corpus, args.stages))


if __name__ == "__main__":
    main()
