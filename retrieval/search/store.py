"""Named numpy arrays plus JSON metadata in one file that a process maps instead of reading.

Layout: 8 magic bytes, a little-endian u64 header length, a UTF-8 JSON header, then every
array's raw bytes at a 64-byte-aligned offset. The header lists each array's dtype, shape,
offset and SHA-256, carries the caller's metadata, and is itself checksummed. Reading maps
the file once and returns zero-copy views, so opening a store costs the header, not the data;
pages are read when they are touched. Only plain numeric and boolean dtypes are allowed:
nothing is ever pickled.

Integrity is checked in two steps: `read_store` verifies the header checksum and that every
array lies inside the file with the size its dtype and shape demand (cheap); `verify_store`
re-hashes every array (a full read, done by ``quotebot index``, not on every start).

Writes are atomic (temp file, fsync, rename). A writer holds an exclusive lock on its temp
file, so `sweep_temp_files` can tell a crashed writer's leftovers from a live one's; temp
files are also removed when the process exits or is terminated while writing.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import json
import math
import mmap
import os
import signal
import struct
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

FORMAT_VERSION = 2
MAGIC = b"QBSTORE\x02"
TEMP_SUFFIX = ".tmp"
_ALIGN = 64
_PLAIN_KINDS = frozenset("biuf?")
_LENGTH = struct.Struct("<Q")
_MAX_HEADER = 1 << 30


class StoreError(Exception):
    """A store could not be written or read."""


class StoreMissing(StoreError):
    """No store exists at the path (yet)."""


class StoreInvalid(StoreError):
    """The store exists but cannot be trusted: corrupt, truncated, foreign or tampered."""


def write_store(path: Path, arrays: Mapping[str, np.ndarray], meta: dict[str, Any]) -> int:
    """Atomically writes `arrays` and JSON-able `meta` to `path`; returns the bytes written."""
    plain = {name: _plain_array(name, array) for name, array in arrays.items()}
    entries: dict[str, list[Any]] = {}
    offset = 0
    for name, array in plain.items():
        entries[name] = [array.dtype.str, list(array.shape), offset, array.nbytes, _digest(array)]
        offset = _aligned(offset + array.nbytes)
    body = {"format_version": FORMAT_VERSION, "arrays": entries, "meta": meta}
    header = _sealed(body)
    start = _aligned(len(MAGIC) + _LENGTH.size + len(header))

    def write(file: BinaryIO) -> None:
        file.write(MAGIC + _LENGTH.pack(len(header)) + header)
        for name, array in plain.items():
            file.seek(start + entries[name][2])
            file.write(array.reshape(-1).view(np.uint8).data)
        file.truncate(start + offset)

    return atomic_write(Path(path), write)


def read_store(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Maps a store; returns read-only array views and the metadata, or raises StoreError."""
    path = Path(path)
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) if size else None
    except FileNotFoundError:
        raise StoreMissing(f"no store at {path}") from None
    except OSError as error:
        raise StoreInvalid(f"store {path} cannot be read: {error.strerror or error}") from None
    if mapped is None:
        raise StoreInvalid(f"store {path} is empty")
    body, start = _header(path, mapped)
    arrays = {
        name: _view(path, mapped, start, name, entry) for name, entry in body["arrays"].items()
    }
    return arrays, body["meta"]


def read_meta(path: Path) -> dict[str, Any]:
    """Only the metadata, checked, without mapping any array (for cheap health checks)."""
    try:
        with open(path, "rb") as file:
            prefix = file.read(len(MAGIC) + _LENGTH.size)
            body, _ = _header(path, prefix + file.read(_header_length(path, prefix)))
    except FileNotFoundError:
        raise StoreMissing(f"no store at {path}") from None
    except OSError as error:
        raise StoreInvalid(f"store {path} cannot be read: {error.strerror or error}") from None
    meta: dict[str, Any] = body["meta"]
    return meta


def verify_store(path: Path) -> None:
    """Re-hashes every array against the header; raises StoreInvalid on any difference."""
    arrays, _ = read_store(path)
    with open(path, "rb") as file:
        prefix = file.read(len(MAGIC) + _LENGTH.size)
        body, _ = _header(path, prefix + file.read(_header_length(path, prefix)))
    for name, array in arrays.items():
        if _digest(array) != body["arrays"][name][4]:
            raise StoreInvalid(f"store {path} fails its checksum in {name!r} (corrupt or modified)")


