"""A corpus's document texts: read from their files when needed, a bounded few kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.ingest import corpus as corpus_module
from retrieval.ingest.chunks import ChunkOptions
from retrieval.ingest.corpus import Corpus, build_corpus

PROSE = "The harbour opened in spring and the ships came from the north. " * 3


def _corpus(root: Path, names: list[str]) -> Corpus:
    for name in names:
        (root / f"{name}.txt").write_text(PROSE + "\n", encoding="utf-8")
    return build_corpus(root, ChunkOptions())


def test_texts_beyond_the_character_bound_are_read_from_their_files_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given three documents and room for the text of two of them
    corpus = _corpus(tmp_path, ["a", "b", "c"])
    monkeypatch.setattr(corpus_module, "_RECENT_CHARS", 2 * len(PROSE) + 10)
    for doc_id in ("a", "b", "c"):
        corpus.text(doc_id)
    # when the files of the oldest and of a kept one change
    for doc_id in ("a", "c"):
        (tmp_path / f"{doc_id}.txt").write_text("Changed.\n", encoding="utf-8")
    # then the oldest is read anew, the kept one is still the text read before
    assert corpus.text("a") == "Changed.\n"
    assert corpus.text("c") == PROSE + "\n"


def test_one_text_larger_than_the_bound_is_still_kept_until_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a bound smaller than any one document
    corpus = _corpus(tmp_path, ["a", "b"])
    monkeypatch.setattr(corpus_module, "_RECENT_CHARS", 10)
    corpus.text("a")
    # when its file changes, it is still the text just read; after another is read, the new one
    (tmp_path / "a.txt").write_text("Changed.\n", encoding="utf-8")
    assert corpus.text("a") == PROSE + "\n"
    corpus.text("b")
    assert corpus.text("a") == "Changed.\n"
