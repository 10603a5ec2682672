"""The Xapian backend serves what the local one does, from two live shards and no corpus."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from retrieval.search.analysis import analyze
from retrieval.search.local import LocalBackend
from retrieval.timeline.records import EventRecord
from tests.search.xapian.servers import ServedCorpus

if TYPE_CHECKING:
    from retrieval.search.xapian.backend import XapianBackend


@pytest.fixture
def local(seeds_served: ServedCorpus) -> LocalBackend:
    return LocalBackend(seeds_served.corpus, seeds_served.index)


@pytest.fixture
def remote(seeds_served: ServedCorpus) -> XapianBackend:
    from retrieval.search.xapian.backend import XapianBackend

    return XapianBackend.connect(seeds_served.addresses, reply_timeout=2.0)


def test_every_sentence_and_chunk_is_the_local_one(
    local: LocalBackend, remote: XapianBackend
) -> None:
    assert remote.n_sentences == local.n_sentences
    assert [remote.sentence(i) for i in range(local.n_sentences)] == [
        local.sentence(i) for i in range(local.n_sentences)
    ]
    assert [remote.chunk(i) for i in range(local.n_chunks)] == [
        local.chunk(i) for i in range(local.n_chunks)
    ]


def test_a_sentence_index_past_the_corpus_is_an_index_error(remote: XapianBackend) -> None:
    with pytest.raises(IndexError):
        remote.sentence(remote.n_sentences)
    with pytest.raises(IndexError):
        remote.sentence(-1)


def test_documents_are_listed_and_read_as_locally(
    local: LocalBackend, remote: XapianBackend
) -> None:
    assert remote.doc_ids() == local.doc_ids()
    assert remote.document_infos() == local.document_infos()
    for doc_id in local.doc_ids():
        expected = local.document(doc_id)
        assert remote.document(doc_id) == dataclasses.replace(expected, path=Path(expected.source))
        assert remote.sentence_range(doc_id) == local.sentence_range(doc_id)


def test_an_unknown_document_is_a_key_error(remote: XapianBackend) -> None:
    with pytest.raises(KeyError):
        remote.document("no/such/document")


def test_top_chunks_match_with_and_without_a_document_filter(
    local: LocalBackend, remote: XapianBackend
) -> None:
    terms = analyze("normalization of diplomatic relations")
    assert [c for c, _ in remote.top_k(terms, 5)] == [c for c, _ in local.top_k(terms, 5)]
    docs = local.doc_ids()[2:4]
    assert [c for c, _ in remote.top_k(terms, 5, docs)] == [
        c for c, _ in local.top_k(terms, 5, docs)
    ]
    assert remote.unavailable() == []


def test_the_timeline_events_stored_in_the_shards_are_the_local_ones(
    local: LocalBackend, remote: XapianBackend
) -> None:
    def key(event: EventRecord) -> tuple[str, int, int]:
        return (event.doc_id, event.sentence, event.date_start)

    assert sorted(remote.events(), key=key) == sorted(local.events(), key=key)
    assert remote.events()
