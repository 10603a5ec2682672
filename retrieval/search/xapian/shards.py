"""Served shards opened as one database, surviving shards that go down and come back.

Each ``host:port`` in the settings is one ``xapian-tcpsrv`` serving ``shard-K`` (the K-th entry
serves shard K). Work runs on a Xapian database that combines every reachable shard, so term
statistics are global. After any network error every connection is dropped and reopened —
an error can leave a connection out of step with its server — and the shards that do not
answer are left out, each named in one warning line, until a later call finds them back.
Timeouts are short, so a dead or hung shard costs a question seconds, never a hang.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import xapian

from retrieval.errors import QuotebotError
from retrieval.search.xapian.layout import INFO_KEY
from retrieval.search.xapian.records import ShardInfo, ShardRecordError, parse
from retrieval.search.xapian.remote import Remote

log = logging.getLogger("quotebot")

T = TypeVar("T")
_FAULTS = (xapian.NetworkError, xapian.DatabaseError)
# A down shard is tried again at most this often, so a question pays its timeout at most once.
RETRY_SECONDS = 1.0


class SearchUnavailable(QuotebotError):
    """No shard answers, or the shards do not belong together."""


class ShardDown(QuotebotError):
    """The one shard that holds what was asked for is not reachable."""


@dataclass(frozen=True, slots=True)
class ShardTimeouts:
    """Seconds to connect and to wait for any one reply."""

    connect: float = 1.0
    reply: float = 1.5


class ShardSet:
    """The shards of one build, opened over the network; thread-safe."""

    def __init__(self, remotes: Sequence[Remote], timeouts: ShardTimeouts | None = None) -> None:
        if not remotes:
            raise SearchUnavailable("no Xapian shards are configured (setting xapian_remotes)")
        self._remotes = list(remotes)
        self._timeouts = timeouts or ShardTimeouts()
        self._lock = threading.RLock()
        self._open: dict[int, xapian.Database] = {}
        self._down: dict[int, str] = {}
        self._combined: xapian.Database | None = None
        self._retried = 0.0
        self.info = self._connect_all()

    @property
    def count(self) -> int:
        return len(self._remotes)

    def name(self, shard: int) -> str:
        return f"shard {shard} ({self._remotes[shard - 1]})"

    def reachable(self) -> tuple[int, ...]:
        """The shards open right now."""
        with self._lock:
            return tuple(sorted(self._open))

    def unavailable(self) -> list[str]:
        """The shards left out right now, by name."""
        with self._lock:
            return [self.name(shard) for shard in sorted(self._down)]

    def run(self, work: Callable[[xapian.Database], T]) -> T:
        """``work`` on all reachable shards as one database, retried once after a fault."""
        return self._run(work, self._database)

    def run_on(self, shard: int, work: Callable[[xapian.Database], T]) -> T:
        """``work`` on one shard; ShardDown when it cannot be reached."""
        return self._run(work, lambda: self._shard(shard))

    def _run(
        self, work: Callable[[xapian.Database], T], target: Callable[[], xapian.Database]
    ) -> T:
        with self._lock:
            self._retry_down()
            try:
                return work(target())
            except _FAULTS:
                self._reconnect()
            try:
                return work(target())
            except _FAULTS as error:
                raise SearchUnavailable(f"the Xapian shards failed: {_reason(error)}") from None

    def _shard(self, shard: int) -> xapian.Database:
        database = self._open.get(shard)
        if database is None:
            raise ShardDown(f"{self.name(shard)} is unreachable: {self._down[shard]}")
        return database

    def _database(self) -> xapian.Database:
        if self._combined is None:
            if not self._open:
                reasons = "; ".join(f"{self.name(s)}: {r}" for s, r in sorted(self._down.items()))
                raise SearchUnavailable(f"no Xapian shard is reachable ({reasons})")
            combined = xapian.Database()
            for shard in sorted(self._open):
                combined.add_database(self._open[shard])
            self._combined = combined
        return self._combined

    def _connect_all(self) -> ShardInfo:
        """Opens every shard and checks they are the shards of one build, in order."""
        infos = {}
        for shard in range(1, self.count + 1):
            info = self._connect(shard)
            if info is not None:
                infos[shard] = info
        self._retried = time.monotonic()
        if not infos:
            self._database()
        return _check_together(infos, self.count, self.name)

    def _connect(self, shard: int) -> ShardInfo | None:
        """Opens one shard and reads its identity; records why when it cannot."""
        remote = self._remotes[shard - 1]
        try:
            database = xapian.remote_open(
                remote.host,
                remote.port,
                int(self._timeouts.reply * 1000),
                int(self._timeouts.connect * 1000),
            )
            info = parse(ShardInfo, database.get_metadata(INFO_KEY), f"{self.name(shard)} header")
        except (*_FAULTS, ShardRecordError) as error:
            self._mark_down(shard, _reason(error))
            return None
        if info.shard != shard:
            raise SearchUnavailable(
                f"{remote} serves shard {info.shard}, but xapian_remotes lists it as shard {shard}"
            )
        self._open[shard] = database
        self._combined = None
        if self._down.pop(shard, None) is not None:
            log.warning("%s is reachable again; answers are complete", self.name(shard))
        return info

    def _mark_down(self, shard: int, reason: str) -> None:
        self._open.pop(shard, None)
        self._combined = None
        if shard not in self._down:
            log.warning(
                "%s is unreachable (%s); answers come from the other shards, marked partial",
                self.name(shard),
                reason,
            )
        self._down[shard] = reason

    def _reconnect(self) -> None:
        """Drops every connection and opens them again; the ones that fail stay down."""
        for database in self._open.values():
            with contextlib.suppress(*_FAULTS):
                database.close()
        self._open.clear()
        self._combined = None
        infos = {s: i for s in range(1, self.count + 1) if (i := self._connect(s)) is not None}
        self._retried = time.monotonic()
        self._check_build(infos)

    def _retry_down(self) -> None:
        if not self._down or time.monotonic() - self._retried < RETRY_SECONDS:
            return
        infos = {s: i for s in list(self._down) if (i := self._connect(s)) is not None}
        self._retried = time.monotonic()
        self._check_build(infos)

    def _check_build(self, infos: dict[int, ShardInfo]) -> None:
        """A shard that came back must still belong to the build first opened."""
        for shard, info in infos.items():
            if info.build != self.info.build:
                self._mark_down(shard, "it now serves another build; restart quotebot")


def _check_together(
    infos: dict[int, ShardInfo], count: int, name: Callable[[int], str]
) -> ShardInfo:
    """The build's header, once every reachable shard is known to belong to it."""
    first = next(iter(infos.values()))
    for shard, info in infos.items():
        if info.shards != count:
            raise SearchUnavailable(
                f"{name(shard)} is one of {info.shards} shards, but xapian_remotes lists {count}"
            )
        if info.build != first.build:
            raise SearchUnavailable(
                f"{name(shard)} comes from another build than shard {next(iter(infos))}; "
                "serve the shards of one 'quotebot index --backend xapian' run"
            )
    return first


def _reason(error: Exception) -> str:
    if isinstance(error, xapian.Error):
        return error.get_msg() or error.get_type()
    return str(error)
