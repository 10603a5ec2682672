"""BM25 over two live shards equals the in-process index (rank-bm25's BM25Okapi)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from retrieval.ingest.corpus import build_corpus
from retrieval.search.analysis import analyze
from retrieval.search.corpus_cache import IndexOptions
from tests.conftest import REPO, write_corpus
from tests.search.xapian.servers import ServedCorpus, require_xapian, served

if TYPE_CHECKING:
    from retrieval.search.xapian.remote_index import ShardIndex

RELATIVE = 1e-9


def _shard_index(served_corpus: ServedCorpus) -> ShardIndex:
    from retrieval.search.xapian.remote import Remote
    from retrieval.search.xapian.remote_index import ShardIndex
    from retrieval.search.xapian.shards import ShardSet

    return ShardIndex(ShardSet([Remote.parse(a) for a in served_corpus.addresses]))


def _questions() -> list[list[str]]:
    lines = (REPO / "tests/data/dev_questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [analyze(json.loads(line)["q"]) for line in lines if line.strip()]


def _assert_same_top_k(served_corpus: ServedCorpus, queries: list[list[str]], k: int) -> None:
    remote = _shard_index(served_corpus)
    for terms in queries:
        expected = served_corpus.index.top_k(terms, k)
        found = remote.top_k(terms, k)
        scores = served_corpus.index.scores(terms)
        assert [s for _, s in found] == pytest.approx([s for _, s in expected], rel=RELATIVE)
        for chunk, score in found:
            assert score == pytest.approx(scores[chunk], rel=RELATIVE, abs=1e-12)


@pytest.fixture(scope="module")
def common_words_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedCorpus]:
    """A corpus where a few words are in most chunks, so rank-bm25's idf floor applies."""
    require_xapian()
    rng = random.Random(7)
    common = ["river", "stone", "market", "lantern"]
    rare = [f"word{n}" for n in range(300)]
    files = {}
    for number in range(40):
        sentences = []
        for _ in range(rng.randint(3, 12)):
            words = rng.sample(common, 3) + rng.sample(rare, rng.randint(2, 9))
            rng.shuffle(words)
            sentences.append(" ".join(words).capitalize() + ".")
        files[f"part{number:02d}.txt"] = " ".join(sentences)
    root = write_corpus(tmp_path_factory.mktemp("common"), files)
    corpus = build_corpus(root, IndexOptions().chunks)
    yield from served(corpus, tmp_path_factory.mktemp("common-shards"), 2)


def test_scores_equal_the_in_process_index_for_every_dev_question(
    seeds_served: ServedCorpus,
) -> None:
    _assert_same_top_k(seeds_served, _questions(), k=24)


def test_scores_equal_the_in_process_index_when_terms_are_in_most_chunks(
    common_words_served: ServedCorpus,
) -> None:
    rng = random.Random(11)
    vocabulary = ["river", "stone", "market", "lantern", *(f"word{n}" for n in range(300))]
    queries = [analyze(" ".join(rng.sample(vocabulary, rng.randint(1, 6)))) for _ in range(100)]
    index = common_words_served.index
    assert index.doc_freq("river") > index.n_chunks / 2  # rank-bm25's floor gives its idf
    _assert_same_top_k(common_words_served, queries, k=10)


def test_a_repeated_query_term_counts_again(seeds_served: ServedCorpus) -> None:
    _assert_same_top_k(seeds_served, [["embargo", "embargo", "lift"]], k=10)


def test_term_statistics_are_global_across_shards(seeds_served: ServedCorpus) -> None:
    remote = _shard_index(seeds_served)
    assert remote.n_chunks == seeds_served.index.n_chunks
    for term in ["embargo", "vietnam", "war", "nosuchterm"]:
        assert remote.doc_freq(term) == seeds_served.index.doc_freq(term)


def test_a_document_filter_keeps_only_its_chunks(seeds_served: ServedCorpus) -> None:
    remote = _shard_index(seeds_served)
    corpus = seeds_served.corpus
    wanted = corpus.documents[1].doc_id
    found = remote.top_k(analyze("trade agreement"), 10, docs=[wanted])
    assert found
    assert {corpus.chunks[chunk].doc_id for chunk, _ in found} == {wanted}


def test_unknown_terms_find_nothing(seeds_served: ServedCorpus) -> None:
    assert _shard_index(seeds_served).top_k(["zzzunknown"], 5) == []


def test_shards_of_one_build_split_the_documents(seeds_served: ServedCorpus) -> None:
    from retrieval.search.xapian.remote import Remote
    from retrieval.search.xapian.shards import ShardSet

    shards = ShardSet([Remote.parse(a) for a in seeds_served.addresses])
    per_shard = [shards.run_on(k, lambda db: db.get_doccount()) for k in (1, 2)]
    assert sum(per_shard) == len(seeds_served.corpus.chunks)
    assert all(per_shard)
