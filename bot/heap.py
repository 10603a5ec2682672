"""Memory that stays flat in a process that answers for weeks.

Each question allocates a few large, short-lived arrays (BM25 scores over every chunk,
a term's postings as integers). glibc's allocator maps such an array on its own and
unmaps it when freed, but after the first such free it raises its threshold to that
size and carves later ones from the heap, where the holes they leave between
long-lived objects stay resident: a 5,000-question run on the 50 MB corpus held about
15 MB more that way, growing with the questions. A fixed threshold keeps large arrays
mapped on their own, so freeing one gives its pages back.

The cyclic garbage collector is set to run less often for the same reason: the answerer's
bounded memos hold tens of thousands of small objects that are replaced as questions come,
and at CPython's default it made a full pass over them (0.1–0.5 s) every hundred questions.
"""

from __future__ import annotations

import ctypes
import gc

# mallopt's parameter number for the mapping threshold (glibc's malloc.h) and its default.
_M_MMAP_THRESHOLD = -3
_THRESHOLD_BYTES = 128 * 1024
# Net allocations between collections of the youngest generation (CPython's default: 700).
_YOUNG_OBJECTS = 10_000


def steady_heap() -> bool:
    """Fixes the allocator's mapping threshold; False where the C library has no mallopt
    (or refuses it). The C library is the one the interpreter runs on, found without
    searching for it (``find_library`` would start a process)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _THRESHOLD_BYTES))


def steady_collector() -> None:
    """Raises the youngest generation's threshold; the older two keep their ratios, so a
    full collection comes ~14 times less often (measured: ``benchmarks/update_bench.py``
    and the README's "Updates to a live corpus")."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, _YOUNG_OBJECTS), middle, old)
