"""A small in-memory service with QAService's methods and realistic result objects."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence

from retrieval.errors import InvalidQuery, UnknownDocument
from retrieval.results import (
    Answer,
    DocumentInfo,
    Event,
    NearbySource,
    Quote,
    Reload,
    Timeline,
)

DOCUMENTS = [
    DocumentInfo(
        doc_id="000_1111aaaa2222bbbb",
        title="The harbour bridge: a history",
        source="000_1111aaaa2222bbbb.txt",
        url="https://example.org/bridge",
        published=dt.date(2004, 5, 1),
        author="A. Writer",
        characters=12_345,
        sentences=120,
        chunks=14,
        opening="The harbour bridge opened in 1932 after eight years of work.",
    ),
    DocumentInfo(
        doc_id="001_3333cccc4444dddd",
        title="City council minutes",
        source="001_3333cccc4444dddd.txt",
        characters=5_000,
        sentences=48,
        chunks=6,
        opening="Minutes of the meeting held on 3 March 1998.",
    ),
    DocumentInfo(
        doc_id="002_5555eeee6666ffff",
        title="Letters to the editor *and* replies",
        source="002_5555eeee6666ffff.txt",
        characters=2_000,
        sentences=20,
        chunks=2,
    ),
]
BRIDGE, COUNCIL, LETTERS = (document.doc_id for document in DOCUMENTS)
BRIDGE_QUOTE = "The harbour bridge opened in 1932 after eight years of work."
PING_QUOTE = "One reader wrote to @everyone and to <@123> that the *bridge* was too narrow."
UNANSWERABLE = "what is the airspeed of a swallow"
UPDATED = "2024-05-01T12:00:00+00:00"


def events(count: int) -> list[Event]:
    """``count`` dated events, one a year from 1900, cycling through the documents."""
    return [
        Event(
            date=f"{1900 + index}",
            granularity="year",
            text=f"In {1900 + index} the council met about the bridge (event {index}).",
            doc_id=DOCUMENTS[index % len(DOCUMENTS)].doc_id,
            title=DOCUMENTS[index % len(DOCUMENTS)].title,
            source=DOCUMENTS[index % len(DOCUMENTS)].source,
            start=index * 10,
            end=index * 10 + 9,
        )
        for index in range(count)
    ]


class FakeService:
    """Answers from fixed data; records every call so tests can see what the adapter asked."""

    def __init__(self, event_count: int = 30) -> None:
        self.events = events(event_count)
        self.calls: list[tuple[str, dict[str, object]]] = []
        self._lock = threading.Lock()

    def ask(self, question: str, top: int = 3, docs: Sequence[str] | None = None) -> Answer:
        self._record("ask", question=question, top=top, docs=docs)
        if not question.strip():
            raise InvalidQuery("the question is empty")
        self._check(docs or [])
        if question.strip().lower() == UNANSWERABLE:
            nearest = [NearbySource(doc_id=BRIDGE, title=DOCUMENTS[0].title, source="x", score=0.2)]
            return Answer(question=question, abstained=True, confidence=0.1, nearest=nearest)
        quotes = [self._quote(BRIDGE, BRIDGE_QUOTE), self._quote(LETTERS, PING_QUOTE)]
        chosen = [quote for quote in quotes if not docs or quote.doc_id in docs][:top]
        return Answer(question=question, abstained=False, confidence=0.9, quotes=chosen)

    def timeline(
        self,
        topic: str | None = None,
        start: str | None = None,
        end: str | None = None,
        docs: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> Timeline:
        self._record("timeline", topic=topic, start=start, end=end, docs=docs, limit=limit)
        self._check(docs or [])
        for bound in (start, end):
            if bound is not None and not bound[:4].isdigit():
                raise InvalidQuery(f"{bound!r} is not a date")
        chosen = [
            event
            for event in self.events
            if (not start or event.date >= start[:4])
            and (not end or event.date <= end[:4])
            and (not docs or event.doc_id in docs)
        ]
        return Timeline(topic=topic, start=start, end=end, docs=list(docs or []), events=chosen)

    def documents(self) -> list[DocumentInfo]:
        self._record("documents")
        return list(DOCUMENTS)

    def document(self, doc_id: str) -> DocumentInfo:
        self._record("document", doc_id=doc_id)
        self._check([doc_id])
        return next(document for document in DOCUMENTS if document.doc_id == doc_id)

    def doc_ids(self) -> list[str]:
        self._record("doc_ids")
        return [document.doc_id for document in DOCUMENTS]

    def refresh(self) -> Reload:
        self._record("refresh")
        return Reload(seconds=0.0, documents=len(DOCUMENTS))

    def last_reload(self) -> Reload:
        return Reload(seconds=0.0, documents=len(DOCUMENTS), updated=UPDATED)

    def _quote(self, doc_id: str, text: str) -> Quote:
        document = next(document for document in DOCUMENTS if document.doc_id == doc_id)
        return Quote(
            text=text,
            doc_id=doc_id,
            title=document.title,
            source=document.source,
            start=0,
            end=len(text),
            score=0.8,
            url=document.url,
        )

    def _check(self, docs: Sequence[str]) -> None:
        known = {document.doc_id for document in DOCUMENTS}
        for doc_id in docs:
            if doc_id not in known:
                raise UnknownDocument(f"unknown document {doc_id!r}")

    def _record(self, method: str, **kwargs: object) -> None:
        with self._lock:
            self.calls.append((method, kwargs))
