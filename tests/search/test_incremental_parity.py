"""After any sequence of adds, edits and removals, the updated index equals a fresh build."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval.search import corpus_cache
from retrieval.search.corpus_cache import IndexOptions, LoadedCorpus, load_corpus

WORDS = ["harbour", "ferry", "storm", "lantern", "gull", "tide", "pier", "rope", "sail", "dock"]
FILES = ["a.txt", "b.txt", "c.txt", "sub/d.txt", "e.md"]
SENTENCE = st.lists(st.sampled_from(WORDS), min_size=3, max_size=9).map(
    lambda words: " ".join(words).capitalize() + "."
)
TEXT = st.lists(SENTENCE, min_size=1, max_size=6).map(" ".join)
EDIT = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(FILES), TEXT),
    st.tuples(st.just("remove"), st.sampled_from(FILES), st.just("")),
)
QUERIES = [[word] for word in WORDS] + [["harbour", "storm", "storm"], ["ferri", "tide"]]


def fresh(root: Path) -> LoadedCorpus:
    with tempfile.TemporaryDirectory() as cache:
        return load_corpus(root, IndexOptions(), Path(cache), rebuild=True)


def assert_equal_indexes(updated: LoadedCorpus, built: LoadedCorpus) -> None:
    assert list(updated.corpus.sentences) == list(built.corpus.sentences)
    assert list(updated.corpus.chunks) == list(built.corpus.chunks)
    assert updated.index.n_chunks == built.index.n_chunks
    for terms in QUERIES:
        np.testing.assert_allclose(
            updated.index.scores(terms), built.index.scores(terms), rtol=1e-9, atol=1e-12
        )
        assert updated.index.idf(terms[0]) == pytest.approx(built.index.idf(terms[0]), rel=1e-9)
        assert [c for c, _ in updated.index.top_k(terms, 4)] == [
            c for c, _ in built.index.top_k(terms, 4)
        ]


def apply_edit(path: Path, action: str, text: str) -> None:
    """Writes ``text`` to the file, or removes it if it exists."""
    if action == "write":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    elif path.exists():
        path.unlink()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=TEXT, edits=st.lists(EDIT, min_size=1, max_size=6))
def test_random_edit_sequences_keep_the_index_equal_to_a_fresh_build(
    first: str, edits: list[tuple[str, str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_cache, "MAX_UNMERGED", 2)
    workspace = Path(tempfile.mkdtemp())
    try:
        root, cache = workspace / "corpus", workspace / "cache"
        root.mkdir()
        (root / "keep.txt").write_text(first, encoding="utf-8")
        load_corpus(root, IndexOptions(), cache)
        for action, name, text in edits:
            apply_edit(root / name, action, text)
            assert_equal_indexes(load_corpus(root, IndexOptions(), cache), fresh(root))
    finally:
        shutil.rmtree(workspace)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=TEXT,
    edits=st.lists(st.tuples(EDIT, st.booleans()), min_size=1, max_size=6),
)
def test_a_running_services_updates_and_later_merges_keep_the_index_equal_to_a_fresh_build(
    first: str, edits: list[tuple[tuple[str, str, str], bool]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a service over a corpus it treats as large: it leaves merges for later, run or not
    monkeypatch.setattr(corpus_cache, "MAX_UNMERGED", 2)
    monkeypatch.setattr(corpus_cache, "INLINE_MERGE_CHUNKS", 0)
    workspace = Path(tempfile.mkdtemp())
    try:
        root, cache = workspace / "corpus", workspace / "cache"
        root.mkdir()
        (root / "keep.txt").write_text(first, encoding="utf-8")
        served = load_corpus(root, IndexOptions(), cache)
        for (action, name, text), merge in edits:
            apply_edit(root / name, action, text)
            served = load_corpus(root, IndexOptions(), cache, previous=served)
            assert_equal_indexes(served, fresh(root))
            if merge and corpus_cache.compact_cache(root, IndexOptions(), cache):
                served = load_corpus(root, IndexOptions(), cache, previous=served)
                assert_equal_indexes(served, fresh(root))
    finally:
        shutil.rmtree(workspace)
