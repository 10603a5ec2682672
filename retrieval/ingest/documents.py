"""Reading a corpus folder into documents without losing a byte of the original.

Every problem a person can fix (a missing folder, two files with one ID) is a
``CorpusError``; problems with one file (bad bytes, empty, unknown type) are
logged as one warning line and the rest of the corpus still loads.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterator
from pathlib import Path

from retrieval.errors import CorpusError
from retrieval.ingest.metadata import METADATA_FILE, Metadata, infer_metadata, read_metadata_file
from retrieval.models import Document

log = logging.getLogger("quotebot")

DOCUMENT_SUFFIXES = (".txt", ".md")


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def document_paths(root: Path) -> list[Path]:
    """Document files under ``root`` in a stable order; other files are reported."""
    if not root.is_dir():
        raise CorpusError(f"corpus folder {root} does not exist or is not a folder")
    paths = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or _is_hidden(path, root) or path.name == METADATA_FILE:
            continue
        if path.suffix.lower() in DOCUMENT_SUFFIXES:
            paths.append(path)
        else:
            log.warning("skipping %s: not a .txt or .md document", path)
    _check_unique_ids(paths)
    return paths


def _check_unique_ids(paths: list[Path]) -> None:
    seen: dict[str, Path] = {}
    for path in paths:
        if path.stem in seen:
            raise CorpusError(
                f"two documents share the ID {path.stem!r}: {seen[path.stem]} and {path}"
            )
        seen[path.stem] = path


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (a BOM is dropped); undecodable bytes become U+FFFD with a warning."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        log.warning(
            "%s is not valid UTF-8 (first bad byte at %d); bad bytes replaced", path, error.start
        )
        return data.decode("utf-8", errors="replace")


def read_document(path: Path, root: Path, metadata: Metadata | None) -> Document | None:
    """One document, or None (with a warning) when the file holds no text."""
    try:
        text = decode(path.read_bytes(), path)
    except OSError as error:
        log.warning("skipping %s: %s", path, error.strerror or error)
        return None
    if not text.strip():
        log.warning("skipping %s: the file is empty", path)
        return None
    if "\x00" in text:
        log.warning("skipping %s: a binary file, not text", path)
        return None
    doc_id = path.stem
    source = path.relative_to(root).as_posix()
    return infer_metadata(doc_id, path, source, text, metadata)


def load_documents(root: Path) -> Iterator[Document]:
    """The documents of a corpus folder, one at a time so large corpora stream."""
    paths = document_paths(root)
    if not paths:
        raise CorpusError(f"corpus folder {root} holds no .txt or .md documents")
    metadata = read_metadata_file(root)
    for path in paths:
        document = read_document(path, root, metadata.get(path.stem))
        if document is not None:
            yield document
