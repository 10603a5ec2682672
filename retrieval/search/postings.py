"""Term-major postings of a batch of chunks: for each term, the chunks holding it and how often.

Postings hold raw term counts, not BM25 weights, so they never depend on corpus-wide
statistics: a batch indexed once stays valid while other documents come and go, and the
index (``retrieval.search.bm25``) weighs them with the statistics of the moment.

The vocabulary is ordered by a 64-bit hash of each term's UTF-8 bytes, so a term is found
with one binary search over a mapped array (the string is compared too, so a collision can
never return another term's postings) and two vocabularies are aligned without decoding.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

ARRAY_NAMES = ("vocab_utf8", "vocab_offsets", "vocab_hashes", "indptr", "chunks", "tfs", "lengths")
_BATCH_TOKENS = 1 << 23
_COMPARED_TERMS = 1 << 18


def term_hash(term: str) -> int:
    """A stable 64-bit hash of a term (Python's own hash changes between processes)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")


@dataclass(frozen=True, slots=True)
class _Batch:
    """The (term, chunk, tf) triples of some chunks, sorted by term then chunk."""

    terms: np.ndarray
    chunks: np.ndarray
    tfs: np.ndarray


class Postings:
    """Postings of ``n_chunks`` chunks numbered from 0, with each chunk's length in terms."""

    def __init__(
        self,
        vocab_utf8: np.ndarray,
        vocab_offsets: np.ndarray,
        vocab_hashes: np.ndarray,
        indptr: np.ndarray,
        chunks: np.ndarray,
        tfs: np.ndarray,
        lengths: np.ndarray,
    ) -> None:
        """Wraps built arrays; use `from_token_lists`, `from_arrays` or `merge` instead."""
        self.vocab_utf8 = vocab_utf8
        self.vocab_offsets = vocab_offsets
        self.vocab_hashes = vocab_hashes
        self.indptr = indptr
        self.chunks = chunks
        self.tfs = tfs
        self.lengths = lengths
        self.find = lru_cache(maxsize=4096)(self._find)
        self._last_count: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def n_chunks(self) -> int:
        return int(self.lengths.size)

    @property
    def n_terms(self) -> int:
        return int(self.vocab_hashes.size)

    def term(self, term_id: int) -> str:
        start, end = int(self.vocab_offsets[term_id]), int(self.vocab_offsets[term_id + 1])
        if not 0 <= start <= end <= self.vocab_utf8.size:
            raise ValueError(f"vocabulary offsets of term {term_id} are out of range")
        return self.vocab_utf8[start:end].tobytes().decode("utf-8", errors="replace")

    def _find(self, term: str) -> int:
        """The term's ID, or -1 when no chunk here holds it."""
        wanted = term_hash(term)
        position = int(self.vocab_hashes.searchsorted(np.uint64(wanted)))
        while position < self.n_terms and int(self.vocab_hashes[position]) == wanted:
            if self.term(position) == term:
                return position
            position += 1
        return -1

    def slice(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        """The chunks holding a term and its count in each, checked against this batch."""
        start, end = int(self.indptr[term_id]), int(self.indptr[term_id + 1])
        if not 0 <= start <= end <= self.chunks.size:
            raise ValueError(f"postings of term {term_id} point outside the postings")
        chunks = self.chunks[start:end]
        if chunks.size and (int(chunks.min()) < 0 or int(chunks.max()) >= self.n_chunks):
            raise ValueError(f"postings of term {term_id} name chunks that do not exist")
        return chunks, self.tfs[start:end]

    def live_doc_freqs(self, live: np.ndarray | None) -> np.ndarray:
        """Per term, how many of the ``live`` chunks (all when None) hold it; read only.

        Counted as all postings less the dead ones. Chunks only ever die (a changed file is
        read into a new batch), so the last count is kept and the next one takes from it
        only the chunks that died since: after an update of a large batch, a few.
        """
        if live is None or live.all():
            return np.diff(self.indptr)
        last = self._last_count
        if last is not None and not (live & ~last[0]).any():
            mask, counts = last
            died = mask & ~live
            if not died.any():
                return counts
        else:
            counts, died = np.diff(self.indptr), ~live
        counts = counts - self._postings_per_term(died)
        counts.setflags(write=False)
        self._last_count = (live.copy(), counts)
        return counts

    def _postings_per_term(self, chunks: np.ndarray) -> np.ndarray:
        """Per term, how many of the chunks marked in ``chunks`` hold it."""
        at = np.flatnonzero(chunks[self.chunks])
        terms = np.searchsorted(self.indptr, at, side="right") - 1
        return np.bincount(terms, minlength=self.n_terms)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Named plain arrays that `from_arrays` restores."""
        return {name: getattr(self, name) for name in ARRAY_NAMES}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> Postings:
        """Postings from stored arrays; raises ValueError when their shapes do not fit."""
        missing = [name for name in ARRAY_NAMES if name not in arrays]
        if missing:
            raise ValueError(f"postings arrays missing: {', '.join(missing)}")
        _check_shapes(arrays)
        return cls(*(arrays[name] for name in ARRAY_NAMES))

    @classmethod
    def from_token_lists(cls, token_lists: Iterable[Iterable[str]]) -> Postings:
        """Postings of chunks given as term lists; a generator streams in batches."""
        builder = PostingsBuilder()
        for tokens in token_lists:
            builder.add(tokens)
        return builder.build()

    @classmethod
    def merge(cls, parts: Sequence[tuple[Postings, np.ndarray]], n_chunks: int) -> Postings:
        """One batch of ``n_chunks`` from several, each with a map from its chunks to new numbers.

        A chunk mapped to -1 is dropped; a new number no chunk maps to is an empty chunk (its
        slot stays, holding nothing). Parts come in the order of their new numbers and each
        map increases, so postings are laid out by scattering, never sorted; nothing is
        re-analysed.
        """
        _check_increasing(mapping for _, mapping in parts)
        lengths = np.zeros(n_chunks, dtype=np.int32)
        vocabulary = _Vocabulary.of([postings for postings, _ in parts])
        alive_counts = []
        for postings, mapping in parts:
            kept = mapping >= 0
            lengths[mapping[kept]] = postings.lengths[kept]
            alive_counts.append(postings.live_doc_freqs(kept))
        totals = np.zeros(vocabulary.hashes.size, dtype=np.int64)
        for ids, counts in zip(vocabulary.ids, alive_counts, strict=True):
            np.add.at(totals, ids, counts)
        present = np.flatnonzero(totals)
        ordered = present[vocabulary.order(present)]
        rank = np.full(vocabulary.hashes.size, -1, dtype=np.int64)
        rank[ordered] = np.arange(present.size)
        indptr = np.zeros(present.size + 1, dtype=np.int64)
        np.cumsum(totals[ordered], out=indptr[1:])
        chunks = np.empty(int(indptr[-1]), dtype=np.int32)
        tfs = np.empty(int(indptr[-1]), dtype=np.int32)
        next_slot = indptr[:-1].copy()
        for (postings, mapping), ids, counts in zip(
            parts, vocabulary.ids, alive_counts, strict=True
        ):
            _scatter(postings, mapping, rank[ids], counts, next_slot, chunks, tfs)
        utf8, offsets = vocabulary.arrays(ordered)
        return cls(utf8, offsets, vocabulary.hashes[ordered], indptr, chunks, tfs, lengths)


class PostingsBuilder:
    """Postings made one chunk at a time, so a caller may count a document's terms as soon
    as it has them and let the term lists go: what is held meanwhile is each term's ID in
    compact arrays, counted per chunk in batches of ``_BATCH_TOKENS``."""

    def __init__(self) -> None:
        self._term_ids: defaultdict[str, int] = defaultdict()
        self._term_ids.default_factory = self._term_ids.__len__
        self._batches: list[_Batch] = []
        self._lengths = array("q")
        self._batch_ids, self._batch_lengths, self._first_chunk = array("i"), array("q"), 0

    def add(self, tokens: Iterable[str]) -> None:
        """The next chunk's terms (chunks are numbered from 0 in the order they come)."""
        before = len(self._batch_ids)
        self._batch_ids.extend(map(self._term_ids.__getitem__, tokens))
        self._batch_lengths.append(len(self._batch_ids) - before)
        if len(self._batch_ids) >= _BATCH_TOKENS:
            self._counted()

    def _counted(self) -> None:
        self._batches.append(_batch(self._batch_ids, self._batch_lengths, self._first_chunk))
        self._first_chunk += len(self._batch_lengths)
        self._lengths.extend(self._batch_lengths)
        self._batch_ids, self._batch_lengths = array("i"), array("q")

    def build(self) -> Postings:
        """The postings of every chunk added; the builder is spent."""
        self._counted()
        lengths = np.frombuffer(self._lengths, dtype=np.int64).astype(np.int32)
        vocabulary = list(self._term_ids)
        hashes, order = _hash_order(vocabulary)
        indptr, chunks, tfs = _reordered(*_term_major(self._batches, len(vocabulary)), order)
        utf8, offsets = _vocabulary_arrays([vocabulary[i] for i in order])
        return Postings(utf8, offsets, hashes[order], indptr, chunks, tfs, lengths)


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    """The terms of several batches numbered as one: each batch's term IDs mapped to it.

    Terms are matched by their stored hashes, checked byte for byte, with array operations;
    only when two different terms share a hash are they matched by text, one by one.
    """

    ids: list[np.ndarray]
    hashes: np.ndarray
    utf8: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, batches: Sequence[Postings]) -> _Vocabulary:
        blob, starts, lengths = _term_bytes(batches)
        hashes = np.concatenate([b.vocab_hashes for b in batches] or [np.zeros(0, np.uint64)])
        unique, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        if not _same_bytes(blob, starts, lengths, np.arange(hashes.size), first[inverse]):
            return cls.by_text(batches)
        ends = np.cumsum([b.n_terms for b in batches])
        ids = np.split(inverse.astype(np.int64), ends[:-1])
        return cls(ids, unique, blob, starts[first], lengths[first])

    @classmethod
    def by_text(cls, batches: Sequence[Postings]) -> _Vocabulary:
        words: dict[str, int] = {}
        ids = [
            np.fromiter(
                (words.setdefault(b.term(t), len(words)) for t in range(b.n_terms)),
                dtype=np.int64,
                count=b.n_terms,
            )
            for b in batches
        ]
        utf8, offsets = _vocabulary_arrays(list(words))
        hashes = np.fromiter(map(term_hash, words), dtype=np.uint64, count=len(words))
        return cls(ids, hashes, utf8, offsets[:-1], np.diff(offsets))

    def order(self, selected: np.ndarray) -> np.ndarray:
        """The order of the ``selected`` terms by hash, then by their bytes."""
        hashes = self.hashes[selected]
        if hashes.size < 2 or bool(np.all(hashes[1:] > hashes[:-1])):
            return np.arange(selected.size)
        return np.array(
            sorted(
                range(selected.size), key=lambda i: (int(hashes[i]), self._bytes(int(selected[i])))
            )
        )

    def arrays(self, selected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The UTF-8 blob and offsets of the ``selected`` terms, in that order."""
        lengths = self.lengths[selected]
        offsets = np.zeros(selected.size + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return self.utf8[_spans(self.starts[selected], lengths)], offsets

    def _bytes(self, term: int) -> bytes:
        start = int(self.starts[term])
        return self.utf8[start : start + int(self.lengths[term])].tobytes()


def _term_bytes(batches: Sequence[Postings]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every batch's vocabulary bytes in one blob, with each term's start and length."""
    starts, lengths, shift = [], [], 0
    for batch in batches:
        offsets = batch.vocab_offsets.astype(np.int64)
        if offsets.size and (offsets[0] != 0 or bool(np.any(np.diff(offsets) < 0))):
            raise ValueError("vocabulary offsets are out of order")
        starts.append(offsets[:-1] + shift)
        lengths.append(np.diff(offsets))
        shift += int(batch.vocab_utf8.size)
    empty = np.zeros(0, dtype=np.int64)
    blob = np.concatenate([b.vocab_utf8 for b in batches] or [np.zeros(0, np.uint8)])
    return blob, np.concatenate(starts or [empty]), np.concatenate(lengths or [empty])


def _spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions of every byte of the spans ``starts[i] .. starts[i] + lengths[i]``."""
    total = int(lengths.sum())
    within = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + within


def _same_bytes(
    blob: np.ndarray, starts: np.ndarray, lengths: np.ndarray, left: np.ndarray, right: np.ndarray
) -> bool:
    """Whether term ``left[i]`` has the same bytes as term ``right[i]``, for every i."""
    differ = left != right
    left, right = left[differ], right[differ]
    if not np.array_equal(lengths[left], lengths[right]):
        return False
    for block in range(0, left.size, _COMPARED_TERMS):  # bounds the index arrays' memory
        a, b = left[block : block + _COMPARED_TERMS], right[block : block + _COMPARED_TERMS]
        if not np.array_equal(
            blob[_spans(starts[a], lengths[a])], blob[_spans(starts[b], lengths[b])]
        ):
            return False
    return True


def _scatter(
    postings: Postings,
    mapping: np.ndarray,
    new_ids: np.ndarray,
    counts: np.ndarray,
    next_slot: np.ndarray,
    chunks: np.ndarray,
    tfs: np.ndarray,
) -> None:
    """Writes one part's live postings after those of earlier parts, term by term."""
    new_chunks = mapping[postings.chunks]
    alive = new_chunks >= 0
    old_terms = np.repeat(np.arange(postings.n_terms), np.diff(postings.indptr))[alive]
    group_starts = np.cumsum(counts) - counts
    rank_in_term = np.arange(old_terms.size) - group_starts[old_terms]
    slots = next_slot[new_ids[old_terms]] + rank_in_term
    chunks[slots] = new_chunks[alive]
    tfs[slots] = postings.tfs[alive]
    present = counts > 0
    next_slot[new_ids[present]] += counts[present]


def _check_increasing(mappings: Iterator[np.ndarray]) -> None:
    last = -1
    for mapping in mappings:
        kept = mapping[mapping >= 0]
        if kept.size and (kept[0] <= last or bool(np.any(np.diff(kept) <= 0))):
            raise ValueError("merged parts must map their chunks to increasing new numbers")
        if kept.size:
            last = int(kept[-1])


def _batch(term_ids: array, lengths: array, first_chunk: int) -> _Batch:
    """Counts each term per chunk with one sort instead of a Counter per chunk."""
    terms = np.frombuffer(term_ids, dtype=np.int32).astype(np.int64)
    n_local = max(len(lengths), 1)
    local_chunks = np.repeat(
        np.arange(len(lengths), dtype=np.int64), np.frombuffer(lengths, dtype=np.int64)
    )
    keys, tfs = np.unique(terms * n_local + local_chunks, return_counts=True)
    return _Batch(
        terms=(keys // n_local).astype(np.int32),
        chunks=(keys % n_local + first_chunk).astype(np.int32),
        tfs=tfs.astype(np.int32),
    )


def _term_major(batches: list[_Batch], n_terms: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scatters chunk-ordered batches into CSR-over-terms postings, consuming the batches.

    Within a term, chunks stay in ascending order because batches arrive in chunk order.
    """
    doc_freqs = np.zeros(n_terms, dtype=np.int64)
    for batch in batches:
        doc_freqs += np.bincount(batch.terms, minlength=n_terms)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(doc_freqs, out=indptr[1:])
    chunks = np.empty(int(indptr[-1]), dtype=np.int32)
    tfs = np.empty(int(indptr[-1]), dtype=np.int32)
    next_slot = indptr[:-1].copy()
    batches.reverse()
    while batches:
        batch = batches.pop()
        counts = np.bincount(batch.terms, minlength=n_terms)
        rank_in_term = np.arange(batch.terms.size) - (np.cumsum(counts) - counts)[batch.terms]
        slots = next_slot[batch.terms] + rank_in_term
        chunks[slots] = batch.chunks
        tfs[slots] = batch.tfs
        next_slot += counts
    return indptr, chunks, tfs


def _reordered(
    indptr: np.ndarray, chunks: np.ndarray, tfs: np.ndarray, order: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same CSR postings with their terms (rows) taken in ``order``."""
    counts = np.diff(indptr)[order]
    new_indptr = np.zeros(order.size + 1, dtype=np.int64)
    np.cumsum(counts, out=new_indptr[1:])
    positions = np.repeat(indptr[:-1][order] - new_indptr[:-1], counts) + np.arange(
        int(new_indptr[-1])
    )
    return new_indptr, chunks[positions], tfs[positions]


def _hash_order(vocabulary: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each term's hash, and the order that sorts the vocabulary by hash (ties by bytes)."""
    hashes = np.fromiter(map(term_hash, vocabulary), dtype=np.uint64, count=len(vocabulary))
    order = np.argsort(hashes, kind="stable")
    sorted_hashes = hashes[order]
    if sorted_hashes.size > 1 and (sorted_hashes[1:] == sorted_hashes[:-1]).any():
        order = np.array(
            sorted(range(len(vocabulary)), key=lambda i: (hashes[i], vocabulary[i].encode()))
        )
    return hashes, order


def _vocabulary_arrays(terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [term.encode() for term in terms]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), offsets


def _check_shapes(arrays: Mapping[str, np.ndarray]) -> None:
    """Rejects arrays whose shapes cannot describe one batch of postings (checked in order)."""
    hashes, offsets, indptr = arrays["vocab_hashes"], arrays["vocab_offsets"], arrays["indptr"]
    n_terms = hashes.size
    checks = [
        (lambda: hashes.ndim == 1 and hashes.dtype == np.uint64, "vocab_hashes must be uint64"),
        (lambda: offsets.shape == (n_terms + 1,), "vocab_offsets size != terms + 1"),
        (lambda: int(offsets[-1]) == arrays["vocab_utf8"].size, "vocab_offsets end mismatch"),
        (lambda: arrays["lengths"].ndim == 1, "lengths must be one-dimensional"),
        (lambda: indptr.shape == (n_terms + 1,), "indptr size != terms + 1"),
        (lambda: arrays["chunks"].shape == arrays["tfs"].shape, "chunks and tfs differ in size"),
        (lambda: int(indptr[0]) == 0, "indptr must start at 0"),
        (lambda: int(indptr[-1]) == arrays["chunks"].size, "indptr end mismatch"),
        (lambda: not bool(np.any(hashes[1:] < hashes[:-1])), "vocabulary out of order"),
        (lambda: not bool(np.any(np.diff(indptr) < 0)), "indptr decreases"),
    ]
    for holds, reason in checks:
        if not holds():
            raise ValueError(f"inconsistent postings arrays: {reason}")
