"""BM25Index scores and ranks exactly as rank_bm25.BM25Okapi does."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from retrieval.search.analysis import analyze
from retrieval.search.bm25 import BM25Index, IndexPart
from retrieval.search.postings import Postings

TERMS = st.sampled_from([f"t{i}" for i in range(12)])
DOC = st.lists(TERMS, max_size=12)
CORPUS = st.lists(DOC, min_size=1, max_size=25).filter(lambda docs: any(docs))
QUERY = st.lists(st.one_of(TERMS, st.just("unknown")), max_size=6)
PARAMS = st.tuples(st.floats(0.0, 3.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0))

REALISTIC_CORPUS = [
    "The Nation's pro-Vietnam editorial appeared in 2014 and drew 1,288 letters.",
    "Prices rose 6.15 percent; a ticket cost US$18 by the end of the year.",
    "The committee met in Hanoi. The committee published its report in March.",
    "",
    "Letters to the editor criticised the editorial for its pro-Vietnam stance.",
    "In 2015 the report was revised, and prices fell again.",
    "The editor resigned after the report; the nation debated the editorial for weeks.",
]
REALISTIC_QUESTIONS = [
    "When did the Nation publish the pro-Vietnam editorial?",
    "How much did a ticket cost?",
    "What did the committee publish, and when did the committee meet?",
    "Who resigned?",
    "What is it?",
    "zeppelin",
]


def rank_bm25_scores(reference: BM25Okapi, query: list[str]) -> np.ndarray:
    """rank_bm25's scores, summed term by term as it does, with its 0/0 NaNs read as 0.

    With k1 = 0, or b = 1 and an empty chunk, rank_bm25 computes 0 / 0 for a chunk lacking a
    query term; that term contributes nothing, which is what BM25Index returns.
    """
    scores = np.zeros(reference.corpus_size)
    with np.errstate(invalid="ignore"):
        for term in query:
            scores += np.nan_to_num(reference.get_scores([term]), nan=0.0)
    return scores


def ranked_by_rank_bm25(reference: BM25Okapi, query: list[str], k: int) -> list[int]:
    """rank_bm25's scores sorted desc, ties by index, among chunks that hold a query term."""
    scores = rank_bm25_scores(reference, query)
    holders = [i for i, doc in enumerate(reference.doc_freqs) if any(t in doc for t in query)]
    return sorted(holders, key=lambda i: (-scores[i], i))[:k]


@settings(max_examples=150, deadline=None)
@given(corpus=CORPUS, query=QUERY, params=PARAMS)
def test_scores_equal_rank_bm25_on_random_corpora(
    corpus: list[list[str]], query: list[str], params: tuple[float, float, float]
) -> None:
    k1, b, epsilon = params
    reference = BM25Okapi(corpus, k1=k1, b=b, epsilon=epsilon)
    index = BM25Index.from_token_lists(corpus, k1=k1, b=b, epsilon=epsilon)
    np.testing.assert_allclose(
        index.scores(query), rank_bm25_scores(reference, query), rtol=1e-9, atol=1e-12
    )


