"""Shards of the seeds, built once and served by two live xapian-tcpsrv processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from retrieval.ingest.corpus import build_corpus
from retrieval.search.corpus_cache import IndexOptions
from tests.conftest import SEEDS
from tests.search.xapian.servers import ServedCorpus, require_xapian, served


@pytest.fixture(scope="session")
def seeds_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedCorpus]:
    require_xapian()
    corpus = build_corpus(SEEDS, IndexOptions().chunks)
    yield from served(corpus, tmp_path_factory.mktemp("seed-shards"), 2)
