"""A bounded memo whose hits cost one dict look-up.

The answerer consults its memos hundreds of times a question, so a hit must be as cheap
as ``functools.lru_cache``'s; unlike that, the entries can be read back, which is how
what was learned about unchanged documents survives an index swap
(``CorpusView.carry``). The oldest entries go first once the bound is reached.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")
_ABSENT: Any = object()


class Memo(Generic[Key, Value]):
    """``read(key)`` worked out once per key and kept, at most ``size`` entries."""

    def __init__(self, read: Callable[[Key], Value], size: int) -> None:
        self._read = read
        self._size = size
        self._kept: dict[Key, Value] = {}
        self._adding = threading.Lock()

    def __call__(self, key: Key) -> Value:
        found = self._kept.get(key, _ABSENT)
        if found is _ABSENT:
            found = self._read(key)
            self.put(key, found)
        return found

    def put(self, key: Key, value: Value) -> None:
        with self._adding:
            self._kept[key] = value
            while len(self._kept) > self._size:
                del self._kept[next(iter(self._kept))]

    @property
    def full(self) -> bool:
        return len(self._kept) >= self._size

    def entries(self) -> dict[Key, Value]:
        """A copy of what is kept (copied atomically: safe while other threads add)."""
        return self._kept.copy()
