"""Questions first: an update running beside a service gives way to the questions it answers.

The update worker runs on another core, but the two cores share memory bandwidth and
cache: a memory-bound loop on the other core slowed warm questions at 106k chunks by a
tenth at the median. So the worker, between two documents, waits while a question is
being answered, up to ``YIELD_SHARE`` times as long as the document took. With no
questions an update runs at full speed; under a steady stream of them at a quarter of it,
and it always finishes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.sharedctypes
import threading
import time
from collections.abc import Iterator
from typing import Any

YIELD_SHARE = 3.0
_POLL_SECONDS = 0.002

# In the service: how many questions are being answered, shared with its update worker.
_answering: Any = None
_creating = threading.Lock()
# In the update worker: the service's count (None in any other process).
_shared: Any = None


def answering_count() -> Any:
    """The service's shared count of questions being answered, made on first use."""
    global _answering
    with _creating:
        if _answering is None:
            _answering = multiprocessing.get_context("forkserver").Value("i", 0)
        return _answering


@contextlib.contextmanager
def answering() -> Iterator[None]:
    """Marks a question as being answered, for an update worker to give way to."""
    count = _answering
    if count is None:  # no update worker was started: nobody to tell
        yield
        return
    with count.get_lock():
        count.value += 1
    try:
        yield
    finally:
        with count.get_lock():
            count.value -= 1


def share(count: Any) -> None:
    """In a new update worker: the service's count to give way to."""
    global _shared
    _shared = count


def give_way(worked: float) -> None:
    """Between two documents of an update: waits while a question is being answered, at
    most ``YIELD_SHARE * worked`` seconds (no wait outside an update worker)."""
    shared = _shared
    if shared is None:
        return
    value = shared.get_obj()  # read without the lock: a stale count only waits a poll more
    deadline = time.monotonic() + YIELD_SHARE * worked
    while value.value > 0 and time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
