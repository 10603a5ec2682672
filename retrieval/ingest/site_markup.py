"""Static-site generators' own markup in Markdown pages, which a reader never sees.

Hugo's shortcodes (``{{< notice warning >}}``, ``{{% alert %}}``, a link target
``{{< ref "config.md" >}}``) are replaced when the site is built, and Docusaurus and
VitePress fence their callouts with ``:::note`` lines. Left in, they would be quoted as
words of the page. They are found here, masked character for character before the page
is parsed (so every offset still indexes the file), and skipped when the reader copies
text from the file. The mask is a private-use character, not a space: spaces before a
line's text would make it an indented code block, and in a link target would end it.
Hugo's escaped form ``{{</* x */>}}`` shows the shortcode itself on the built page, so it
stays.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

_SHORTCODE = re.compile(r"\{\{(?:<(?!\s*/\*).{0,1000}?>|%(?!\s*/\*).{0,1000}?%)\}\}", re.DOTALL)
_CALLOUT_FENCE = re.compile(r"^[ \t]*:::+[ \t]*[\w-]*[^\n]*$", re.MULTILINE)
_NOT_NEWLINE = re.compile(r"[^\n]")
_MASK = "\ue000"


def site_markup(text: str) -> list[tuple[int, int]]:
    """Where the page's shortcodes and callout fences are, in order, not overlapping."""
    if "{{" not in text and ":::" not in text:
        return []
    found = sorted(
        [m.span() for m in _SHORTCODE.finditer(text)]
        + [m.span() for m in _CALLOUT_FENCE.finditer(text)]
    )
    kept: list[tuple[int, int]] = []
    for start, end in found:
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


def masked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span's characters but line breaks masked."""
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces += [text[position:start], _NOT_NEWLINE.sub(_MASK, text[start:end])]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def shown_pieces(spans: list[tuple[int, int]], start: int, end: int) -> Iterator[tuple[int, int]]:
    """The parts of ``start``..``end`` outside ``spans`` (which are sorted), in order."""
    first = bisect_right(spans, (start, start))
    if first and spans[first - 1][1] > start:
        first -= 1
    position = start
    for hidden_start, hidden_end in spans[first:]:
        if hidden_start >= end:
            break
        if hidden_start > position:
            yield position, hidden_start
        position = max(position, hidden_end)
    if position < end:
        yield position, end
