"""BM25Okapi over chunks, scored from precomputed per-(term, chunk) weights.

The scores equal `rank_bm25.BM25Okapi(token_lists, k1, b, epsilon).get_scores(query)`:

    idf(t)   = log(N - df(t) + 0.5) - log(df(t) + 0.5); a negative idf is replaced by
               epsilon * (the mean raw idf over the vocabulary)
    w(t, c)  = idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(c) / avgdl))
    score(c) = sum of w(t, c) over the query terms, a repeated query term counting again

Postings are stored term by term (a CSR matrix over terms: `indptr`, `chunks`, `weights`), so a
query reads only its own terms' postings. The index is built with numpy in batches of chunks, so
memory stays near the size of the postings themselves.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

ARRAY_NAMES = frozenset(
    {
        "params",
        "vocab_utf8",
        "vocab_offsets",
        "doc_freqs",
        "doc_lengths",
        "postings_indptr",
        "postings_chunks",
        "postings_weights",
    }
)
_BATCH_TOKENS = 1 << 23
_WEIGHT_BLOCK = 1 << 22

DocFilter = np.ndarray | Sequence[int]


@dataclass(frozen=True, slots=True)
class _BatchPostings:
    """The (term, chunk, tf) triples of one batch of chunks, sorted by term then chunk."""

    terms: np.ndarray
    chunks: np.ndarray
    tfs: np.ndarray


def _batch_postings(term_ids: array, lengths: array, first_chunk: int) -> _BatchPostings:
    """Counts each term per chunk with one sort instead of a Counter per chunk."""
    terms = np.frombuffer(term_ids, dtype=np.int32).astype(np.int64)
    n_local = max(len(lengths), 1)
    local_chunks = np.repeat(
        np.arange(len(lengths), dtype=np.int64), np.frombuffer(lengths, dtype=np.int64)
    )
    keys, tfs = np.unique(terms * n_local + local_chunks, return_counts=True)
    return _BatchPostings(
        terms=(keys // n_local).astype(np.int32),
        chunks=(keys % n_local + first_chunk).astype(np.int32),
        tfs=tfs.astype(np.int32),
    )


def _raw_idf(n_chunks: int, doc_freqs: np.ndarray) -> np.ndarray:
    return np.log(n_chunks - doc_freqs + 0.5) - np.log(doc_freqs + 0.5)


def _floored_idf(raw_idf: np.ndarray, epsilon: float) -> np.ndarray:
    """rank_bm25's floor: negative idfs become epsilon times the mean raw idf (summed in order)."""
    if raw_idf.size == 0:
        return raw_idf.copy()
    average_idf = float(np.cumsum(raw_idf)[-1]) / raw_idf.size
    return np.where(raw_idf < 0, epsilon * average_idf, raw_idf)


def _length_norms(doc_lengths: np.ndarray, k1: float, b: float) -> np.ndarray:
    """k1 * (1 - b + b * len / avgdl) per chunk, in rank_bm25's order of operations."""
    total = int(doc_lengths.sum())
    if total == 0:
        return np.full(doc_lengths.size, k1 * (1 - b))
    avgdl = total / doc_lengths.size
    return k1 * (1 - b + b * doc_lengths / avgdl)


