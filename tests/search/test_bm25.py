"""BM25Index behaviour beyond parity: edges, filters, helpers and persistence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval.search import bm25
from retrieval.search.analysis import analyze
from retrieval.search.bm25 import BM25Index
from retrieval.search.store import read_store, write_store

CORPUS = [
    ["apple", "banana"],
    ["banana", "cherry", "cherry"],
    ["cherry", "date"],
    [],
    ["apple", "date", "date", "elder"],
]


@pytest.fixture
def index() -> BM25Index:
    return BM25Index.from_token_lists(CORPUS)


def test_an_empty_query_finds_nothing(index: BM25Index) -> None:
    assert index.top_k([], 3) == []
    assert not index.scores([]).any()


def test_a_stop_word_only_question_finds_nothing(index: BM25Index) -> None:
    assert index.top_k(analyze("What is it and where was it?"), 3) == []


def test_unknown_terms_contribute_nothing(index: BM25Index) -> None:
    assert index.top_k(["zeppelin"], 3) == []
    assert index.top_k(["zeppelin", "elder"], 3) == index.top_k(["elder"], 3)


def test_k_larger_than_the_corpus_returns_every_matching_chunk(index: BM25Index) -> None:
    results = index.top_k(["cherry", "apple"], 100)
    assert sorted(chunk for chunk, _ in results) == [0, 1, 2, 4]


def test_a_non_positive_k_returns_nothing(index: BM25Index) -> None:
    assert index.top_k(["apple"], 0) == []


def test_results_are_best_first_with_scores_from_scores(index: BM25Index) -> None:
    results = index.top_k(["date", "banana"], 3)
    scores = index.scores(["date", "banana"])
    assert [score for _, score in results] == sorted((s for _, s in results), reverse=True)
    assert all(score == scores[chunk] for chunk, score in results)


def test_ties_are_broken_by_lower_chunk_index() -> None:
    given = BM25Index.from_token_lists([["x", "y"], ["z", "w"], ["x", "y"], ["x", "y"]])
    assert [chunk for chunk, _ in given.top_k(["x"], 2)] == [0, 2]


def test_a_boolean_mask_restricts_candidates(index: BM25Index) -> None:
    mask = np.array([False, False, True, True, True])
    assert [chunk for chunk, _ in index.top_k(["cherry", "apple"], 5, doc_filter=mask)] == [2, 4]


def test_chunk_indices_restrict_candidates(index: BM25Index) -> None:
    assert [chunk for chunk, _ in index.top_k(["cherry", "apple"], 5, doc_filter=[0, 1])] == [1, 0]


def test_an_empty_filter_returns_nothing(index: BM25Index) -> None:
    assert index.top_k(["apple"], 5, doc_filter=[]) == []


@pytest.mark.parametrize(
    "bad_filter", [[7], [-1], np.array([True, False]), np.array([0.5])], ids=str
)
def test_an_invalid_filter_is_a_value_error(index: BM25Index, bad_filter: object) -> None:
    with pytest.raises(ValueError, match="doc_filter"):
        index.top_k(["apple"], 5, doc_filter=bad_filter)  # type: ignore[arg-type]


def test_an_empty_corpus_is_searchable() -> None:
    empty = BM25Index.from_token_lists([])
    assert empty.n_chunks == 0
    assert empty.scores(["a"]).shape == (0,)
    assert empty.top_k(["a"], 3) == []


def test_a_corpus_of_empty_chunks_scores_zero() -> None:
    blank = BM25Index.from_token_lists([[], []])
    assert blank.scores(["a"]).tolist() == [0.0, 0.0]
    assert blank.top_k(["a"], 3) == []


def test_a_term_in_most_chunks_can_score_below_zero_yet_still_ranks() -> None:
    given = BM25Index.from_token_lists([["a"], ["a"], ["a"]])
    results = given.top_k(["a"], 3)
    assert [chunk for chunk, _ in results] == [0, 1, 2]
    assert all(score < 0 for _, score in results)


def test_helpers_describe_the_corpus(index: BM25Index) -> None:
    assert index.n_chunks == 5
    assert index.vocabulary_size == 5
    assert index.doc_freq("cherry") == 2
    assert index.doc_freq("zeppelin") == 0
    assert index.idf("elder") > index.idf("cherry") > 0
    assert index.idf("zeppelin") == 0.0


def test_token_lists_may_be_streamed_from_a_generator() -> None:
    streamed = BM25Index.from_token_lists(list(doc) for doc in CORPUS)
    np.testing.assert_array_equal(
        streamed.scores(["date"]), BM25Index.from_token_lists(CORPUS).scores(["date"])
    )


def test_building_in_many_batches_equals_building_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    corpus = [[f"t{t}" for t in rng.zipf(1.5, rng.integers(0, 20)) % 50] for _ in range(200)]
    whole = BM25Index.from_token_lists(corpus)
    monkeypatch.setattr(bm25, "_BATCH_TOKENS", 7)
    monkeypatch.setattr(bm25, "_WEIGHT_BLOCK", 5)
    batched = BM25Index.from_token_lists(corpus)
    for name, array in whole.to_arrays().items():
        np.testing.assert_array_equal(batched.to_arrays()[name], array, err_msg=name)


def test_arrays_round_trip_to_an_equal_index(index: BM25Index) -> None:
    restored = BM25Index.from_arrays(index.to_arrays())
    assert restored.top_k(["date", "cherry"], 5) == index.top_k(["date", "cherry"], 5)
    assert restored.idf("apple") == index.idf("apple")


def test_arrays_are_plain_and_keep_any_unicode_term() -> None:
    terms = ["naïve", "東京", "a\nb", ""]
    given = BM25Index.from_token_lists([terms])
    arrays = given.to_arrays()
    assert not any(array.dtype.hasobject for array in arrays.values())
    assert BM25Index.from_arrays(arrays).doc_freq("東京") == 1
    assert BM25Index.from_arrays(arrays).doc_freq("a\nb") == 1


def test_an_index_survives_the_store(index: BM25Index, tmp_path: Path) -> None:
    write_store(tmp_path / "bm25.npz", index.to_arrays(), {"fingerprint": "corpus-v1"})
    arrays, _ = read_store(tmp_path / "bm25.npz", expected_fingerprint="corpus-v1")
    assert BM25Index.from_arrays(arrays).top_k(["apple"], 5) == index.top_k(["apple"], 5)


def test_missing_arrays_are_a_value_error(index: BM25Index) -> None:
    arrays = index.to_arrays()
    del arrays["postings_weights"]
    with pytest.raises(ValueError, match="postings_weights"):
        BM25Index.from_arrays(arrays)


def test_inconsistent_arrays_are_a_value_error(index: BM25Index) -> None:
    arrays = index.to_arrays()
    arrays["postings_chunks"] = arrays["postings_chunks"][:-1]
    with pytest.raises(ValueError, match="inconsistent"):
        BM25Index.from_arrays(arrays)
