"""One document from file to sentences: read, decode, parse into blocks, segment.

``ingest_file`` is the whole per-file pipeline and depends on nothing but its arguments,
so the corpus builder may run it for many files at once. A file that cannot be read
(unreadable, binary, empty, malformed for its format) costs that file alone: one warning
line naming it and why, never an exception.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from retrieval.errors import CorpusError
from retrieval.ingest.blocks import Block, Reading
from retrieval.ingest.decoding import NotText, decode, decode_as
from retrieval.ingest.documents import (
    document_id,
    document_paths,
    is_inside,
    relative_source,
)
from retrieval.ingest.formats import PDF_SUFFIX, TEXT_FORMATS, UNSTRUCTURED, text_reader
from retrieval.ingest.metadata import (
    clean_title,
    infer_published,
    infer_title,
    page_edges,
    read_metadata_file,
    readable_name,
    warn_unknown_ids,
)
from retrieval.ingest.sentences import sentences_of
from retrieval.models import PDF_TEXT, Document, Metadata, Sentence

log = logging.getLogger("quotebot")


@dataclass(frozen=True, slots=True)
class Ingested:
    """A document and its sentences, in order."""

    document: Document
    sentences: list[Sentence]


class Unreadable(Exception):
    """This one file cannot be read; the message says why."""


def ingest_file(path: Path, root: Path, given: Metadata | None = None) -> Ingested | None:
    """The document at ``path`` and its sentences, or None (with one warning)."""
    source = relative_source(path, root)
    try:
        text, encoding, reading = _read(path, root)
    except Unreadable as error:
        log.warning("skipping %s: %s", path, error)
        return None
    doc_id = document_id(source)
    document = _document(doc_id, path, source, text, encoding, reading, given or Metadata())
    return Ingested(document, _within(path, len(text), sentences_of(doc_id, reading.blocks)))


def _within(path: Path, size: int, sentences: list[Sentence]) -> list[Sentence]:
    """The sentences that lie inside the text, each after the one before it; a reader's stray
    span (a repeated phrase found at its earlier occurrence) costs that sentence only.

    The cache refuses a segment with a span outside its document, and a chunk's span runs
    from its first sentence to its last, so one bad span would otherwise cost every question
    that reaches the document.
    """
    kept: list[Sentence] = []
    for sentence in sentences:
        floor = kept[-1].end if kept else 0
        if floor <= sentence.start < sentence.end <= size:
            kept.append(sentence)
    if len(kept) < len(sentences):
        left_out = len(sentences) - len(kept)
        log.warning("%s: %d sentences left out (offsets out of place)", path, left_out)
    return kept


def _read(path: Path, root: Path) -> tuple[str, str, Reading]:
    if not is_inside(path, root.resolve()) and not path.is_symlink():
        raise Unreadable("it is not inside the corpus folder")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from None
    if path.suffix.lower() == PDF_SUFFIX:
        return _read_pdf(data)
    name = TEXT_FORMATS[path.suffix.lower()]
    reader = text_reader(name)
    try:
        decoded = decode(data)
    except NotText as error:
        raise Unreadable(str(error)) from None
    del data
    if decoded.replaced_at is not None:
        log.warning(
            "%s is not valid %s (first bad byte at %d); bad bytes replaced",
            path,
            decoded.encoding.partition("/")[0],
            decoded.replaced_at,
        )
    if not decoded.text.strip():
        raise Unreadable("the file is empty")
    try:
        reading = reader(decoded.text)
    except Exception as error:  # a parser's fault on hostile input costs this file only
        raise Unreadable(f"cannot be read as {name} ({type(error).__name__}: {error})") from None
    return decoded.text, decoded.encoding, reading


def _read_pdf(data: bytes) -> tuple[str, str, Reading]:
    from retrieval.ingest.pdf_reader import PdfUnreadable, read_pdf  # see ``formats``

    try:
        text, reading = read_pdf(data)
    except PdfUnreadable as error:
        raise Unreadable(str(error)) from None
    except Exception as error:  # a parser's fault on hostile input costs this file only
        raise Unreadable(f"cannot be read as PDF ({type(error).__name__}: {error})") from None
    return text, PDF_TEXT, reading


def _document(
    doc_id: str,
    path: Path,
    source: str,
    text: str,
    encoding: str,
    reading: Reading,
    given: Metadata,
) -> Document:
    stated = reading.metadata
    unstructured = path.suffix.lower() in UNSTRUCTURED
    edges: list[Block] = page_edges(reading.blocks) if unstructured else []
    title = given.get("title") or stated.get("title") or infer_title(edges)
    published = given.get("published") or stated.get("published")
    if published is None and unstructured:
        published = infer_published(edges)
    return Document(
        doc_id=doc_id,
        path=path,
        source=source,
        text=text,
        title=clean_title(title) or readable_name(source),
        url=given.get("url") or stated.get("url"),
        published=published,
        author=given.get("author") or stated.get("author"),
        encoding=encoding,
    )


def read_documents(root: Path, follow_outside_links: bool = False) -> Iterator[Ingested]:
    """The documents of a corpus folder with their sentences, one at a time."""
    paths = document_paths(root, follow_outside_links)
    if not paths:
        raise CorpusError(f"corpus folder {root} holds no documents quotebot can read")
    metadata = read_metadata_file(root)
    warn_unknown_ids(metadata, (document_id(relative_source(p, root)) for p in paths))
    for path in paths:
        ingested = ingest_file(path, root, metadata.get(document_id(relative_source(path, root))))
        if ingested is not None:
            yield ingested


def document_text(path: Path, encoding: str) -> str:
    """The text of the file at ``path`` as ``ingest_file`` once read it (for the cache)."""
    if encoding == PDF_TEXT:
        from retrieval.ingest.pdf_reader import extract_text  # see ``formats``

        return extract_text(path.read_bytes())
    return decode_as(path.read_bytes(), encoding)
