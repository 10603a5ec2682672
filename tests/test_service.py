"""The service facade: one consistent index per call, refreshed whole, never quoting a lie."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

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
