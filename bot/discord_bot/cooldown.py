"""A per-user limit on questions, so one person cannot keep the service busy for everyone."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from discord import app_commands


class OnCooldown(app_commands.CheckFailure):
    """A user asked too often; ``retry_after`` says in how many seconds they may ask again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"You are asking quickly: try again in {math.ceil(retry_after)} s.")
        self.retry_after = retry_after


class QuestionLimiter:
    """At most ``rate`` questions per user in any ``per``-second window."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = rate
        self._per = per
        self._clock = clock
        self._asked: dict[int, deque[float]] = {}

    def hit(self, user_id: int) -> None:
        """Count one question from ``user_id``, or raise ``OnCooldown`` if over the limit."""
        now = self._clock()
        self._forget_before(now - self._per)
        asked = self._asked.setdefault(user_id, deque())
        if len(asked) >= self._rate:
            raise OnCooldown(asked[0] + self._per - now)
        asked.append(now)

    def _forget_before(self, cutoff: float) -> None:
        """Drop timestamps that left the window, and users with none left."""
        for user_id in list(self._asked):
            asked = self._asked[user_id]
            while asked and asked[0] <= cutoff:
                asked.popleft()
            if not asked:
                del self._asked[user_id]