class BM25Index:
    """A BM25Okapi index over chunks, each chunk a list of analyzed terms."""

    def __init__(
        self,
        vocabulary: Sequence[str],
        doc_freqs: np.ndarray,
        doc_lengths: np.ndarray,
        indptr: np.ndarray,
        chunks: np.ndarray,
        weights: np.ndarray,
        k1: float,
        b: float,
        epsilon: float,
    ) -> None:
        """Wraps already-built postings; use `from_token_lists` or `from_arrays` instead."""
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self._vocabulary = list(vocabulary)
        self._term_ids = {term: i for i, term in enumerate(self._vocabulary)}
        self._doc_freqs = doc_freqs
        self._doc_lengths = doc_lengths
        self._indptr = indptr
        self._chunks = chunks
        self._weights = weights
        self._idf = _floored_idf(_raw_idf(self.n_chunks, doc_freqs), epsilon)

    @classmethod
    def from_token_lists(
        cls,
        token_lists: Iterable[Iterable[str]],
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
    ) -> BM25Index:
        """Builds the index; `token_lists` may be a generator, so a corpus can be streamed."""
        term_ids: defaultdict[str, int] = defaultdict()
        term_ids.default_factory = term_ids.__len__
        to_id = term_ids.__getitem__
        batches: list[_BatchPostings] = []
        all_lengths = array("q")
        batch_ids, batch_lengths, first_chunk = array("i"), array("q"), 0
        for tokens in token_lists:
            before = len(batch_ids)
            batch_ids.extend(map(to_id, tokens))
            batch_lengths.append(len(batch_ids) - before)
            if len(batch_ids) >= _BATCH_TOKENS:
                batches.append(_batch_postings(batch_ids, batch_lengths, first_chunk))
                first_chunk += len(batch_lengths)
                all_lengths.extend(batch_lengths)
                batch_ids, batch_lengths = array("i"), array("q")
        batches.append(_batch_postings(batch_ids, batch_lengths, first_chunk))
        all_lengths.extend(batch_lengths)
        doc_lengths = np.frombuffer(all_lengths, dtype=np.int64).copy()
        return cls._from_batches(list(term_ids), doc_lengths, batches, k1, b, epsilon)

    @classmethod
    def _from_batches(
        cls,
        vocabulary: list[str],
        doc_lengths: np.ndarray,
        batches: list[_BatchPostings],
        k1: float,
        b: float,
        epsilon: float,
    ) -> BM25Index:
        """Lays the batches out term by term, then turns each tf into its BM25 weight."""
        norms = _length_norms(doc_lengths, k1, b)
        doc_freqs, indptr, chunks, weights = _term_major(batches, len(vocabulary), norms, k1)
        idf = _floored_idf(_raw_idf(doc_lengths.size, doc_freqs), epsilon)
        _scale_by_term(weights, indptr, idf)
        return cls(vocabulary, doc_freqs, doc_lengths, indptr, chunks, weights, k1, b, epsilon)

    @property
    def n_chunks(self) -> int:
        return int(self._doc_lengths.size)

    @property
    def vocabulary_size(self) -> int:
        return len(self._vocabulary)

    def doc_freq(self, term: str) -> int:
        """How many chunks contain `term` (0 if unknown)."""
        term_id = self._term_ids.get(term)
        return 0 if term_id is None else int(self._doc_freqs[term_id])

    def idf(self, term: str) -> float:
        """The (floored) idf BM25 uses for `term`; 0.0 for a term not in the corpus."""
        term_id = self._term_ids.get(term)
        return 0.0 if term_id is None else float(self._idf[term_id])

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """One BM25 score per chunk, exactly as rank_bm25's `get_scores` (float64)."""
        return self._accumulate(terms)[0]

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
        candidates = np.flatnonzero(matched)
        if doc_filter is not None:
            candidates = candidates[self._filter_mask(doc_filter)[candidates]]
        return _best_k(candidates, scores[candidates], k)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Named plain arrays (no objects, no pickle) that `from_arrays` restores."""
        encoded = [term.encode("utf-8") for term in self._vocabulary]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return {
            "params": np.array([self.k1, self.b, self.epsilon], dtype=np.float64),
            "vocab_utf8": np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(),
            "vocab_offsets": offsets,
            "doc_freqs": self._doc_freqs,
            "doc_lengths": self._doc_lengths,
            "postings_indptr": self._indptr,
            "postings_chunks": self._chunks,
            "postings_weights": self._weights,
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> BM25Index:
        """Restores an index saved with `to_arrays`; raises ValueError if they do not fit."""
        missing = ARRAY_NAMES - set(arrays)
        if missing:
            raise ValueError(f"BM25 arrays missing: {', '.join(sorted(missing))}")
        _check_consistent(arrays)
        k1, b, epsilon = (float(x) for x in arrays["params"])
        raw, offsets = arrays["vocab_utf8"].tobytes(), arrays["vocab_offsets"].tolist()
        vocabulary = [raw[s:e].decode("utf-8") for s, e in pairwise(offsets)]
        return cls(
            vocabulary,
            np.asarray(arrays["doc_freqs"], dtype=np.int64),
            np.asarray(arrays["doc_lengths"], dtype=np.int64),
            np.asarray(arrays["postings_indptr"], dtype=np.int64),
            np.asarray(arrays["postings_chunks"], dtype=np.int32),
            np.asarray(arrays["postings_weights"], dtype=np.float64),
            k1,
            b,
            epsilon,
        )

    def _accumulate(self, terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Dense scores plus a mask of the chunks holding any query term."""
        scores = np.zeros(self.n_chunks, dtype=np.float64)
        matched = np.zeros(self.n_chunks, dtype=bool)
        for term in terms:
            term_id = self._term_ids.get(term)
            if term_id is None:
                continue
            start, end = self._indptr[term_id], self._indptr[term_id + 1]
            chunks = self._chunks[start:end]
            scores[chunks] += self._weights[start:end]
            matched[chunks] = True
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


