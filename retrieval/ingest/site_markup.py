"""Static-site generators' own markup in Markdown pages, which a reader never sees.

Hugo's shortcodes (``{{< notice warning >}}``, ``{{% alert %}}``, a link target
``{{< ref "config.md" >}}``) and Liquid or Jinja tags (``{% include x.md %}``) are
replaced when the site is built, Docusaurus and
VitePress fence their callouts with ``:::note`` lines, and MkDocs opens a callout, a
collapsible block or a content tab with a ``!!! note``, ``??? tip`` or ``=== "Tab"``
line whose body is indented four spaces further; pymdownx's blocks open with a
``/// note | Title`` line and close with ``///``, its snippets include a file with
``--8<-- "file.md"``, and mkdocstrings renders an API with a ``::: package.module`` line
and the options indented under it; an abbreviation is defined on a line of its
own (``*[HTML]: Hyper Text Markup Language``). MyST fences a directive like code
(``{note}`` after the backticks), its body prose, and marks targets ``(name)=`` and
comments ``% note``. GitHub marks an alert with ``> [!NOTE]`` (Obsidian
adds a title after it). MDX pages hold ``{/* comments */}`` and open with ES module
``import`` and ``export`` statements. Left in, they would be quoted as words
of the page, and an indented body read as code. They are found here, masked character
for character before the page is parsed (so every offset still indexes the file), and
skipped when the reader copies text from the file. The mask is a private-use character,
not a space: spaces before a line's text would make it an indented code block, and in a
link target would end it. Hugo's escaped form ``{{</* x */>}}`` shows the shortcode
itself on the built page, so it stays. An indented MkDocs body gets a list marker in
place of its first indenting space (``indented_bodies``), so it is parsed as the
Markdown it is, and read as the prose it holds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator

_SHORTCODE = re.compile(r"\{\{(?:<(?!\s*/\*).{0,1000}?>|%(?!\s*/\*).{0,1000}?%)\}\}", re.DOTALL)
# The fence without its indentation, which keeps it inside the list item or body it is in.
# Liquid's and Jinja's tags (Jekyll's "{% include note.html %}", GitBook's "{% hint %}",
# mkdocs-macros): replaced or dropped when the site is built.
_TEMPLATE_TAG = re.compile(r"\{%-?(?!\s*/\*).{1,1000}?-?%\}", re.DOTALL)
_CALLOUT_FENCE = re.compile(r"^[ \t]*(?P<fence>:::+[ \t]*[\w-]*[^\n]*)$", re.MULTILINE)
# Python-Markdown's admonitions, pymdownx's details and tabs: type and classes, a title.
_INDENTED_OPENER = re.compile(
    r'^[ ]*(?P<opener>(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*(?:[ \t]+"[^"\n]*")?'
    r'|===\+?[ \t]+"[^"\n]*")[ \t]*$',
    re.MULTILINE,
)
# Attribute lists (Python-Markdown's attr_list, kramdown, heading IDs): "{: #id .class }",
# "{.external}", "{#custom-id}", "{ .button target="_blank" }"; every token an ID, a class
# or key=value, and an ID or a class among them unless a colon opens it ("{name}" is text);
# none inside a template's double braces ("{{ .Title }}").
_ID_OR_CLASS = r"[#.][^\s{}\"'=]+"
_KEY_VALUE = r"[\w:-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s{}\"']+)"
_TOKEN = rf"(?:{_ID_OR_CLASS}|{_KEY_VALUE})"
_ATTRIBUTE_LIST = re.compile(
    rf"(?<!\{{)(?:\{{:[ \t]*(?:{_TOKEN}[ \t]*)*\}}"
    rf"|\{{[ \t]*(?:{_KEY_VALUE}[ \t]+)*{_ID_OR_CLASS}(?:[ \t]+{_TOKEN})*[ \t]*\}})(?!\}})"
)
# Emoji and icon shortcodes, drawn as pictures: ":smile:", ":octicons-heart-fill-24:".
_ICON = re.compile(r"(?<![\w:]):[a-z0-9_+-]*[a-z][a-z0-9_+-]*:(?![\w:])")
# mkdocstrings' "::: package.module" and pymdownx's blocks ("/// note | Title", closed by
# "///"): the lines indented under the opener are its options (YAML), not text.
_AUTODOC = re.compile(r"^(?P<indent>[ \t]*):::[ \t]+[\w.:/-]+[ \t]*$", re.MULTILINE)
_BLOCK_OPENER = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>/{3,}[ \t]*[\w-]+(?:[ \t]*\|[^\n]*)?)[ \t]*$", re.MULTILINE
)
_BLOCK_CLOSER = re.compile(r"^[ \t]*(?P<fence>/{3,})[ \t]*$", re.MULTILINE)
# pymdownx's snippets: "--8<-- "file.md"" includes a file; a bare "--8<--" line opens and
# closes a list of files, one a line. An escaped one (";--8<--") is shown.
_SNIPPET = re.compile(r"^[ \t]*(?P<snippet>-{1,}8<-{1,}(?:[ \t]+[^\n]*)?)$", re.MULTILINE)
# GitHub's alerts and Obsidian's callouts: "> [!NOTE]" opens a block quote drawn as a box
# with the type as its title, or the title that follows (left out, as an opener's is).
_ALERT = re.compile(r"^[ \t]*(?:>[ \t]*)+(?P<alert>\[![A-Za-z][\w-]*\][+-]?[^\n]*)", re.MULTILINE)
# MDX (Docusaurus reads its .md pages as MDX too): a "{/* comment */}", and the ES module
# statements a page opens with ("import Tabs from '@theme/Tabs';", "export const x = ..."),
# each to the blank line that ends its paragraph (or a fence that closes code showing one).
_MDX_COMMENT = re.compile(r"\{/\*.{0,2000}?\*/\}", re.DOTALL)
_ES_MODULE = re.compile(
    r"^(?:import[ \t]+(?:[\w*{}, \t\n$]{1,500}?[ \t]from[ \t]+)?['\"][^'\"\n]+['\"];?[ \t]*$"
    r"|export[ \t]+(?:default|const|let|var|function|async|class)\b|export[ \t]*\{)"
    r"(?:[^\n]*\n?)(?:(?![ \t]*(?:```|~~~))[ \t]*\S[^\n]*(?:\n|$))*",
    re.MULTILINE,
)
# A footnote's reference ("text[^1].") and the label before its definition ("[^1]: The
# note."): the built page shows a generated number in their place.
_FOOTNOTE = re.compile(r"\[\^[^\]\s]{1,100}\]:?")
# An abbreviation's definition ("*[HTML]: Hyper Text Markup Language", Python-Markdown's
# abbr, PHP Markdown Extra): shown only as a tooltip over the word.
_ABBREVIATION = re.compile(r"^[ \t]{0,3}(?P<definition>\*\[[^\]\n]+\]:[^\n]*)$", re.MULTILINE)
# MyST (Sphinx's Markdown): a directive fenced like code ("```{note}") whose body is prose,
# closed by a fence as long; its options (":class: tip") follow its opening line.
_DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>(?P<ticks>`{3,}|~{3,})\{(?P<name>[\w:-]+)\}[^\n]*)$",
    re.MULTILINE,
)
_PROSE_DIRECTIVES = frozenset(
    [
        "admonition",
        "attention",
        "caution",
        "danger",
        "error",
        "hint",
        "important",
        "note",
        "seealso",
        "tip",
        "warning",
        "todo",
        "dropdown",
        "topic",
        "sidebar",
        "margin",
        "epigraph",
        "pull-quote",
        "highlights",
        "aside",
        "versionadded",
        "versionchanged",
        "versionremoved",
        "deprecated",
        "card",
        "grid-item-card",
        "tab-item",
        "tab-set",
        "grid",
        "grid-item",
        "div",
        "container",
        "only",
        "centered",
        "glossary",
        "hlist",
        "figure",
        "table",
        "list-table",
    ]
)
_DIRECTIVE_OPTION = re.compile(r"[ \t]*:[\w-]+:(?:[ \t][^\n]*)?")
# MyST's target before a heading ("(install)=") and its comment lines ("% a note").
_MYST_LINE = re.compile(r"^[ \t]*(?P<line>\([\w.:-]+\)=|%(?:[ \t][^\n]*)?)[ \t]*$", re.MULTILINE)
# A MyST role's name before the code span it marks ("{ref}`Install <install>`").
_ROLE = re.compile(r"\{[a-z][\w:.+-]*\}")
# What none of the markup ``inline_markup`` finds can do without: a brace, "[^", ":word:".
_INLINE_MARK = re.compile(r"\{|\[\^|:[a-z0-9_+-]+:")
_BODY_INDENT = 4
_NOT_NEWLINE = re.compile(r"[^\n]")
_MASK = "\ue000"


def site_markup(text: str) -> list[tuple[int, int]]:
    """Where the page's site markup is, in order, not overlapping; each kind is looked
    for only where a string it cannot do without is on the page."""
    found: list[tuple[int, int]] = []
    present: dict[tuple[str, ...], bool] = {}  # several kinds need the same strings
    for marks, finder in _FINDERS:
        if marks not in present:
            present[marks] = any(mark in text for mark in marks)
        if present[marks]:
            found += finder(text)
    return _apart(sorted(found))


class _OnMarkedLines:
    """A pattern anchored at line starts whose every match starts on a line holding one
    of ``marks``: ``finditer`` gives the pattern's matches, trying only those lines (the
    pattern's own search tries every position of the page)."""

    def __init__(self, pattern: re.Pattern[str], *marks: str) -> None:
        self._pattern = pattern
        self._marks = re.compile("|".join(map(re.escape, marks)))

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        position = 0
        while (mark := self._marks.search(text, position)) is not None:
            line = text.rfind("\n", 0, mark.start()) + 1
            match = self._pattern.match(text, line) if line >= position else None
            if match is not None:
                yield match
                position = match.end()
                continue
            line_end = text.find("\n", mark.end())
            if line_end < 0:
                return
            position = line_end + 1


