"""The index cache: reused when valid, rebuilt (with one warning) when not."""

import logging
import os
import stat
from pathlib import Path

import pytest

from retrieval.ingest.chunks import ChunkOptions
from retrieval.search.corpus_cache import IndexOptions, cache_file, load_corpus
from tests.conftest import write_corpus

TEXT = "The ferry crossed the bay at dawn. It carried forty cars and a band."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", {"a.txt": TEXT, "b.txt": "Rain fell on the pier."})


def test_a_second_load_comes_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    first = load_corpus(corpus, IndexOptions(), tmp_path / "cache")
    second = load_corpus(corpus, IndexOptions(), tmp_path / "cache")
    assert (first.from_cache, second.from_cache) == (False, True)
    assert second.corpus.sentences == first.corpus.sentences
    assert second.corpus.chunks == first.corpus.chunks
    assert second.index.scores(["ferri"]).tolist() == first.index.scores(["ferri"]).tolist()


def test_a_changed_document_is_never_served_stale(corpus: Path, tmp_path: Path) -> None:
    load_corpus(corpus, IndexOptions(), tmp_path / "cache")
    (corpus / "a.txt").write_text("The glider landed in the meadow.", encoding="utf-8")
    loaded = load_corpus(corpus, IndexOptions(), tmp_path / "cache")
    assert not loaded.from_cache
    assert loaded.corpus.sentences[0].text == "The glider landed in the meadow."


def test_changed_chunk_settings_rebuild_the_index(corpus: Path, tmp_path: Path) -> None:
    load_corpus(corpus, IndexOptions(), tmp_path / "cache")
    other = IndexOptions(chunks=ChunkOptions(max_tokens=64, overlap=0))
    assert not load_corpus(corpus, other, tmp_path / "cache").from_cache


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_cache_is_rebuilt_with_one_warning(
    corpus: Path, tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given a cache file that was damaged on disk
    load_corpus(corpus, IndexOptions(), tmp_path / "cache")
    path = cache_file(corpus, tmp_path / "cache")
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0xFF
    else:
        data = bytearray(b"not an index at all")
    path.write_bytes(bytes(data))
    # when the corpus is loaded again
    with caplog.at_level(logging.WARNING, "quotebot"):
        loaded = load_corpus(corpus, IndexOptions(), tmp_path / "cache")
    # then it is rebuilt, correct, and the problem was reported once
    assert not loaded.from_cache
    assert loaded.corpus.sentences[0].text == "The ferry crossed the bay at dawn."
    assert len([r for r in caplog.records if "rebuilding" in r.getMessage()]) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_a_read_only_corpus_folder_still_loads(corpus: Path, tmp_path: Path) -> None:
    corpus.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert load_corpus(corpus, IndexOptions(), tmp_path / "cache").corpus.documents
    finally:
        corpus.chmod(stat.S_IRWXU)


def test_the_cache_never_lives_in_the_corpus_folder(corpus: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in corpus.iterdir())
    load_corpus(corpus, IndexOptions(), tmp_path / "cache")
    assert sorted(p.name for p in corpus.iterdir()) == before


def test_an_unwritable_cache_folder_costs_a_warning_not_the_answer(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with caplog.at_level(logging.WARNING, "quotebot"):
        loaded = load_corpus(corpus, IndexOptions(), blocker / "cache")
    assert loaded.corpus.documents
    assert "not saved" in caplog.text


def test_a_stale_cache_is_reported_in_one_line(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    load_corpus(corpus, IndexOptions(), tmp_path / "cache")
    (corpus / "b.txt").write_text("Snow fell on the pier.", encoding="utf-8")
    with caplog.at_level(logging.WARNING, "quotebot"):
        load_corpus(corpus, IndexOptions(), tmp_path / "cache")
    assert [r.getMessage() for r in caplog.records if "out of date" in r.getMessage()]
    assert len(caplog.records) == 1
