"""The question-answering service, called from the event loop without blocking it."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

from retrieval.results import Answer, DocumentInfo, Timeline

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


class ServiceWorker:
    """Runs service calls on one background thread, one at a time.

    Searching is CPU work: on the event loop it would stall heartbeats and every other
    interaction. One thread keeps the loop free without asking the service to be
    thread-safe; calls queue in arrival order.
    """

    def __init__(self, service: Service) -> None:
        self._service = service
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quotebot-service")

    async def ask(self, **kwargs: Any) -> Answer:
        return await self._run(self._service.ask, **kwargs)

    async def timeline(self, **kwargs: Any) -> Timeline:
        return await self._run(self._service.timeline, **kwargs)

    async def documents(self) -> list[DocumentInfo]:
        return await self._run(self._service.documents)

    async def document(self, doc_id: str) -> DocumentInfo:
        return await self._run(self._service.document, doc_id=doc_id)

    def close(self) -> None:
        """Stop taking calls; a call already running finishes on its own."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def _run(self, function: Callable[..., T], **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(function, **kwargs))
