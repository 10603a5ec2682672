"""An update in the background gives way to the questions being answered, but finishes."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from retrieval.search import questions_first


@pytest.fixture
def in_a_worker(monkeypatch: pytest.MonkeyPatch) -> object:
    """A service's count, shared with this process as with its update worker."""
    monkeypatch.setattr(questions_first, "_answering", None)
    count = questions_first.answering_count()
    monkeypatch.setattr(questions_first, "_shared", count)
    return count


def returns(call: Callable[[], None]) -> bool:
    """Whether ``call()`` returns within a minute (it runs in a thread of its own)."""
    done = threading.Event()

    def run() -> None:
        call()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done.wait(60)


def test_outside_an_update_worker_nothing_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(questions_first, "_shared", None)
    monkeypatch.setattr(questions_first, "_answering", None)
    with questions_first.answering():
        assert returns(lambda: questions_first.give_way(worked=3600.0))


def test_a_question_being_answered_is_counted(in_a_worker: object) -> None:
    with questions_first.answering():
        assert in_a_worker.value == 1  # type: ignore[attr-defined]
    assert in_a_worker.value == 0  # type: ignore[attr-defined]


def test_an_update_waits_until_the_question_is_answered(in_a_worker: object) -> None:
    # given a question being answered in another thread
    started, release = threading.Event(), threading.Event()

    def ask() -> None:
        with questions_first.answering():
            started.set()
            release.wait(60)

    asking = threading.Thread(target=ask)
    asking.start()
    started.wait(60)
    threading.Timer(0.2, release.set).start()
    # when the update gives way, then it goes on only once the question is answered
    answered_first: list[bool] = []

    def update() -> None:
        questions_first.give_way(worked=3600.0)
        answered_first.append(release.is_set())

    assert returns(update)
    assert answered_first == [True]
    asking.join()


def test_an_update_gives_way_only_so_long(in_a_worker: object) -> None:
    # given a question that is not answered yet, when the update gives way after a short
    # document, then it goes on all the same
    with questions_first.answering():
        assert returns(lambda: questions_first.give_way(worked=0.001))
