"""Sentence segmentation accuracy and whole-ingestion throughput, per format.

    python benchmarks/ingest_bench.py [--corpus seeds] [--megabytes 20]
        [--format markdown=DIR] [--format rst=DIR] [--format html=DIR] [--format pdf=DIR]

1. Accuracy on the English Golden Rules (48 cases from pySBD, MIT; data in
   benchmarks/data/golden_rules_en.json): quotebot's segmenter (layout + sentencex),
   sentencex alone and, when installed, pysbd, each in the same run. A case counts only
   if every sentence matches exactly.
2. Throughput: documents to chunks (decode, metadata, layout, sentences, tiktoken chunks)
   on one core, over a corpus made by repeating the given corpus to the given size, plus
   the BM25 index build on top, and loading the result back from the index cache.
3. Per format (each ``--format NAME=DIR``, beside plain text from ``--corpus``): the
   files of that format under DIR, repeated to the given size, read to sentences (the
   reader alone) and to chunks, in MB of file bytes per second on one core, beside the
   format's parser alone in the same run (for Markdown also markdown-it-py, the parser
   quotebot does not use, when installed). Each figure is the best of three runs.
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
from retrieval.ingest.pipeline import read_documents
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


FORMAT_SUFFIXES = {
    "text": (".txt",),
    "markdown": (".md", ".markdown"),
    "rst": (".rst",),
    "html": (".html", ".htm"),
    "pdf": (".pdf",),
}


def _copies(tree: Path, suffixes: tuple[str, ...], megabytes: float, target: Path) -> int:
    """The tree's files of one format, copied flat (and repeated) to about ``megabytes``."""
    files = sorted(p for p in tree.rglob("*") if p.suffix.lower() in suffixes and p.is_file())
    if not files:
        raise SystemExit(f"no {'/'.join(suffixes)} files under {tree}")
    written = copy = 0
    while written < megabytes * 1e6:
        for number, path in enumerate(files):
            (target / f"{number}_{copy}{path.suffix}").write_bytes(path.read_bytes())
            written += path.stat().st_size
        copy += 1
    return written


def _parser_alone(name: str) -> dict[str, Callable[[bytes], object]]:
    """The format's parser with none of quotebot's reading, as a reference."""
    import html.parser

    import docutils.core
    import markdown_it_pyrs
    import pypdfium2

    def pdf_text(data: bytes) -> object:
        document = pypdfium2.PdfDocument(data)
        return [page.get_textpage().get_text_bounded() for page in document]

    def html_tokens(data: bytes) -> object:
        tokenizer = html.parser.HTMLParser(convert_charrefs=False)
        tokenizer.feed(data.decode("utf-8", "replace"))
        return tokenizer.close()

    markdown = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "front_matter"])
    parsers: dict[str, dict[str, Callable[[bytes], object]]] = {
        "text": {},
        "markdown": {"markdown-it-pyrs tree": lambda data: markdown.tree(data.decode())},
        "rst": {
            "docutils doctree": lambda data: docutils.core.publish_doctree(
                data.decode(), settings_overrides={"report_level": 5, "halt_level": 5}
            )
        },
        "html": {"html.parser tokens": html_tokens},
        "pdf": {"pypdfium2 text": pdf_text},
    }
    found = parsers[name]
    if name == "markdown":
        try:
            from markdown_it import MarkdownIt
        except ImportError:
            return found
        python_parser = MarkdownIt("commonmark").enable("table")
        found["markdown-it-py tokens (not used)"] = lambda data: python_parser.parse(data.decode())
    return found


REPEATS = 3


def _timed(work: Callable[[], object]) -> float:
    """The best of a few runs: on a shared machine the fastest run is the least disturbed."""
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _format_row(name: str, tree: Path, megabytes: float) -> str:
    target = Path(tempfile.mkdtemp(prefix=f"quotebot-{name}-"))
    try:
        size = _copies(tree, FORMAT_SUFFIXES[name], megabytes, target) / 1e6
        files = sorted(target.iterdir())
        contents = [path.read_bytes() for path in files]
        reading = _timed(lambda: sum(1 for _ in read_documents(target)))
        chunking = _timed(lambda: build_corpus(target, ChunkOptions()))
        peers = [
            f"{peer} {size / _timed(lambda parse=parse: [parse(data) for data in contents]):.2f}"
            for peer, parse in _parser_alone(name).items()
        ]
    finally:
        shutil.rmtree(target)
    return (
        f"| {name} | {len(files)} | {size:.1f} | {size / reading:.2f} | "
        f"{size / chunking:.2f} | {'; '.join(peers) or '—'} |"
    )


def formats(trees: dict[str, Path], megabytes: float) -> None:
    print(
        f"\nPer format, about {megabytes:.0f} MB of files each, one core, best of {REPEATS} runs"
        " (MB of file bytes/s):\n"
    )
    print("| format | files | MB | to sentences | to chunks | parser alone |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, tree in trees.items():
        print(_format_row(name, tree, megabytes))


def _format_tree(value: str) -> tuple[str, Path]:
    name, _, folder = value.partition("=")
    if name not in FORMAT_SUFFIXES or not folder:
        raise argparse.ArgumentTypeError(
            f"expected NAME=DIR with NAME one of {list(FORMAT_SUFFIXES)}"
        )
    return name, Path(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("seeds"))
    parser.add_argument("--megabytes", type=float, default=20.0)
    parser.add_argument("--format", type=_format_tree, action="append", default=[])
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    if not args.skip_accuracy:
        accuracy()
    throughput(args.corpus, args.megabytes)
    if args.format:
        formats({"text": args.corpus, **dict(args.format)}, args.megabytes)


if __name__ == "__main__":
    main()
