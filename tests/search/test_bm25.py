"""BM25Index behaviour beyond parity: edges, filters and helpers."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.search.analysis import analyze
from retrieval.search.bm25 import BM25Index

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
