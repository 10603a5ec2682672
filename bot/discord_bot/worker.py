"""The question-answering service, called from the event loop without blocking it."""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

from retrieval.results import Answer, DocumentInfo, Reload, Timeline

T = TypeVar("T")


class Service(Protocol):
    """The part of ``QAService`` the Discord adapter uses; nothing else is called."""

    def ask(self, question: str, top: int = 3, docs: Sequence[str] | None = None) -> Answer: ...

    def timeline(
        self,
        topic: str | None = None,
        start: str | None = None,
        end: str | None = None,
        docs: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> Timeline: ...

    def documents(self) -> list[DocumentInfo]: ...

    def document(self, doc_id: str) -> DocumentInfo: ...

    def doc_ids(self) -> list[str]: ...

    def refresh(self) -> Reload: ...

    def last_reload(self) -> Reload: ...


def quick_threads() -> int:
    """Threads for quick calls: one per core, and never fewer than two."""
    return max(os.cpu_count() or 1, 2)


class ServiceWorker:
    """Runs service calls off the event loop: quick ones on a pool, slow ones on their own.

    Searching is CPU work: on the event loop it would stall heartbeats and every other
    interaction. Questions and listings share a pool of threads sized to the cores, so they
    run side by side over the one read-only index; timelines and reloads, which can take
    seconds on a large corpus, queue on a thread of their own, so they never hold up a
    question.
    """

    def __init__(self, service: Service, threads: int | None = None) -> None:
        self.service = service
        self._quick = ThreadPoolExecutor(threads or quick_threads(), "quotebot-quick")
        self._slow = ThreadPoolExecutor(1, "quotebot-slow")

    async def ask(self, **kwargs: Any) -> Answer:
        return await self._run(self._quick, self.service.ask, **kwargs)

    async def timeline(self, **kwargs: Any) -> Timeline:
        return await self._run(self._slow, self.service.timeline, **kwargs)

    async def documents(self) -> list[DocumentInfo]:
        return await self._run(self._quick, self.service.documents)

    async def document(self, doc_id: str) -> DocumentInfo:
        return await self._run(self._quick, self.service.document, doc_id=doc_id)

    async def refresh(self) -> Reload:
        return await self._run(self._slow, self.service.refresh)

    async def last_reload(self) -> Reload:
        return await self._run(self._quick, self.service.last_reload)

    def close(self) -> None:
        """Stop taking calls; a call already running finishes on its own."""
        for executor in (self._quick, self._slow):
            executor.shutdown(wait=False, cancel_futures=True)

    @staticmethod
    async def _run(executor: ThreadPoolExecutor, function: Callable[..., T], **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(executor, functools.partial(function, **kwargs))
