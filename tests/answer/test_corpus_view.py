"""What the answerer reads about a corpus: titled documents, subjects, without reading files."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.answer.corpus_view import CorpusView
from retrieval.ingest.corpus import Corpus
from retrieval.search.corpus_cache import IndexOptions, load_corpus
from retrieval.search.local import LocalBackend
from tests.conftest import write_corpus


@pytest.fixture
def view(tmp_path: Path) -> CorpusView:
    folder = write_corpus(
        tmp_path / "corpus",
        {
            "ferries.md": "# Ferries\n\nThe ferry left at dawn. The ferry carried cars.",
            "bridges.md": "# Old bridges\n\nThe bridge opened in 1932.",
        },
    )
    loaded = load_corpus(folder, IndexOptions(), tmp_path / "cache")
    return CorpusView(LocalBackend(loaded.corpus, loaded.index))


def test_the_documents_a_question_titles_are_found_without_reading_files(
    view: CorpusView, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given document files that may not be read
    def unread(corpus: Corpus, doc_id: str) -> str:
        raise AssertionError(f"read {doc_id}")

    monkeypatch.setattr(Corpus, "text", unread)
    # when the documents titled by a question's terms are looked up, then none is read
    assert view.titled(["ferri", "timet"]) == ["ferries"]
    assert view.titled(["old", "bridg", "ferri"]) == ["bridges", "ferries"]


def test_a_document_subject_is_topical_and_a_passing_word_is_not(view: CorpusView) -> None:
    assert view.topical("ferries", ["ferri", "dawn"]) == [True, False]
