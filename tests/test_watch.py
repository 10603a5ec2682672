"""Following a folder: one report per settled change, by notification or by polling."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from retrieval.watch import FolderWatcher

WAIT = 15


class Reports:
    def __init__(self) -> None:
        self.count = 0
        self._changed = threading.Condition()

    def __call__(self) -> None:
        with self._changed:
            self.count += 1
            self._changed.notify_all()

    def wait_for(self, count: int) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.count >= count, timeout=WAIT)


@pytest.mark.parametrize("polling", [False, True])
def test_a_new_file_is_reported_once_the_folder_settles(tmp_path: Path, polling: bool) -> None:
    # given a watcher that has reported once on starting; when a file appears, it reports again
    reports = Reports()
    watcher = FolderWatcher(tmp_path, reports, debounce_seconds=0.2, polling=polling).start()
    try:
        assert reports.wait_for(1)  # the first report, as soon as it watches
        (tmp_path / "a.txt").write_text("The mill reopened.", encoding="utf-8")
        assert reports.wait_for(2)
    finally:
        watcher.stop()


def test_a_missing_folder_is_watched_once_it_appears(tmp_path: Path) -> None:
    # given a watcher of a folder that does not exist
    folder = tmp_path / "corpus"
    reports = Reports()
    watcher = FolderWatcher(folder, reports, debounce_seconds=0.2).start()
    try:
        time.sleep(0.5)
        assert reports.count == 0
        # when it appears with a file, then that is reported
        folder.mkdir()
        (folder / "a.txt").write_text("The mill reopened.", encoding="utf-8")
        assert reports.wait_for(1)
    finally:
        watcher.stop()


def test_a_folder_removed_and_restored_is_still_followed(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    reports = Reports()
    watcher = FolderWatcher(folder, reports, debounce_seconds=0.2).start()
    try:
        assert reports.wait_for(1)  # the first report, as soon as it watches
        shutil.rmtree(folder)
        time.sleep(1.0)
        reported = reports.count
        folder.mkdir()
        (folder / "a.txt").write_text("The mill reopened.", encoding="utf-8")
        assert reports.wait_for(reported + 1)
    finally:
        watcher.stop()


def test_a_failing_update_costs_a_warning_and_the_watcher_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    reports = Reports()

    def failing() -> None:
        reports()
        raise RuntimeError("disk on fire")

    watcher = FolderWatcher(tmp_path, failing, debounce_seconds=0.2).start()
    try:
        assert reports.wait_for(1)
        (tmp_path / "a.txt").write_text("one", encoding="utf-8")
        assert reports.wait_for(2)
    finally:
        watcher.stop()
    assert "could not update the index" in caplog.text and "disk on fire" in caplog.text
