"""A segment being built: documents analyzed as they come, written as the cache reads them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retrieval.ingest.chunks import ChunkOptions
from retrieval.ingest.corpus import IngestedDocument, ingest_document
from retrieval.ingest.pipeline import ingest_file
from retrieval.ingest.tokenizer import encoding
from retrieval.search.postings import Postings
from retrieval.search.segment import PendingSegment, Segment, analyzed_document, read_postings
from tests.conftest import write_corpus

TEXTS = {
    "a.md": "# Piers\n\nThe pier opened in 1901. It was rebuilt after the storm of 1953 🌊.\n",
    "b.txt": "Rain fell on the pier. The ferry ran on time.\n",
}


def ingested(tmp_path: Path) -> list[IngestedDocument]:
    root = write_corpus(tmp_path / "corpus", TEXTS)
    options = ChunkOptions()
    read = [ingest_file(root / name, root) for name in TEXTS]
    return [ingest_document(r, encoding(options.encoding), options) for r in read if r]


def test_a_pending_segment_holds_its_documents_without_their_texts(tmp_path: Path) -> None:
    # given two documents just ingested
    items = ingested(tmp_path)
    pending = PendingSegment()
    # when added to a segment being built
    for item in items:
        pending.add(item)
    # then it keeps their records and lengths, not their texts
    assert [held.document.text for held in pending.held] == ["", ""]
    assert [held.chars for held in pending.held] == [len(i.document.text) for i in items]
    assert [held.sentences for held in pending.held] == [i.sentences for i in items]
    assert pending.n_chunks == sum(len(i.chunks) for i in items)


def test_a_written_segment_reads_back_the_records_and_terms_of_what_was_added(
    tmp_path: Path,
) -> None:
    # given a segment built from two documents
    items = ingested(tmp_path)
    pending = PendingSegment()
    for item in items:
        pending.add(item)
    # when written and read back
    pending.write(tmp_path / "s", "settings")
    segment = Segment(tmp_path / "s.seg", "settings")
    postings = read_postings(tmp_path / "s", "settings")
    # then every record and every chunk's terms are those of the documents
    for row, item in enumerate(items):
        records = segment.records(row, tmp_path / "corpus")
        assert records.chars == len(item.document.text)
        assert [records.sentence(n) for n in range(records.n_sentences)] == item.sentences
        assert [records.chunk(n) for n in range(records.n_chunks)] == item.chunks
    terms = [chunk for item in items for chunk in analyzed_document(item)[0]]
    expected = Postings.from_token_lists(terms)
    for name, array in expected.to_arrays().items():
        np.testing.assert_array_equal(postings.to_arrays()[name], array, err_msg=name)
