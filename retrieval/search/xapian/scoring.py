"""rank-bm25's BM25Okapi from Xapian's BM25Weight, term by term.

``xapian.BM25Weight(k1, 0, 1, b, 0)`` (no k2 correction, k3 = 1 so one query occurrence
weighs 1, min_normlen 0 so short chunks are not lengthened) gives each matching chunk
``xidf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avgdl))``, which is rank-bm25's
formula with another idf. Xapian's idf is ``log(r)`` for ``r = (N - df + 0.5) / (df + 0.5)``
when ``r >= 2`` and ``log(r / 2 + 1)`` below that, while rank-bm25's is ``log(r)`` floored at
``epsilon * mean idf`` when negative. Scaling each query term's weight by the ratio of the two
(and by how often the question repeats it, which rank-bm25 counts again) gives rank-bm25's
scores. Both idfs use the global N and df that a multi-shard Xapian database reports.
"""

from __future__ import annotations

import math


def xapian_idf(n_chunks: int, doc_freq: int) -> float:
    """The idf inside Xapian 1.4's BM25Weight (no relevance set)."""
    ratio = (n_chunks - doc_freq + 0.5) / (doc_freq + 0.5)
    if ratio < 2:
        ratio = ratio * 0.5 + 1
    return math.log(ratio)


def rank_bm25_idf(n_chunks: int, doc_freq: int, mean_idf: float, epsilon: float) -> float:
    """rank-bm25's BM25Okapi idf with its floor for terms in more than half the chunks."""
    raw = math.log(n_chunks - doc_freq + 0.5) - math.log(doc_freq + 0.5)
    return epsilon * mean_idf if raw < 0 else raw


def term_scale(n_chunks: int, doc_freq: int, mean_idf: float, epsilon: float) -> float:
    """The factor that turns Xapian's weight for a term into rank-bm25's.

    Xapian cannot weigh a term negatively; rank-bm25 does only when the corpus's mean idf is
    negative (a handful of chunks sharing most words), and such a term then counts 0.
    """
    wanted = rank_bm25_idf(n_chunks, doc_freq, mean_idf, epsilon)
    return max(wanted, 0.0) / xapian_idf(n_chunks, doc_freq)
