"""BM25Okapi over chunks, with the statistics of the chunks that are current right now.

The scores equal `rank_bm25.BM25Okapi(token_lists, k1, b, epsilon).get_scores(query)` over
the live chunks:

    idf(t)   = log(N - df(t) + 0.5) - log(df(t) + 0.5); a negative idf is replaced by
               epsilon * (the mean raw idf over the vocabulary)
    w(t, c)  = idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(c) / avgdl))
    score(c) = sum of w(t, c) over the query terms, a repeated query term counting again

An index is a row of postings parts (``retrieval.search.postings``) laid end to end over chunk
*slots*; a slot whose document was removed or replaced is dead (``live`` is False) and counts
nowhere: not in N, not in avgdl, not in any df. Chunks are numbered in *view* order, a
permutation of the live slots, so an index updated in place numbers and scores its chunks
exactly as a fresh build over the same documents would. A query reads only its own terms'
postings; weights are computed from raw counts at query time, which is what lets parts stay
valid while the corpus changes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.search.postings import Postings

DocFilter = np.ndarray | Sequence[int]


@dataclass(frozen=True, slots=True)
class Statistics:
    """The corpus-wide counts BM25 weighs with: per part, how many live chunks hold each of
    its terms; the number of live terms and their mean raw idf."""

    doc_freqs: tuple[np.ndarray, ...]
    vocabulary_size: int
    average_idf: float


@dataclass(frozen=True, slots=True)
class IndexPart:
    """Postings for the slots ``first_slot .. first_slot + postings.n_chunks - 1``."""

    postings: Postings
    first_slot: int


class BM25Index:
    """A BM25Okapi index over the live chunks of one or more postings parts."""

    def __init__(
        self,
        parts: Sequence[IndexPart],
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
        live: np.ndarray | None = None,
        view: np.ndarray | None = None,
        statistics: Statistics | None = None,
    ) -> None:
        """``live`` marks live slots (default all); ``view`` lists live slots in chunk order.

        ``statistics`` are this index's, counted elsewhere (a running service has its update
        worker count them); by default they are counted here.
        """
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self._parts = list(parts)
        lengths = _tiled_lengths(self._parts)
        self._n_slots = int(lengths.size)
        self._live = None if live is None or bool(live.all()) else live.astype(bool)
        if self._live is not None and self._live.shape != lengths.shape:
            raise ValueError("live mask does not match the chunk slots")
        self._view, self._slot_to_view = _numbering(view, self._live, self._n_slots)
        live_lengths = lengths if self._live is None else lengths[self._live]
        self._n_chunks = int(live_lengths.size)
        self._norms = _length_norms(lengths, int(live_lengths.sum()), self._n_chunks, k1, b)
        self._part_live = [self._live_in(part) for part in self._parts]
        self._statistics = self._counted() if statistics is None else statistics
        if [f.shape for f in self._statistics.doc_freqs] != [
            (part.postings.n_terms,) for part in self._parts
        ]:
            raise ValueError("document frequencies do not fit the index parts")
        self._doc_freqs = self._statistics.doc_freqs
        self._average_idf = self._statistics.average_idf

    @classmethod
    def from_token_lists(
        cls,
        token_lists: Iterable[Iterable[str]],
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
    ) -> BM25Index:
        """An index of one part; `token_lists` may be a generator, so a corpus can stream."""
        return cls([IndexPart(Postings.from_token_lists(token_lists), 0)], k1, b, epsilon)

    @property
    def n_chunks(self) -> int:
        """How many chunks are live: BM25's N."""
        return self._n_chunks

    @property
    def vocabulary_size(self) -> int:
        return self._statistics.vocabulary_size

    @property
    def statistics(self) -> Statistics:
        return self._statistics

    @property
    def parts(self) -> list[IndexPart]:
        return list(self._parts)

    def doc_freq(self, term: str) -> int:
        """How many live chunks contain `term` (0 if unknown)."""
        total = 0
        for part, doc_freqs in zip(self._parts, self._doc_freqs, strict=True):
            term_id = part.postings.find(term)
            if term_id >= 0:
                total += int(doc_freqs[term_id])
        return total

    def idf(self, term: str) -> float:
        """The (floored) idf BM25 uses for `term`; 0.0 for a term not in the corpus."""
        df = self.doc_freq(term)
        if df == 0:
            return 0.0
        raw = math.log(self._n_chunks - df + 0.5) - math.log(df + 0.5)
        return self.epsilon * self._average_idf if raw < 0 else raw

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """One BM25 score per chunk, exactly as rank_bm25's `get_scores` (float64)."""
        scores, _ = self._accumulate(terms)
        return scores if self._view is None else scores[self._view]

    def top_k(
        self, terms: Sequence[str], k: int, doc_filter: DocFilter | None = None
    ) -> list[tuple[int, float]]:
        """The best `k` (chunk index, score) pairs, highest score first, ties by lower index.

        Only chunks containing at least one query term are candidates, so an empty query or one
        of unknown terms returns []. Scores may be zero or negative (rank_bm25's epsilon floor
        can make idf non-positive); such matching chunks still rank, below positive ones.
        `doc_filter` restricts candidates: a boolean mask of length `n_chunks`, or an array or
        sequence of chunk indices. Returns fewer than `k` pairs when fewer chunks match.
        """
        if k <= 0:
            return []
        scores, matched = self._accumulate(terms)
        slots = np.flatnonzero(matched)
        candidates = slots if self._slot_to_view is None else self._slot_to_view[slots]
        values = scores[slots]
        if doc_filter is not None:
            keep = self._filter_mask(doc_filter)[candidates]
            candidates, values = candidates[keep], values[keep]
        return _best_k(candidates, values, k)

    def _live_in(self, part: IndexPart) -> np.ndarray | None:
        if self._live is None:
            return None
        live = self._live[part.first_slot : part.first_slot + part.postings.n_chunks]
        return None if bool(live.all()) else live

    def _counted(self) -> Statistics:
        """The live chunks' statistics; the mean raw idf is what rank_bm25's floor uses.

        Parts are aligned by term hash; a 64-bit collision between two different terms of
        different parts would only merge them in that mean.
        """
        per_part = tuple(
            part.postings.live_doc_freqs(live)
            for part, live in zip(self._parts, self._part_live, strict=True)
        )
        hashes = [p.postings.vocab_hashes for p in self._parts]
        doc_freqs = _merged_doc_freqs(hashes, list(per_part))
        if doc_freqs.size == 0:
            return Statistics(per_part, 0, 0.0)
        raw = np.log(self._n_chunks - doc_freqs + 0.5) - np.log(doc_freqs + 0.5)
        return Statistics(per_part, int(doc_freqs.size), float(np.cumsum(raw)[-1]) / raw.size)

    def _accumulate(self, terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Dense scores over slots plus a mask of the slots holding any query term."""
        scores = np.zeros(self._n_slots, dtype=np.float64)
        matched = np.zeros(self._n_slots, dtype=bool)
        k1 = self.k1
        for term in terms:
            idf = self.idf(term)
            for part, live in zip(self._parts, self._part_live, strict=True):
                term_id = part.postings.find(term)
                if term_id < 0:
                    continue
                chunks, counts = part.postings.slice(term_id)
                if live is not None:
                    alive = live[chunks]
                    chunks, counts = chunks[alive], counts[alive]
                slots = chunks.astype(np.int64) + part.first_slot
                tfs = counts.astype(np.float64)
                scores[slots] += idf * (tfs * (k1 + 1) / (tfs + self._norms[slots]))
                matched[slots] = True
        return scores, matched

    def _filter_mask(self, doc_filter: DocFilter) -> np.ndarray:
        """A boolean mask over chunks from a mask or from chunk indices."""
        selector = np.asarray(doc_filter)
        if selector.dtype == bool:
            if selector.shape != (self.n_chunks,):
                raise ValueError(f"doc_filter mask must have shape ({self.n_chunks},)")
            return selector
        if selector.size and not np.issubdtype(selector.dtype, np.integer):
            raise ValueError("doc_filter must be a boolean mask or integer chunk indices")
        indices = selector.astype(np.int64).ravel()
        if indices.size and (indices.min() < 0 or indices.max() >= self.n_chunks):
            raise ValueError(f"doc_filter indices must lie in [0, {self.n_chunks})")
        mask = np.zeros(self.n_chunks, dtype=bool)
        mask[indices] = True
        return mask


def _merged_doc_freqs(hashes: list[np.ndarray], doc_freqs: list[np.ndarray]) -> np.ndarray:
    """The non-zero document frequencies of the parts' terms, a term's parts added up.

    Each part's hashes are sorted and unique; the others are looked up in the largest
    part's by binary search, so an update's small parts cost their own size, not a sort
    of the whole vocabulary.
    """
    if not hashes:
        return np.zeros(0, dtype=np.float64)
    largest = max(range(len(hashes)), key=lambda i: hashes[i].size)
    base = hashes[largest]
    merged = doc_freqs[largest].astype(np.float64)
    new_hashes, new_freqs = [], []
    for i, (part, freqs) in enumerate(zip(hashes, doc_freqs, strict=True)):
        if i == largest or part.size == 0:
            continue
        at = np.minimum(np.searchsorted(base, part), max(base.size - 1, 0))
        known = base[at] == part if base.size else np.zeros(part.size, dtype=bool)
        merged[at[known]] += freqs[known]  # a part's terms are unique: so are their places
        new_hashes.append(part[~known])
        new_freqs.append(freqs[~known])
    if new_hashes:
        _, inverse = np.unique(np.concatenate(new_hashes), return_inverse=True)
        added = np.bincount(inverse, weights=np.concatenate(new_freqs))
        merged = np.concatenate([merged, added])
    return merged[merged > 0]


def _tiled_lengths(parts: Sequence[IndexPart]) -> np.ndarray:
    """Every slot's length in terms; the parts must lie end to end from slot 0."""
    expected = 0
    for part in parts:
        if part.first_slot != expected:
            raise ValueError("index parts must cover the chunk slots end to end")
        expected += part.postings.n_chunks
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate([part.postings.lengths for part in parts]).astype(np.int64)


def _numbering(
    view: np.ndarray | None, live: np.ndarray | None, n_slots: int
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The view (chunk -> slot) and its inverse; None when chunks are the slots themselves."""
    if view is None:
        if live is None:
            return None, None
        view = np.flatnonzero(live)
    view = np.asarray(view, dtype=np.int64)
    expected = int(live.sum()) if live is not None else n_slots
    if view.shape != (expected,) or (view.size and (view.min() < 0 or view.max() >= n_slots)):
        raise ValueError("chunk view does not list the live slots")
    slot_to_view = np.full(n_slots, -1, dtype=np.int64)
    slot_to_view[view] = np.arange(view.size)
    if (slot_to_view[view] != np.arange(view.size)).any() or (
        live is not None and not live[view].all()
    ):
        raise ValueError("chunk view must list each live slot once")
    if live is None and np.array_equal(view, np.arange(n_slots)):
        return None, None
    return view, slot_to_view


def _length_norms(
    lengths: np.ndarray, total: int, n_chunks: int, k1: float, b: float
) -> np.ndarray:
    """k1 * (1 - b + b * len / avgdl) per slot, in rank_bm25's order of operations."""
    if total == 0 or n_chunks == 0:
        return np.full(lengths.size, k1 * (1 - b))
    avgdl = total / n_chunks
    return k1 * (1 - b + b * lengths / avgdl)


def _best_k(candidates: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Top `k` by score descending then index ascending, partitioning before sorting."""
    if candidates.size > k:
        kth_best = np.partition(scores, candidates.size - k)[candidates.size - k]
        keep = scores >= kth_best
        candidates, scores = candidates[keep], scores[keep]
    order = np.lexsort((candidates, -scores))[:k]
    return [(int(c), float(s)) for c, s in zip(candidates[order], scores[order], strict=True)]
