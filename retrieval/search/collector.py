"""The cyclic garbage collector held back while a batch of documents is ingested.

Ingestion allocates millions of small objects (sentences, chunks, blocks, term tuples) and
holds a segment's worth of them until the segment is written. A worker process is started
afresh (forkserver), so it does not have the threshold a service sets for itself
(``bot.heap``): at CPython's default young threshold (700 net allocations) the collector
took 7-8% of a worker's CPU time indexing the generated 100 MB corpus, 27-29 full passes
over everything a worker holds (its term memos too). At 10,000 it took 3%, at 100,000 1.3%:
a document's own objects are then mostly freed before a pass would meet them. What
ingestion leaves as cyclic garbage (a parser and its event target, pointing to each other)
is small and still collected, only less often.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Net allocations between collections of the youngest generation while ingesting (about
# a generated 100 KB document's); the older two keep their ratios.
INGEST_YOUNG_OBJECTS = 100_000

# Batches being ingested in this process's threads, and the thresholds from before the
# first: the last to finish restores those, whatever order they finish in.
_lock = threading.Lock()
_running = 0
_before = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raises the youngest generation's threshold for the duration, then restores it."""
    global _running, _before
    with _lock:
        if not _running:
            _before = gc.get_threshold()
            young, middle, old = _before
            gc.set_threshold(max(young, INGEST_YOUNG_OBJECTS), middle, old)
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if not _running:
                gc.set_threshold(*_before)
