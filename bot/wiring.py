"""Settings to a running service: the one place adapters get a QAService from."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_path

from bot.settings import Settings, load_settings
from retrieval.answer.answerer import AnswerOptions
from retrieval.ingest.chunks import ChunkOptions
from retrieval.search.corpus_cache import IndexOptions
from retrieval.service import QAService


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
