"""Markdown: CommonMark with tables, definition lists, task lists and front matter.

markdown-it-pyrs (markdown-it's grammar, in Rust) parses the page and gives every node
its exact source span, so each word of the clean text is tied to its bytes in the file
and checked against them. Headings open sections; paragraphs are prose; list items and
table rows are their own units (a header row is a heading); fenced and indented code
is code; raw HTML blocks are read by the HTML reader; images, link targets, comments
and emphasis markers are what a reader does not see. Inline code keeps its backticks.
YAML (``---``) and TOML (``+++``) front matter give the title, date and author. Static
site generators' shortcodes and callout fences are left out (``site_markup``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import markdown_it_pyrs
import numpy as np
import yaml

from retrieval.ingest.backtick_runs import all_runs, made_inert, may_be_unclosed, unclosed_runs
from retrieval.ingest.blocks import Block, Reading, SectionPath, mark_references
from retrieval.ingest.clean_span import CleanSpan, CleanTextBuilder
from retrieval.ingest.html_reader import html_blocks
from retrieval.ingest.metadata import clean_title, parse_date
from retrieval.ingest.site_markup import (
    indented_bodies,
    inline_markup,
    masked,
    shown_pieces,
    site_markup,
)
from retrieval.models import Metadata, SentenceKind

log = logging.getLogger("quotebot")

_PARSER = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(
    ["table", "front_matter", "strikethrough", "deflist", "tasklist"]
)
# The same blocks without inline rules: where inline text lies, which cannot make it panic.
_BLOCK_PARSER = markdown_it_pyrs.MarkdownIt("zero").enable_many(
    [
        "blockquote",
        "code",
        "fence",
        "heading",
        "hr",
        "lheading",
        "list",
        "paragraph",
        "reference",
        "html_block",
        "table",
        "front_matter",
        "deflist",
    ]
)
# A full or collapsed reference link, "[`Markdown`][markdown.Markdown]" or "[Markdown][]",
# not glued to a word before it ("a[i][j]" indexes); footnote labels ("[^1]") are no links.
# The bracket comes first, then what is before it is checked: a pattern opening with its
# literal is searched for quickly, one opening with a lookbehind tried at every position.
_FULL_REFERENCE = re.compile(
    r"\[(?<![\w\]\\]\[)(?P<text>(?:[^\[\]\\]|\\.){1,500})\]\[(?P<label>(?!\^)[^\[\]\\]{0,500})\]"
)
_TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*$", re.DOTALL | re.MULTILINE)
_INLINE = frozenset(
    {
        "text",
        "text_special",
        "softbreak",
        "hardbreak",
        "code_inline",
        "em",
        "strong",
        "strikethrough",
        "link",
        "image",
        "autolink",
        "html_inline",
        "todo_checkbox",
    }
)
_CONTAINERS = frozenset({"em", "strong", "strikethrough", "link", "autolink"})
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
# libyaml's safe loader when PyYAML was built with it: ten times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DATE_KEYS = ("date", "published", "publishdate", "pubdate", "created")
_AUTHOR_KEYS = ("author", "authors")


class _Unaligned(Exception):
    """A parsed piece of text could not be found in its block's source."""


@dataclass(slots=True)
class _ByteOffsets:
    """Character offsets of the parser's UTF-8 byte offsets."""

    text: str
    _chars: np.ndarray | None = None

    def __post_init__(self) -> None:
        data = self.text.encode("utf-8")
        if len(data) != len(self.text):
            # Counted into one array of the narrowest type that holds the count: a large
            # page's table is then 4 bytes a byte, made without a second copy.
            leads = (np.frombuffer(data, np.uint8) & 0xC0) != 0x80
            del data
            chars = np.zeros(leads.size + 1, np.int32 if leads.size < 1 << 31 else np.int64)
            np.cumsum(leads, out=chars[1:])
            self._chars = chars

    def __call__(self, offset: int) -> int:
        # Tab-indented lines can push the parser's offsets past the end; the text decides.
        if self._chars is None:
            return min(offset, len(self.text))
        return int(self._chars[min(offset, len(self._chars) - 1)])