def _term_major(
    batches: list[_BatchPostings], n_terms: int, norms: np.ndarray, k1: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scatters chunk-ordered batches into CSR-over-terms postings, consuming the batches.

    Returns doc_freqs, indptr, chunks and the weights' tf part tf*(k1+1)/(tf+norm); within a
    term, chunks stay in ascending order because batches arrive in chunk order.
    """
    doc_freqs = np.zeros(n_terms, dtype=np.int64)
    for batch in batches:
        doc_freqs += np.bincount(batch.terms, minlength=n_terms)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(doc_freqs, out=indptr[1:])
    chunks = np.empty(int(indptr[-1]), dtype=np.int32)
    tf_parts = np.empty(int(indptr[-1]), dtype=np.float64)
    next_slot = indptr[:-1].copy()
    batches.reverse()
    while batches:
        batch = batches.pop()
        counts = np.bincount(batch.terms, minlength=n_terms)
        rank_in_term = np.arange(batch.terms.size) - (np.cumsum(counts) - counts)[batch.terms]
        slots = next_slot[batch.terms] + rank_in_term
        chunks[slots] = batch.chunks
        tfs = batch.tfs.astype(np.float64)
        tf_parts[slots] = tfs * (k1 + 1) / (tfs + norms[batch.chunks])
        next_slot += counts
    return doc_freqs, indptr, chunks, tf_parts


def _scale_by_term(weights: np.ndarray, indptr: np.ndarray, idf: np.ndarray) -> None:
    """Multiplies each term's postings by its idf in place, in blocks to bound temporaries."""
    block_starts = np.searchsorted(indptr, np.arange(0, indptr[-1], _WEIGHT_BLOCK), side="right")
    bounds = np.unique(np.concatenate([[0], block_starts - 1, [idf.size]]))
    for first, last in pairwise(bounds.tolist()):
        start, end = indptr[first], indptr[last]
        term_idf = np.repeat(idf[first:last], np.diff(indptr[first : last + 1]))
        weights[start:end] = term_idf * weights[start:end]


def _best_k(candidates: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Top `k` by score descending then index ascending, partitioning before sorting."""
    if candidates.size > k:
        kth_best = np.partition(scores, candidates.size - k)[candidates.size - k]
        keep = scores >= kth_best
        candidates, scores = candidates[keep], scores[keep]
    order = np.lexsort((candidates, -scores))[:k]
    return [(int(c), float(s)) for c, s in zip(candidates[order], scores[order], strict=True)]


def _check_consistent(arrays: Mapping[str, np.ndarray]) -> None:
    """Rejects arrays whose shapes cannot describe one index."""
    n_terms = arrays["doc_freqs"].size
    indptr = arrays["postings_indptr"]
    problems = [
        (arrays["params"].shape != (3,), "params must hold k1, b, epsilon"),
        (arrays["vocab_offsets"].size != n_terms + 1, "vocab_offsets size != terms + 1"),
        (
            arrays["vocab_offsets"][-1] != arrays["vocab_utf8"].size,
            "vocab_offsets end != vocab_utf8 size",
        ),
        (arrays["doc_lengths"].ndim != 1, "doc_lengths must be one-dimensional"),
        (indptr.size != n_terms + 1, "postings_indptr size != terms + 1"),
        (
            arrays["postings_chunks"].size != arrays["postings_weights"].size,
            "postings_chunks and postings_weights differ in size",
        ),
        (indptr.size > 0 and indptr[-1] != arrays["postings_chunks"].size, "indptr end mismatch"),
    ]
    for failed, reason in problems:
        if failed:
            raise ValueError(f"inconsistent BM25 arrays: {reason}")
