"""A document's listing (``quotebot docs``), made the same way by every backend."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from retrieval.models import Document, Sentence, SentenceKind
from retrieval.results import DocumentInfo

OPENING_SENTENCES = 3


def document_info(
    document: Document, sentences: Iterable[Sentence], counts: DocumentCounts
) -> DocumentInfo:
    """Metadata, sizes and the opening body sentences of ``document``.

    ``sentences`` are read only as far as the opening needs, so a long document costs little.
    """
    body = (s.text for s in sentences if s.kind is SentenceKind.BODY)
    return DocumentInfo(
        doc_id=document.doc_id,
        title=document.title,
        source=document.source,
        url=document.url,
        published=document.published,
        author=document.author,
        characters=counts.characters,
        sentences=counts.sentences,
        chunks=counts.chunks,
        opening=" ".join(itertools.islice(body, OPENING_SENTENCES)),
    )


@dataclass(frozen=True, slots=True)
class DocumentCounts:
    """How big a document is, counted without reading it."""

    characters: int
    sentences: int
    chunks: int
