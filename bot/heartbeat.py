"""A running service's proof of life: a small file it rewrites every few seconds.

``quotebot health --heartbeat SECONDS`` reads its age, so a container probe learns whether
the bot itself is alive without starting a second copy of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from retrieval.search.store import StoreError, atomic_write

INTERVAL_SECONDS = 10.0


def beat(path: Path, documents: int) -> None:
    """Records that this process is alive now; a cache folder that cannot be written is ignored."""
    record = {"pid": os.getpid(), "time": time.time(), "documents": documents}
    data = json.dumps(record).encode()
    with contextlib.suppress(StoreError):
        atomic_write(path, lambda file: file.write(data))


def keep_beating(path: Path, documents: Callable[[], int]) -> threading.Event:
    """Beats now and every INTERVAL_SECONDS on a background thread until the event is set."""
    stop = threading.Event()

    def run() -> None:
        while True:
            beat(path, documents())
            if stop.wait(INTERVAL_SECONDS):
                return

    threading.Thread(target=run, name="quotebot-heartbeat", daemon=True).start()
    return stop


async def beat_forever(path: Path, documents: Callable[[], int]) -> None:
    """Beats from the event loop itself, so a loop that hangs stops beating."""
    while True:
        await asyncio.to_thread(beat, path, documents())
        await asyncio.sleep(INTERVAL_SECONDS)


def heartbeat_age(path: Path) -> float | None:
    """Seconds since the last beat, or None when no service has ever reported in."""
    try:
        record = json.loads(path.read_bytes())
        return max(time.time() - float(record["time"]), 0.0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
