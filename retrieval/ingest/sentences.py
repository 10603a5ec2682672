"""Sentences with exact offsets into the original file.

Blocks are unwrapped first (sentencex would otherwise treat every hard line
break as text), then only prose blocks are segmented; headings, chrome and
citations stay whole, one sentence each.
"""

from __future__ import annotations

from collections.abc import Iterator

import sentencex

from retrieval.ingest.clean_span import CleanSpan
from retrieval.ingest.layout import Block, blocks
from retrieval.models import Sentence, SentenceKind


def _pieces(kind: SentenceKind, cleaned: str) -> Iterator[tuple[int, int]]:
    """Cleaned ``(start, end)`` spans of the sentences in one block."""
    if kind is not SentenceKind.BODY:
        yield 0, len(cleaned)
        return
    position = 0
    for piece in sentencex.segment("en", cleaned):
        start = position + len(piece) - len(piece.lstrip())
        end = position + len(piece.rstrip())
        position += len(piece)
        if end > start:
            yield start, end


def _block_sentences(doc_id: str, text: str, block: Block) -> Iterator[Sentence]:
    span = CleanSpan.of(text, block.start, block.end)
    for clean_start, clean_end in _pieces(block.kind, span.text):
        start, end = span.original_span(clean_start, clean_end)
        yield Sentence(doc_id, start, end, span.text[clean_start:clean_end], block.kind)


def split_sentences(doc_id: str, text: str) -> list[Sentence]:
    """Every sentence of a document, in order, each classified by its block."""
    return [
        sentence for block in blocks(text) for sentence in _block_sentences(doc_id, text, block)
    ]
