"""The service facade: one consistent index per call, refreshed whole, never quoting a lie."""

from __future__ import annotations

import gc
import logging
import weakref
from pathlib import Path

import numpy as np
import pytest

from retrieval.errors import CorpusError
from retrieval.ingest import corpus as corpus_module
from retrieval.search import corpus_cache
from retrieval.search.corpus_cache import IndexOptions, corpus_directory
from retrieval.search.store import read_store, write_store
from retrieval.service import QAService
from tests.conftest import write_corpus

FERRY = "The ferry crossed the bay at dawn. It carried forty cars and a band."
PIER = "Rain fell on the pier all night."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", {"a.txt": FERRY, "b.txt": PIER})


def open_service(corpus: Path, cache: Path) -> QAService:
    return QAService.open(corpus, IndexOptions(), cache)


def tamper(corpus: Path, cache: Path, column: str, edit: object) -> None:
    """Rewrites one column of the cache and re-seals it, as a deliberate attacker would."""
    for path in corpus_directory(corpus, cache).glob("*.seg"):
        arrays, meta = read_store(path)
        arrays = {name: np.array(array) for name, array in arrays.items()}
        arrays[column] = edit(arrays[column])  # type: ignore[operator]
        write_store(path, arrays, meta)


def test_a_refresh_picks_up_added_changed_and_removed_files(corpus: Path, tmp_path: Path) -> None:
    service = open_service(corpus, tmp_path / "cache")
    (corpus / "c.txt").write_text("A kite rose over the dunes.", encoding="utf-8")
    (corpus / "a.txt").write_text("The ferry sank in the storm.", encoding="utf-8")
    (corpus / "b.txt").unlink()
    report = service.refresh()
    assert (report.added, report.changed, report.removed) == (["c.txt"], ["a.txt"], ["b.txt"])
    assert service.ask("What did the ferry do in the storm?").quotes[0].text == (
        "The ferry sank in the storm."
    )
    assert service.doc_ids() == ["a", "c"]


def test_answers_after_an_update_equal_a_fresh_services(corpus: Path, tmp_path: Path) -> None:
    # given a service that has answered questions (its memos warm)
    questions = ["What did the ferry carry?", "Where did rain fall?", "When did the kite rise?"]
    (corpus / "c.txt").write_text("A kite rose over the dunes at noon.", encoding="utf-8")
    service = open_service(corpus, tmp_path / "cache")
    for question in questions:
        service.ask(question)
    # when an edit to the first file moves the sentences of the others and is applied
    (corpus / "a.txt").write_text(f"{PIER} The gulls left. {FERRY}", encoding="utf-8")
    service.refresh()
    # then it answers as a service that read the corpus afresh
    fresh = open_service(corpus, tmp_path / "fresh-cache")
    assert [service.ask(q) for q in questions] == [fresh.ask(q) for q in questions]


def test_an_index_swapped_out_is_freed_without_the_cyclic_collector(
    corpus: Path, tmp_path: Path
) -> None:
    # given a service that has answered from its index, with the cyclic collector off
    service = open_service(corpus, tmp_path / "cache")
    service.ask("What fell on the pier?")
    served = service._state
    parts = [served.answerer._view, served.search, served.loaded.corpus, served.loaded.index]
    old = [weakref.ref(part) for part in parts]
    del served, parts
    gc.disable()
    try:
        # when an update swaps in a new index and a question is answered from it
        (corpus / "c.txt").write_text("A kite rose over the dunes.", encoding="utf-8")
        service.refresh()
        service.ask("What rose over the dunes?")
        # then nothing of the old index is left for the collector: it went at once
        assert [ref() for ref in old] == [None] * len(old)
    finally:
        gc.enable()