_Lines = re.Pattern[str] | _OnMarkedLines
_INDENTED_OPENERS = _OnMarkedLines(_INDENTED_OPENER, "!!!", "???", "===")
_BLOCK_OPENERS = _OnMarkedLines(_BLOCK_OPENER, "///")
_BLOCK_CLOSERS = _OnMarkedLines(_BLOCK_CLOSER, "///")
_SNIPPETS = _OnMarkedLines(_SNIPPET, "8<")
_ES_MODULES = _OnMarkedLines(_ES_MODULE, "import", "export")
_MYST_LINES = _OnMarkedLines(_MYST_LINE, ")=", "%")


def _spans(pattern: _Lines, group: int | str = 0) -> Callable[[str], list[tuple[int, int]]]:
    return lambda text: [match.span(group) for match in pattern.finditer(text)]


def _es_modules(text: str) -> list[tuple[int, int]]:
    return [_without_line_break(text, match.span()) for match in _ES_MODULES.finditer(text)]


def _prose_directives(text: str) -> list[tuple[int, int]]:
    """The fences and options of each MyST directive whose body is prose, so the body is
    read as the Markdown it is instead of as code."""
    spans: list[tuple[int, int]] = []
    for match in _DIRECTIVE.finditer(text):
        if match.group("name") not in _PROSE_DIRECTIVES:
            continue
        spans.append(match.span("fence"))
        ticks = match.group("ticks")
        position = _directive_options(text, match.end() + 1, spans)
        closing = re.compile(
            rf"^[ \t]*(?P<fence>{re.escape(ticks[0])}{{{len(ticks)},}})[ \t]*$", re.M
        )
        found = closing.search(text, position)
        if found:
            spans.append(found.span("fence"))
    return spans