@settings(max_examples=150, deadline=None)
@given(corpus=CORPUS, query=QUERY, k=st.integers(1, 30))
def test_top_k_order_equals_sorted_rank_bm25_scores(
    corpus: list[list[str]], query: list[str], k: int
) -> None:
    reference = BM25Okapi(corpus)
    index = BM25Index.from_token_lists(corpus)
    ranked = [chunk for chunk, _ in index.top_k(query, k)]
    expected = ranked_by_rank_bm25(reference, query, k)
    # Chunks may swap only where rank_bm25's scores tie to rounding (-1e-17 against 0.0).
    scores = rank_bm25_scores(reference, query)
    assert len(ranked) == len(expected)
    np.testing.assert_allclose(scores[ranked], scores[expected], rtol=1e-9, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(corpus=CORPUS, query=QUERY)
def test_idf_equals_rank_bm25_idf(corpus: list[list[str]], query: list[str]) -> None:
    reference = BM25Okapi(corpus)
    index = BM25Index.from_token_lists(corpus)
    for term in query:
        assert index.idf(term) == pytest.approx(reference.idf.get(term, 0.0))


def test_repeated_query_terms_count_each_time() -> None:
    corpus = [["a", "b"], ["b", "c"], ["c", "d"], ["d"]]
    reference = BM25Okapi(corpus)
    index = BM25Index.from_token_lists(corpus)
    once, twice = index.scores(["a"]), index.scores(["a", "a"])
    np.testing.assert_allclose(twice, 2 * once)
    np.testing.assert_allclose(twice, reference.get_scores(["a", "a"]), rtol=1e-9)


def test_terms_in_most_chunks_get_rank_bm25s_epsilon_floor() -> None:
    corpus = [["common", "x"], ["common"], ["common", "y"], ["z"]]
    reference = BM25Okapi(corpus)
    index = BM25Index.from_token_lists(corpus)
    assert index.idf("common") == pytest.approx(reference.idf["common"], rel=1e-12)
    np.testing.assert_allclose(
        index.scores(["common", "x"]), reference.get_scores(["common", "x"]), rtol=1e-9
    )


def test_a_single_chunk_corpus_matches_rank_bm25() -> None:
    corpus = [["only", "chunk", "chunk"]]
    reference = BM25Okapi(corpus)
    index = BM25Index.from_token_lists(corpus)
    np.testing.assert_allclose(
        index.scores(["chunk", "only"]), reference.get_scores(["chunk", "only"]), rtol=1e-9
    )


def test_a_realistic_analyzed_corpus_matches_rank_bm25() -> None:
    corpus = [analyze(text) for text in REALISTIC_CORPUS]
    reference = BM25Okapi(corpus)
    index = BM25Index.from_token_lists(corpus)
    for question in REALISTIC_QUESTIONS:
        query = analyze(question)
        np.testing.assert_allclose(
            index.scores(query), reference.get_scores(query), rtol=1e-9, atol=1e-12
        )
        ranked = [chunk for chunk, _ in index.top_k(query, 5)]
        assert ranked == ranked_by_rank_bm25(reference, query, 5)


@settings(max_examples=150, deadline=None)
@given(
    corpus=CORPUS,
    query=QUERY,
    cuts=st.lists(st.integers(0, 25), max_size=3),
    dead=st.lists(st.booleans(), min_size=25, max_size=25),
    seed=st.integers(0, 2**16),
)
def test_parts_with_dead_chunks_score_as_rank_bm25_over_the_live_ones(
    corpus: list[list[str]], query: list[str], cuts: list[int], dead: list[bool], seed: int
) -> None:
    # given the chunks split into parts, some chunks dead, the live ones numbered in any order
    bounds = sorted({0, len(corpus), *(c for c in cuts if c < len(corpus))})
    parts = [
        IndexPart(Postings.from_token_lists(corpus[start:end]), start)
        for start, end in itertools.pairwise(bounds)
    ]
    live = np.array([not d for d in dead[: len(corpus)]])
    view = np.random.default_rng(seed).permutation(np.flatnonzero(live))
    live_corpus = [corpus[slot] for slot in view]
    if not any(live_corpus):
        return
    # when the index is built over them
    index = BM25Index(parts, live=live, view=view)
    # then it scores, ranks and weighs exactly as rank_bm25 over the live chunks in view order
    reference = BM25Okapi(live_corpus)
    np.testing.assert_allclose(
        index.scores(query), rank_bm25_scores(reference, query), rtol=1e-9, atol=1e-12
    )
    ranked = [chunk for chunk, _ in index.top_k(query, 10)]
    expected = ranked_by_rank_bm25(reference, query, 10)
    # Chunks may swap only where rank_bm25's scores tie to rounding (-1e-17 against 0.0).
    scores = rank_bm25_scores(reference, query)
    assert len(ranked) == len(expected)
    np.testing.assert_allclose(scores[ranked], scores[expected], rtol=1e-9, atol=1e-12)
    assert index.n_chunks == len(live_corpus)
