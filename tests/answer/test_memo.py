"""The answerer's bounded memo: read once, oldest out first, entries readable."""

from __future__ import annotations

from retrieval.answer.memo import Memo


def test_a_key_is_read_once() -> None:
    reads: list[int] = []
    memo = Memo(lambda key: reads.append(key) or key * 2, size=4)
    assert [memo(3), memo(3), memo(5)] == [6, 6, 10]
    assert reads == [3, 5]


def test_the_oldest_entries_go_once_the_bound_is_reached() -> None:
    memo = Memo(lambda key: -key, size=2)
    for key in (1, 2, 3):
        memo(key)
    assert memo.entries() == {2: -2, 3: -3}


def test_entries_are_a_copy() -> None:
    memo = Memo(lambda key: key, size=2)
    memo(1)
    memo.entries().clear()
    assert memo.entries() == {1: 1}


def test_a_memo_is_full_at_its_bound() -> None:
    memo = Memo(lambda key: key, size=2)
    memo(1)
    assert not memo.full
    memo(2)
    assert memo.full
