"""The index cache: a corpus kept as mapped segments, updated file by file.

Layout, one folder per corpus under the cache directory::

    corpus-<key>/manifest.json   which segments make up the corpus; every file's stat and hash
    corpus-<key>/<id>.seg        records of a batch of documents (``retrieval.search.segment``)
    corpus-<key>/<id>.post       that batch's postings, until merged into a base
    corpus-<key>/<id>.post       one merged base of postings for the oldest segments

Loading compares the folder with the manifest by stat (a file whose size or times changed,
or that changed too close to the last scan to tell, is hashed to see whether its bytes did),
ingests only new and changed files into one new segment (several, built in parallel, when
there is a lot to ingest), and drops the rows of removed and replaced files. An update only
appends segments; the postings of new segments stay separate until a merge is due (more
than eight of them, a quarter of the corpus in them, or a quarter of all chunks in segments
nothing uses any more), then all live postings are merged into a new base with plain array
operations and unused segments go. A one-shot command merges at once; a running service
merges a large corpus afterwards, in a process of its own, so the update it waits for costs
only the changed files, and swaps in the merged index when it is written (``compact_cache``).
BM25 statistics are always those of the live chunks, so scores equal a fresh build's.

Integrity: the manifest and every segment header are checksummed and every field is checked
when it is read (see ``segment``); quote texts are checked against their files when they are
shown (the service does that). Array contents are not re-hashed on start: ``verify_cache``
does that on request. Anything that fails is one warning and a rebuild.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import pickle
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from retrieval.errors import CorpusError
from retrieval.ingest.chunks import ChunkOptions
from retrieval.ingest.corpus import Corpus, ingest_document
from retrieval.ingest.documents import document_id, document_paths, relative_source
from retrieval.ingest.metadata import METADATA_FILE, read_metadata_file, warn_unknown_ids
from retrieval.ingest.pipeline import read_documents
from retrieval.ingest.tokenizer import encoding
from retrieval.models import Chunk, Metadata
from retrieval.search import questions_first
from retrieval.search.bm25 import BM25Index, IndexPart, Statistics
from retrieval.search.cache_check import IndexOptions, corpus_directory, settings_digest
from retrieval.search.manifest import (
    MANIFEST_NAME,
    FileRecord,
    Manifest,
    SegmentEntry,
    read_manifest,
    stat_tuple,
    write_manifest,
)
from retrieval.search.postings import Postings
from retrieval.search.segment import (
    POSTINGS_SUFFIX,
    SEGMENT_SUFFIX,
    FileState,
    Segment,
    SegmentBuilt,
    SegmentJob,
    build_segment,
    file_state,
    ingested_terms,
    read_postings,
)
from retrieval.search.segment import (
    chunk_terms as _chunk_terms,
)
from retrieval.search.store import (
    StoreError,
    StoreInvalid,
    StoreMissing,
    sweep_temp_files,
    verify_store,
    write_store,
)

log = logging.getLogger("quotebot")
T = TypeVar("T")

SEGMENT_BYTES = 8 << 20
PARALLEL_BYTES = 4 << 20
# A file changed this close to the last scan may have changed again within the same tick.
RACY_NS = 2_000_000_000
MAX_UNMERGED = 8
UNMERGED_SHARE = 0.25
UNUSED_SHARE = 0.25
# A running service merges a corpus this small at once: it costs less than the update.
INLINE_MERGE_CHUNKS = 10_000
PENDING_SUFFIX = ".pending"


@dataclass(frozen=True, slots=True)
class Changes:
    """What a load changed in the cache, and how long it took."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(slots=True)
class LoadedCorpus:
    """A corpus ready to search, where it came from, and what loading it changed."""

    corpus: Corpus
    index: BM25Index
    from_cache: bool
    cache_path: Path
    cache_bytes: int
    changes: Changes = field(default_factory=Changes)
    updated: str = ""
    written: bool = True
    not_written: str = ""
    segments: dict[str, Segment] = field(default_factory=dict, repr=False)
    postings: dict[str, Postings] = field(default_factory=dict, repr=False)
    manifest: Manifest | None = field(default=None, repr=False)
    merge_due: bool = False

    def same_index(self, other: LoadedCorpus) -> bool:
        """Whether both were assembled from the same segments, postings and file rows."""
        mine, theirs = self.manifest, other.manifest
        if mine is None or theirs is None or mine is theirs:
            return mine is theirs
        layout = (mine.segment_names(), mine.base, mine.files)
        return layout == (theirs.segment_names(), theirs.base, theirs.files)

    def moved_since(self, older: LoadedCorpus) -> dict[str, int]:
        """The documents read from the same file content and metadata as in ``older``,
        each with how many places its sentences moved (an update shifts those after a
        changed document): what was learned about them still holds."""
        mine, theirs = self.manifest, older.manifest
        if mine is None or theirs is None or mine.settings != theirs.settings:
            return {}
        moved = {}
        for source, record in mine.files.items():
            before = theirs.files.get(source)
            if before is None or _content(before) != _content(record):
                continue
            now = self.corpus.sentence_range(record.doc_id)
            then = older.corpus.sentence_range(record.doc_id)
            if len(now) == len(then):
                moved[record.doc_id] = now.start - then.start
        return moved


