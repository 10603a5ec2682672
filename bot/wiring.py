"""Settings to a running service: the one place adapters get a QAService from."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bot.heap import steady_collector, steady_heap
from bot.heartbeat import keep_beating
from bot.locations import cache_dir, heartbeat_file, index_options
from bot.settings import Settings, SettingsError, load_settings
from bot.text_render import render_reload
from retrieval.answer.answerer import AnswerOptions
from retrieval.search.corpus_cache import background_workers, load_corpus, verify_cache
from retrieval.search.local import LocalBackend
from retrieval.search.store import StoreError
from retrieval.service import QAService
from retrieval.watch import FolderWatcher

if TYPE_CHECKING:
    from retrieval.search.xapian.build import ShardsBuilt

log = logging.getLogger("quotebot")

XAPIAN_MISSING = (
    "the Xapian backend needs its Python bindings: pip install 'quotebot[xapian]'"
    " (see README, Scaling out)"
)


def open_service(
    settings: Settings | None = None, corpus: Path | None = None, rebuild: bool = False
) -> QAService:
    """A service over ``corpus`` (default: the settings' corpus), or over Xapian shards.

    The process's heap and collector are set to stay flat first (``bot.heap``): a service
    may answer for weeks."""
    steady_heap()
    steady_collector()
    settings = settings or load_settings()
    answer_options = AnswerOptions(threshold=settings.abstain_threshold)
    if settings.search_backend == "xapian":
        if corpus is not None:
            raise SettingsError(
                "--corpus does not apply with search_backend = xapian: the shards hold the corpus"
            )
        return _open_shards(settings, answer_options)
    root = corpus or settings.corpus
    return QAService.open(
        root, index_options(settings), cache_dir(settings), answer_options, rebuild=rebuild
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
    if settings.search_backend == "local":
        background_workers()  # started now, so the first update pays no process start
    return FolderWatcher(root, on_change, settings.watch_debounce_seconds).start()


def _refresh(service: QAService) -> None:
    report = service.refresh()
    if report.added or report.changed or report.removed:
        log.info("index updated: %s", render_reload(report))


def verify_index(settings: Settings, corpus: Path | None = None) -> bool:
    """Re-hashes every byte of the cache; False (after one warning) when any is damaged."""
    root = corpus or settings.corpus
    try:
        verify_cache(root, index_options(settings), cache_dir(settings))
    except StoreError as error:
        log.warning("index cache is damaged (%s); rebuilding", error)
        return False
    return True


def _open_shards(settings: Settings, answer_options: AnswerOptions) -> QAService:
    """A service on the shards listed in xapian_remotes; no corpus folder is read."""
    if not settings.xapian_remotes:
        raise SettingsError("search_backend = xapian needs xapian_remotes (host:port per shard)")
    try:
        from retrieval.search.xapian.backend import XapianBackend
    except ImportError:
        raise SettingsError(XAPIAN_MISSING) from None
    remotes = settings.xapian_remotes
    backend = XapianBackend.connect(remotes, settings.xapian_timeout_seconds)
    label = f"{len(remotes)} Xapian shard{'s' * (len(remotes) > 1)} ({', '.join(remotes)})"
    return QAService(backend, answer_options, backend=label)


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
    events = LocalBackend(loaded.corpus, loaded.index).events()
    workers = os.cpu_count() or 1
    return build_shards(loaded.corpus, options, out, shards, workers=workers, events=events)
