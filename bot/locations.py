"""Where a corpus's cache and heartbeat live, and the index options, from settings alone.

Light on purpose: ``quotebot health`` imports this and nothing that loads an index.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_path

from bot.settings import Settings
from retrieval.ingest.chunks import ChunkOptions
from retrieval.search.cache_check import CacheHealth, IndexOptions, check_cache, corpus_directory

HEARTBEAT_FILE = "heartbeat.json"


def cache_dir(settings: Settings) -> Path:
    """The cache folder: the setting, else the user's cache directory."""
    return settings.cache_dir or user_cache_path("quotebot")


def index_options(settings: Settings) -> IndexOptions:
    return IndexOptions(
        chunks=ChunkOptions(max_tokens=settings.chunk_tokens, overlap=settings.chunk_overlap),
        k1=settings.bm25_k1,
        b=settings.bm25_b,
        epsilon=settings.bm25_epsilon,
    )


def cache_health(settings: Settings, corpus: Path | None = None) -> CacheHealth:
    """The cache of ``corpus`` checked by its manifest and headers, without loading it."""
    return check_cache(corpus or settings.corpus, index_options(settings), cache_dir(settings))


def heartbeat_file(settings: Settings, corpus: Path | None = None) -> Path:
    """Where a running console or bot over ``corpus`` reports that it is alive."""
    return corpus_directory(corpus or settings.corpus, cache_dir(settings)) / HEARTBEAT_FILE
