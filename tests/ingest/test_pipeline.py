"""The per-file pipeline: what a reader's fault costs."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from retrieval.ingest import pipeline
from retrieval.ingest.pipeline import ingest_file
from retrieval.models import Sentence


def test_a_sentence_outside_its_file_is_left_out_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given a reader that gives one sentence a span past the end of the file
    (tmp_path / "a.txt").write_text("The harbour opened in spring. Ships came.\n")
    real = pipeline.sentences_of

    def stray(doc_id: str, blocks: list) -> list[Sentence]:
        found = real(doc_id, blocks)
        return [*found[:-1], dataclasses.replace(found[-1], start=500, end=400)]

    monkeypatch.setattr(pipeline, "sentences_of", stray)
    # when the file is ingested
    with caplog.at_level(logging.WARNING, logger="quotebot"):
        ingested = ingest_file(tmp_path / "a.txt", tmp_path)
    # then the stray sentence is gone, the rest kept, and one warning says so
    assert ingested is not None
    assert [s.text for s in ingested.sentences] == ["The harbour opened in spring."]
    assert [r.message for r in caplog.records] == [
        f"{tmp_path / 'a.txt'}: 1 sentences left out (offsets out of place)"
    ]


def test_a_sentence_placed_before_the_one_it_follows_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a reader that places the second sentence at the first one's offsets
    (tmp_path / "a.txt").write_text("Update the file. Update the file. Ships came.\n")
    real = pipeline.sentences_of

    def misplaced(doc_id: str, blocks: list) -> list[Sentence]:
        first, second, third = real(doc_id, blocks)
        return [first, dataclasses.replace(second, start=first.start, end=first.end), third]

    monkeypatch.setattr(pipeline, "sentences_of", misplaced)
    # when the file is ingested
    ingested = ingest_file(tmp_path / "a.txt", tmp_path)
    # then the sentences kept run forward through the file
    assert ingested is not None
    assert [s.text for s in ingested.sentences] == ["Update the file.", "Ships came."]