def atomic_write(path: Path, write: Any) -> int:
    """Calls `write(file)` on a locked temp file beside `path`, then renames it into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _temp_file(path) as (file, temp):
            write(file)
            file.flush()
            os.fsync(file.fileno())
            os.replace(temp, path)
        _fsync_directory(path.parent)
        return path.stat().st_size
    except OSError as error:
        raise StoreError(f"cannot write {path}: {error.strerror or error}") from None


def sweep_temp_files(directory: Path) -> int:
    """Deletes temp files no live writer holds (left by a crash or a kill); returns how many."""
    swept = 0
    with contextlib.suppress(OSError):
        for temp in directory.glob(f".*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError), open(temp, "rb") as file:
                try:
                    fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                temp.unlink()
                swept += 1
    return swept


# Temp files being written right now, removed at exit whatever thread was writing them.
_LIVE_TEMPS: set[str] = set()
_LIVE_LOCK = threading.Lock()


@atexit.register
def _remove_live_temps() -> None:
    with _LIVE_LOCK:
        for name in list(_LIVE_TEMPS):
            with contextlib.suppress(OSError):
                os.unlink(name)
        _LIVE_TEMPS.clear()


@contextlib.contextmanager
def _temp_file(path: Path) -> Iterator[tuple[BinaryIO, str]]:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    with _LIVE_LOCK:
        _LIVE_TEMPS.add(temp)
    try:
        with os.fdopen(handle, "wb") as file, _exit_on_terminate():
            fcntl.flock(file.fileno(), fcntl.LOCK_EX)
            yield file, temp
    finally:
        with _LIVE_LOCK:
            _LIVE_TEMPS.discard(temp)
        with contextlib.suppress(OSError):
            os.unlink(temp)


@contextlib.contextmanager
def _exit_on_terminate() -> Iterator[None]:
    """In the main thread, SIGTERM becomes SystemExit while writing, so cleanup runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous not in (signal.SIG_DFL, None):
        yield
        return

    def terminate(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _plain_array(name: str, array: np.ndarray) -> np.ndarray:
    """Refuses bad names and anything that is not a plain numeric or boolean array."""
    if not isinstance(name, str) or not name:
        raise StoreError(f"invalid array name {name!r}")
    plain = np.ascontiguousarray(array)
    if plain.dtype.kind not in _PLAIN_KINDS:
        raise StoreError(f"array {name!r} has dtype {plain.dtype}; stores hold plain numbers only")
    return plain


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).reshape(-1).view(np.uint8).data).hexdigest()


def _aligned(offset: int) -> int:
    return -(-offset // _ALIGN) * _ALIGN


def _sealed(body: dict[str, Any]) -> bytes:
    try:
        canonical = json.dumps(body, sort_keys=True, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as error:
        raise StoreError(f"store metadata is not plain JSON: {error}") from error
    checksum = hashlib.sha256(canonical.encode()).hexdigest()
    return json.dumps({"body": body, "sha256": checksum}, sort_keys=True).encode()


def _header_length(path: Path, prefix: bytes) -> int:
    if len(prefix) < len(MAGIC) + _LENGTH.size or not prefix.startswith(MAGIC):
        raise StoreInvalid(f"{path} is not a quotebot store (or from another version)")
    (length,) = _LENGTH.unpack_from(prefix, len(MAGIC))
    if length > _MAX_HEADER:
        raise StoreInvalid(f"store {path} has an implausible header")
    return int(length)


def _header(path: Path, data: bytes | mmap.mmap) -> tuple[dict[str, Any], int]:
    """The checked header body and where the arrays start."""
    prefix = bytes(data[: len(MAGIC) + _LENGTH.size])
    length = _header_length(path, prefix)
    begin = len(prefix)
    if begin + length > len(data):
        raise StoreInvalid(f"store {path} is truncated")
    try:
        envelope = json.loads(bytes(data[begin : begin + length]).decode())
        body = envelope["body"]
        canonical = json.dumps(body, sort_keys=True, allow_nan=False, separators=(",", ":"))
    except (ValueError, KeyError, TypeError) as error:
        raise StoreInvalid(f"store {path} has an unreadable header: {error}") from None
    if hashlib.sha256(canonical.encode()).hexdigest() != envelope.get("sha256"):
        raise StoreInvalid(f"store {path} fails its header checksum (corrupt or modified)")
    if body.get("format_version") != FORMAT_VERSION or not isinstance(body.get("arrays"), dict):
        raise StoreInvalid(f"store {path} has an unknown format")
    if not isinstance(body.get("meta"), dict):
        raise StoreInvalid(f"store {path} has malformed metadata")
    return body, _aligned(begin + length)


def _view(path: Path, mapped: mmap.mmap, start: int, name: str, entry: Any) -> np.ndarray:
    """One array as a zero-copy view of the mapping, after checking it fits the file."""
    try:
        dtype_str, shape, offset, nbytes, _ = entry
        dtype = np.dtype(dtype_str)
        shape = tuple(int(n) for n in shape)
        count = math.prod(shape)
    except (ValueError, TypeError) as error:
        raise StoreInvalid(f"store {path}: array {name!r} is malformed ({error})") from None
    if dtype.kind not in _PLAIN_KINDS or min((*shape, 0)) < 0:
        raise StoreInvalid(f"store {path}: array {name!r} has a forbidden dtype or shape")
    if not isinstance(offset, int) or offset < 0 or nbytes != count * dtype.itemsize:
        raise StoreInvalid(f"store {path}: array {name!r} has an inconsistent size")
    if start + offset + nbytes > len(mapped):
        raise StoreInvalid(f"store {path} is truncated (array {name!r})")
    array = np.frombuffer(mapped, dtype=dtype, count=count, offset=start + offset)
    return array.reshape(shape)


def _fsync_directory(directory: Path) -> None:
    """Makes the rename durable where the platform allows syncing a directory."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