def test_a_merge_left_for_later_is_swapped_in_without_changing_answers(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a service over a corpus it treats as large (merges are left for later)
    monkeypatch.setattr(corpus_cache, "INLINE_MERGE_CHUNKS", 0)
    service = open_service(corpus, tmp_path / "cache")
    (corpus / "c.txt").write_text("A kite rose over the dunes.", encoding="utf-8")
    # when an update makes a merge due
    assert service.refresh().added == ["c.txt"]
    answer = service.ask("What rose over the dunes?")
    served = service.status()
    # then the update is served at once, and the merge lands in the background
    assert answer.quotes[0].text == "A kite rose over the dunes."
    service.settle(timeout=60)
    directory = corpus_directory(corpus, tmp_path / "cache")
    assert len(list(directory.glob("*.post"))) == 1
    assert service.status().cache_bytes != served.cache_bytes
    assert service.ask("What rose over the dunes?") == answer


def test_a_corpus_folder_moved_away_and_back_costs_no_rebuild(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # given a service whose corpus folder is moved away while it runs
    service = open_service(corpus, tmp_path / "cache")
    corpus.rename(tmp_path / "away")
    # when a question is asked, then it fails with one clear error and quotes nothing
    with pytest.raises(CorpusError, match="does not exist"):
        service.ask("What fell on the pier?")
    # and when the folder is back, the same question is answered, the cache untouched
    (tmp_path / "away").rename(corpus)
    with caplog.at_level(logging.WARNING, "quotebot"):
        answer = service.ask("What fell on the pier?")
    assert answer.quotes[0].text == PIER
    assert "rebuilding" not in caplog.text


def test_a_tampered_quote_text_is_never_shown(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # given a cache whose sentence texts were edited and re-sealed
    open_service(corpus, tmp_path / "cache")
    tamper(
        corpus,
        tmp_path / "cache",
        "sentence:text.utf8",
        lambda blob: np.frombuffer(blob.tobytes().replace(b"ferry", b"ARMSX"), np.uint8),
    )
    # when a question is answered from it
    service = open_service(corpus, tmp_path / "cache")
    with caplog.at_level(logging.WARNING, "quotebot"):
        answer = service.ask("What crossed the bay at dawn?")
    # then the quote is the file's own sentence, and the damage cost one warning and a rebuild
    assert answer.quotes[0].text == "The ferry crossed the bay at dawn."
    assert len([r for r in caplog.records if "damaged" in r.getMessage()]) == 1


def test_a_change_another_refresh_picked_up_first_is_not_taken_for_damage(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a service, and a file edited after it loaded
    service = open_service(corpus, tmp_path / "cache")
    (corpus / "a.txt").write_text("The ferry crossed the bay at noon.", encoding="utf-8")
    # and a watcher's refresh that lands just before the one a failed quote check starts
    refresh = service.refresh
    monkeypatch.setattr(service, "refresh", lambda rebuild=False: (refresh(), refresh(rebuild))[1])
    # when a question quotes the old text
    with caplog.at_level(logging.WARNING, "quotebot"):
        answer = service.ask("When did the ferry cross the bay?")
    # then the new text is quoted and the cache is not called damaged
    assert answer.quotes[0].text == "The ferry crossed the bay at noon."
    assert not [r for r in caplog.records if "damaged" in r.getMessage()]


def test_a_sentence_the_reader_itself_misreads_is_left_out_without_a_rebuild(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a service, and a fidelity check that rejects what the reader makes of a file
    service = open_service(corpus, tmp_path / "cache")
    monkeypatch.setattr(corpus_module, "faithful", lambda original, text: "ferry" not in text)
    # when a question would quote that sentence
    with caplog.at_level(logging.WARNING, "quotebot"):
        answer = service.ask("What crossed the bay at dawn?")
    # then it is left out with one warning naming the document, and the cache is not rebuilt
    assert all("ferry" not in quote.text for quote in answer.quotes)
    messages = [r.getMessage() for r in caplog.records]
    assert "a: a sentence read from it fails its check; left out" in messages
    assert not [m for m in messages if "damaged" in m]


def test_offsets_beyond_the_file_are_caught_when_read(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    open_service(corpus, tmp_path / "cache")
    tamper(corpus, tmp_path / "cache", "sentence:end", lambda ends: ends + 10_000)
    service = open_service(corpus, tmp_path / "cache")
    with caplog.at_level(logging.WARNING, "quotebot"):
        answer = service.ask("What crossed the bay at dawn?")
    assert answer.quotes[0].end <= len(FERRY)
    assert "damaged" in caplog.text


def test_a_source_outside_the_corpus_is_refused(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    open_service(corpus, tmp_path / "cache")

    def escape(blob: np.ndarray) -> np.ndarray:
        return np.frombuffer(blob.tobytes().replace(b"a.txt", b"../..."), np.uint8)

    tamper(corpus, tmp_path / "cache", "document:source.utf8", escape)
    with caplog.at_level(logging.WARNING, "quotebot"):
        service = open_service(corpus, tmp_path / "cache")
    assert service.document("a").source == "a.txt"
    assert "rebuilding" in caplog.text


def test_a_document_shows_only_opening_lines_its_file_holds(corpus: Path, tmp_path: Path) -> None:
    service = open_service(corpus, tmp_path / "cache")
    assert service.document("b").opening == PIER
    assert service.document("b").characters == len(PIER)
