"""A document's listing (``quotebot docs``), made the same way by every backend."""

from __future__ import annotations

from collections.abc import Iterable

from retrieval.models import Document, Sentence, SentenceKind
from retrieval.results import DocumentInfo

OPENING_SENTENCES = 3


def document_info(
    document: Document, sentences: Iterable[Sentence], chunks: int, characters: int
) -> DocumentInfo:
    """Metadata, sizes and the opening body sentences of ``document``."""
    listed = list(sentences)
    body = [s.text for s in listed if s.kind is SentenceKind.BODY]
    return DocumentInfo(
        doc_id=document.doc_id,
        title=document.title,
        source=document.source,
        url=document.url,
        published=document.published,
        author=document.author,
        characters=characters,
        sentences=len(listed),
        chunks=chunks,
        opening=" ".join(body[:OPENING_SENTENCES]),
    )
