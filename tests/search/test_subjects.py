"""A document's subject terms: worked out at index time, stored, and checked when read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval.search.corpus_cache import IndexOptions, corpus_directory, load_corpus
from retrieval.search.store import StoreInvalid, read_store, write_store
from retrieval.search.subjects import plausible_terms, sentence_subjects, subject_terms
from tests.conftest import write_corpus

FERRY = (
    "The ferry left the harbour at dawn. The ferry carried forty cars. "
    "A band played on the deck. The ferry reached the island by noon."
)


def test_a_term_in_a_large_share_of_the_sentences_is_a_subject() -> None:
    sentences = [["ferri", "harbour"], ["ferri", "car"], ["band"]] + [["other"]] * 7
    assert "ferri" in subject_terms(sentences)


def test_a_term_in_one_sentence_only_is_never_a_subject() -> None:
    assert subject_terms([["ferri"], ["band"]]) == frozenset()


def test_a_term_in_too_small_a_share_is_not_a_subject() -> None:
    sentences = [["ferri"], ["ferri"]] + [["other"]] * 30
    assert "ferri" not in subject_terms(sentences)


@pytest.mark.parametrize("term", ["", "two words", "tab\there", "bell\x07", "line\nbreak"])
def test_a_term_the_analyzer_could_not_make_is_implausible(term: str) -> None:
    assert not plausible_terms(frozenset({"ferri", term}))


def test_analyzed_terms_are_plausible() -> None:
    assert plausible_terms(frozenset({"ferri", "__init__", "--release", "rc<t>", "café", "6.15"}))


def test_the_stored_subjects_are_those_of_the_documents_sentences(tmp_path: Path) -> None:
    # given a corpus indexed into the cache, then loaded from it
    folder = write_corpus(tmp_path / "corpus", {"a.txt": FERRY, "b.md": "# Pier\n\nRain fell."})
    load_corpus(folder, IndexOptions(), tmp_path / "cache")
    loaded = load_corpus(folder, IndexOptions(), tmp_path / "cache")
    assert loaded.from_cache
    # then each document's stored subjects equal those worked out from its sentences now
    corpus = loaded.corpus
    for document in corpus.documents:
        span = corpus.sentence_range(document.doc_id)
        expected = sentence_subjects(corpus.sentences[i] for i in span)
        assert corpus.subjects(document.doc_id) == expected
    assert "ferri" in corpus.subjects("a")


def test_a_tampered_subject_row_is_refused(tmp_path: Path) -> None:
    # given a cache whose segment was rewritten (valid checksums) with a control character
    # in a subject term
    folder = write_corpus(tmp_path / "corpus", {"a.txt": FERRY})
    load_corpus(folder, IndexOptions(), tmp_path / "cache")
    path = next(corpus_directory(folder, tmp_path / "cache").glob("*.seg"))
    arrays, meta = read_store(path)
    arrays = {name: np.array(array) for name, array in arrays.items()}
    blob = next(name for name in arrays if name.startswith("subjects:") and name.endswith(".utf8"))
    arrays[blob][0] = 0x07
    write_store(path, arrays, meta)
    loaded = load_corpus(folder, IndexOptions(), tmp_path / "cache")
    # when the answerer asks for the document's subjects, then the row is not served
    assert loaded.from_cache
    with pytest.raises(StoreInvalid):
        loaded.corpus.subjects("a")