def _colon_directive_options(text: str) -> list[tuple[int, int]]:
    """The option lines after each MyST directive fenced with colons (":::{tip}")."""
    spans: list[tuple[int, int]] = []
    for match in _CALLOUT_FENCE.finditer(text):
        if "{" in match.group("fence"):
            _directive_options(text, match.end() + 1, spans)
    return spans


def _directive_options(text: str, position: int, spans: list[tuple[int, int]]) -> int:
    """Adds the option lines from ``position`` on to ``spans``; where they end."""
    while position < len(text):
        line_end = text.find("\n", position)
        line_end = len(text) if line_end < 0 else line_end
        if not _DIRECTIVE_OPTION.fullmatch(text, position, line_end):
            break
        spans.append((position, line_end))
        position = line_end + 1
    return position


def _without_line_break(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    return start, end - 1 if text.endswith("\n", start, end) else end


def _options(text: str, opener: _Lines) -> list[tuple[int, int]]:
    """The lines right under each ``opener`` line indented further than it, each without
    its indentation (which keeps it in the block it is in)."""
    spans: list[tuple[int, int]] = []
    for match in opener.finditer(text):
        indent = len(match.group("indent"))
        position = match.end() + 1
        while position < len(text):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end < 0 else line_end
            line = text[position:line_end]
            content = line.lstrip(" \t")
            if not content.strip() or len(line) - len(content) <= indent:
                break
            spans.append((line_end - len(content), line_end))
            position = line_end + 1
    return spans


def _snippets(text: str) -> list[tuple[int, int]]:
    """Snippet lines, and the file names between a bare opening and closing one."""
    spans: list[tuple[int, int]] = []
    list_start: int | None = None
    for match in _SNIPPETS.finditer(text):
        spans.append(match.span("snippet"))
        if match.group("snippet").strip("-8<"):
            continue
        if list_start is None:
            list_start = match.end()
        else:
            spans.append((list_start, match.start("snippet")))
            list_start = None
    return spans


def inline_markup(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where the attribute lists, icon shortcodes, footnote labels and roles of the prose
    ``text[start:end]`` are, in order: markup that attaches to the text beside it (a
    heading, a link, a word), so it is dropped without a break between words, and with
    the spaces before it where punctuation follows ("ok :smile:." reads "ok.")."""
    if _INLINE_MARK.search(text, start, end) is None:
        return []
    found = sorted(
        [m.span() for m in _ATTRIBUTE_LIST.finditer(text, start, end)]
        + [m.span() for m in _ICON.finditer(text, start, end)]
        + [m.span() for m in _FOOTNOTE.finditer(text, start, end)]
    )
    attached = [(_after_spaces(text, start, at, to, end), to) for at, to in found]
    roles = [m.span() for m in _ROLE.finditer(text, start, end) if text.startswith("`", m.end())]
    return _apart(sorted(attached + roles))


def _after_spaces(text: str, start: int, at: int, to: int, end: int) -> int:
    """``at``, or where the spaces before it start if no space follows ``to``."""
    if to < end and text[to].isspace():
        return at
    while at > start and text[at - 1] in " \t":
        at -= 1
    return at


def _apart(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans without those that overlap one kept before them."""
    kept: list[tuple[int, int]] = []
    for start, end in found:
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


def indented_bodies(text: str) -> str:
    """``text`` with each MkDocs body made a list item: ``-`` in place of the space at its
    opener's indentation on its first line, nested bodies in turn (offsets unchanged).

    The item takes in every line indented as far as the body, blank lines too, so a
    body's fenced code may hold blank lines (a block quote would end at the first one).
    """
    if not _may_open_bodies(text):
        return text
    lines = text.splitlines(keepends=True)
    openers: list[int] = []  # the indentation of each open body's opener, outermost first
    first_line = False  # whether the next line in the innermost body is its first
    for number, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if not line.strip():
            continue
        while openers and indent < openers[-1] + _BODY_INDENT:
            openers.pop()
            first_line = False
        if first_line:
            lines[number] = line[: openers[-1]] + "-" + line[openers[-1] + 1 :]
        first_line = _INDENTED_OPENER.fullmatch(line.rstrip("\r\n")) is not None
        if first_line:
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


_FINDERS: tuple[tuple[tuple[str, ...], Callable[[str], list[tuple[int, int]]]], ...] = (
    (("{{",), _spans(_SHORTCODE)),
    (("{%",), _spans(_TEMPLATE_TAG)),
    ((":::",), _spans(_CALLOUT_FENCE, "fence")),
    ((":::",), lambda text: _options(text, _AUTODOC)),
    ((":::",), _colon_directive_options),
    (("!!!", "???", "==="), _spans(_INDENTED_OPENERS, "opener")),
    (("///",), _spans(_BLOCK_OPENERS, "fence")),
    (("///",), _spans(_BLOCK_CLOSERS, "fence")),
    (("///",), lambda text: _options(text, _BLOCK_OPENERS)),
    (("8<",), _snippets),
    (("[!",), _spans(_ALERT, "alert")),
    (("*[",), _spans(_ABBREVIATION, "definition")),
    (("```{", "~~~{"), _prose_directives),
    ((")=", "%"), _spans(_MYST_LINES, "line")),
    (("{/*",), _spans(_MDX_COMMENT)),
    (("import", "export"), _es_modules),
)