@dataclass(slots=True)
class _Reader:
    """Walks the parse of ``parsed``, a copy of ``text`` with the same offsets.

    The parser's text is found in ``parsed``; what a reader sees is taken from ``text``.
    """

    text: str
    parsed: str
    offsets: _ByteOffsets
    blocks: list[Block] = field(default_factory=list)
    sections: SectionPath = field(default_factory=SectionPath)
    metadata: Metadata = field(default_factory=lambda: Metadata())
    last_end: int = 0
    drifted: bool = False
    hidden: list[tuple[int, int]] = field(default_factory=list)
    html: str | None = None

    def span(self, node: Any) -> tuple[int, int]:
        start, end = node.srcmap
        return self.offsets(start), self.offsets(end)

    def read(self, node: Any, kind: SentenceKind) -> None:
        """The blocks under ``node``; loose inline children form one block of ``kind``."""
        inline: list[Any] = []
        for child in node.children:
            if child.name in _INLINE:
                inline.append(child)
                continue
            self._inline_block(inline, kind, node)
            inline = []
            self._block(child, kind)
        self._inline_block(inline, kind, node)

    def _inline_block(self, nodes: list[Any], kind: SentenceKind, parent: Any) -> None:
        if not nodes:
            return
        span = self._aligned(nodes, parent)
        if span.text:
            self.blocks.append(Block(kind, span, self.sections.current))

    def _aligned(self, nodes: list[Any], parent: Any) -> CleanSpan:
        """The clean text of inline nodes, tied to the source; the raw block if that fails."""
        builder = CleanTextBuilder()
        if not nodes:  # an empty heading such as a lone ``#``
            return builder.build()
        try:
            # A block starts after the one before it, whatever the parser's offsets say (in
            # nested task lists they can point to an earlier line holding the same words).
            start = self.offsets(nodes[0].srcmap[0]) if nodes[0].srcmap else 0
            cursor = max(start, self.last_end)
            self.drifted = False
            self.last_end = self._inline(nodes, builder, cursor)
            aligned = builder.build()
            if not _forward(aligned):
                raise _Unaligned
        except _Unaligned:
            start, end = self.span(parent)
            log.debug("markdown text not aligned to its source at %d; kept raw", start)
            return CleanSpan.of(self.text, start, end)
        return aligned

    def _inline(self, nodes: list[Any], builder: CleanTextBuilder, cursor: int) -> int:
        for node in nodes:
            name = node.name
            if name == "text":
                cursor = self._text(node.meta["content"], node, builder, cursor)
            elif name == "text_special":
                start, end = self._find(node.meta["markup"], node, cursor)
                builder.replaced(self._shown(node.meta["content"], start, end), start, end)
                cursor = end
            elif name in ("softbreak", "hardbreak"):
                builder.space()
            elif name == "code_inline":
                cursor = self._code(node, builder, cursor)
            elif name in _CONTAINERS:
                cursor = self._inline(node.children, builder, cursor)
            elif name == "html_inline" and _LINE_BREAK_TAG.fullmatch(node.meta["content"]):
                builder.space()
        return cursor

    def _shown(self, content: str, start: int, end: int) -> str:
        """An escape's character; for an escaped tick made inert, the tick itself."""
        if self.parsed[start:end] == self.text[start:end]:
            return content
        return self.text[end - len(content) : end]

    def _text(self, content: str, node: Any, builder: CleanTextBuilder, cursor: int) -> int:
        try:
            start, end = self._find(content, node, cursor)
        except _Unaligned:
            if "|" not in content:
                raise
            return self._escaped_pipes(content, node, builder, cursor)
        markup = inline_markup(self.text, start, end)
        if not markup:
            self._original(builder, start, end)
            return end
        for piece_start, piece_end in shown_pieces(markup, start, end):
            self._original(builder, piece_start, piece_end)
        return end

    def _escaped_pipes(
        self, content: str, node: Any, builder: CleanTextBuilder, cursor: int
    ) -> int:
        """A table cell's text, whose pipes the file escapes ("bool \\| str"): each
        shown as the pipe it is."""
        start, end = self._find(content.replace("|", "\\|"), node, cursor)
        position = start
        while (escape := self.parsed.find("\\|", position, end)) >= 0:
            self._original(builder, position, escape)
            builder.replaced("|", escape, escape + 2)
            position = escape + 2
        self._original(builder, position, end)
        return end

    def _original(self, builder: CleanTextBuilder, start: int, end: int) -> None:
        """The file's text from ``start`` to ``end``, without the site markup in it."""
        if not self.hidden:
            builder.original(self.text, start, end)
            return
        for piece_start, piece_end in shown_pieces(self.hidden, start, end):
            if piece_start > start:
                builder.space()
            builder.original(self.text, piece_start, piece_end)

    def _find(self, content: str, node: Any, cursor: int) -> tuple[int, int]:
        """Where ``content`` is in the source: at the node's span, else just after ``cursor``.

        Once a node of the block is found away from its span (offsets run ahead after a
        tab-indented line), spans are no longer trusted: the same characters can stand
        there by chance (a "-" of "*-*-linux" two places on), so text is looked for after
        ``cursor``.
        """
        spanned = bool(node.srcmap)
        if spanned:
            start, end = self.span(node)
            if not self.drifted and self.parsed[start:end] == content:
                return start, end
            limit = end + len(content)
        else:
            limit = cursor + 4 * len(content) + 64
        found = self.parsed.find(content, cursor, limit) if content else -1
        if found < 0 and content:
            # Parser offsets run ahead after a tab-indented line: look from the last block.
            found = self.parsed.find(content, self.last_end, limit)
        if found < 0:
            raise _Unaligned
        if spanned and found != start:
            self.drifted = True
        return found, found + len(content)

    def _code(self, node: Any, builder: CleanTextBuilder, cursor: int) -> int:
        marks = node.meta.get("marker_len", 1)
        start, end = self._code_span(node, "`" * marks, cursor)
        # What the code shows (the parser's content); a space at its edge shows beside the
        # words outside it ("`foo `bar" reads "foo bar").
        shown = "".join(child.meta.get("content", "") for child in node.children)
        if shown[:1].isspace():
            builder.space()
        builder.replaced("`", start, start + marks)
        inner = start + marks
        for child in node.children:
            # Inside code a line break reads as a space: match the code word by word.
            words = child.meta.get("content", "").split()
            first = position = self.parsed.find(words[0], inner, end) if words else -1
            for word in words:
                found = self.parsed.find(word, position, end)
                if found < 0 or first < 0:
                    raise _Unaligned
                position = found + len(word)
            if words:
                # Code shows what it holds, site markup too ("`{/* truncate */}`").
                builder.original(self.text, first, position)
                inner = position
        builder.replaced("`", end - marks, end)
        if shown[-1:].isspace():
            builder.space()
        return max(cursor, end)

    def _html(self) -> str:
        """The text raw HTML blocks are read from: site markup inside them (a shortcode
        closing after a ``<div>``) blanked, as it is no text."""
        if self.html is None:
            self.html = masked(self.text, self.hidden, " ") if self.hidden else self.text
        return self.html

    def _code_span(self, node: Any, ticks: str, cursor: int) -> tuple[int, int]:
        """Where a code span is: the parser's offsets, or, where they run ahead after a
        tab-indented line (before the span or inside it), from the first ticks after
        ``cursor`` to the next run of as many ticks, which is where CommonMark closes it."""
        start, end = self.span(node)
        if self._ticked(start, end, ticks):
            return start, end
        opened = start if self.parsed.startswith(ticks, start) else self.parsed.find(ticks, cursor)
        closing = re.compile(f"(?<!`){ticks}(?!`)")
        closed = closing.search(self.parsed, opened + len(ticks)) if opened >= 0 else None
        if closed is None:
            raise _Unaligned
        return opened, closed.end()

    def _ticked(self, start: int, end: int, ticks: str) -> bool:
        return self.parsed.startswith(ticks, start, end) and self.parsed.endswith(ticks, start, end)

    def _block(self, node: Any, kind: SentenceKind) -> None:
        name = node.name
        if name == "front_matter":
            self.metadata = front_matter(node.meta.get("content", ""), yaml_format=True)
        elif name in ("heading", "lheading"):
            self._heading(node)
        elif name == "paragraph":
            self._inline_block(node.children, kind, node)
        elif name in ("bullet_list", "ordered_list"):
            item_kind = kind if self._site_body(node) else SentenceKind.LIST_ITEM
            for item in node.children:
                self.read(item, item_kind)
        elif name == "table":
            self._table(node)
        elif name in ("fence", "code_block"):
            self._code_block(node)
        elif name == "html_block":
            start, end = self.span(node)
            self.blocks.extend(html_blocks(self._html(), start, end, self.sections.current))
        elif name == "definition_list":
            self._definitions(node)
        elif node.children:
            self.read(node, kind)

    def _site_body(self, node: Any) -> bool:
        """Whether a list is an MkDocs body made a list item (``indented_bodies``): the
        file has a space where its marker is."""
        start = self.span(node)[0]
        return self.parsed.startswith("-", start) and self.text.startswith(" ", start)

    def _definitions(self, node: Any) -> None:
        """Each term is a heading, and its descriptions the section it names."""
        term = ""
        for child in node.children:
            if child.name == "definition_term":
                span = self._aligned(child.children, child)
                if span.text:
                    self.blocks.append(Block(SentenceKind.HEADING, span, self.sections.current))
                    term = span.text
            elif child.name == "definition_description":
                with self.sections.described(term):
                    self.read(child, SentenceKind.BODY)

    def _heading(self, node: Any) -> None:
        span = self._aligned(node.children, node)
        if not span.text:
            return
        level = int(node.meta.get("level", 1))
        section = self.sections.enter(level, span.text)
        self.blocks.append(Block(SentenceKind.HEADING, span, section, level))
        if level == 1 and "title" not in self.metadata:
            self.metadata["title"] = clean_title(span.text)

    def _table(self, node: Any) -> None:
        for part in node.children:
            kind = SentenceKind.HEADING if part.name == "thead" else SentenceKind.TABLE_ROW
            for row in part.children:
                span = self._row(row)
                if span.text.strip(" |"):
                    self.blocks.append(Block(kind, span, self.sections.current))

    def _row(self, row: Any) -> CleanSpan:
        builder = CleanTextBuilder()
        for number, cell in enumerate(row.children):
            if number:
                start, _ = self.span(cell)
                builder.space()
                builder.inserted("|", start)
                builder.space()
            if cell.children:
                try:
                    self._inline(cell.children, builder, self.span(cell)[0])
                except _Unaligned:
                    start, end = self.span(row)
                    return CleanSpan.of(self.text, start, end)
        return builder.build()

    def _code_block(self, node: Any) -> None:
        """Code, located by its own lines: the file from its first line to its last."""
        lines = [line.strip() for line in node.meta.get("content", "").splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            return
        position = min(self.span(node)[0], max(self.last_end, 0))
        start = self.parsed.find(lines[0], position)
        if start < 0:
            return
        end = start
        for line in lines:
            found = self.parsed.find(line, end)
            if found < 0:
                return
            end = found + len(line)
        builder = CleanTextBuilder(keep_whitespace=True)
        builder.original(self.text, start, end)
        self.blocks.append(Block(SentenceKind.CODE, builder.build(), self.sections.current))
        self.last_end = end


def front_matter(content: str, yaml_format: bool) -> Metadata:
    """Title, date and author from YAML or TOML front matter; bad front matter gives none."""
    try:
        fields = yaml.load(content, Loader=_YAML_LOADER) if yaml_format else tomllib.loads(content)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError):
        return Metadata()
    if not isinstance(fields, dict):
        return Metadata()
    fields = {str(key).lower(): value for key, value in fields.items()}
    metadata = Metadata()
    title = fields.get("title")
    if isinstance(title, str) and title.strip():
        metadata["title"] = clean_title(title)
    published = next((_day(fields[k]) for k in _DATE_KEYS if k in fields), None)
    if published is not None:
        metadata["published"] = published
    author = next((_names(fields[k]) for k in _AUTHOR_KEYS if k in fields), None)
    if author:
        metadata["author"] = author
    return metadata


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_date(value) if isinstance(value, str) else None


