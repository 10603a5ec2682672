"""Settings to a running service: the one place adapters get a QAService from."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_cache_path

from bot.heartbeat import keep_beating
from bot.settings import Settings, SettingsError, load_settings
from bot.text_render import render_reload
from retrieval.answer.answerer import AnswerOptions
from retrieval.ingest.chunks import ChunkOptions
from retrieval.search.corpus_cache import (
    CacheHealth,
    IndexOptions,
    check_cache,
    corpus_directory,
    load_corpus,
    verify_cache,
)
from retrieval.search.store import StoreError
from retrieval.service import QAService
from retrieval.watch import FolderWatcher

if TYPE_CHECKING:
    from retrieval.search.xapian.build import ShardsBuilt

log = logging.getLogger("quotebot")

HEARTBEAT_FILE = "heartbeat.json"
XAPIAN_MISSING = (
    "the Xapian backend needs its Python bindings: pip install 'quotebot[xapian]'"
    " (see README, Scaling out)"
)


def index_options(settings: Settings) -> IndexOptions:
    return IndexOptions(
        chunks=ChunkOptions(max_tokens=settings.chunk_tokens, overlap=settings.chunk_overlap),
        k1=settings.bm25_k1,
        b=settings.bm25_b,
        epsilon=settings.bm25_epsilon,
    )


def cache_dir(settings: Settings) -> Path:
    """The cache folder: the setting, else the user's cache directory."""
    return settings.cache_dir or user_cache_path("quotebot")


def open_service(
    settings: Settings | None = None, corpus: Path | None = None, rebuild: bool = False
) -> QAService:
    """A service over ``corpus`` (default: the settings' corpus)."""
    settings = settings or load_settings()
    root = corpus or settings.corpus
    return QAService.open(
        root,
        index_options(settings),
        cache_dir(settings),
        AnswerOptions(threshold=settings.abstain_threshold),
        rebuild=rebuild,
    )


@contextlib.contextmanager
def following(
    service: QAService, settings: Settings, corpus: Path | None = None
) -> Iterator[FolderWatcher | None]:
    """While inside, the corpus folder is watched (when the setting is on), each change
    refreshes the service, and the process reports in to its heartbeat file."""
    watcher = watch(settings, corpus, partial(_refresh, service))
    stop = keep_beating(heartbeat_file(settings, corpus), lambda: service.status().documents)
    try:
        yield watcher
    finally:
        stop.set()
        if watcher is not None:
            watcher.stop()


def watch(
    settings: Settings, corpus: Path | None, on_change: Callable[[], None]
) -> FolderWatcher | None:
    """A started watcher of the corpus folder, or None when the watch setting is off."""
    if not settings.watch:
        return None
    root = corpus or settings.corpus
    return FolderWatcher(root, on_change, settings.watch_debounce_seconds).start()


def _refresh(service: QAService) -> None:
    report = service.refresh()
    if report.added or report.changed or report.removed:
        log.info("index updated: %s", render_reload(report))


def cache_health(settings: Settings, corpus: Path | None = None) -> CacheHealth:
    """The cache of ``corpus`` checked by its manifest and headers, without loading it."""
    return check_cache(corpus or settings.corpus, index_options(settings), cache_dir(settings))


def verify_index(settings: Settings, corpus: Path | None = None) -> bool:
    """Re-hashes every byte of the cache; False (after one warning) when any is damaged."""
    root = corpus or settings.corpus
    try:
        verify_cache(root, index_options(settings), cache_dir(settings))
    except StoreError as error:
        log.warning("index cache is damaged (%s); rebuilding", error)
        return False
    return True


def heartbeat_file(settings: Settings, corpus: Path | None = None) -> Path:
    """Where a running console or bot over ``corpus`` reports that it is alive."""
    return corpus_directory(corpus or settings.corpus, cache_dir(settings)) / HEARTBEAT_FILE


def build_xapian_shards(
    settings: Settings, corpus: Path | None, shards: int, out: Path
) -> ShardsBuilt:
    """Writes the corpus (default: the settings' corpus) as ``shards`` Xapian shards in ``out``."""
    try:
        from retrieval.search.xapian.build import build_shards
    except ImportError:
        raise SettingsError(XAPIAN_MISSING) from None
    options = index_options(settings)
    loaded = load_corpus(corpus or settings.corpus, options, cache_dir(settings))
    return build_shards(loaded.corpus, options, out, shards, workers=os.cpu_count() or 1)
