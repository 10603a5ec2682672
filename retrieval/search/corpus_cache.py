"""The ingested corpus and its BM25 index, saved together and checked on load.

The cache file is keyed by the corpus folder; inside, a fingerprint of every
file's bytes and of every setting that shapes the index decides whether it is
still valid. Anything stale, truncated or tampered is reported in one warning
line and rebuilt: the cache can cost time, never correctness.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from retrieval.ingest.chunks import INDEXED_KINDS, ChunkOptions
from retrieval.ingest.corpus import Corpus, build_corpus
from retrieval.ingest.documents import document_paths
from retrieval.ingest.metadata import METADATA_FILE
from retrieval.ingest.pipeline import document_text
from retrieval.models import Chunk, Document, Sentence, SentenceKind
from retrieval.search.analysis import analyze
from retrieval.search.bm25 import BM25Index
from retrieval.search.store import StoreError, StoreMissing, read_store, write_store

log = logging.getLogger("quotebot")

# Bump when the cache layout changes; code changes are caught by _code_digest.
CACHE_VERSION = 4
# The packages whose code decides what a cache holds: editing any module in them
# invalidates caches.
_INGESTION_PACKAGES = ("ingest", "search")
_KINDS = list(SentenceKind)


@dataclass(frozen=True, slots=True)
class IndexOptions:
    """Every setting that shapes the index; all are part of the fingerprint."""

    chunks: ChunkOptions = field(default_factory=ChunkOptions)
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25
    follow_outside_links: bool = False


@dataclass(slots=True)
class LoadedCorpus:
    """A corpus ready to search, and whether it came from the cache."""

    corpus: Corpus
    index: BM25Index
    from_cache: bool
    cache_path: Path
    cache_bytes: int


def fingerprint(root: Path, options: IndexOptions) -> str:
    """A digest of every document's bytes and path, the metadata file and the options."""
    digest = hashlib.sha256(f"v{CACHE_VERSION}|{json.dumps(asdict(options))}".encode())
    digest.update(_code_digest())
    paths = document_paths(root, options.follow_outside_links)
    metadata = root / METADATA_FILE
    for path in [*paths, metadata] if metadata.is_file() else paths:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def _code_digest() -> bytes:
    """A digest of the ingestion code, so an upgraded quotebot never reads an old cache."""
    library = Path(__file__).parent.parent
    digest = hashlib.sha256()
    for package in _INGESTION_PACKAGES:
        for module in sorted((library / package).glob("*.py")):
            digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.digest()


def cache_file(root: Path, cache_dir: Path) -> Path:
    """One cache file per corpus folder, never inside the (maybe read-only) corpus."""
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]
    return cache_dir / f"corpus-{key}.npz"


def chunk_terms(corpus: Corpus, chunk: Chunk) -> list[str]:
    """The analyzed terms of a chunk: its searchable sentences, or its piece of one."""
    if chunk.first == chunk.last:
        return analyze(corpus.document(chunk.doc_id).text[chunk.start : chunk.end])
    return [
        term
        for sentence in corpus.sentences[chunk.first : chunk.last + 1]
        if sentence.kind in INDEXED_KINDS
        for term in analyze(sentence.text)
    ]


def build_index(corpus: Corpus, options: IndexOptions) -> BM25Index:
    return BM25Index.from_token_lists(
        (chunk_terms(corpus, chunk) for chunk in corpus.chunks),
        k1=options.k1,
        b=options.b,
        epsilon=options.epsilon,
    )


def load_corpus(
    root: Path, options: IndexOptions, cache_dir: Path, rebuild: bool = False
) -> LoadedCorpus:
    """The corpus and index from the cache when valid, else built and saved."""
    path = cache_file(root, cache_dir)
    expected = fingerprint(root, options)
    cached = None if rebuild else _cached(root, path, expected)
    if cached is not None:
        return LoadedCorpus(*cached, True, path, path.stat().st_size)
    corpus = build_corpus(root, options.chunks, options.follow_outside_links)
    index = build_index(corpus, options)
    size = _save(path, corpus, index, expected)
    return LoadedCorpus(corpus, index, False, path, size)


def _cached(root: Path, path: Path, expected: str) -> tuple[Corpus, BM25Index] | None:
    """The cached corpus and index when the file is intact and current, else None."""
    try:
        arrays, meta = read_store(path)
    except StoreMissing:
        return None
    except StoreError as error:
        log.warning("index cache %s is damaged (%s); rebuilding", path, error)
        return None
    if meta.get("fingerprint") != expected:
        log.warning(
            "index cache %s is out of date (documents, settings or quotebot changed); rebuilding",
            path,
        )
        return None
    try:
        return _from_arrays(root, arrays, meta)
    except (KeyError, IndexError, TypeError, ValueError, OSError) as error:
        log.warning("index cache %s is inconsistent (%s); rebuilding", path, error)
        return None


