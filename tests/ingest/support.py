"""Helpers the reader tests share: reading a page the way the corpus builder does."""

from __future__ import annotations

from retrieval.ingest.blocks import Reading
from retrieval.ingest.fidelity import faithful
from retrieval.ingest.sentences import sentences_of
from retrieval.models import Sentence, SentenceKind


def sentences(reading: Reading) -> list[Sentence]:
    return sentences_of("doc", reading.blocks)


def texts(reading: Reading, kind: SentenceKind | None = None) -> list[str]:
    return [s.text for s in sentences(reading) if kind is None or s.kind is kind]


def unfaithful(original: str, found: list[Sentence]) -> list[tuple[str, str]]:
    """Sentences whose words are not the words of their file span (should be none)."""
    return [
        (s.text, original[s.start : s.end])
        for s in found
        if not (0 <= s.start < s.end <= len(original))
        or not faithful(original[s.start : s.end], s.text)
    ]
