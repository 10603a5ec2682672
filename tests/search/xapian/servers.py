"""Real ``xapian-tcpsrv`` processes on loopback for the tests that need served shards.

Where Xapian is not installed those tests skip with the reason; under CI (``CI=true``) they
fail instead, since CI installs it and must run them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest

from retrieval.ingest.corpus import Corpus
from retrieval.search.bm25 import BM25Index
from retrieval.search.corpus_cache import IndexOptions, build_index

TCPSRV = "xapian-tcpsrv"
_READY_SECONDS = 20.0


def require_xapian() -> None:
    """Skips (or, under CI, fails) when the Xapian bindings or server are missing."""
    missing = []
    try:
        import xapian  # noqa: F401
    except ImportError:
        missing.append("the Python bindings (pip install xapian-bindings-binary)")
    if shutil.which(TCPSRV) is None:
        missing.append(f"{TCPSRV} (apt-get install xapian-tools)")
    if not missing:
        return
    reason = "Xapian is not installed: " + " and ".join(missing)
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the Xapian tests")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """One ``xapian-tcpsrv`` serving one shard folder, in its own process group."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.process = subprocess.Popen(
            [TCPSRV, "--port", str(self.port), "--interface", "127.0.0.1", str(self.path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._wait_ready()
        return self

    def stop(self) -> None:
        """Ends the server and the children it forked for open connections."""
        if self.process is None:
            return
        self.signal(signal.SIGCONT)
        self.signal(signal.SIGTERM)
        self.process.wait(timeout=10)
        self.process = None

    def signal(self, number: int) -> None:
        if self.process is not None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, number)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + _READY_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{TCPSRV} on port {self.port} exited")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{TCPSRV} on port {self.port} did not start")


@contextmanager
def serving(folder: Path, shards: int) -> Iterator[list[Server]]:
    """Serves ``folder/shard-1`` … ``shard-N``, one server each, for the ``with`` block."""
    servers = [Server(folder / f"shard-{k}") for k in range(1, shards + 1)]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


@dataclass
class ServedCorpus:
    """A corpus, its in-process index, and its shards as served."""

    corpus: Corpus
    index: BM25Index
    folder: Path
    servers: list[Server]

    @property
    def addresses(self) -> list[str]:
        return [server.address for server in self.servers]


def served(corpus: Corpus, folder: Path, shards: int) -> Iterator[ServedCorpus]:
    """Builds ``corpus`` into ``shards`` shards under ``folder`` and serves them."""
    from retrieval.search.xapian.build import build_shards

    options = IndexOptions()
    build_shards(corpus, options, folder, shards)
    with serving(folder, shards) as servers:
        yield ServedCorpus(corpus, build_index(corpus, options), folder, servers)
