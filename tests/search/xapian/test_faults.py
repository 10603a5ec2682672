"""A shard that is down, hung or restarted: partial answers, one warning, never a hang."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.ingest.corpus import build_corpus
from retrieval.search.analysis import analyze
from retrieval.search.corpus_cache import IndexOptions
from tests.conftest import SEEDS
from tests.search.xapian.servers import ServedCorpus, Server, require_xapian, served

# A fault must cost a question a few seconds at most; this bound only catches a hang.
ANSWER_WITHIN = 5.0
QUERY = analyze("When was the arms embargo lifted?")


@pytest.fixture
def fresh_served(tmp_path: Path) -> Iterator[ServedCorpus]:
    """Shards of the seeds on servers this test may stop and restart."""
    require_xapian()
    corpus = build_corpus(SEEDS, IndexOptions().chunks)
    yield from served(corpus, tmp_path / "shards", 2)


def _open(addresses: list[str]):  # type: ignore[no-untyped-def]
    from retrieval.search.xapian.remote import Remote
    from retrieval.search.xapian.remote_index import ShardIndex
    from retrieval.search.xapian.shards import ShardSet, ShardTimeouts

    shards = ShardSet([Remote.parse(a) for a in addresses], ShardTimeouts(connect=0.5, reply=0.5))
    return shards, ShardIndex(shards)


def _timed_top_k(index, terms: list[str]) -> list[tuple[int, float]]:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    found = index.top_k(terms, 10)
    assert time.monotonic() - started < ANSWER_WITHIN
    return found


def shard_of(doc_id: str, shards: int) -> int:
    from retrieval.search.xapian.layout import shard_of

    return shard_of(doc_id, shards)


def _shard_docs(served_corpus: ServedCorpus, hits: list[tuple[int, float]]) -> set[str]:
    return {served_corpus.corpus.chunks[chunk].doc_id for chunk, _ in hits}


def test_a_stopped_shard_leaves_answers_from_the_other_marked_partial(
    fresh_served: ServedCorpus, caplog: pytest.LogCaptureFixture
) -> None:
    shards, index = _open(fresh_served.addresses)
    complete = index.top_k(QUERY, 10)
    fresh_served.servers[1].stop()
    with caplog.at_level(logging.WARNING, logger="quotebot"):
        partial = _timed_top_k(index, QUERY)
        _timed_top_k(index, QUERY)
    assert partial and partial != complete
    assert {shard_of(doc_id, 2) for doc_id in _shard_docs(fresh_served, partial)} == {1}
    assert shards.unavailable() == [f"shard 2 ({fresh_served.servers[1].address})"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "shard 2" in warnings[0] and fresh_served.servers[1].address in warnings[0]


def test_a_restarted_shard_is_used_again_on_the_next_question(fresh_served: ServedCorpus) -> None:
    from retrieval.search.xapian import shards as shards_module

    shards, index = _open(fresh_served.addresses)
    complete = index.top_k(QUERY, 10)
    stopped: Server = fresh_served.servers[1]
    stopped.stop()
    index.top_k(QUERY, 10)
    stopped.start()
    time.sleep(shards_module.RETRY_SECONDS)
    assert index.top_k(QUERY, 10) == complete
    assert shards.unavailable() == []


def test_a_hung_shard_costs_a_timeout_not_a_hang(fresh_served: ServedCorpus) -> None:
    shards, index = _open(fresh_served.addresses)
    index.top_k(QUERY, 10)
    fresh_served.servers[0].signal(signal.SIGSTOP)
    try:
        found = _timed_top_k(index, QUERY)
    finally:
        fresh_served.servers[0].signal(signal.SIGCONT)
    assert found
    assert shards.unavailable() == [f"shard 1 ({fresh_served.servers[0].address})"]


def test_no_shard_reachable_is_one_clear_error(fresh_served: ServedCorpus) -> None:
    from retrieval.search.xapian.shards import SearchUnavailable

    _, index = _open(fresh_served.addresses)
    for server in fresh_served.servers:
        server.stop()
    with pytest.raises(SearchUnavailable, match=r"no Xapian shard is reachable.*shard 1.*shard 2"):
        index.top_k(QUERY, 10)


def test_starting_with_a_shard_down_answers_from_the_rest(fresh_served: ServedCorpus) -> None:
    fresh_served.servers[0].stop()
    shards, index = _open(fresh_served.addresses)
    assert _timed_top_k(index, QUERY)
    assert shards.unavailable() == [f"shard 1 ({fresh_served.servers[0].address})"]


def test_remotes_listed_out_of_order_are_refused(fresh_served: ServedCorpus) -> None:
    from retrieval.search.xapian.shards import SearchUnavailable

    with pytest.raises(SearchUnavailable, match="lists it as shard 1"):
        _open(list(reversed(fresh_served.addresses)))


def test_too_few_remotes_for_the_build_are_refused(fresh_served: ServedCorpus) -> None:
    from retrieval.search.xapian.shards import SearchUnavailable

    with pytest.raises(SearchUnavailable, match="one of 2 shards"):
        _open(fresh_served.addresses[:1])