def _names(value: object) -> str | None:
    if isinstance(value, str):
        return clean_title(value) or None
    if isinstance(value, list):
        return clean_title(", ".join(str(name) for name in value if isinstance(name, str))) or None
    return None


def _forward(span: CleanSpan) -> bool:
    """Whether the pieces of ``span`` run forward through the source, as a reading must.

    A search that recovers from parser offsets thrown off by tabs may find a repeated phrase
    at an earlier occurrence; such an alignment is not trusted.
    """
    previous = 0
    for start, end in zip(span.original_starts, span.original_ends, strict=True):
        if not previous <= start <= end:
            return False
        previous = end
    return True


def read_markdown(text: str) -> Reading:
    """The blocks of a Markdown page and what its front matter and first H1 state."""
    parsed = text
    stated = Metadata()
    toml = _TOML_FRONT_MATTER.match(text)
    if toml:
        stated = front_matter(toml.group(1), yaml_format=False)
        # Blank the front matter character for character, so offsets still index ``text``.
        parsed = re.sub(r"[^\n]", " ", text[: toml.end()]) + text[toml.end() :]
    hidden = site_markup(parsed)
    parsed = masked(indented_bodies(parsed), hidden)
    offsets, parsed, tree = _cross_referenced(parsed)
    reader = _Reader(text, parsed, offsets, metadata=stated, hidden=hidden)
    reader.read(tree, SentenceKind.BODY)
    return Reading(mark_references(reader.blocks, headings_marked=True), reader.metadata)


