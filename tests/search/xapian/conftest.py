"""Shards of the seeds, built once and served by two live xapian-tcpsrv processes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from retrieval.ingest.corpus import Corpus, build_corpus
from retrieval.search.bm25 import BM25Index
from retrieval.search.corpus_cache import IndexOptions, build_index
from tests.conftest import SEEDS
from tests.search.xapian.servers import Server, require_xapian, serving


@dataclass
class ServedCorpus:
    """A corpus, its in-process index, and its shards as served."""

    corpus: Corpus
    index: BM25Index
    folder: Path
    servers: list[Server]

    @property
    def addresses(self) -> list[str]:
        return [server.address for server in self.servers]


def served(corpus: Corpus, folder: Path, shards: int) -> Iterator[ServedCorpus]:
    """Builds ``corpus`` into ``shards`` shards under ``folder`` and serves them."""
    from retrieval.search.xapian.build import build_shards

    options = IndexOptions()
    build_shards(corpus, options, folder, shards)
    with serving(folder, shards) as servers:
        yield ServedCorpus(corpus, build_index(corpus, options), folder, servers)


@pytest.fixture(scope="session")
def seeds_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedCorpus]:
    require_xapian()
    corpus = build_corpus(SEEDS, IndexOptions().chunks)
    yield from served(corpus, tmp_path_factory.mktemp("seed-shards"), 2)
