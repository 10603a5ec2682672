"""Memory that stays flat in a process that answers for weeks.

Each question allocates a few large, short-lived arrays (BM25 scores over every chunk,
a term's postings as integers). glibc's allocator maps such an array on its own and
unmaps it when freed, but after the first such free it raises its threshold to that
size and carves later ones from the heap, where the holes they leave between
long-lived objects stay resident: a 5,000-question run on the 50 MB corpus held about
15 MB more that way, growing with the questions. A fixed threshold keeps large arrays
mapped on their own, so freeing one gives its pages back.
"""

from __future__ import annotations

import ctypes

# mallopt's parameter number for the mapping threshold (glibc's malloc.h) and its default.
_M_MMAP_THRESHOLD = -3
_THRESHOLD_BYTES = 128 * 1024


def steady_heap() -> bool:
    """Fixes the allocator's mapping threshold; False where the C library has no mallopt
    (or refuses it). The C library is the one the interpreter runs on, found without
    searching for it (``find_library`` would start a process)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _THRESHOLD_BYTES))
