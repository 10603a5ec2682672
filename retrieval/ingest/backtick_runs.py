"""Backtick runs that would crash markdown-it-pyrs, made inert before it parses a page.

markdown-it-pyrs 0.4 panics (markdown-it-rust's ``code_pair.rs``: "index out of bounds")
when it meets a backtick run a second time after a scan found nothing to close it, as
the scan for a link's closing bracket makes it do: the smallest page is ``[```. The panic
would cost the whole file and print a Rust message on stderr. CommonMark shows an
unclosed run as literal backticks, which reads the same as any other punctuation that
starts nothing: an apostrophe, which, like a backtick, is ASCII punctuation to the
emphasis rules and one byte, so every offset still holds. The reader matches the
parser's text against the inert copy and takes the characters it shows from the
original, so the backticks stay in the quotes.

Runs pair as CommonMark pairs them: within one paragraph, heading or table cell (the
spans a block-level parse gives), a run is closed by the next run of the same length.
Making an open run inert changes no other run's pairing. A run after three backticks
that open a line stays, since without it the line would turn into a code fence.
``all_runs`` is the last resort for what this misjudges (a run inside an HTML tag or a
link target, or a closer the parser misses after a link scan): every run of those spans.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator, Sequence

INERT = "'"
# "``*", not "`+": re's search jumps from tick to tick for a pattern that opens with a
# literal, but tries one that opens with a repeat at every position.
_RUN = re.compile(r"``*")
_FENCE_OPENING = re.compile(r"[ \t>]*```+")
_SEGMENT = re.compile(r"[^|]+")
_FENCE_LINE = re.compile(r"(?: {0,3}>)* {0,3}(?:```+[^`]*|~~~.*)\r?")

Span = tuple[int, int]


def may_be_unclosed(text: str) -> bool:
    """Whether a run may be left unclosed; False when each line closes its own runs.

    Every paragraph, heading and cell is made of whole lines (or cells), so if each pairs
    its own runs, none is left unclosed: the block-level parse can be spared. Fence lines
    are not inline text.
    """
    for start, end in _lines_with_runs(text):
        if _FENCE_LINE.fullmatch(text, start, end):
            continue
        for segment in _SEGMENT.finditer(text, start, end):
            runs = list(_runs(text, segment.start(), segment.end()))
            if next(_unpaired(text, runs), None) is not None:
                return True
    return False


def _lines_with_runs(text: str) -> Iterator[Span]:
    """Where each line holding a backtick is, found from backtick to backtick (a pattern
    anchored at line starts would be tried at every position)."""
    position = text.find("`")
    while position >= 0:
        start = text.rfind("\n", 0, position) + 1
        end = text.find("\n", position)
        if end < 0:
            yield start, len(text)
            return
        yield start, end
        position = text.find("`", end)


def unclosed_runs(text: str, inline_spans: Sequence[Span]) -> list[Span]:
    """The runs of ``inline_spans`` with a bracket that nothing closes."""
    found: list[Span] = []
    for start, end in inline_spans:
        if text.find("[", start, end) >= 0:
            runs = _unpaired(text, list(_runs(text, start, end)))
            found += [run for run in runs if not _after_a_fence_opening(text, run[0])]
    return found


def all_runs(text: str, inline_spans: Sequence[Span]) -> list[Span]:
    """Every backtick run of ``inline_spans``."""
    return [run for start, end in inline_spans for run in _runs(text, start, end)]


def made_inert(text: str, runs: Sequence[Span]) -> str:
    """``text`` with the characters of ``runs`` (in order) replaced by ``INERT``."""
    if not runs:
        return text
    pieces: list[str] = []
    last = 0
    for start, end in runs:
        pieces += [text[last:start], INERT * (end - start)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _runs(text: str, start: int, end: int) -> Iterator[Span]:
    for run in _RUN.finditer(text, start, end):
        yield run.start(), run.end()


def _unpaired(text: str, runs: list[Span]) -> Iterator[Span]:
    """Openers left open when each takes the next run of its length as its closer.

    A backslash escapes an opener's first tick; inside code it is a plain character, so a
    closer is any run of the right length. An open run is given whole, escaped tick and
    all: what is left of a run must not become a closer it never was.
    """
    by_length: dict[int, list[int]] = defaultdict(list)
    for index, (start, end) in enumerate(runs):
        by_length[end - start].append(index)
    index = 0
    while index < len(runs):
        start, end = runs[index]
        opener = start + _escaped(text, start)
        same = by_length.get(end - opener, [])
        following = bisect_right(same, index)
        if opener == end:
            index += 1
        elif following == len(same):
            yield start, end
            index += 1
        else:
            index = same[following] + 1


def _after_a_fence_opening(text: str, position: int) -> bool:
    """Whether the line of ``position`` opens with three backticks before it."""
    opening = _FENCE_OPENING.match(text, text.rfind("\n", 0, position) + 1)
    return opening is not None and opening.end() <= position


def _escaped(text: str, position: int) -> int:
    """1 if a backslash escapes the character at ``position``, else 0."""
    before = position
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (position - before) % 2
