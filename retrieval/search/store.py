"""Saving and loading named numpy arrays plus JSON metadata, safely.

A store is one `.npz` file (a zip of `.npy` members, readable by `np.load`) written without
pickle. Its `__meta__.npy` member is UTF-8 JSON holding the format version, the caller's
metadata and a SHA-256 checksum over every array's name, dtype, shape and bytes. Writes are
atomic (temp file, fsync, rename), so a crash leaves the old store or the new one, never half.
A read either returns verified arrays or raises a `StoreError` with a one-line reason.

`meta["fingerprint"]` (optional string) identifies what the store was built from; a reader passes
the fingerprint it expects and gets `StoreInvalid` on a mismatch, meaning "rebuild".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

FORMAT_VERSION = 1
_META_NAME = "__meta__"


class StoreError(Exception):
    """A store could not be written or read."""


class StoreMissing(StoreError):
    """No store exists at the path (yet)."""


class StoreInvalid(StoreError):
    """The store exists but cannot be trusted: corrupt, tampered, stale or foreign."""


def write_store(path: Path, arrays: Mapping[str, np.ndarray], meta: dict[str, Any]) -> int:
    """Atomically writes `arrays` and JSON-able `meta` to `path`; returns the bytes written."""
    path = Path(path)
    plain = {name: _plain_array(name, array) for name, array in arrays.items()}
    envelope = {"format_version": FORMAT_VERSION, "checksum": _checksum(plain), "meta": meta}
    try:
        meta_bytes = json.dumps(envelope, sort_keys=True, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as err:
        raise StoreError(f"store metadata is not plain JSON: {err}") from err
    plain[_META_NAME] = np.frombuffer(meta_bytes, dtype=np.uint8)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, plain)
        return path.stat().st_size
    except OSError as err:
        raise StoreError(f"cannot write store {path}: {err.strerror or err}") from err


def read_store(
    path: Path, expected_fingerprint: str | None = None
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Reads and verifies a store; returns (arrays, meta) or raises StoreMissing/StoreInvalid."""
    path = Path(path)
    if not path.exists():
        raise StoreMissing(f"no store at {path}")
    arrays = _load_members(path)
    meta = _verified_meta(path, arrays)
    fingerprint = meta.get("fingerprint")
    if expected_fingerprint is not None and fingerprint != expected_fingerprint:
        raise StoreInvalid(
            f"store {path} was built from other inputs "
            f"(fingerprint {fingerprint!r}, expected {expected_fingerprint!r})"
        )
    return arrays, meta


def _plain_array(name: str, array: np.ndarray) -> np.ndarray:
    """Refuses names the format reserves and arrays that would need pickle."""
    if not isinstance(name, str) or not name or name == _META_NAME or "/" in name:
        raise StoreError(f"invalid array name {name!r}")
    plain = np.asarray(array, order="C")
    if plain.dtype.hasobject:
        raise StoreError(f"array {name!r} holds Python objects; stores never pickle")
    return plain


def _checksum(arrays: Mapping[str, np.ndarray]) -> str:
    """SHA-256 over each array's name, dtype, shape and data, in name order."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        array = np.asarray(arrays[name], order="C")
        header = json.dumps([name, array.dtype.str, list(array.shape)]).encode("utf-8")
        digest.update(struct.pack("<Q", len(header)) + header)
        digest.update(array.reshape(-1).view(np.uint8).data)
    return digest.hexdigest()


def _write_atomically(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Writes to a temp file beside `path`, fsyncs it, then renames it over `path`."""
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            _write_npz(file, arrays)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_directory(path.parent)


def _write_npz(file: BinaryIO, arrays: Mapping[str, np.ndarray]) -> None:
    """The `np.savez` layout, written member by member so array names are unrestricted."""
    with zipfile.ZipFile(file, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, array in arrays.items():
            with zf.open(f"{name}.npy", mode="w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def _fsync_directory(directory: Path) -> None:
    """Makes the rename durable where the platform allows syncing a directory."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _load_members(path: Path) -> dict[str, np.ndarray]:
    """Every member as an array; any zip/npy/IO failure becomes StoreInvalid."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except Exception as err:  # numpy and zipfile raise many types on corrupt input
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise StoreInvalid(f"store {path} is unreadable: {reason}") from err


def _verified_meta(path: Path, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    """Checks version and checksum, removing the metadata member from `arrays`."""
    raw = arrays.pop(_META_NAME, None)
    if raw is None or raw.dtype != np.uint8 or raw.ndim != 1:
        raise StoreInvalid(f"store {path} has no metadata")
    try:
        envelope = json.loads(raw.tobytes().decode("utf-8"))
    except ValueError as err:
        raise StoreInvalid(f"store {path} has unreadable metadata: {err}") from err
    if not isinstance(envelope, dict) or not isinstance(envelope.get("meta"), dict):
        raise StoreInvalid(f"store {path} has malformed metadata")
    if envelope.get("format_version") != FORMAT_VERSION:
        raise StoreInvalid(
            f"store {path} has format version {envelope.get('format_version')!r}, "
            f"expected {FORMAT_VERSION}"
        )
    if envelope.get("checksum") != _checksum(arrays):
        raise StoreInvalid(f"store {path} fails its checksum (corrupt or modified)")
    return envelope["meta"]
