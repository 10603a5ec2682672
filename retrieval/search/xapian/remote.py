"""Where one shard is served: ``host:port`` as the settings write it."""

from __future__ import annotations

import re
from dataclasses import dataclass

_REMOTE = re.compile(r"(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<host>[A-Za-z0-9.-]+)):(?P<port>\d{1,5})")


@dataclass(frozen=True, slots=True)
class Remote:
    """Where one shard is served."""

    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> Remote:
        """``host:port`` or ``[ipv6]:port``; ValueError for anything else."""
        match = _REMOTE.fullmatch(text.strip())
        if match is None or not 0 < int(match["port"]) < 65536:
            raise ValueError(f"{text!r} is not host:port")
        return cls(match["ipv6"] or match["host"], int(match["port"]))

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