def _content(record: FileRecord) -> tuple[str, str, str]:
    return record.doc_id, record.state.sha256, record.metadata


@dataclass(frozen=True, slots=True)
class _Scan:
    """The corpus folder as it is now."""

    root: Path
    sources: list[str]
    paths: list[Path]
    metadata: dict[str, Metadata]
    metadata_sha256: str
    started_ns: int


@dataclass(slots=True)
class _Plan:
    """How the manifest's files compare with the folder."""

    keep: dict[str, FileRecord] = field(default_factory=dict)
    ingest: list[str] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    skipped: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    restated: bool = False


def load_corpus(
    root: Path,
    options: IndexOptions,
    cache_dir: Path,
    rebuild: bool = False,
    previous: LoadedCorpus | None = None,
) -> LoadedCorpus:
    """The corpus and index, updated from the folder; the cache is brought up to date.

    ``previous`` is what a running service serves now: its mapped segments are reused, and
    the folder is walked, new and changed files ingested and the new index's statistics
    counted in the worker process kept for updates, so the service's own interpreter is
    left to its questions (and the worker gives way to them: ``questions_first``).
    """
    started = time.perf_counter()
    directory = corpus_directory(root, cache_dir)
    settings = settings_digest(options)
    sweep_temp_files(directory)
    survey = _Survey(root, options.follow_outside_links, directory, settings, rebuild)
    manifest, scan, plan = survey() if previous is None else _surveyed_elsewhere(survey)
    planned: tuple[Manifest | None, _Plan] | None = (manifest, plan)
    if manifest is not None and not plan.ingest and not plan.changes.removed and not plan.restated:
        if previous is not None and previous.manifest == manifest:
            return replace(previous, changes=_timed(plan.changes, started))
        try:
            loaded = _assemble(root, directory, manifest, scan, options, settings, previous)
            loaded.changes = _timed(plan.changes, started)
            return loaded
        except StoreError as error:
            if (
                not isinstance(error, StoreMissing)
                or _usable_manifest(directory, settings, True) == manifest
            ):
                log.warning("index cache %s is damaged (%s); rebuilding", directory, error)
                rebuild, planned = True, None
    try:
        loaded = _update(directory, settings, scan, options, rebuild, previous, planned)
    except StoreError as error:
        log.warning("index cache not saved (%s); it will be rebuilt next time", error)
        return _in_memory(root, scan, options, directory, error, started)
    loaded.from_cache = False
    loaded.changes = _timed(loaded.changes, started)
    return loaded


def verify_cache(root: Path, options: IndexOptions, cache_dir: Path) -> None:
    """Re-hashes every array of the cache; raises StoreInvalid at the first difference."""
    directory = corpus_directory(root, cache_dir)
    manifest = read_manifest(directory / MANIFEST_NAME)
    for path in manifest.paths(directory):
        verify_store(path)


def chunk_terms(corpus: Corpus, chunk: Chunk) -> list[str]:
    """The analyzed terms of one chunk of a loaded corpus (what other backends index)."""
    return _chunk_terms(chunk, lambda: corpus.text(chunk.doc_id), corpus.sentences)


def build_index(corpus: Corpus, options: IndexOptions) -> BM25Index:
    """A BM25 index of a corpus in memory, one part, without the cache."""
    return BM25Index.from_token_lists(
        (chunk_terms(corpus, chunk) for chunk in corpus.chunks),
        options.k1,
        options.b,
        options.epsilon,
    )


@dataclass(frozen=True, slots=True)
class _Survey:
    """Walking the folder and comparing it with the manifest: what a load starts with."""

    root: Path
    follow_outside_links: bool
    directory: Path
    settings: str
    rebuild: bool

    def __call__(self) -> tuple[Manifest | None, _Scan, _Plan]:
        scan = _scan(self.root, self.follow_outside_links)
        manifest = None if self.rebuild else _usable_manifest(self.directory, self.settings)
        return manifest, scan, _plan(manifest, scan)


