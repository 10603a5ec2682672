"""Sentences with exact offsets into the original file.

Readers hand over blocks of clean text; prose and list items are segmented with
sentencex, every other block (a heading, a table row, a code block, page furniture)
stays one unit. Each sentence maps back through its block's clean span to the exact
original ``start``/``end``; a piece without a single letter or digit ("]`.", a lone
dash) is no sentence. No sentence is longer than ``MAX_SENTENCE_CHARS``: a
longer one (a run-on line with no punctuation) is cut at a clause boundary, else
between words, so no quote is unreadably long.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import sentencex

from retrieval.ingest.blocks import Block
from retrieval.ingest.layout import blocks
from retrieval.models import Sentence, SentenceKind

MAX_SENTENCE_CHARS = 1000
MAX_CODE_CHARS = 4000
_SEGMENTED_KINDS = frozenset({SentenceKind.BODY, SentenceKind.LIST_ITEM})
_HAS_WORD = re.compile(r"[^\W_]")
_CLAUSE_END = re.compile(r"[;:,)\]](?= )| [—–-](?= )")


def _segments(kind: SentenceKind, cleaned: str) -> Iterator[tuple[int, int]]:
    """Cleaned ``(start, end)`` spans of the sentences in one block, before capping."""
    if kind is SentenceKind.CODE:
        start = len(cleaned) - len(cleaned.lstrip("\r\n"))
        end = len(cleaned.rstrip())
        if end > start:
            yield start, end
        return
    if kind not in _SEGMENTED_KINDS:
        yield 0, len(cleaned)
        return
    position = 0
    for piece in _pieces(cleaned):
        start = position + len(piece) - len(piece.lstrip())
        end = position + len(piece.rstrip())
        position += len(piece)
        if end > start:
            yield start, end


def _pieces(cleaned: str) -> Iterator[str]:
    """sentencex's pieces, joined again where it split inside a word
    ("requests.exceptions." / "JSONDecodeError.", "with ." / "/target/debug") or after a
    "!" or "?" that the next word does not start a sentence after ("the vec! macro", "use
    `?` to")."""
    held = ""
    for piece in sentencex.segment("en", cleaned):
        if held and _continues(held, piece):
            held += piece
            continue
        if held:
            yield held
        held = piece
    if held:
        yield held


def _continues(before: str, piece: str) -> bool:
    if not before[-1].isspace() and not piece[:1].isspace():
        return True
    tail = before.rstrip().rstrip("`")  # a mark that closes inline code ("`???`") too
    return bool(tail) and tail[-1] in "!?" and piece.lstrip()[:1].islower()


def _cut(text: str, start: int, end: int, limit: int, code: bool) -> int:
    """Where to end a piece of ``text[start:end]`` that is longer than ``limit``."""
    window = text[start : start + limit]
    half = limit // 2
    if code:
        line_end = window.rfind("\n", half)
        if line_end > 0:
            return start + line_end
    else:
        clauses = [m.end() for m in _CLAUSE_END.finditer(window, half)]
        if clauses:
            return start + clauses[-1]
    space = window.rfind(" ", half)
    return start + space if space > 0 else start + limit


def capped(text: str, start: int, end: int, code: bool = False) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` in pieces no longer than the cap, each trimmed of spaces."""
    limit = MAX_CODE_CHARS if code else MAX_SENTENCE_CHARS
    while end - start > limit:
        cut = _cut(text, start, end, limit, code)
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > start:
            yield start, piece_end
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def block_sentences(doc_id: str, block: Block) -> Iterator[Sentence]:
    """The sentences of one block, in order."""
    span = block.span
    code = block.kind is SentenceKind.CODE
    for segment_start, segment_end in _segments(block.kind, span.text):
        for clean_start, clean_end in capped(span.text, segment_start, segment_end, code):
            text = span.text[clean_start:clean_end]
            if not code and not _HAS_WORD.search(text):
                continue
            start, end = span.original_span(clean_start, clean_end)
            yield Sentence(doc_id, start, end, text, block.kind, block.section)


def sentences_of(doc_id: str, document_blocks: list[Block]) -> list[Sentence]:
    """Every sentence of a document's blocks, in order."""
    return [s for block in document_blocks for s in block_sentences(doc_id, block)]


def split_sentences(doc_id: str, text: str) -> list[Sentence]:
    """Every sentence of a plain-text document, in order, each classified by its block."""
    return sentences_of(doc_id, blocks(text))


def code_after(sentences: Sequence[Sentence], index: int) -> str | None:
    """The code block right after the sentence at ``index`` (a how-to's example), if any."""
    following = index + 1
    if following >= len(sentences):
        return None
    candidate = sentences[following]
    same_document = candidate.doc_id == sentences[index].doc_id
    return candidate.text if same_document and candidate.kind is SentenceKind.CODE else None
