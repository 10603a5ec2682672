"""The cyclic garbage collector held back while a batch of documents is ingested.

Ingestion allocates millions of small objects (sentences, chunks, blocks, term tuples) and
holds a segment's worth of them until the segment is written. At CPython's default young
threshold (700 net allocations) the collector keeps passing over them, and its full passes
over everything a worker holds (its term memos too) took about 4% of a worker's CPU time on
the generated corpora. A worker process is started afresh (forkserver), so it does not have
the threshold a service sets for itself (``bot.heap``). What ingestion leaves as cyclic
garbage (a parser and its event target, each pointing to the other) is small and still
collected, only less often.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Net allocations between collections of the youngest generation while ingesting; the
# older two keep their ratios.
INGEST_YOUNG_OBJECTS = 10_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raises the youngest generation's threshold for the duration, then restores it."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, INGEST_YOUNG_OBJECTS), middle, old)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)
