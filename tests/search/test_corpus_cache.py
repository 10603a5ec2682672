"""The index cache: reused when valid, updated file by file, rebuilt (with one warning) when not."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pytest

from retrieval.ingest.chunks import ChunkOptions
from retrieval.search import corpus_cache, segment
from retrieval.search.bm25 import BM25Index
from retrieval.search.cache_check import check_cache
from retrieval.search.corpus_cache import (
    IndexOptions,
    LoadedCorpus,
    corpus_directory,
    load_corpus,
)
from retrieval.search.manifest import MANIFEST_NAME
from tests.conftest import write_corpus

TEXT = "The ferry crossed the bay at dawn. It carried forty cars and a band."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", {"a.txt": TEXT, "b.txt": "Rain fell on the pier."})


def load(corpus: Path, cache: Path, **kwargs: object) -> LoadedCorpus:
    return load_corpus(corpus, IndexOptions(), cache, **kwargs)  # type: ignore[arg-type]


def assert_same_as_fresh(loaded: LoadedCorpus, corpus: Path, tmp_path: Path) -> None:
    """The loaded corpus numbers, holds and scores everything as a fresh build does."""
    fresh = load(corpus, tmp_path / "fresh-cache", rebuild=True)
    assert [d.doc_id for d in loaded.corpus.documents] == [d.doc_id for d in fresh.corpus.documents]
    assert list(loaded.corpus.sentences) == list(fresh.corpus.sentences)
    assert list(loaded.corpus.chunks) == list(fresh.corpus.chunks)
    assert loaded.index.n_chunks == fresh.index.n_chunks
    assert loaded.index.vocabulary_size == fresh.index.vocabulary_size
    for terms in (["ferri"], ["rain", "pier"], ["bay", "dawn", "car"], ["glider"]):
        np.testing.assert_allclose(
            loaded.index.scores(terms), fresh.index.scores(terms), rtol=1e-9, atol=1e-12
        )
        ranked, expected = loaded.index.top_k(terms, 5), fresh.index.top_k(terms, 5)
        assert [chunk for chunk, _ in ranked] == [chunk for chunk, _ in expected]


def ingested_sources(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every file the cache hands to ingestion from now on."""
    seen: list[str] = []
    build = segment.build_segment

    def recording(job: segment.SegmentJob) -> segment.SegmentBuilt:
        seen.extend(job.sources)
        return build(job)

    monkeypatch.setattr(corpus_cache, "build_segment", recording)
    return seen


def test_a_second_load_comes_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    first = load(corpus, tmp_path / "cache")
    second = load(corpus, tmp_path / "cache")
    assert (first.from_cache, second.from_cache) == (False, True)
    assert list(second.corpus.sentences) == list(first.corpus.sentences)
    assert list(second.corpus.chunks) == list(first.corpus.chunks)
    assert second.index.scores(["ferri"]).tolist() == first.index.scores(["ferri"]).tolist()


def test_timeline_events_are_stored_with_the_index(tmp_path: Path) -> None:
    folder = write_corpus(
        tmp_path / "corpus", {"a.txt": "The old bridge over the river opened in March 1932."}
    )
    built = load(folder, tmp_path / "cache")
    cached = load(folder, tmp_path / "cache")
    assert cached.from_cache
    assert [e.value for e in cached.corpus.events("a")] == ["1932-03"]
    assert cached.corpus.events("a") == built.corpus.events("a")


def test_a_file_with_a_control_character_in_its_name_does_not_stop_the_cache(
    corpus: Path, tmp_path: Path
) -> None:
    # given a corpus with a file whose name holds a control character
    (corpus / "bell\x07.txt").write_text(TEXT, encoding="utf-8")
    # when it is loaded twice
    load(corpus, tmp_path / "cache")
    second = load(corpus, tmp_path / "cache")
    # then the second load comes from the saved cache, with that file
    assert second.from_cache
    assert "bell\x07.txt" in [d.source for d in second.corpus.documents]