def _surveyed_elsewhere(survey: _Survey) -> tuple[Manifest | None, _Scan, _Plan]:
    """``survey()`` in the update worker, for a running service.

    A survey is a thousand system calls (a stat of every file, a hash of a changed one),
    and each one hands this interpreter back and forth with the questions it is answering.
    """
    return _in_update_worker(survey, "scanning")


def _in_update_worker(work: Callable[[], T], doing: str) -> T:
    """``work()`` in the update worker (here, with a warning, when the worker fails)."""
    try:
        done, warnings = background_workers().submit(_collected, work).result()
    except (BrokenProcessPool, pickle.PicklingError) as error:
        _drop_background_workers()
        log.warning("the update worker failed (%s); %s in this process instead", error, doing)
        return work()
    _log_all(warnings)
    return done


def _timed(changes: Changes, started: float) -> Changes:
    return Changes(
        changes.added,
        changes.changed,
        changes.removed,
        changes.skipped,
        time.perf_counter() - started,
    )


def _scan(root: Path, follow_outside_links: bool) -> _Scan:
    started = time.time_ns()
    paths = document_paths(root, follow_outside_links)
    if not paths:
        raise CorpusError(f"corpus folder {root} holds no documents quotebot can read")
    metadata_path = root / METADATA_FILE
    try:
        metadata_sha = hashlib.sha256(metadata_path.read_bytes()).hexdigest()
    except OSError:
        metadata_sha = ""
    sources = [relative_source(path, root) for path in paths]
    return _Scan(root, sources, paths, read_metadata_file(root), metadata_sha, started)


def _usable_manifest(directory: Path, settings: str, quiet: bool = False) -> Manifest | None:
    """The manifest when it can be used with these settings; else None (and one warning)."""
    try:
        manifest = read_manifest(directory / MANIFEST_NAME)
    except StoreMissing:
        return None
    except StoreInvalid as error:
        if not quiet:
            log.warning("index cache %s is damaged (%s); rebuilding", directory, error)
        return None
    if manifest.settings != settings:
        if not quiet:
            log.warning(
                "index cache %s is out of date (settings or quotebot changed); rebuilding",
                directory,
            )
        return None
    return manifest


