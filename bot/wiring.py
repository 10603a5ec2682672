"""Settings to a running service: the one place adapters get a QAService from."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_cache_path

from bot.settings import Settings, SettingsError, load_settings
from retrieval.answer.answerer import AnswerOptions
from retrieval.ingest.chunks import ChunkOptions
from retrieval.search.corpus_cache import IndexOptions, load_corpus
from retrieval.service import QAService

if TYPE_CHECKING:
    from retrieval.search.xapian.build import ShardsBuilt

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
        follow_outside_links=settings.follow_outside_links,
    )


def cache_dir(settings: Settings) -> Path:
    """The cache folder: the setting, else the user's cache directory."""
    return settings.cache_dir or user_cache_path("quotebot")


def open_service(
    settings: Settings | None = None, corpus: Path | None = None, rebuild: bool = False
) -> QAService:
    """A service over ``corpus`` (default: the settings' corpus), or over Xapian shards."""
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
    return build_shards(loaded.corpus, options, out, shards, workers=os.cpu_count() or 1)
