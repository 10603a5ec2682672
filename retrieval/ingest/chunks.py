"""Sentence-aligned chunks sized in tiktoken tokens.

A chunk takes whole sentences until the next would pass the budget; the next
chunk repeats the last ``overlap`` sentences so a passage cut at a boundary is
still found whole. A sentence longer than the budget is cut at token
boundaries into pieces that together hold its text exactly once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import tiktoken

from retrieval.ingest.clean_span import CleanSpan
from retrieval.models import INDEXED_KINDS, Chunk, Sentence

# The bytes that continue a UTF-8 character (every other byte starts one).
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


@dataclass(frozen=True, slots=True)
class ChunkOptions:
    """How passages are cut; part of the index fingerprint."""

    max_tokens: int = 192
    overlap: int = 1
    encoding: str = "cl100k_base"


def _long_sentence_pieces(
    text: str,
    index: int,
    sentence: Sentence,
    tokens: list[int],
    enc: tiktoken.Encoding,
    budget: int,
) -> Iterator[Chunk]:
    """Token windows of one over-long sentence, as chunks with exact original offsets.

    Tokens were made from ``" " + sentence.text``, hence the shift by one.
    """
    span = CleanSpan.of(text, sentence.start, sentence.end)
    cuts = sorted({max(start - 1, 0) for start in _window_starts(tokens, enc, budget)})
    bounds = [*cuts, len(span.text)]
    for window, (piece_start, piece_end) in enumerate(itertools.pairwise(bounds)):
        while span.text[piece_start] == " ":
            piece_start += 1
        start, end = span.original_span(piece_start, piece_end)
        size = min(budget, len(tokens) - window * budget)
        yield Chunk(sentence.doc_id, index, index, start, end, size)


def _window_starts(tokens: list[int], enc: tiktoken.Encoding, budget: int) -> list[int]:
    """Where each window of ``budget`` tokens starts in the decoded text, as
    ``enc.decode_with_offsets`` puts its first token (a token that begins inside a character
    starts at that character), decoding one window at a time: that call loops over every
    byte of every token in Python.
    """
    starts: list[int] = []
    chars = 0
    for first in range(0, len(tokens), budget):
        piece = enc.decode_bytes(tokens[first : first + budget])
        starts.append(max(0, chars - (0x80 <= piece[0] < 0xC0)))
        chars += len(piece.translate(None, _CONTINUATION_BYTES))
    return starts


def chunk_document(
    text: str,
    sentences: Sequence[Sentence],
    first_index: int,
    enc: tiktoken.Encoding,
    options: ChunkOptions,
) -> list[Chunk]:
    """Chunks of one document's searchable sentences; indices count from ``first_index``.

    ``text`` is the document's original text, which the sentences index.
    """
    # A plain loop: tiktoken's batch call pays for a thread pool on every call. Code and
    # furniture are never chunked, so they are never tokenized.
    token_lists = [
        enc.encode_ordinary(" " + s.text) if s.kind in INDEXED_KINDS else [] for s in sentences
    ]
    chunks: list[Chunk] = []
    window: list[int] = []
    size = 0
    for offset, (sentence, tokens) in enumerate(zip(sentences, token_lists, strict=True)):
        if sentence.kind not in INDEXED_KINDS:
            continue
        index = first_index + offset
        if len(tokens) > options.max_tokens:
            chunks.extend(_close(window, size, sentences, first_index))
            window, size = [], 0
            chunks.extend(
                _long_sentence_pieces(text, index, sentence, tokens, enc, options.max_tokens)
            )
            continue
        if window and size + len(tokens) > options.max_tokens:
            chunks.extend(_close(window, size, sentences, first_index))
            window = window[len(window) - options.overlap :] if options.overlap else []
            size = sum(len(token_lists[i - first_index]) for i in window)
            while window and size + len(tokens) > options.max_tokens:
                size -= len(token_lists[window.pop(0) - first_index])
        window.append(index)
        size += len(tokens)
    chunks.extend(_close(window, size, sentences, first_index))
    return chunks


def _close(
    window: list[int], size: int, sentences: Sequence[Sentence], first_index: int
) -> list[Chunk]:
    if not window:
        return []
    first, last = sentences[window[0] - first_index], sentences[window[-1] - first_index]
    return [Chunk(first.doc_id, window[0], window[-1], first.start, last.end, size)]
