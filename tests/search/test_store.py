"""The store maps back exactly what was written, or raises a readable StoreError."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from retrieval.search.store import (
    StoreError,
    StoreInvalid,
    StoreMissing,
    read_meta,
    read_store,
    sweep_temp_files,
    verify_store,
    write_store,
)

ARRAYS = {
    "ids": np.arange(10, dtype=np.int32),
    "weights": np.linspace(0.0, 1.0, 6).reshape(2, 3),
    "text": np.frombuffer("naïve 東京".encode(), dtype=np.uint8),
    "scalar": np.array(3.5),
    "empty": np.zeros(0, dtype=np.int64),
    "flags": np.array([True, False]),
}
META = {"fingerprint": "corpus-v1", "chunks": 10, "note": "ünïcode"}


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    path = tmp_path / "index.qbs"
    write_store(path, ARRAYS, META)
    return path


def test_a_round_trip_returns_equal_arrays_and_meta(stored: Path) -> None:
    arrays, meta = read_store(stored)
    assert meta == META
    assert arrays.keys() == ARRAYS.keys()
    for name, array in ARRAYS.items():
        assert arrays[name].dtype == array.dtype
        np.testing.assert_array_equal(arrays[name], array)


def test_arrays_are_read_only_views_of_the_file(stored: Path) -> None:
    arrays, _ = read_store(stored)
    with pytest.raises(ValueError, match="read-only"):
        arrays["ids"][0] = 5


def test_write_returns_the_file_size(tmp_path: Path) -> None:
    path = tmp_path / "index.qbs"
    assert write_store(path, ARRAYS, META) == path.stat().st_size


def test_the_metadata_reads_without_the_arrays(stored: Path) -> None:
    assert read_meta(stored) == META


def test_write_creates_parent_directories(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "index.qbs"
    write_store(path, ARRAYS, META)
    assert read_store(path)[1] == META


def test_rewriting_replaces_the_store_and_leaves_no_temp_files(stored: Path) -> None:
    write_store(stored, {"ids": np.arange(3)}, {"fingerprint": "corpus-v2"})
    arrays, meta = read_store(stored)
    assert list(arrays) == ["ids"] and meta == {"fingerprint": "corpus-v2"}
    assert os.listdir(stored.parent) == [stored.name]


def test_a_missing_file_is_store_missing(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing):
        read_store(tmp_path / "absent.qbs")


@pytest.mark.parametrize("keep", [0, 10, 100, 0.5, 0.9])
def test_a_truncated_file_is_invalid(stored: Path, keep: float) -> None:
    data = stored.read_bytes()
    stored.write_bytes(data[: int(keep * len(data)) if isinstance(keep, float) else keep])
    with pytest.raises(StoreInvalid):
        read_store(stored)


def test_a_flipped_byte_in_the_header_is_invalid(stored: Path) -> None:
    data = stored.read_bytes()
    header_end = data.index(b"}}") + 2
    for position in range(0, header_end, 7):
        corrupt = bytearray(data)
        corrupt[position] ^= 0x01
        stored.write_bytes(bytes(corrupt))
        with pytest.raises(StoreInvalid) as raised:
            read_store(stored)
        assert "\n" not in str(raised.value)


def test_a_flipped_byte_in_any_array_fails_verification(stored: Path) -> None:
    data = stored.read_bytes()
    for name, array in ARRAYS.items():
        if not array.nbytes:
            continue
        position = data.rindex(array.tobytes())
        corrupt = bytearray(data)
        corrupt[position] ^= 0x01
        stored.write_bytes(bytes(corrupt))
        with pytest.raises(StoreInvalid, match=name):
            verify_store(stored)


def test_an_intact_store_passes_verification(stored: Path) -> None:
    verify_store(stored)


def test_a_foreign_file_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "foreign.npz"
    np.savez(path, ids=np.arange(3))
    with pytest.raises(StoreInvalid, match="not a quotebot store"):
        read_store(path)


def test_object_arrays_are_refused_on_write(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="plain numbers"):
        write_store(tmp_path / "x.qbs", {"objs": np.array([1, "a"], dtype=object)}, {})
    assert not list(tmp_path.iterdir())


def test_non_json_metadata_is_refused_on_write(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="JSON"):
        write_store(tmp_path / "x.qbs", ARRAYS, {"path": Path("/x")})


def test_a_path_under_a_file_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(StoreError, match="cannot write"):
        write_store(tmp_path / "file" / "index.qbs", ARRAYS, META)


def test_a_crashed_writers_temp_file_is_swept(tmp_path: Path) -> None:
    # given a temp file nobody holds, as a killed writer leaves it
    (tmp_path / ".index.qbs.abc.tmp").write_bytes(b"half a store")
    # when the folder is swept, then it is gone
    assert sweep_temp_files(tmp_path) == 1
    assert not list(tmp_path.iterdir())


def test_a_live_writers_temp_file_is_left_alone(tmp_path: Path) -> None:
    temp = tmp_path / ".index.qbs.abc.tmp"
    with open(temp, "wb") as file:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX)
        assert sweep_temp_files(tmp_path) == 0
    assert temp.exists()


def test_sigterm_during_a_write_leaves_no_temp_file(tmp_path: Path) -> None:
    # given a process writing a store slowly
    script = textwrap.dedent(
        f"""
        import time, numpy as np
        from pathlib import Path
        from retrieval.search import store
        def slow(file):
            file.write(b"x" * 1000)
            file.flush()
            print("writing", flush=True)
            time.sleep(30)
        store.atomic_write(Path({str(tmp_path / "index.qbs")!r}), slow)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    # when it is terminated
    child.send_signal(signal.SIGTERM)
    child.wait(timeout=20)
    # then it removed its temp file on the way out
    deadline = time.monotonic() + 5
    while list(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(tmp_path.iterdir())
