"""BM25 over the served shards, scored exactly as the in-process ``BM25Index``.

Term statistics come from the shards combined (global N, document frequency and average chunk
length); ``scoring`` turns Xapian's BM25 weight into rank-bm25's per term, and score ties are
broken by the chunk's corpus index, as in-process.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import xapian

from retrieval.search.xapian.layout import CHUNK_ORDER_SLOT, document_term, index_term
from retrieval.search.xapian.records import ShardRecordError
from retrieval.search.xapian.scoring import term_scale
from retrieval.search.xapian.shards import ShardSet

_CACHED_TERMS = 100_000


class ShardIndex:
    """Chunk search and term statistics over a ``ShardSet``."""

    def __init__(self, shards: ShardSet) -> None:
        self._shards = shards
        self._info = shards.info
        self._doc_freqs: dict[str, int] = {}
        self._reachable: tuple[int, ...] = ()
        self._n_chunks = 0

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
        return [(_chunk_index(match.document), match.weight) for match in matches]

    def _count(self, database: xapian.Database) -> int:
        self._refresh()
        if not self._n_chunks:
            self._n_chunks = database.get_doccount()
        return self._n_chunks

    def _doc_freq(self, database: xapian.Database, term: str) -> int:
        self._refresh()
        found = self._doc_freqs.get(term)
        if found is None:
            if len(self._doc_freqs) >= _CACHED_TERMS:
                self._doc_freqs.clear()
            found = self._doc_freqs[term] = database.get_termfreq(index_term(term))
        return found

    def _refresh(self) -> None:
        """Forgets the statistics when the set of reachable shards changed."""
        reachable = self._shards.reachable()
        if reachable != self._reachable:
            self._reachable = reachable
            self._doc_freqs.clear()
            self._n_chunks = 0


def _chunk_index(document: xapian.Document) -> int:
    data = document.get_data()
    if not data.isdigit():
        raise ShardRecordError(f"a shard chunk holds {data[:40]!r}, not a chunk index")
    return int(data)
