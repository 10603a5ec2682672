"""Clean text (what a reader sees) with an exact way back to the original file.

Every reader turns a block of its file into clean text: whitespace runs become one
space, markup is dropped, character references and escapes are decoded. The clean text
is built from segments, each tied to a span of the original: a verbatim segment maps
character for character, a replaced one ("&amp;" shown as "&", "\\*" as "*") maps as a
whole, and an inserted one (the " | " between table cells) maps to a point. So any
cleaned span that starts and ends on a non-space character maps back to the exact
original ``(start, end)`` it came from.

In plain text a word broken by a hyphen at a line end is re-joined without a space
("pro-" + newline + "reform" gives "pro-reform"). Because that rule is local,
``collapse_whitespace(original[start:end])`` reproduces any cleaned span of plain text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# Any whitespace but a single space between words needs collapsing: a run of two or more,
# or any whitespace character that is not a space.
_IRREGULAR_SPACE = re.compile(r"\s{2,}|[^\S ]")
_WRAPPED_HYPHEN = re.compile(r"[^\W\d_]-$")
_WORD_START = re.compile(r"[^\W\d_]")


def _joins_without_space(previous: str, gap: str, following: str) -> bool:
    """A hyphenated word wrapped at a line end continues on the next line."""
    return (
        "\n" in gap
        and "-" in previous[-2:]  # what the search needs, found without scanning the word
        and _WRAPPED_HYPHEN.search(previous) is not None
        and _WORD_START.match(following) is not None
    )


@dataclass(frozen=True, slots=True)
class CleanSpan:
    """Clean text and, per segment, the clean range and the original range it stands for.

    A segment whose clean and original lengths are equal maps character for character;
    any other maps as a whole. Clean characters between segments (joining spaces) map
    to the end of the segment before them.
    """

    text: str
    clean_starts: list[int]
    clean_ends: list[int]
    original_starts: list[int]
    original_ends: list[int]

    @classmethod
    def of(cls, original: str, start: int = 0, end: int | None = None) -> CleanSpan:
        """The whitespace-collapsed text of ``original[start:end]``."""
        end = len(original) if end is None else end
        passage = original[start:end]
        if _regular(passage):
            return cls(passage, [0], [len(passage)], [start], [end])
        builder = CleanTextBuilder()
        builder.original(original, start, end)
        return builder.build()

    def _segment(self, clean_offset: int) -> int:
        return max(bisect_right(self.clean_starts, clean_offset) - 1, 0)

    def original_start(self, clean_offset: int) -> int:
        """Where the clean character at ``clean_offset`` begins in the original."""
        i = self._segment(clean_offset)
        if clean_offset >= self.clean_ends[i]:
            return self.original_ends[i]
        if self._linear(i):
            return self.original_starts[i] + clean_offset - self.clean_starts[i]
        return self.original_starts[i]

    def original_end(self, clean_offset: int) -> int:
        """Where the clean character at ``clean_offset`` ends in the original."""
        i = self._segment(clean_offset)
        if clean_offset >= self.clean_ends[i]:
            return self.original_ends[i]
        if self._linear(i):
            return self.original_starts[i] + clean_offset - self.clean_starts[i] + 1
        return self.original_ends[i]

    def _linear(self, i: int) -> bool:
        clean = self.clean_ends[i] - self.clean_starts[i]
        return clean == self.original_ends[i] - self.original_starts[i]

    def original_span(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of a cleaned span that begins and ends on non-space."""
        return self.original_start(clean_start), self.original_end(clean_end - 1)

    @property
    def start(self) -> int:
        """The original offset where the clean text begins."""
        return self.original_starts[0] if self.original_starts else 0

    @property
    def end(self) -> int:
        """The original offset where the clean text ends."""
        return self.original_ends[-1] if self.original_ends else 0


@dataclass(slots=True)
class CleanTextBuilder:
    """Assembles clean text from pieces of an original, collapsing whitespace between them.

    With ``keep_whitespace`` (code) the pieces are joined exactly as given.
    """

    keep_whitespace: bool = False
    _parts: list[str] = field(default_factory=list)
    _length: int = 0
    _space_pending: bool = False
    _last_token: str = ""
    _last_gap: str = ""
    _clean_starts: list[int] = field(default_factory=list)
    _clean_ends: list[int] = field(default_factory=list)
    _original_starts: list[int] = field(default_factory=list)
    _original_ends: list[int] = field(default_factory=list)

    def original(self, original: str, start: int, end: int) -> None:
        """``original[start:end]`` as a reader sees it: its words, its spaces collapsed.

        Runs of words split by single spaces are kept whole, one segment each.
        """
        if self.keep_whitespace:
            self._append(original[start:end], start, end)
            return
        passage = original[start:end]
        if _regular(passage):
            self._append(passage, start, end)
            return
        if passage.isspace():  # a line break between tags: a gap, no words
            self._gap(passage)
            return
        first = start + len(passage) - len(passage.lstrip())
        last = start + len(passage.rstrip())
        if first > start:
            self._gap(original[start:first])
        position = first
        for gap in _IRREGULAR_SPACE.finditer(original, first, last):
            self._append(original[position : gap.start()], position, gap.start())
            self._gap(gap.group())
            position = gap.end()
        self._append(original[position:last], position, last)
        if last < end:
            self._gap(original[last:end])

    def replaced(self, shown: str, start: int, end: int) -> None:
        """``shown`` stands for ``original[start:end]`` (a decoded reference or escape)."""
        if not self.keep_whitespace and (not shown or shown.isspace()):
            self.space()
            return
        self._append(shown, start, end)

    def inserted(self, shown: str, at: int) -> None:
        """``shown`` has no original of its own (a cell separator); it maps to ``at``."""
        self._append(shown, at, at)

    def space(self) -> None:
        """A break between words (a line break, a cell boundary)."""
        if self.keep_whitespace:
            return
        self._gap(" ")

    def _gap(self, gap: str) -> None:
        if self._length:
            self._space_pending = True
            self._last_gap += gap

    def _append(self, shown: str, start: int, end: int) -> None:
        if not shown:
            return
        if self._space_pending:
            if not _joins_without_space(self._last_token, self._last_gap, shown):
                self._parts.append(" ")
                self._length += 1
            self._space_pending = False
        self._last_gap = ""
        self._last_token = shown
        self._clean_starts.append(self._length)
        self._parts.append(shown)
        self._length += len(shown)
        self._clean_ends.append(self._length)
        self._original_starts.append(start)
        self._original_ends.append(end)

    @property
    def empty(self) -> bool:
        return not self._length

    def build(self) -> CleanSpan:
        return CleanSpan(
            "".join(self._parts),
            self._clean_starts,
            self._clean_ends,
            self._original_starts,
            self._original_ends,
        )


def _regular(passage: str) -> bool:
    """Text whose spacing is already clean: words split by single spaces.

    Printable text holds no whitespace but the space (``isprintable`` is one pass in C, far
    quicker than the search), so only the rest (tabs, line breaks, no-break spaces, but also
    control and format characters, which are no space) is searched.
    """
    return (
        bool(passage)
        and passage[0] != " "
        and passage[-1] != " "
        and "  " not in passage
        and (passage.isprintable() or not _IRREGULAR_SPACE.search(passage))
    )


def collapse_whitespace(text: str) -> str:
    """The cleaned form of ``text``: how a quote compares with its source slice."""
    return CleanSpan.of(text).text
