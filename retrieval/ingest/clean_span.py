"""Whitespace-collapsed views of original text that keep the way back to it.

The cleaned text of a passage is its non-space runs joined by single spaces,
except that a word broken by a hyphen at a line end is re-joined without a
space ("pro-" + newline + "reform" gives "pro-reform"). Because the rule is
local, ``collapse_whitespace(original[start:end])`` reproduces any cleaned span
that starts at the start of a word and ends on a non-space character, as every
sentence does.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_TOKEN = re.compile(r"\S+")
_IRREGULAR_SPACE = re.compile(r"\s\s|[^\S ]|^\s|\s$")
_WRAPPED_HYPHEN = re.compile(r"[^\W\d_]-$")
_WORD_START = re.compile(r"[^\W\d_]")


def _joins_without_space(previous: str, gap: str, following: str) -> bool:
    """A hyphenated word wrapped at a line end continues on the next line."""
    return (
        "\n" in gap
        and _WRAPPED_HYPHEN.search(previous) is not None
        and _WORD_START.match(following) is not None
    )


@dataclass(frozen=True, slots=True)
class CleanSpan:
    """Cleaned text of ``original[start:end]`` with a map back to the original."""

    text: str
    clean_starts: list[int]
    original_starts: list[int]

    @classmethod
    def of(cls, original: str, start: int = 0, end: int | None = None) -> CleanSpan:
        end = len(original) if end is None else end
        passage = original[start:end]
        if passage and not _IRREGULAR_SPACE.search(passage):
            return cls(passage, [0], [start])
        pieces: list[str] = []
        clean_starts: list[int] = []
        original_starts: list[int] = []
        position = 0
        previous_end = None
        previous_token = ""
        for match in _TOKEN.finditer(original, start, end):
            token = match.group()
            if previous_end is not None:
                gap = original[previous_end : match.start()]
                if not _joins_without_space(previous_token, gap, token):
                    pieces.append(" ")
                    position += 1
            clean_starts.append(position)
            original_starts.append(match.start())
            pieces.append(token)
            position += len(token)
            previous_end = match.end()
            previous_token = token
        return cls("".join(pieces), clean_starts, original_starts)

    def original_offset(self, clean_offset: int) -> int:
        """The original offset of the cleaned character at ``clean_offset``."""
        token = bisect_right(self.clean_starts, clean_offset) - 1
        return self.original_starts[token] + clean_offset - self.clean_starts[token]

    def original_span(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of a cleaned span that begins and ends on non-space."""
        return self.original_offset(clean_start), self.original_offset(clean_end - 1) + 1


def collapse_whitespace(text: str) -> str:
    """The cleaned form of ``text``: how a quote compares with its source slice."""
    return CleanSpan.of(text).text
