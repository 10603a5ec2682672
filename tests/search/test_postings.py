"""Postings: raw term counts per chunk, found by term, stored as plain arrays, merged exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval.search import postings as postings_module
from retrieval.search.postings import Postings, PostingsBuilder
from retrieval.search.store import read_store, write_store

CORPUS = [["apple", "banana"], ["banana", "cherry", "cherry"], ["cherry", "date"], []]


def counts(postings: Postings, term: str) -> dict[int, int]:
    term_id = postings.find(term)
    if term_id < 0:
        return {}
    chunks, tfs = postings.slice(term_id)
    return dict(zip(chunks.tolist(), tfs.tolist(), strict=True))


def test_each_term_lists_its_chunks_with_their_counts() -> None:
    postings = Postings.from_token_lists(CORPUS)
    assert counts(postings, "cherry") == {1: 2, 2: 1}
    assert counts(postings, "zeppelin") == {}
    assert postings.lengths.tolist() == [2, 3, 2, 0]


def test_live_doc_freqs_follow_chunks_dying_and_coming_back() -> None:
    # given postings counted once with some chunks dead
    rng = np.random.default_rng(3)
    corpus = [[f"t{t}" for t in rng.integers(0, 30, rng.integers(1, 12))] for _ in range(300)]
    postings = Postings.from_token_lists(corpus)
    masks = [rng.random(300) > share for share in (0.1, 0.3, 0.3, 0.05)]
    masks[2] = masks[1] & (rng.random(300) > 0.2)  # more die, none come back
    # when counted again as chunks die and (last) come back
    for live in masks:
        # then each count is what a fresh count of the live chunks gives
        expected = [
            sum(1 for c in range(300) if live[c] and postings.term(t) in corpus[c])
            for t in range(postings.n_terms)
        ]
        assert postings.live_doc_freqs(live).tolist() == expected


def test_building_in_many_batches_equals_building_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    corpus = [[f"t{t}" for t in rng.zipf(1.5, rng.integers(0, 20)) % 50] for _ in range(200)]
    whole = Postings.from_token_lists(corpus)
    monkeypatch.setattr(postings_module, "_BATCH_TOKENS", 7)
    batched = Postings.from_token_lists(corpus)
    for name, array in whole.to_arrays().items():
        np.testing.assert_array_equal(batched.to_arrays()[name], array, err_msg=name)


def test_any_unicode_term_survives_the_store(tmp_path: Path) -> None:
    terms = ["naïve", "東京", "a\nb", ""]
    write_store(tmp_path / "p", Postings.from_token_lists([terms]).to_arrays(), {})
    arrays, _ = read_store(tmp_path / "p")
    restored = Postings.from_arrays(arrays)
    assert all(counts(restored, term) == {0: 1} for term in terms)


def test_missing_arrays_are_a_value_error() -> None:
    arrays = Postings.from_token_lists(CORPUS).to_arrays()
    del arrays["tfs"]
    with pytest.raises(ValueError, match="tfs"):
        Postings.from_arrays(arrays)


def test_inconsistent_arrays_are_a_value_error() -> None:
    arrays = Postings.from_token_lists(CORPUS).to_arrays()
    arrays["chunks"] = arrays["chunks"][:-1]
    with pytest.raises(ValueError, match="inconsistent"):
        Postings.from_arrays(arrays)


def test_postings_naming_a_chunk_that_does_not_exist_are_refused() -> None:
    arrays = Postings.from_token_lists(CORPUS).to_arrays()
    arrays["chunks"] = arrays["chunks"] + 10
    postings = Postings.from_arrays(arrays)
    with pytest.raises(ValueError, match="do not exist"):
        postings.slice(postings.find("apple"))


def test_merging_renumbers_and_drops_chunks_without_reanalysis() -> None:
    first = Postings.from_token_lists(CORPUS)
    second = Postings.from_token_lists([["date", "elder"], ["apple"]])
    merged = Postings.merge([(first, np.array([0, -1, 1, 2])), (second, np.array([3, 4]))], 5)
    expected = Postings.from_token_lists(
        [CORPUS[0], CORPUS[2], CORPUS[3], ["date", "elder"], ["apple"]]
    )
    for name, array in expected.to_arrays().items():
        np.testing.assert_array_equal(merged.to_arrays()[name], array, err_msg=name)


def random_chunks(seed: int, count: int) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    return [[f"t{t}" for t in rng.zipf(1.3, rng.integers(0, 30)) % 400] for _ in range(count)]


def merged_equals_built(batches: list[list[list[str]]]) -> None:
    """Merging batches (every third chunk dropped) equals building what is left at once."""
    parts, kept, next_number = [], [], 0
    for batch in batches:
        mapping = np.full(len(batch), -1, dtype=np.int64)
        for number, chunk in enumerate(batch):
            if number % 3 != 1:
                mapping[number] = next_number
                next_number += 1
                kept.append(chunk)
        parts.append((Postings.from_token_lists(batch), mapping))
    merged = Postings.merge(parts, next_number)
    expected = Postings.from_token_lists(kept)
    for name, array in expected.to_arrays().items():
        np.testing.assert_array_equal(merged.to_arrays()[name], array, err_msg=name)


def test_merging_many_batches_equals_building_the_live_chunks_at_once() -> None:
    merged_equals_built([random_chunks(seed, 60) for seed in range(5)])


def test_terms_whose_hashes_collide_stay_apart_in_a_merge(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a hash under which some different terms collide
    real = postings_module.term_hash
    monkeypatch.setattr(postings_module, "term_hash", lambda term: real(term) % 7)
    # then merged postings still hold every term on its own
    merged_equals_built([random_chunks(seed, 40) for seed in range(3)])


def test_a_merge_that_would_reorder_chunks_is_refused() -> None:
    first = Postings.from_token_lists(CORPUS[:2])
    with pytest.raises(ValueError, match="increasing"):
        Postings.merge([(first, np.array([1, 0]))], 2)


def test_a_builder_fed_chunk_by_chunk_numbers_them_in_the_order_they_came() -> None:
    # given a builder given each chunk's terms in turn
    builder = PostingsBuilder()
    for terms in CORPUS:
        builder.add(iter(terms))
    # when built
    built = builder.build()
    # then it holds what the lists at once give, each chunk under its place in the order
    whole = Postings.from_token_lists(CORPUS)
    for name, array in whole.to_arrays().items():
        np.testing.assert_array_equal(built.to_arrays()[name], array, err_msg=name)
    assert counts(built, "banana") == {0: 1, 1: 1}
