"""The cache manifest: which segments make up a corpus, and what each document file looked like.

One small JSON file per corpus, replaced atomically on every update, so a reader always sees
one consistent set of segments. It is checksummed and every field is type-checked on load;
anything that does not fit makes the manifest unreadable (the caller rebuilds), never a
half-trusted one. Reading it costs milliseconds, which is what lets ``quotebot health`` check
a cache without opening the index.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from retrieval.ingest.documents import plain_relative
from retrieval.search.store import StoreInvalid, StoreMissing, atomic_write

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
SEGMENT_SUFFIX = ".seg"
POSTINGS_SUFFIX = ".post"


@dataclass(frozen=True, slots=True)
class FileState:
    """What a document file looked like when it was read: enough to notice any change."""

    source: str
    size: int
    mtime_ns: int
    ctime_ns: int
    sha256: str

    def same_stat(self, stat: os.stat_result) -> bool:
        return (self.size, self.mtime_ns, self.ctime_ns) == (
            stat.st_size,
            stat.st_mtime_ns,
            stat.st_ctime_ns,
        )


@dataclass(frozen=True, slots=True)
class FileRecord:
    """Where a document file's records are: a segment and a row in it."""

    state: FileState
    doc_id: str
    segment: str
    row: int
    metadata: str


@dataclass(frozen=True, slots=True)
class SegmentEntry:
    name: str
    n_documents: int
    n_chunks: int


@dataclass(slots=True)
class Manifest:
    """Everything a reader needs to assemble the corpus from the cache folder."""

    settings: str
    root: str
    segments: list[SegmentEntry] = field(default_factory=list)
    # Postings of segments[:base_segments], merged into one file; the rest have their own.
    base: str | None = None
    base_segments: int = 0
    files: dict[str, FileRecord] = field(default_factory=dict)
    skipped: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    metadata_sha256: str = ""
    scanned_ns: int = 0
    updated: str = ""

    def segment_names(self) -> list[str]:
        return [entry.name for entry in self.segments]

    def paths(self, directory: Path) -> list[Path]:
        """Every file of the cache this manifest names, in ``directory``."""
        names = self.segment_names()
        files = [directory / f"{name}{SEGMENT_SUFFIX}" for name in names]
        files += [directory / f"{name}{POSTINGS_SUFFIX}" for name in names[self.base_segments :]]
        if self.base is not None:
            files.append(directory / f"{self.base}{POSTINGS_SUFFIX}")
        return files


def stat_tuple(stat: os.stat_result) -> tuple[int, int, int]:
    """What a file's stat says about its content: size, modification and change times."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def write_manifest(path: Path, manifest: Manifest) -> int:
    body = asdict(manifest)
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    envelope = {
        "version": MANIFEST_VERSION,
        "body": body,
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
    }
    data = json.dumps(envelope, sort_keys=True).encode()
    return atomic_write(path, lambda file: file.write(data))


def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``; StoreMissing when there is none, StoreInvalid when unusable."""
    try:
        envelope = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise StoreMissing(f"no index cache at {path.parent}") from None
    except (OSError, ValueError) as error:
        raise StoreInvalid(f"the manifest {path} is unreadable ({error})") from None
    try:
        body = envelope["body"]
        text = json.dumps(body, sort_keys=True, separators=(",", ":"))
        if envelope["version"] != MANIFEST_VERSION:
            raise StoreInvalid(f"the manifest {path} is from another quotebot version")
        if hashlib.sha256(text.encode()).hexdigest() != envelope["sha256"]:
            raise StoreInvalid(f"the manifest {path} fails its checksum")
        return _manifest(body)
    except (KeyError, TypeError, ValueError) as error:
        raise StoreInvalid(f"the manifest {path} is malformed ({error})") from None


def _manifest(body: dict[str, Any]) -> Manifest:
    segments = [
        SegmentEntry(_name(e["name"]), _count(e["n_documents"]), _count(e["n_chunks"]))
        for e in _typed(body["segments"], list)
    ]
    names = {entry.name: entry for entry in segments}
    if len(names) != len(segments):
        raise ValueError("a segment is listed twice")
    files = {
        _source(source): _file_record(source, record, names)
        for source, record in _typed(body["files"], dict).items()
    }
    skipped = {
        _source(source): (_count(a), _count(b), _count(c), _typed(reason, str))
        for source, (a, b, c, reason) in _typed(body["skipped"], dict).items()
    }
    base = body["base"]
    base_segments = _count(body["base_segments"])
    if base_segments > len(segments) or (base is None) != (base_segments == 0):
        raise ValueError("the merged postings cover segments that are not there")
    return Manifest(
        settings=_typed(body["settings"], str),
        root=_typed(body["root"], str),
        segments=segments,
        base=None if base is None else _name(base),
        base_segments=base_segments,
        files=files,
        skipped=skipped,
        metadata_sha256=_typed(body["metadata_sha256"], str),
        scanned_ns=_count(body["scanned_ns"]),
        updated=_typed(body["updated"], str),
    )


def _file_record(source: str, record: Any, segments: dict[str, SegmentEntry]) -> FileRecord:
    state = _typed(record["state"], dict)
    segment = _typed(record["segment"], str)
    row = _count(record["row"])
    if segment not in segments or row >= segments[segment].n_documents:
        raise ValueError(f"{source} points at a segment row that does not exist")
    if state["source"] != source:
        raise ValueError(f"{source} has another file's state")
    return FileRecord(
        state=FileState(
            source=source,
            size=_count(state["size"]),
            mtime_ns=_count(state["mtime_ns"]),
            ctime_ns=_count(state["ctime_ns"]),
            sha256=_typed(state["sha256"], str),
        ),
        doc_id=_typed(record["doc_id"], str),
        segment=segment,
        row=row,
        metadata=_typed(record["metadata"], str),
    )


def _typed(value: Any, kind: type) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise TypeError(f"expected {kind.__name__}, found {type(value).__name__}")
    return value


def _count(value: Any) -> int:
    number: int = _typed(value, int)
    if number < 0:
        raise ValueError(f"negative count {number}")
    return number


def _source(source: Any) -> str:
    if not isinstance(source, str) or not plain_relative(source):
        raise ValueError(f"{source!r} is not a path inside the corpus folder")
    return source


def _name(name: Any) -> str:
    if not isinstance(name, str) or not name.isalnum():
        raise ValueError(f"{name!r} is not a segment name")
    return name
