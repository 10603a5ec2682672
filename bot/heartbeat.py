"""A running service's proof of life: a small file it rewrites every few seconds.

``quotebot health --heartbeat SECONDS`` reads its age, so a container probe learns whether
the bot itself is alive without starting a second copy of it.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

from retrieval.search.store import StoreError, atomic_write

INTERVAL_SECONDS = 10.0


def beat(path: Path, documents: int) -> None:
    """Records that this process is alive now; a cache folder that cannot be written is ignored."""
    record = {"pid": os.getpid(), "time": time.time(), "documents": documents}
    data = json.dumps(record).encode()
    with contextlib.suppress(StoreError):
        atomic_write(path, lambda file: file.write(data))


def heartbeat_age(path: Path) -> float | None:
    """Seconds since the last beat, or None when no service has ever reported in."""
    try:
        record = json.loads(path.read_bytes())
        return max(time.time() - float(record["time"]), 0.0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