def test_a_changed_document_is_never_served_stale(corpus: Path, tmp_path: Path) -> None:
    load(corpus, tmp_path / "cache")
    (corpus / "a.txt").write_text("The glider landed in the meadow.", encoding="utf-8")
    loaded = load(corpus, tmp_path / "cache")
    assert not loaded.from_cache
    assert loaded.corpus.sentences[0].text == "The glider landed in the meadow."
    assert loaded.changes.changed == ["a.txt"]


def test_only_new_and_changed_files_are_ingested_again(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a cached corpus of three documents
    (corpus / "c.txt").write_text("Snow covered the harbour wall.", encoding="utf-8")
    load(corpus, tmp_path / "cache")
    seen = ingested_sources(monkeypatch)
    # when one changes, one is added and one is removed
    (corpus / "a.txt").write_text("The glider landed in the meadow.", encoding="utf-8")
    (corpus / "d.txt").write_text("A kite rose over the dunes.", encoding="utf-8")
    (corpus / "b.txt").unlink()
    loaded = load(corpus, tmp_path / "cache")
    # then only those two files were read, and the corpus is what a fresh build gives
    assert sorted(seen) == ["a.txt", "d.txt"]
    assert (loaded.changes.added, loaded.changes.changed, loaded.changes.removed) == (
        ["d.txt"],
        ["a.txt"],
        ["b.txt"],
    )
    assert_same_as_fresh(loaded, corpus, tmp_path)


def test_a_touched_but_unchanged_file_is_not_ingested_again(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(corpus, tmp_path / "cache")
    seen = ingested_sources(monkeypatch)
    os.utime(corpus / "a.txt", ns=(1, 1))
    assert not load(corpus, tmp_path / "cache").changes.any
    assert seen == []


def test_a_metadata_change_ingests_only_the_documents_it_names(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(corpus, tmp_path / "cache")
    seen = ingested_sources(monkeypatch)
    (corpus / "metadata.toml").write_text('[b]\ntitle = "Pier weather"\n', encoding="utf-8")
    loaded = load(corpus, tmp_path / "cache")
    assert seen == ["b.txt"]
    assert loaded.corpus.document("b").title == "Pier weather"


def test_changed_chunk_settings_rebuild_the_index(corpus: Path, tmp_path: Path) -> None:
    load(corpus, tmp_path / "cache")
    other = IndexOptions(chunks=ChunkOptions(max_tokens=64, overlap=0))
    assert not load_corpus(corpus, other, tmp_path / "cache").from_cache


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
@pytest.mark.parametrize("target", ["manifest", "segment"])
def test_a_damaged_cache_is_rebuilt_with_one_warning(
    corpus: Path, tmp_path: Path, damage: str, target: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given a cache whose manifest or segment was damaged on disk
    load(corpus, tmp_path / "cache")
    directory = corpus_directory(corpus, tmp_path / "cache")
    path = directory / MANIFEST_NAME if target == "manifest" else next(directory.glob("*.seg"))
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 3] ^= 0x04
    else:
        data = bytearray(b"not an index at all")
    path.write_bytes(bytes(data))
    # when the corpus is loaded again
    with caplog.at_level(logging.WARNING, "quotebot"):
        loaded = load(corpus, tmp_path / "cache")
    # then it is rebuilt, correct, and the problem was reported once
    assert not loaded.from_cache
    assert loaded.corpus.sentences[0].text == "The ferry crossed the bay at dawn."
    assert len([r for r in caplog.records if "rebuilding" in r.getMessage()]) == 1


def test_a_random_garbage_cache_is_reported_without_numpy_jargon(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    load(corpus, tmp_path / "cache")
    for path in corpus_directory(corpus, tmp_path / "cache").glob("*.*"):
        path.write_bytes(os.urandom(512))
    with caplog.at_level(logging.WARNING, "quotebot"):
        assert load(corpus, tmp_path / "cache").corpus.documents
    assert "pickle" not in caplog.text
    assert "rebuilding" in caplog.text


def test_the_cache_never_lives_in_the_corpus_folder(corpus: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in corpus.iterdir())
    load(corpus, tmp_path / "cache")
    assert sorted(p.name for p in corpus.iterdir()) == before


def test_an_unwritable_cache_folder_costs_a_warning_not_the_answer(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with caplog.at_level(logging.WARNING, "quotebot"):
        loaded = load(corpus, blocker / "cache")
    assert loaded.corpus.documents
    assert not loaded.written and loaded.not_written
    assert "not saved" in caplog.text


def test_a_stale_cache_is_reported_in_no_warning(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    load(corpus, tmp_path / "cache")
    (corpus / "b.txt").write_text("Snow fell on the pier.", encoding="utf-8")
    with caplog.at_level(logging.WARNING, "quotebot"):
        loaded = load(corpus, tmp_path / "cache")
    assert loaded.changes.changed == ["b.txt"]
    assert not caplog.records


def test_an_unreadable_file_is_skipped_with_one_warning(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given a file that cannot be read (permission denied)
    denied = corpus / "b.txt"
    real_open = open

    def guarded_open(file: object, *args: object, **kwargs: object) -> object:
        if Path(str(file)) == denied:
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", guarded_open)
    # when the corpus is indexed
    with caplog.at_level(logging.WARNING, "quotebot"):
        loaded = load(corpus, tmp_path / "cache")
    # then the other documents load and the file costs one warning
    assert [d.doc_id for d in loaded.corpus.documents] == ["a"]
    assert [r.getMessage() for r in caplog.records if "b.txt" in r.getMessage()] == [
        f"skipping {denied}: Permission denied"
    ]


def deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Opening ``denied`` fails with permission denied from now on (stat still works)."""
    real_open = open

    def guarded_open(file: object, *args: object, **kwargs: object) -> object:
        if Path(str(file)) == denied:
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", guarded_open)


def test_an_indexed_file_that_becomes_unreadable_leaves_the_index_until_it_changes(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given an indexed file that changes and then cannot be read (permission denied)
    load(corpus, tmp_path / "cache")
    (corpus / "b.txt").write_text("Snow fell on the pier.", encoding="utf-8")
    deny(monkeypatch, corpus / "b.txt")
    # when the corpus is loaded twice
    with caplog.at_level(logging.WARNING, "quotebot"):
        first = load(corpus, tmp_path / "cache")
        second = load(corpus, tmp_path / "cache")
    # then it is out of the index (never served stale), with one warning in all
    assert first.changes.removed == ["b.txt"]
    assert [d.doc_id for d in second.corpus.documents] == ["a"]
    assert len([r for r in caplog.records if "b.txt" in r.getMessage()]) == 1
    # and once it can be read again (its change time moves), it is back
    monkeypatch.undo()
    os.chmod(corpus / "b.txt", 0o644)
    assert load(corpus, tmp_path / "cache").changes.added == ["b.txt"]


def test_a_new_unreadable_file_is_warned_about_once(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    load(corpus, tmp_path / "cache")
    (corpus / "c.txt").write_text("Gulls followed the ferry home.", encoding="utf-8")
    deny(monkeypatch, corpus / "c.txt")
    with caplog.at_level(logging.WARNING, "quotebot"):
        for _ in range(3):
            loaded = load(corpus, tmp_path / "cache")
    assert [d.doc_id for d in loaded.corpus.documents] == ["a", "b"]
    assert len([r for r in caplog.records if "c.txt" in r.getMessage()]) == 1


def test_a_file_replaced_by_a_folder_is_dropped_and_the_folders_files_indexed(
    corpus: Path, tmp_path: Path
) -> None:
    load(corpus, tmp_path / "cache")
    (corpus / "b.txt").unlink()
    (corpus / "b.txt").mkdir()
    (corpus / "b.txt" / "c.md").write_text("Snow covered the dunes.", encoding="utf-8")
    loaded = load(corpus, tmp_path / "cache")
    assert (loaded.changes.added, loaded.changes.removed) == (["b.txt/c.md"], ["b.txt"])
    assert_same_as_fresh(loaded, corpus, tmp_path)


def test_a_file_deleted_while_indexing_is_skipped(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given a file that vanishes after the folder was listed
    real_state = segment.file_state

    def vanishing(path: Path, source: str) -> segment.FileState:
        if source == "b.txt":
            path.unlink()
        return real_state(path, source)

    monkeypatch.setattr(segment, "file_state", vanishing)
    with caplog.at_level(logging.WARNING, "quotebot"):
        loaded = load(corpus, tmp_path / "cache")
    assert [d.doc_id for d in loaded.corpus.documents] == ["a"]
    assert "b.txt" in caplog.text


def test_a_broken_new_file_is_skipped_once_and_not_retried_until_it_changes(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (corpus / "c.txt").write_bytes(b"\x00\x01binary")
    with caplog.at_level(logging.WARNING, "quotebot"):
        load(corpus, tmp_path / "cache")
        warned = len(caplog.records)
        again = load(corpus, tmp_path / "cache")
    assert warned == 1 and len(caplog.records) == 1
    assert again.from_cache


def test_health_reads_the_cache_without_opening_it(corpus: Path, tmp_path: Path) -> None:
    assert check_cache(corpus, IndexOptions(), tmp_path / "cache").problem is not None
    load(corpus, tmp_path / "cache")
    healthy = check_cache(corpus, IndexOptions(), tmp_path / "cache")
    assert (healthy.problem, healthy.documents, healthy.pending) == (None, 2, 0)
    (corpus / "a.txt").write_text("Snow covered the harbour wall.", encoding="utf-8")
    (corpus / "b.txt").unlink()
    assert check_cache(corpus, IndexOptions(), tmp_path / "cache").pending == 2


def test_many_segments_are_merged_and_still_equal_a_fresh_build(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a cache updated one added file at a time, past the merge threshold
    monkeypatch.setattr(corpus_cache, "MAX_UNMERGED", 2)
    load(corpus, tmp_path / "cache")
    for number in range(5):
        (corpus / f"n{number}.txt").write_text(f"Gulls circled boat {number}.", encoding="utf-8")
        loaded = load(corpus, tmp_path / "cache")
    # then the postings were merged into a base, and nothing changed for searching
    directory = corpus_directory(corpus, tmp_path / "cache")
    assert len(list(directory.glob("*.post"))) <= 3
    assert_same_as_fresh(loaded, corpus, tmp_path)


def test_a_reader_that_panics_costs_only_its_file(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given a reader that panics on one file, as a native parser can (not an Exception)
    class Panic(BaseException):
        pass

    real = segment.ingest_file

    def panicking(path: Path, *args: object, **kwargs: object) -> object:
        if path.name == "b.txt":
            raise Panic("index out of bounds")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(segment, "ingest_file", panicking)
    with caplog.at_level(logging.WARNING, "quotebot"):
        loaded = load(corpus, tmp_path / "cache")
    assert [d.doc_id for d in loaded.corpus.documents] == ["a"]
    assert "its reader failed (Panic: index out of bounds)" in caplog.text


def test_a_large_ingest_is_cut_into_equal_runs_a_multiple_of_the_cores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(corpus_cache, "usable_cores", lambda: 2)
    sources = [f"doc-{n:03d}.txt" for n in range(90)]
    sizes = dict.fromkeys(sources, corpus_cache.SEGMENT_BYTES // 20)

    batches = corpus_cache._batches(sources, sizes)

    assert len(batches) == 6
    assert [source for batch in batches for source in batch] == sources
    assert {len(batch) for batch in batches} == {15}


def test_a_small_ingest_stays_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus_cache, "usable_cores", lambda: 2)
    sources = ["a.txt", "b.txt"]

    assert corpus_cache._batches(sources, dict.fromkeys(sources, 1000)) == [sources]


def test_a_running_services_update_ingests_in_a_worker_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a loaded corpus, and ingestion that would fail in this process
    served = load(corpus, tmp_path / "cache")

    def not_here(job: segment.SegmentJob) -> segment.SegmentBuilt:
        raise AssertionError("ingested in the service's own process")

    monkeypatch.setattr(segment, "build_segment", not_here)
    monkeypatch.setattr(corpus_cache, "build_segment", not_here)
    (corpus / "c.txt").write_text("Gulls followed the ferry home.", encoding="utf-8")
    # when the service updates
    updated = load(corpus, tmp_path / "cache", previous=served)
    # then the new file was read by a kept worker process
    assert updated.changes.added == ["c.txt"]
    assert "c" in [d.doc_id for d in updated.corpus.documents]
    assert corpus_cache.background_workers() is corpus_cache.background_workers()


def test_a_running_services_update_walks_the_folder_in_a_worker_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a loaded corpus, and a folder walk that would fail in this process
    served = load(corpus, tmp_path / "cache")

    def not_here(root: Path, follow_outside_links: bool) -> None:
        raise AssertionError("walked in the service's own process")

    monkeypatch.setattr(corpus_cache, "_scan", not_here)
    (corpus / "a.txt").unlink()
    # when the service updates, then the worker found what changed
    assert load(corpus, tmp_path / "cache", previous=served).changes.removed == ["a.txt"]


def test_a_running_services_update_counts_the_index_in_a_worker_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a loaded corpus, and BM25 counting that would fail in this process
    served = load(corpus, tmp_path / "cache")

    def not_here(index: BM25Index) -> None:
        raise AssertionError("counted in the service's own process")

    monkeypatch.setattr(BM25Index, "_counted", not_here)
    (corpus / "c.txt").write_text("Gulls followed the ferry home.", encoding="utf-8")
    # when the service updates
    updated = load(corpus, tmp_path / "cache", previous=served)
    monkeypatch.undo()
    # then it scores as a fresh build of the folder does
    terms = [corpus_cache.chunk_terms(updated.corpus, c) for c in updated.corpus.chunks]
    fresh = BM25Index.from_token_lists(terms)
    assert updated.index.vocabulary_size == fresh.vocabulary_size
    for term in terms[-1]:
        assert updated.index.doc_freq(term) == fresh.doc_freq(term)
        assert np.allclose(updated.index.scores([term]), fresh.scores([term]), atol=1e-9)


def test_a_workers_warnings_reach_the_services_log_once(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    served = load(corpus, tmp_path / "cache")
    with caplog.at_level(logging.WARNING, "quotebot"):
        for name in ("c.txt", "d.txt"):
            (corpus / name).write_bytes(b"\x00\x01binary")
            served = load(corpus, tmp_path / "cache", previous=served)
    assert len([r for r in caplog.records if "c.txt" in r.getMessage()]) == 1
    assert len([r for r in caplog.records if "d.txt" in r.getMessage()]) == 1


def served_large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat every corpus as large: a running service leaves merges for later."""
    monkeypatch.setattr(corpus_cache, "INLINE_MERGE_CHUNKS", 0)
    monkeypatch.setattr(corpus_cache, "MAX_UNMERGED", 1)


def served_with_a_merge_due(
    corpus: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> LoadedCorpus:
    """A corpus served as large, whose two updates left a merge due."""
    served_large(monkeypatch)
    served = load(corpus, cache)
    for name in ("c.txt", "d.txt"):
        (corpus / name).write_text(f"Gulls followed the ferry to {name}.", encoding="utf-8")
        served = load(corpus, cache, previous=served)
    return served


def test_a_running_services_update_leaves_a_due_merge_for_later(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a served corpus with one unmerged update already
    served_large(monkeypatch)
    served = load(corpus, tmp_path / "cache")
    (corpus / "c.txt").write_text("Gulls followed the ferry home.", encoding="utf-8")
    served = load(corpus, tmp_path / "cache", previous=served)
    # when another update makes a merge due
    (corpus / "d.txt").write_text("A kite rose over the dunes.", encoding="utf-8")
    updated = load(corpus, tmp_path / "cache", previous=served)
    # then the update is served unmerged, and says the merge is due
    directory = corpus_directory(corpus, tmp_path / "cache")
    assert updated.merge_due
    assert len(list(directory.glob("*.post"))) == 3
    assert_same_as_fresh(updated, corpus, tmp_path)


def test_a_merge_done_later_scores_as_a_fresh_build(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a served corpus whose updates left a merge due, one document replaced meanwhile
    served_large(monkeypatch)
    served = load(corpus, tmp_path / "cache")
    for name, text in (("c.txt", "Gulls followed the ferry."), ("a.txt", "The ferry sank.")):
        (corpus / name).write_text(text, encoding="utf-8")
        served = load(corpus, tmp_path / "cache", previous=served)
    # when the merge runs
    merged = corpus_cache.compact_cache(corpus, IndexOptions(), tmp_path / "cache")
    # then it is committed, the old postings are gone, and nothing changed for searching
    directory = corpus_directory(corpus, tmp_path / "cache")
    reloaded = load(corpus, tmp_path / "cache", previous=served)
    assert merged and not reloaded.merge_due
    assert not reloaded.same_index(served)
    assert len(list(directory.glob("*.post"))) == 1
    assert not list(directory.glob("*.pending"))
    assert_same_as_fresh(reloaded, corpus, tmp_path)


def test_an_update_made_while_a_merge_runs_is_kept(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a served corpus with a merge due
    served = served_with_a_merge_due(corpus, tmp_path / "cache", monkeypatch)
    # when a file changes and the service updates while the merge is being written
    merge = corpus_cache._merged

    def with_an_update_meanwhile(*args: object) -> object:
        monkeypatch.setattr(corpus_cache, "_merged", merge)
        merged = merge(*args)  # type: ignore[arg-type]
        (corpus / "b.txt").write_text("Snow fell on the pier.", encoding="utf-8")
        load(corpus, tmp_path / "cache", previous=served)
        return merged

    monkeypatch.setattr(corpus_cache, "_merged", with_an_update_meanwhile)
    assert corpus_cache.compact_cache(corpus, IndexOptions(), tmp_path / "cache")
    # then the merge is committed under the update, which stays
    reloaded = load(corpus, tmp_path / "cache")
    assert "Snow fell on the pier." in [s.text for s in reloaded.corpus.sentences]
    assert_same_as_fresh(reloaded, corpus, tmp_path)


def test_a_merge_overtaken_by_a_rebuild_is_dropped(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a served corpus with a merge due
    served_with_a_merge_due(corpus, tmp_path / "cache", monkeypatch)
    # when the cache is rebuilt while the merge is being written
    merge = corpus_cache._merged

    def with_a_rebuild_meanwhile(*args: object) -> object:
        monkeypatch.setattr(corpus_cache, "_merged", merge)
        merged = merge(*args)  # type: ignore[arg-type]
        load(corpus, tmp_path / "cache", rebuild=True)
        return merged

    monkeypatch.setattr(corpus_cache, "_merged", with_a_rebuild_meanwhile)
    # then the merge is not committed, and the rebuilt cache is intact
    assert not corpus_cache.compact_cache(corpus, IndexOptions(), tmp_path / "cache")
    directory = corpus_directory(corpus, tmp_path / "cache")
    assert not list(directory.glob("*.pending"))
    assert_same_as_fresh(load(corpus, tmp_path / "cache"), corpus, tmp_path)
