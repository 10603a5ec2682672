"""What the answerer reads about a corpus: titled documents, subjects, without reading files."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from retrieval.answer.corpus_view import CorpusView
from retrieval.ingest.corpus import Corpus
from retrieval.search.corpus_cache import IndexOptions, LoadedCorpus, load_corpus
from retrieval.search.local import LocalBackend
from tests.conftest import write_corpus

SITE = {
    "a-ferries.md": "# Ferries\n\nThe ferry left at dawn. The ferry carried cars.\n",
    "b-bridges.md": "# Old bridges\n\n## Stone\n\nThe bridge opened in 1932. It spans the gorge.\n",
    "c-tides.md": "# Tide tables\n\nThe tide turns twice a day. Spring tides run high.\n",
}
LATER = "\n## Later\n\nA second ferry joined it. Crossings doubled. The pier was rebuilt.\n"


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


def carried_view(
    folder: Path, cache: Path, edit: Callable[[], object]
) -> tuple[CorpusView, LoadedCorpus, dict[str, int]]:
    """A view that read every sentence, then one over the updated index carrying it over."""
    older = load_corpus(folder, IndexOptions(), cache)
    first = CorpusView(LocalBackend(older.corpus, older.index))
    for index in range(len(older.corpus.sentences)):
        first.facts(index)
    first.titled(["ferri"])
    edit()
    newer = load_corpus(folder, IndexOptions(), cache, previous=older)
    second = CorpusView(LocalBackend(newer.corpus, newer.index))
    moved = newer.moved_since(older)
    second.carry(first, moved)
    return second, newer, moved


def test_what_is_carried_over_an_update_equals_what_a_fresh_view_reads(tmp_path: Path) -> None:
    # given a view that read a corpus, and an edit to its first document that moves the
    # sentences of those after it
    folder = write_corpus(tmp_path / "corpus", SITE)
    edit = partial(write_corpus, folder, {"a-ferries.md": SITE["a-ferries.md"] + LATER})
    carried, newer, moved = carried_view(folder, tmp_path / "cache", edit)
    # when a view over the updated index carries the first one over
    fresh = CorpusView(LocalBackend(newer.corpus, newer.index))
    # then it knows the unchanged documents, moved, exactly as a fresh view reads them
    assert moved["c-tides"] > 0 and "a-ferries" not in moved
    for index in range(len(newer.corpus.sentences)):
        assert carried.facts(index) == fresh.facts(index)
    assert carried.titled(["ferri", "bridg"]) == fresh.titled(["ferri", "bridg"])


def test_only_the_changed_documents_sentences_are_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a view carried over an edit to one document
    folder = write_corpus(tmp_path / "corpus", SITE)
    edit = partial(write_corpus, folder, {"a-ferries.md": SITE["a-ferries.md"] + LATER})
    carried, newer, _ = carried_view(folder, tmp_path / "cache", edit)
    read: set[str] = set()
    ordinal = CorpusView._ordinal

    def counted(view: CorpusView, index: int) -> int:
        read.add(newer.corpus.sentences[index].doc_id)
        return ordinal(view, index)

    monkeypatch.setattr(CorpusView, "_ordinal", counted)
    # when every sentence's facts are asked for
    for index in range(len(newer.corpus.sentences)):
        carried.facts(index)
    # then only the edited document's sentences are worked out afresh
    assert read == {"a-ferries"}


def test_a_document_whose_metadata_changed_is_not_carried_over(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "corpus", SITE)
    renamed = partial(write_corpus, folder, {"metadata.toml": '[c-tides]\ntitle = "Tides"\n'})
    _, _, moved = carried_view(folder, tmp_path / "cache", renamed)
    assert sorted(moved) == ["a-ferries", "b-bridges"]