def _metadata_digest(entry: Metadata | None) -> str:
    text = json.dumps(entry or {}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _plan(manifest: Manifest | None, scan: _Scan) -> _Plan:
    """Which files can stay, which must be (re)ingested, which were removed."""
    plan = _Plan()
    files = manifest.files if manifest is not None else {}
    skipped = manifest.skipped if manifest is not None else {}
    racy_from = (manifest.scanned_ns if manifest is not None else 0) - RACY_NS
    no_metadata = _metadata_digest(None)  # most files have none: one digest for them all
    seen = set()
    for source, path in zip(scan.sources, scan.paths, strict=True):
        try:
            stat = path.stat()
        except OSError as error:
            log.warning("skipping %s: %s", path, error.strerror or error)
            continue
        seen.add(source)
        record = files.get(source)
        if record is None:
            if skipped.get(source, ())[:3] == stat_tuple(stat):
                plan.skipped[source] = skipped[source]
            else:
                plan.ingest.append(source)
                plan.changes.added.append(source)
            continue
        entry = scan.metadata.get(record.doc_id)
        if record.metadata == (_metadata_digest(entry) if entry else no_metadata):
            if record.state.same_stat(stat) and record.state.mtime_ns < racy_from:
                plan.keep[source] = record
                continue
            state = _state_or_none(path, source)
            if state is None:
                # Unreadable now (permission denied): out of the index until it changes.
                plan.skipped[source] = (*stat_tuple(stat), "unreadable")
                plan.changes.removed.append(source)
                continue
            if state.sha256 == record.state.sha256:
                plan.keep[source] = FileRecord(
                    state, record.doc_id, record.segment, record.row, record.metadata
                )
                plan.restated = plan.restated or state != record.state
                continue
        plan.ingest.append(source)
        plan.changes.changed.append(source)
    plan.changes.removed.extend(source for source in files if source not in seen)
    return plan


def _state_or_none(path: Path, source: str) -> FileState | None:
    try:
        return file_state(path, source)
    except OSError as error:
        log.warning("skipping %s: %s", path, error.strerror or error)
        return None


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One writer per corpus cache at a time; others wait, then see its work."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle = open(directory / "lock", "a+b")  # noqa: SIM115 - held for the whole update
    except OSError as error:
        raise StoreError(f"cannot use {directory}: {error.strerror or error}") from None
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield


def _update(
    directory: Path,
    settings: str,
    scan: _Scan,
    options: IndexOptions,
    rebuild: bool,
    previous: LoadedCorpus | None,
    planned: tuple[Manifest | None, _Plan] | None,
) -> LoadedCorpus:
    """Under the lock: re-plan against the newest manifest, ingest, merge, write, assemble.

    ``planned`` is the plan made before taking the lock; it stands when the manifest is still
    the one it was made against.
    """
    with _locked(directory):
        manifest = None if rebuild else _usable_manifest(directory, settings, quiet=True)
        plan = planned[1] if planned and planned[0] == manifest else _plan(manifest, scan)
        if plan.ingest:
            warn_unknown_ids(scan.metadata, map(document_id, scan.sources))
        base = manifest or Manifest(settings=settings, root=str(scan.root))
        background = previous is not None
        built = _build(directory, scan, plan.ingest, options.chunks, settings, background)
        updated = _updated_manifest(base, plan, built, scan)
        due = merge_due(updated)
        if due and (not background or _live_chunks(updated) <= INLINE_MERGE_CHUNKS):
            updated = _merged(directory, updated, settings, POSTINGS_SUFFIX)
            due = False
        write_manifest(directory / MANIFEST_NAME, updated)
        _remove_unlisted(directory, updated)
        for item in built:
            plan.changes.skipped.extend(item.skipped)
        loaded = _assemble(scan.root, directory, updated, scan, options, settings, previous)
        loaded.changes = plan.changes
        loaded.merge_due = due
        return loaded


def merge_due(manifest: Manifest) -> bool:
    """Whether the postings should be merged: too many or too big unmerged parts, or too
    much of the corpus in segments nothing uses any more."""
    used = {record.segment for record in manifest.files.values()}
    unmerged = manifest.segments[manifest.base_segments :]
    base_chunks = sum(e.n_chunks for e in manifest.segments[: manifest.base_segments])
    all_chunks = sum(e.n_chunks for e in manifest.segments)
    unused = sum(e.n_chunks for e in manifest.segments if e.name not in used)
    share = UNMERGED_SHARE * base_chunks
    return (
        (len(manifest.segments) > 1 and manifest.base is None)
        or len(unmerged) > MAX_UNMERGED
        or (manifest.base is not None and sum(e.n_chunks for e in unmerged) > share)
        or unused > UNUSED_SHARE * all_chunks
        or (bool(manifest.segments) and not used)
    )


def compact_cache(root: Path, options: IndexOptions, cache_dir: Path) -> bool:
    """Merges the cache's postings when due, holding the update lock only to commit.

    The merge is laid out from the manifest of the moment; updates made meanwhile only
    append segments, so it is committed under them unless another merge or a rebuild came
    first (then it is dropped). One merge runs at a time; True when this one was committed.
    """
    directory = corpus_directory(root, cache_dir)
    settings = settings_digest(options)
    with _merging(directory) as ours:
        planned = _usable_manifest(directory, settings, quiet=True) if ours else None
        if planned is None or not merge_due(planned):
            return False
        merged = _merged(directory, planned, settings, PENDING_SUFFIX)
        pending = directory / f"{merged.base or 'nothing'}{PENDING_SUFFIX}"
        try:
            with _locked(directory):
                current = _usable_manifest(directory, settings, quiet=True)
                if current is None or not _extends(current, planned):
                    return False
                if merged.base is not None:
                    os.replace(pending, directory / f"{merged.base}{POSTINGS_SUFFIX}")
                later = current.segments[len(planned.segments) :]
                committed = replace(current, segments=merged.segments + later)
                committed = replace(committed, base=merged.base, base_segments=merged.base_segments)
                write_manifest(directory / MANIFEST_NAME, committed)
                _remove_unlisted(directory, committed)
                return True
        except OSError as error:
            raise StoreError(f"cannot merge in {directory}: {error.strerror or error}") from None
        finally:
            with contextlib.suppress(OSError):
                pending.unlink()


def compact_elsewhere(root: Path, options: IndexOptions, cache_dir: Path) -> bool:
    """``compact_cache`` in a process of its own, so a service's questions keep this one.

    The process is stopped if this one exits first (the merge is then simply done again).
    """
    context = multiprocessing.get_context("forkserver")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(
        target=_compact_reporting, args=(send, root, options, cache_dir), daemon=True
    )
    with _merges_lock:
        if _merges_stopped:
            return False
        process.start()
        _merges.add(process)
    send.close()
    try:
        outcome = receive.recv() if receive.poll(None) else "its process ended early"
    except EOFError:
        outcome = "its process ended early"
    finally:
        receive.close()
        process.join()
        with _merges_lock:
            _merges.discard(process)
    if isinstance(outcome, str) and not _merges_stopped:
        log.warning("the index cache's postings were not merged (%s); trying again later", outcome)
    return outcome is True


_merges: set[multiprocessing.process.BaseProcess] = set()
_merges_lock = threading.Lock()
_merges_stopped = False


@atexit.register
def _stop_merges() -> None:
    global _merges_stopped
    with _merges_lock:
        _merges_stopped = True
        for process in _merges:
            process.terminate()


def _compact_reporting(
    send: multiprocessing.connection.Connection, root: Path, options: IndexOptions, cache: Path
) -> None:
    """In the merge's process: merge, and send back True, False or why it failed."""
    os.nice(10)  # updates and questions go first; the merge is only tidying up
    try:
        outcome: bool | str = compact_cache(root, options, cache)
    except StoreError as error:
        outcome = str(error)
    send.send(outcome)
    send.close()


def _extends(current: Manifest, planned: Manifest) -> bool:
    """Whether ``current`` is ``planned`` with segments appended (no merge or rebuild since)."""
    names = current.segment_names()
    return names[: len(planned.segments)] == planned.segment_names() and (
        current.base,
        current.base_segments,
    ) == (planned.base, planned.base_segments)


def _live_chunks(manifest: Manifest) -> int:
    used = {record.segment for record in manifest.files.values()}
    return sum(e.n_chunks for e in manifest.segments if e.name in used)


@contextlib.contextmanager
def _merging(directory: Path) -> Iterator[bool]:
    """The merge lock if no other merge holds it (True), without waiting; else False."""
    try:
        handle = open(directory / "merge.lock", "a+b")  # noqa: SIM115 - held for the merge
    except OSError:
        yield False
        return
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True


def _build(
    directory: Path,
    scan: _Scan,
    sources: list[str],
    chunks: ChunkOptions,
    settings: str,
    background: bool,
) -> list[SegmentBuilt]:
    """Ingests ``sources`` into new segments, in parallel processes when there is a lot.

    ``background`` (a running service's update) always ingests in the kept worker
    process, so the questions this process answers meanwhile keep its interpreter.
    """
    root = scan.root
    sizes = {source: _size(root / source) for source in sources}
    batches = _batches(sources, sizes)
    jobs = [
        SegmentJob(root, batch, scan.metadata, chunks, directory, uuid.uuid4().hex[:16], settings)
        for batch in batches
    ]
    if not jobs or (len(jobs) < 2 and not background):
        return [build_segment(job) for job in jobs]
    try:
        if background:
            return _built_on(background_workers(), jobs)
        with _worker_pool(min(usable_cores(), len(jobs))) as pool:
            return _built_on(pool, jobs)
    except (BrokenProcessPool, pickle.PicklingError) as error:
        if background:
            _drop_background_workers()
        log.warning("a worker process failed (%s); indexing in this process instead", error)
        return [build_segment(job) for job in jobs]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _batches(sources: list[str], sizes: dict[str, int]) -> list[list[str]]:
    """Consecutive runs of files of equal size, a multiple of the cores in number.

    Equal runs, as many per core, keep every worker busy until the end (three runs on two
    cores would leave one idle for a third of the time); SEGMENT_BYTES bounds a run, and
    with it the memory a worker holds before it writes its segment.
    """
    total = sum(sizes.values())
    if total < PARALLEL_BYTES:
        return [sources] if sources else []
    cores = usable_cores()
    count = cores * max(1, math.ceil(total / (cores * SEGMENT_BYTES)))
    batches: list[list[str]] = [[] for _ in range(count)]
    before = 0
    for source in sources:
        middle = before + sizes[source] / 2
        batches[min(count - 1, int(middle * count / max(total, 1)))].append(source)
        before += sizes[source]
    return [batch for batch in batches if batch]


def usable_cores() -> int:
    """The cores this process may run on (a container's CPU set, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


def _worker_pool(
    workers: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["retrieval.search.segment"])
    return ProcessPoolExecutor(workers, context, initializer, initargs)


def _built_on(pool: ProcessPoolExecutor, jobs: list[SegmentJob]) -> list[SegmentBuilt]:
    built = []
    for item, warnings in pool.map(_build_collected, jobs):
        _log_all(warnings)
        built.append(item)
    return built


def _log_all(warnings: list[str]) -> None:
    for warning in warnings:
        log.warning("%s", warning)


_background: list[ProcessPoolExecutor] = []
_background_lock = threading.Lock()


def background_workers() -> ProcessPoolExecutor:
    """The worker process kept for a running service's updates, started once.

    One: an update is usually a few files, and each kept process costs about 100 MB. The
    first call starts it and has it load the tokenizer, so a service that calls this when
    it starts pays no process start on its first update. It gives way to the questions
    this process answers (``questions_first``).
    """
    with _background_lock:
        if not _background:
            pool = _worker_pool(1, questions_first.share, (questions_first.answering_count(),))
            pool.submit(encoding, ChunkOptions().encoding)
            _background.append(pool)
        return _background[0]


def _drop_background_workers() -> None:
    with _background_lock:
        for pool in _background:
            pool.shutdown(wait=False, cancel_futures=True)
        _background.clear()


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self._into = into

    def emit(self, record: logging.LogRecord) -> None:
        self._into.append(record.getMessage())


def _build_collected(job: SegmentJob) -> tuple[SegmentBuilt, list[str]]:
    return _collected(partial(build_segment, job))


def _collected(work: Callable[[], T]) -> tuple[T, list[str]]:
    """In a worker: ``work()``, and the warnings it logged for the parent to report."""
    warnings: list[str] = []
    logger = logging.getLogger("quotebot")
    logger.propagate = False
    collect = _Collect(warnings)
    logger.addHandler(collect)
    try:
        return work(), warnings
    finally:
        logger.removeHandler(collect)


def _updated_manifest(
    manifest: Manifest, plan: _Plan, built: list[SegmentBuilt], scan: _Scan
) -> Manifest:
    files = dict(plan.keep)
    skipped = dict(plan.skipped)
    segments = list(manifest.segments)
    for item in built:
        if item.files:
            segments.append(SegmentEntry(item.name, len(item.files), item.n_chunks))
        skipped.update(item.skipped)
        for row, (state, doc_id) in enumerate(zip(item.files, item.doc_ids, strict=True)):
            digest = _metadata_digest(scan.metadata.get(doc_id))
            files[state.source] = FileRecord(state, doc_id, item.name, row, digest)
    return Manifest(
        settings=manifest.settings,
        root=manifest.root,
        segments=segments,
        base=manifest.base,
        base_segments=manifest.base_segments,
        files=files,
        skipped={source: value for source, value in skipped.items() if source not in files},
        metadata_sha256=scan.metadata_sha256,
        scanned_ns=scan.started_ns,
        updated=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


def _merged(directory: Path, manifest: Manifest, settings: str, suffix: str) -> Manifest:
    """The manifest with all live postings merged into a new base (written with ``suffix``)
    and the segments nothing uses left out."""
    used = {record.segment for record in manifest.files.values()}
    kept = [entry for entry in manifest.segments if entry.name in used]
    if not kept:
        return replace(manifest, segments=[], base=None, base_segments=0)
    name = uuid.uuid4().hex[:16]
    merged = _merged_postings(directory, manifest, kept, settings)
    meta = {"kind": "postings", "settings": settings}
    write_store(directory / f"{name}{suffix}", merged.to_arrays(), meta)
    return replace(manifest, segments=kept, base=name, base_segments=len(kept))


def _merged_postings(
    directory: Path, manifest: Manifest, kept: list[SegmentEntry], settings: str
) -> Postings:
    """All live postings laid out over the kept segments' slots, from the current parts."""
    slot_of = {}
    offset = 0
    for entry in kept:
        slot_of[entry.name] = offset
        offset += entry.n_chunks
    live_rows: dict[str, set[int]] = {}
    for record in manifest.files.values():
        live_rows.setdefault(record.segment, set()).add(record.row)
    segments = {e.name: Segment(directory / f"{e.name}{SEGMENT_SUFFIX}", settings) for e in kept}
    mappings = {
        entry.name: _slot_map(segments[entry.name], live_rows, slot_of, entry) for entry in kept
    }
    empty = np.zeros(0, dtype=np.int64)
    parts = []
    names = manifest.segment_names()
    if manifest.base is not None:
        covered = manifest.segments[: manifest.base_segments]
        mapping = np.concatenate(
            [mappings.get(e.name, np.full(e.n_chunks, -1, np.int64)) for e in covered] or [empty]
        )
        parts.append((read_postings(directory / manifest.base, settings), mapping))
    for name in names[manifest.base_segments :]:
        if name in mappings:
            parts.append((read_postings(directory / name, settings), mappings[name]))
    return Postings.merge(parts, offset)


def _slot_map(
    segment: Segment,
    live_rows: dict[str, set[int]],
    slot_of: dict[str, int],
    entry: SegmentEntry,
) -> np.ndarray:
    """For each chunk of a segment: its slot in the merged layout, or -1 when dead."""
    mapping = np.full(entry.n_chunks, -1, dtype=np.int64)
    for row in live_rows.get(entry.name, ()):
        chunks = segment.chunk_slots(row)
        mapping[chunks.start : chunks.stop] = slot_of[entry.name] + np.arange(
            chunks.start, chunks.stop
        )
    return mapping


def _remove_unlisted(directory: Path, manifest: Manifest) -> None:
    """Deletes segment and postings files the manifest no longer names (old or orphaned),
    and merges left pending by a merge that is not running any more."""
    listed = {path.name for path in manifest.paths(directory)}
    with _merging(directory) as no_merge_running:
        for path in directory.iterdir():
            unlisted = path.suffix in (SEGMENT_SUFFIX, POSTINGS_SUFFIX) and path.name not in listed
            if unlisted or (no_merge_running and path.suffix == PENDING_SUFFIX):
                with contextlib.suppress(OSError):
                    path.unlink()


def _assemble(
    root: Path,
    directory: Path,
    manifest: Manifest,
    scan: _Scan,
    options: IndexOptions,
    settings: str,
    previous: LoadedCorpus | None,
) -> LoadedCorpus:
    """The corpus and index the manifest describes, in the folder's document order.

    The segments and postings ``previous`` mapped are used again (they never change), and
    a running service has its update worker count the new index's statistics.
    """
    reused = previous.segments if previous is not None else {}
    segments = _segments(directory, manifest, settings, reused)
    slot_of = _first_slots(manifest)
    rows = _rows(manifest, scan.sources, segments)
    records = [segments[record.segment].records(record.row, root) for record in rows]
    if len({r.document.doc_id for r in records}) != len(records):
        raise StoreInvalid("the cache lists one document ID twice")
    view = _view(rows, segments, slot_of)
    live = np.zeros(sum(entry.n_chunks for entry in manifest.segments), dtype=bool)
    live[view] = True
    postings = _postings(
        directory, manifest, settings, previous.postings if previous is not None else {}
    )
    statistics = None
    if previous is not None:
        layout = replace(manifest, files={}, skipped={})  # all the worker needs, quick to send
        statistics = _in_update_worker(
            _Counting(directory, layout, live, options, settings), "counting the index"
        )
    parts = _parts(manifest, postings, slot_of)
    return LoadedCorpus(
        corpus=Corpus(root, records),
        index=_bm25(parts, options, live, view, statistics),
        from_cache=True,
        cache_path=directory,
        cache_bytes=sum(_size(path) for path in manifest.paths(directory)),
        updated=manifest.updated,
        segments=segments,
        postings=postings,
        manifest=manifest,
    )


@dataclass(frozen=True, slots=True)
class _Counting:
    """The BM25 statistics of the index a manifest describes, counted in the update worker:
    counting holds the interpreter for most of a service's share of an update."""

    directory: Path
    layout: Manifest
    live: np.ndarray
    options: IndexOptions
    settings: str

    def __call__(self) -> Statistics:
        postings = _postings(self.directory, self.layout, self.settings, _counted_from)
        _counted_from.clear()
        _counted_from.update(postings)
        parts = _parts(self.layout, postings, _first_slots(self.layout))
        return _bm25(parts, self.options, self.live, None, None).statistics


# In the update worker: the postings the last count mapped, reused by the next. Parts never
# change, and postings keep their last count, so a count after an update only takes away
# the chunks that died since, as the service's own count did.
_counted_from: dict[str, Postings] = {}


def _segments(
    directory: Path, manifest: Manifest, settings: str, reused: dict[str, Segment]
) -> dict[str, Segment]:
    """The manifest's segments by name (those in ``reused`` used again)."""
    segments = {}
    for entry in manifest.segments:
        segment = reused.get(entry.name) or Segment(
            directory / f"{entry.name}{SEGMENT_SUFFIX}", settings
        )
        if (segment.n_documents, segment.n_chunks) != (entry.n_documents, entry.n_chunks):
            raise StoreInvalid(f"segment {entry.name} does not hold what the manifest says")
        segments[entry.name] = segment
    return segments


def _first_slots(manifest: Manifest) -> dict[str, int]:
    """The first chunk slot of each of the manifest's segments (laid end to end)."""
    slot_of = {}
    offset = 0
    for entry in manifest.segments:
        slot_of[entry.name] = offset
        offset += entry.n_chunks
    return slot_of


def _rows(manifest: Manifest, sources: list[str], segments: dict[str, Segment]) -> list[FileRecord]:
    """The manifest's file records in the folder's order, each checked against its row."""
    rows = []
    for source in sources:
        record = manifest.files.get(source)
        if record is None:
            continue
        document = segments[record.segment].documents[record.row]
        if document.source != source or document.doc_id != record.doc_id:
            raise StoreInvalid(f"the cache row for {source} holds another document")
        rows.append(record)
    return rows


def _view(
    rows: list[FileRecord], segments: dict[str, Segment], slot_of: dict[str, int]
) -> np.ndarray:
    """The slots of the rows' chunks, in the rows' order: the index's chunk numbering."""
    starts, stops = [], []
    for record in rows:
        chunks = segments[record.segment].chunk_slots(record.row)
        starts.append(chunks.start + slot_of[record.segment])
        stops.append(chunks.stop + slot_of[record.segment])
    return _ranges(starts, stops)


def _bm25(
    parts: list[IndexPart],
    options: IndexOptions,
    live: np.ndarray,
    view: np.ndarray | None,
    statistics: Statistics | None,
) -> BM25Index:
    try:
        return BM25Index(parts, options.k1, options.b, options.epsilon, live, view, statistics)
    except ValueError as error:
        raise StoreInvalid(str(error)) from None


def _ranges(starts: list[int], stops: list[int]) -> np.ndarray:
    """The numbers ``start .. stop - 1`` of each range in turn, as one array (built at once:
    a corpus has thousands of documents)."""
    first = np.array(starts, dtype=np.int64)
    lengths = np.array(stops, dtype=np.int64) - first
    shifts = first - np.cumsum(lengths) + lengths
    return np.repeat(shifts, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)


def _postings(
    directory: Path, manifest: Manifest, settings: str, reused: dict[str, Postings]
) -> dict[str, Postings]:
    """The base's and each unmerged segment's postings, by name (those in ``reused`` used
    again)."""
    names = manifest.segment_names()[manifest.base_segments :]
    if manifest.base is not None:
        names.insert(0, manifest.base)
    return {name: reused.get(name) or read_postings(directory / name, settings) for name in names}


def _parts(
    manifest: Manifest, postings: dict[str, Postings], slot_of: dict[str, int]
) -> list[IndexPart]:
    parts = []
    if manifest.base is not None:
        base = postings[manifest.base]
        covered = sum(entry.n_chunks for entry in manifest.segments[: manifest.base_segments])
        if base.n_chunks != covered:
            raise StoreInvalid("the merged postings do not cover their segments")
        parts.append(IndexPart(base, 0))
    for entry in manifest.segments[manifest.base_segments :]:
        if postings[entry.name].n_chunks != entry.n_chunks:
            raise StoreInvalid(f"postings of segment {entry.name} do not fit it")
        parts.append(IndexPart(postings[entry.name], slot_of[entry.name]))
    return parts


def _in_memory(
    root: Path,
    scan: _Scan,
    options: IndexOptions,
    directory: Path,
    error: StoreError,
    started: float,
) -> LoadedCorpus:
    """Everything ingested in this process and held in memory, when no cache can be written."""
    enc = encoding(options.chunks.encoding)
    ingested = [
        ingest_document(item, enc, options.chunks)
        for item in read_documents(root, options.follow_outside_links)
    ]
    index = BM25Index.from_token_lists(
        (terms for item in ingested for terms in ingested_terms(item)),
        options.k1,
        options.b,
        options.epsilon,
    )
    added = [item.document.source for item in ingested]
    return LoadedCorpus(
        corpus=Corpus(root, ingested),
        index=index,
        from_cache=False,
        cache_path=directory,
        cache_bytes=0,
        changes=_timed(Changes(added=added), started),
        written=False,
        not_written=str(error),
    )
