"""Following a corpus folder: a background thread that reports when its files have settled.

File-system notifications come from watchfiles (inotify, FSEvents, ReadDirectoryChangesW).
Where there are none (some network and container file systems, an exhausted inotify limit,
a folder that does not exist yet) it falls back to comparing a stat snapshot of the folder
every few seconds. A folder that is removed is waited for and watched again when it is back.
Either way a change is reported only after the folder has been quiet for the debounce
interval, so a file still being copied is read once it is whole; and one report is made as
soon as it watches, for whatever changed before it began.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("quotebot")

Snapshot = frozenset[tuple[str, int, int]] | None
RESCAN_SECONDS = 60.0


class FolderWatcher:
    """Calls ``on_change()`` in a background thread each time ``root`` settles after a change."""

    def __init__(
        self,
        root: Path,
        on_change: Callable[[], None],
        debounce_seconds: float = 1.0,
        polling: bool = False,
    ) -> None:
        self._root = root
        self._on_change = on_change
        self._debounce = debounce_seconds
        self._polling = polling
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="quotebot-watch", daemon=True)

    def start(self) -> FolderWatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    @property
    def polling(self) -> bool:
        """Whether it compares snapshots rather than receiving notifications."""
        return self._polling

    def _run(self) -> None:
        while not self._stop.is_set():
            if self._polling:
                self._polled()
                return
            if not self._root.is_dir():
                self._await_folder()
                continue
            try:
                self._notified()
                return
            except _Replaced:
                continue
            except Exception as error:  # any failure of the notifier leaves polling the work
                if self._stop.is_set():
                    return
                log.warning(
                    "no file notifications for %s (%s); checking it every %.1f s instead",
                    self._root,
                    error,
                    self._poll_interval,
                )
                self._polling = True

    def _await_folder(self) -> None:
        """Until the folder exists again (or the watcher stops), checking now and then."""
        while not self._root.is_dir() and not self._stop.wait(self._poll_interval):
            pass

    @property
    def _poll_interval(self) -> float:
        return max(self._debounce, 1.0)

    def _notified(self) -> None:
        import watchfiles

        quiet_ms = int(self._debounce * 1000)
        folder = _identity(self._root)
        watching = False
        last = time.monotonic()
        for changes in watchfiles.watch(
            self._root,
            stop_event=self._stop,
            step=quiet_ms,
            debounce=quiet_ms * 10,
            rust_timeout=max(quiet_ms, 100),
            yield_on_timeout=True,
            raise_interrupt=False,
            ignore_permission_denied=True,
        ):
            due = time.monotonic() - last > RESCAN_SECONDS
            if changes or not watching or due:
                # The first pass catches up on anything that changed before watching began;
                # a rescan now and then makes up for any notification the system lost.
                watching = True
                self._changed()
                last = time.monotonic()
            if _identity(self._root) != folder:
                raise _Replaced

    def _polled(self) -> None:
        seen = snapshot(self._root)
        self._changed()
        while not self._stop.wait(self._poll_interval):
            now = snapshot(self._root)
            if now == seen:
                continue
            while not self._stop.wait(self._debounce):
                settled = snapshot(self._root)
                if settled == now:
                    break
                now = settled
            seen = now
            self._changed()

    def _changed(self) -> None:
        try:
            self._on_change()
        except Exception as error:  # the service keeps serving its last index
            log.warning("could not update the index from %s: %s", self._root, error)


class _Replaced(Exception):
    """The watched folder was removed or replaced: notifications for it have ended."""


def _identity(root: Path) -> tuple[int, int] | None:
    try:
        stat = root.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def snapshot(root: Path) -> Snapshot:
    """Every file under ``root`` with its size and modification time; None when it is gone."""
    if not root.is_dir():
        return None
    found = set()
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            found.add((path, stat.st_size, stat.st_mtime_ns))
    return frozenset(found)