def _save(path: Path, corpus: Corpus, index: BM25Index, expected: str) -> int:
    arrays = {f"bm25_{name}": array for name, array in index.to_arrays().items()}
    arrays.update(_corpus_arrays(corpus))
    meta = {"fingerprint": expected, "documents": [_document_meta(d) for d in corpus.documents]}
    try:
        return write_store(path, arrays, meta)
    except StoreError as error:
        log.warning("index cache not saved (%s); it will be rebuilt next time", error)
        return 0


def _document_meta(document: Document) -> dict[str, str | None]:
    return {
        "doc_id": document.doc_id,
        "source": document.source,
        "title": document.title,
        "url": document.url,
        "published": document.published.isoformat() if document.published else None,
        "author": document.author,
        "encoding": document.encoding,
    }


def _corpus_arrays(corpus: Corpus) -> dict[str, np.ndarray]:
    doc_number = {document.doc_id: i for i, document in enumerate(corpus.documents)}
    sentences = corpus.sentences
    chunks = corpus.chunks
    sections = {
        section: number
        for number, section in enumerate(dict.fromkeys(s.section for s in sentences))
    }
    return {
        "sentence_doc": np.array([doc_number[s.doc_id] for s in sentences], dtype=np.int32),
        "sentence_span": np.array([(s.start, s.end) for s in sentences], dtype=np.int64).reshape(
            -1, 2
        ),
        "sentence_kind": np.array([_KINDS.index(s.kind) for s in sentences], dtype=np.int8),
        # The cleaned texts, joined, with their character ends: rebuilding them from the
        # files would cost as much as cleaning the corpus again.
        "sentence_text": np.frombuffer("".join(s.text for s in sentences).encode(), np.uint8),
        "sentence_text_end": np.cumsum([len(s.text) for s in sentences], dtype=np.int64),
        "chunk_doc": np.array([doc_number[c.doc_id] for c in chunks], dtype=np.int32),
        "chunk_fields": np.array(
            [(c.first, c.last, c.start, c.end, c.n_tokens) for c in chunks], dtype=np.int64
        ).reshape(-1, 5),
        "sentence_section": np.array([sections[s.section] for s in sentences], dtype=np.int32),
        "section_text": np.frombuffer("\0".join(sections).encode(), np.uint8),
    }


def _from_arrays(root: Path, arrays: dict[str, np.ndarray], meta: dict) -> tuple[Corpus, BM25Index]:
    corpus = Corpus(root)
    n_documents = len(meta["documents"])
    sentence_bounds = _bounds(arrays["sentence_doc"], n_documents)
    chunk_bounds = _bounds(arrays["chunk_doc"], n_documents)
    spans = arrays["sentence_span"].tolist()
    kinds = arrays["sentence_kind"].tolist()
    texts = arrays["sentence_text"].tobytes().decode()
    text_ends = [0, *arrays["sentence_text_end"].tolist()]
    fields = arrays["chunk_fields"].tolist()
    section_names = arrays["section_text"].tobytes().decode().split("\0")
    sections = arrays["sentence_section"].tolist()
    for number, entry in enumerate(meta["documents"]):
        document = _document(root, entry)
        rows = range(sentence_bounds[number], sentence_bounds[number + 1])
        sentences = [
            Sentence(
                document.doc_id,
                spans[row][0],
                spans[row][1],
                texts[text_ends[row] : text_ends[row + 1]],
                _KINDS[kinds[row]],
                section_names[sections[row]],
            )
            for row in rows
        ]
        chunks = [
            Chunk(document.doc_id, *fields[row])
            for row in range(chunk_bounds[number], chunk_bounds[number + 1])
        ]
        corpus.add(document, sentences, chunks)
    index_arrays = {
        name.removeprefix("bm25_"): array
        for name, array in arrays.items()
        if name.startswith("bm25_")
    }
    return corpus, BM25Index.from_arrays(index_arrays)


def _bounds(doc_numbers: np.ndarray, n_documents: int) -> list[int]:
    """Row boundaries per document; rows are stored in document order."""
    counts = np.bincount(doc_numbers, minlength=n_documents)
    return [0, *np.cumsum(counts).tolist()]


def _document(root: Path, entry: dict) -> Document:
    path = root / entry["source"]
    published = entry["published"]
    return Document(
        doc_id=entry["doc_id"],
        path=path,
        source=entry["source"],
        text=document_text(path, entry["encoding"]),
        title=entry["title"],
        url=entry["url"],
        published=dt.date.fromisoformat(published) if published else None,
        author=entry["author"],
        encoding=entry["encoding"],
    )
