"""BM25 over the served shards, scored exactly as the in-process ``BM25Index``.

Term statistics come from the shards combined (global N, document frequency and average chunk
length); ``scoring`` turns Xapian's BM25 weight into rank-bm25's per term, and score ties are
broken by the chunk's corpus index, as in-process.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

import xapian

from retrieval.search.xapian.layout import CHUNK_ORDER_SLOT, document_term, index_term
from retrieval.search.xapian.lru import Lru
from retrieval.search.xapian.records import ShardRecordError
from retrieval.search.xapian.scoring import term_scale
from retrieval.search.xapian.shards import ShardSet

_CACHED_TERMS = 100_000
_CACHED_CHUNKS = 10_000


class ShardIndex:
    """Chunk search and term statistics over a ``ShardSet``."""

    def __init__(self, shards: ShardSet) -> None:
        self._shards = shards
        self._info = shards.info
        self._doc_freqs: Lru[str, int] = Lru(_CACHED_TERMS)
        self._reachable: tuple[int, ...] = ()
        self._n_chunks = 0
        # The document of each chunk a search returned, so a hit can be read without a lookup.
        self.chunk_docs: Lru[int, str] = Lru(_CACHED_CHUNKS)

    @property
    def n_chunks(self) -> int:
        """Chunks in the reachable shards (all of them unless some are down)."""
        return self._shards.run(self._count)

    @property
    def vocabulary_size(self) -> int:
        return self._shards.info.vocabulary

    def doc_freq(self, term: str) -> int:
        """How many chunks contain ``term``, over the reachable shards."""
        return self._shards.run(lambda database: self._doc_freq(database, term))

    def top_k(
        self, terms: Sequence[str], k: int, docs: Sequence[str] = ()
    ) -> list[tuple[int, float]]:
        """The best ``k`` (corpus chunk index, score) pairs, as ``BM25Index.top_k`` gives them.

        ``docs`` keeps only chunks of these document IDs.
        """
        if k <= 0:
            return []
        return self._shards.run(lambda database: self._top_k(database, Counter(terms), k, docs))

    def all_scores(self, terms: Sequence[str]) -> list[tuple[int, float]]:
        """Every chunk holding any of ``terms``, with its score, best first."""
        return self._shards.run(
            lambda database: self._top_k(database, Counter(terms), self._count(database), ())
        )

    def _top_k(
        self, database: xapian.Database, counts: Counter[str], k: int, docs: Sequence[str]
    ) -> list[tuple[int, float]]:
        n_chunks = self._count(database)
        weighted = []
        for term, count in counts.items():
            doc_freq = self._doc_freq(database, term)
            if doc_freq:
                scale = count * term_scale(
                    n_chunks, doc_freq, self._info.mean_idf, self._info.epsilon
                )
                term_query = xapian.Query(index_term(term))
                weighted.append(xapian.Query(xapian.Query.OP_SCALE_WEIGHT, term_query, scale))
        if not weighted:
            return []
        query = xapian.Query(xapian.Query.OP_OR, weighted)
        if docs:
            wanted = [xapian.Query(document_term(doc_id)) for doc_id in docs]
            query = xapian.Query(
                xapian.Query.OP_FILTER, query, xapian.Query(xapian.Query.OP_OR, wanted)
            )
        enquire = xapian.Enquire(database)
        enquire.set_weighting_scheme(xapian.BM25Weight(self._info.k1, 0, 1, self._info.b, 0))
        enquire.set_sort_by_relevance_then_value(CHUNK_ORDER_SLOT, False)
        enquire.set_query(query)
        matches = enquire.get_mset(0, k)
        matches.fetch()
        hits = []
        for match in matches:
            index, doc_id = chunk_data(match.document.get_data())
            self.chunk_docs.put(index, doc_id)
            hits.append((index, match.weight))
        return hits

    def _count(self, database: xapian.Database) -> int:
        self._refresh()
        if not self._n_chunks:
            self._n_chunks = database.get_doccount()
        return self._n_chunks

    def _doc_freq(self, database: xapian.Database, term: str) -> int:
        self._refresh()
        found = self._doc_freqs.get(term)
        if found is None:
            found = self._doc_freqs.put(term, database.get_termfreq(index_term(term)))
        return found

    def _refresh(self) -> None:
        """Forgets the statistics when the set of reachable shards changed."""
        reachable = self._shards.reachable()
        if reachable != self._reachable:
            self._reachable = reachable
            self._doc_freqs.clear()
            self._n_chunks = 0


def chunk_data(data: bytes) -> tuple[int, str]:
    """A shard chunk's corpus index and document ID, checked."""
    try:
        index, doc_id = json.loads(data)
    except (ValueError, TypeError):
        index = doc_id = None
    if not isinstance(index, int) or index < 0 or not isinstance(doc_id, str):
        raise ShardRecordError(f"a shard chunk holds {data[:60]!r}, not [index, document ID]")
    return index, doc_id