def _cross_referenced(text: str) -> tuple[_ByteOffsets, str, Any]:
    """The parse of ``text`` with every reference link's label defined.

    Sites resolve the labels a page leaves undefined across pages (mkdocs-autorefs'
    "[`Markdown`][markdown.Markdown]", a links file every page includes), so the built
    page shows the link's text, not the brackets. A definition for each label follows
    the page; a label the page defines keeps its own, as the first definition wins.
    Should the page end in a block that takes the definitions in (an unclosed fence),
    it is parsed as it stands.
    """
    found = _FULL_REFERENCE.finditer(text) if "][" in text else ()
    labels = {m.group("label") or m.group("text") for m in found}
    labels = {label for label in labels if label.strip()}
    if labels:
        page = text + "\n\n"
        defined = page + "".join(f"[{label}]: <>\n" for label in sorted(labels))
        offsets = _ByteOffsets(defined)
        safe, tree = _parsed(defined, offsets)
        if not any(
            node.name != "definition" and node.srcmap and offsets(node.srcmap[1]) > len(page)
            for node in tree.children
        ):
            return offsets, safe, tree
    offsets = _ByteOffsets(text)
    safe, tree = _parsed(text, offsets)
    return offsets, safe, tree


def _parsed(text: str, offsets: _ByteOffsets) -> tuple[str, Any]:
    """``text`` made safe for markdown-it-pyrs, and its parse.

    Unclosed backtick runs are made inert first; should the parser still panic, every run.
    """
    unclosed = "[" in text and may_be_unclosed(text)
    spans = _inline_spans(text, offsets) if unclosed else []
    safe = made_inert(text, unclosed_runs(text, spans))
    tree = _tree(safe, _PARSER)
    if tree is None:
        safe = made_inert(text, all_runs(text, spans or _inline_spans(text, offsets)))
        tree = _tree(safe, _PARSER)
    if tree is None:
        raise ValueError("the Markdown parser fails on it, even without backticks")
    return safe, tree


def _inline_spans(text: str, offsets: _ByteOffsets) -> list[tuple[int, int]]:
    """The paragraphs, headings and cells: where backtick runs pair."""
    blocks = _tree(text, _BLOCK_PARSER)
    if blocks is None:
        return [(0, len(text))]
    return [
        (offsets(node.srcmap[0]), offsets(node.srcmap[1]))
        for node in blocks.walk()
        if node.name == "text" and node.srcmap
    ]


def _tree(text: str, parser: Any) -> Any | None:
    """The parse of ``text``, or None if markdown-it-pyrs panicked on it."""
    try:
        return parser.tree(text)
    except BaseException as error:  # pyo3's PanicException is a BaseException
        if type(error).__name__ != "PanicException":
            raise
        log.debug("markdown-it-pyrs panicked (%s)", error)
        return None
