"""Static-site generators' own markup in Markdown pages, which a reader never sees.

Hugo's shortcodes (``{{< notice warning >}}``, ``{{% alert %}}``, a link target
``{{< ref "config.md" >}}``) are replaced when the site is built, Docusaurus and
VitePress fence their callouts with ``:::note`` lines, and MkDocs opens a callout, a
collapsible block or a content tab with a ``!!! note``, ``??? tip`` or ``=== "Tab"``
line whose body is indented four spaces further. Left in, they would be quoted as words
of the page, and an indented body read as code. They are found here, masked character
for character before the page is parsed (so every offset still indexes the file), and
skipped when the reader copies text from the file. The mask is a private-use character,
not a space: spaces before a line's text would make it an indented code block, and in a
link target would end it. Hugo's escaped form ``{{</* x */>}}`` shows the shortcode
itself on the built page, so it stays. An indented MkDocs body gets a block quote marker
in place of its first indenting space (``indented_bodies``), so it is parsed as the
Markdown it is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

_SHORTCODE = re.compile(r"\{\{(?:<(?!\s*/\*).{0,1000}?>|%(?!\s*/\*).{0,1000}?%)\}\}", re.DOTALL)
_CALLOUT_FENCE = re.compile(r"^[ \t]*:::+[ \t]*[\w-]*[^\n]*$", re.MULTILINE)
# Python-Markdown's admonitions, pymdownx's details and tabs: type and classes, a title.
_INDENTED_OPENER = re.compile(
    r'^[ ]*(?P<opener>(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*(?:[ \t]+"[^"\n]*")?'
    r'|===\+?[ \t]+"[^"\n]*")[ \t]*$',
    re.MULTILINE,
)
_BODY_INDENT = 4
_NOT_NEWLINE = re.compile(r"[^\n]")
_MASK = "\ue000"


def site_markup(text: str) -> list[tuple[int, int]]:
    """Where the page's shortcodes and callout fences are, in order, not overlapping."""
    if "{{" not in text and ":::" not in text and not _may_open_bodies(text):
        return []
    found = sorted(
        [m.span() for m in _SHORTCODE.finditer(text)]
        + [m.span() for m in _CALLOUT_FENCE.finditer(text)]
        + [m.span("opener") for m in _INDENTED_OPENER.finditer(text)]
    )
    kept: list[tuple[int, int]] = []
    for start, end in found:
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


def indented_bodies(text: str) -> str:
    """``text`` with the lines of each MkDocs body marked as a block quote: ``>`` in place
    of the space at its opener's indentation, nested bodies in turn (offsets unchanged)."""
    if not _may_open_bodies(text):
        return text
    lines = text.splitlines(keepends=True)
    openers: list[int] = []  # the indentation of each open body's opener, outermost first
    for number, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if not line.strip():
            continue
        while openers and indent < openers[-1] + _BODY_INDENT:
            openers.pop()
        if openers:
            marked = list(line)
            for column in openers:
                marked[column] = ">"
            lines[number] = "".join(marked)
        if _INDENTED_OPENER.fullmatch(line.rstrip("\r\n")):
            openers.append(indent)
    return "".join(lines)


def _may_open_bodies(text: str) -> bool:
    return "!!!" in text or "???" in text or "===" in text


def masked(text: str, spans: list[tuple[int, int]], mask: str = _MASK) -> str:
    """``text`` with each span's characters but line breaks masked (``mask``: a space
    for raw HTML, where spaces are no text)."""
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces += [text[position:start], _NOT_NEWLINE.sub(mask, text[start:end])]
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
