"""The store returns exactly what was written, or a readable StoreError."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from retrieval.search.store import (
    FORMAT_VERSION,
    StoreError,
    StoreInvalid,
    StoreMissing,
    read_store,
    write_store,
)

ARRAYS = {
    "ids": np.arange(10, dtype=np.int32),
    "weights": np.linspace(0.0, 1.0, 6).reshape(2, 3),
    "text": np.frombuffer("naïve 東京".encode(), dtype=np.uint8),
    "scalar": np.array(3.5),
    "empty": np.zeros(0, dtype=np.int64),
}
META = {"fingerprint": "corpus-v1", "chunks": 10, "note": "ünïcode"}


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    path = tmp_path / "index.npz"
    write_store(path, ARRAYS, META)
    return path


def rewrite_member(path: Path, name: str, array: np.ndarray) -> None:
    """Replaces one member in place, leaving the metadata (and its checksum) untouched."""
    with zipfile.ZipFile(path) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    with zipfile.ZipFile(path, "w") as zf:
        for filename, data in members.items():
            if filename == f"{name}.npy":
                with zf.open(filename, "w") as member:
                    np.lib.format.write_array(member, array)
            else:
                zf.writestr(filename, data)


def test_a_round_trip_returns_equal_arrays_and_meta(stored: Path) -> None:
    arrays, meta = read_store(stored)
    assert meta == META
    assert arrays.keys() == ARRAYS.keys()
    for name, array in ARRAYS.items():
        assert arrays[name].dtype == array.dtype
        np.testing.assert_array_equal(arrays[name], array)


def test_write_returns_the_file_size(tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    assert write_store(path, ARRAYS, META) == path.stat().st_size


def test_the_file_is_a_plain_npz(stored: Path) -> None:
    with np.load(stored, allow_pickle=False) as npz:
        np.testing.assert_array_equal(npz["ids"], ARRAYS["ids"])


def test_write_creates_parent_directories(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "index.npz"
    write_store(path, ARRAYS, META)
    assert read_store(path)[1] == META


def test_rewriting_replaces_the_store_and_leaves_no_temp_files(stored: Path) -> None:
    write_store(stored, {"ids": np.arange(3)}, {"fingerprint": "corpus-v2"})
    arrays, _ = read_store(stored, expected_fingerprint="corpus-v2")
    assert list(arrays) == ["ids"]
    assert os.listdir(stored.parent) == [stored.name]


def test_a_missing_file_is_store_missing(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing):
        read_store(tmp_path / "absent.npz")


def test_a_matching_fingerprint_is_accepted(stored: Path) -> None:
    assert read_store(stored, expected_fingerprint="corpus-v1")[1] == META


def test_a_fingerprint_mismatch_is_invalid(stored: Path) -> None:
    with pytest.raises(StoreInvalid, match="fingerprint"):
        read_store(stored, expected_fingerprint="corpus-v2")


@pytest.mark.parametrize("keep", [0, 10, 100, 0.5, 0.9])
def test_a_truncated_file_is_invalid(stored: Path, keep: float) -> None:
    data = stored.read_bytes()
    stored.write_bytes(data[: int(keep * len(data)) if isinstance(keep, float) else keep])
    with pytest.raises(StoreInvalid):
        read_store(stored)


def test_a_flipped_byte_in_any_array_is_invalid(stored: Path) -> None:
    data = stored.read_bytes()
    for name, array in ARRAYS.items():
        payload = array.tobytes() or b"\x93NUMPY"
        position = data.index(payload, data.index(f"{name}.npy".encode()))
        corrupt = bytearray(data)
        corrupt[position] ^= 0x01
        stored.write_bytes(bytes(corrupt))
        with pytest.raises(StoreInvalid):
            read_store(stored)


def test_a_flipped_byte_anywhere_is_invalid_or_harmless(stored: Path) -> None:
    """Zip bookkeeping (timestamps, local-header copies) may change; the data never may."""
    data = stored.read_bytes()
    for position in range(0, len(data), 3):
        corrupt = bytearray(data)
        corrupt[position] ^= 0xFF
        stored.write_bytes(bytes(corrupt))
        try:
            arrays, meta = read_store(stored)
        except StoreInvalid as invalid:
            assert "\n" not in str(invalid)
            continue
        assert meta == META
        for name, array in ARRAYS.items():
            np.testing.assert_array_equal(arrays[name], array)


def test_a_tampered_array_with_a_stale_checksum_is_invalid(stored: Path) -> None:
    rewrite_member(stored, "ids", np.arange(10, dtype=np.int32)[::-1].copy())
    with pytest.raises(StoreInvalid, match="checksum"):
        read_store(stored)


def test_a_removed_array_fails_the_checksum(stored: Path) -> None:
    with zipfile.ZipFile(stored) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist() if i.filename != "ids.npy"}
    with zipfile.ZipFile(stored, "w") as zf:
        for filename, data in members.items():
            zf.writestr(filename, data)
    with pytest.raises(StoreInvalid, match="checksum"):
        read_store(stored)


def test_another_format_version_is_invalid(stored: Path) -> None:
    with np.load(stored) as npz:
        envelope = json.loads(npz["__meta__"].tobytes())
    envelope["format_version"] = FORMAT_VERSION + 1
    rewrite_member(stored, "__meta__", np.frombuffer(json.dumps(envelope).encode(), np.uint8))
    with pytest.raises(StoreInvalid, match="version"):
        read_store(stored)


def test_a_foreign_npz_without_metadata_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "foreign.npz"
    np.savez(path, ids=np.arange(3))
    with pytest.raises(StoreInvalid, match="metadata"):
        read_store(path)


def test_a_pickled_member_is_invalid_not_unpickled(stored: Path) -> None:
    rewrite_member(stored, "ids", np.array([{"evil": 1}], dtype=object))
    with pytest.raises(StoreInvalid):
        read_store(stored)


def test_object_arrays_are_refused_on_write(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="pickle"):
        write_store(tmp_path / "x.npz", {"objs": np.array([1, "a"], dtype=object)}, {})
    assert not list(tmp_path.iterdir())


def test_non_json_metadata_is_refused_on_write(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="JSON"):
        write_store(tmp_path / "x.npz", ARRAYS, {"path": Path("/x")})


def test_the_reserved_metadata_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="name"):
        write_store(tmp_path / "x.npz", {"__meta__": np.arange(2)}, {})


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_an_unwritable_directory_is_a_store_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="cannot write"):
            write_store(locked / "index.npz", ARRAYS, META)
    finally:
        locked.chmod(0o700)


def test_a_path_under_a_file_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(StoreError, match="cannot write"):
        write_store(tmp_path / "file" / "index.npz", ARRAYS, META)
