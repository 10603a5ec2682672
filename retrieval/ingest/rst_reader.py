"""reStructuredText (PEPs, Sphinx sources): docutils parses, the source keeps the offsets.

docutils' parser builds the document tree (no transforms, so the tree stays in source
order); each text node is matched back to the source (``alignment``), since docutils
reports lines, not characters. Sections give the section path and their depth; field
lists (a PEP's RFC 2822 header, ``:Author:`` fields) give metadata and are list items;
literal and doctest blocks are code. Sphinx's roles and directives, which plain docutils
does not know, are registered as generic ones: a role shows its text (``:ref:`Title
<target>``` reads "Title"; code-like roles read as inline code), a directive its content.
Nothing is ever read from other files: ``include`` and ``raw`` are switched off.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from docutils import frontend, nodes, utils
from docutils.parsers.rst import Directive, Parser, directives, roles
from docutils.parsers.rst import languages as rst_languages

from retrieval.ingest.alignment import Aligner
from retrieval.ingest.blocks import Block, Reading, SectionPath, mark_references
from retrieval.ingest.clean_span import CleanTextBuilder
from retrieval.ingest.fidelity import faithful
from retrieval.ingest.metadata import clean_title, parse_date
from retrieval.models import Metadata, SentenceKind

_RFC2822_HEADER = re.compile(r"\A(?:[A-Za-z][\w-]*:[ \t]+\S.*\n(?:[ \t]+\S.*\n)*){2,}")
_DIRECTIVE_NAME = re.compile(r"^[ \t]*\.\.[ \t]+([\w:.+-]+)::", re.MULTILINE)
# The colon first, then what is before it: a pattern opening with a literal is searched for
# quickly, one opening with a lookbehind tried at every position of the page.
_ROLE_NAME = re.compile(r":(?<![\w`]:)([\w:.+-]+):`")
_CODE_ROLES = frozenset(
    [
        "func",
        "meth",
        "class",
        "mod",
        "attr",
        "data",
        "const",
        "exc",
        "obj",
        "file",
        "samp",
        "envvar",
        "option",
        "program",
        "command",
        "kbd",
        "code",
        "keyword",
        "token",
        "type",
        "macro",
        "member",
        "var",
        "enum",
        "enumerator",
        "struct",
        "union",
        "expr",
    ]
)
_SKIPPED = (
    nodes.comment,
    nodes.substitution_definition,
    nodes.target,
    nodes.system_message,
    nodes.raw,
    nodes.pending,
    nodes.image,
    nodes.footnote_reference,
    nodes.substitution_reference,
    nodes.problematic,
    nodes.generated,
    # A page's header and footer (page furniture): docutils puts them first, wherever
    # they are written, so reading them would carry the cursor past the text before them.
    nodes.decoration,
)
_CODE_BLOCKS = (nodes.literal_block, nodes.doctest_block)
_CONTEXT_KINDS: dict[type[nodes.Node], SentenceKind] = {
    nodes.list_item: SentenceKind.LIST_ITEM,
    nodes.field: SentenceKind.LIST_ITEM,
    nodes.option_list_item: SentenceKind.LIST_ITEM,
    nodes.footnote: SentenceKind.REFERENCE,
    nodes.citation: SentenceKind.REFERENCE,
}
_TITLE_FIELDS = ("title",)
_DATE_FIELDS = ("date", "created", "published")
_AUTHOR_FIELDS = ("author", "authors")
_WINDOW = 2000


class _AnyOptions(dict[str, Any]):
    """An option spec that accepts every option, for directives docutils does not know."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged

    def __bool__(self) -> bool:
        # docutils parses a directive's option lines only when its spec is truthy; empty,
        # they would be read as its arguments (":synopsis: …" shown as text).
        return True


class _GenericDirective(Directive):
    """A directive docutils does not know (Sphinx's ``versionadded``, ``seealso``,
    ``confval``, …): its content is read as body text, and so are arguments of several
    words (``seealso:: Harbour rules.``). A one-word argument is a term when a
    description follows (``confval:: berth_size``, the name it describes), but not a
    version or a condition (``only:: html``), nor when nothing follows
    (``literalinclude:: conf.py``); so is an object description's signature of any length
    (``option:: -o file``). After a one-word first line (``versionadded:: 3.2``), the
    lines below it are the text."""

    has_content = True
    optional_arguments = 100
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = _AnyOptions()

    def run(self) -> list[nodes.Node]:
        name = self.name.lower()
        if name in _NOT_SHOWN or "hide" in self.options:
            return []
        if name in _SHOWN_AS_CODE:
            return [self._code()]
        container = nodes.container()
        words = self.arguments
        if words and self.content and _DESCRIPTIONS.fullmatch(self.name):
            return [self._described(" ".join(words))]
        first_line = self.block_text.split("\n", 1)[0].partition("::")[2].split()
        if len(words) > 1 and len(first_line) == 1:
            words = words[1:]
        if len(words) > 1:
            argument = " ".join(words)
            inline, messages = self.state.inline_text(argument, self.lineno)
            paragraph = nodes.paragraph(argument, "", *inline)
            paragraph.line = self.lineno
            container += [paragraph, *messages]
        elif words and self.content and self._names(words[0]):
            return [self._described(words[0])]
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, container)
        return [container]

    def _code(self) -> nodes.literal_block:
        """The content (or the argument, a grammar's lines) shown as it is written."""
        text = "\n".join(self.content) or self.block_text.partition("::")[2].strip()
        code = nodes.literal_block(text, text)
        code.line = self.content_offset + 1 if self.content else self.lineno
        return code

    def _names(self, argument: str) -> bool:
        return self.name not in _CONDITIONS and not _VERSION.fullmatch(argument)

    def _described(self, name: str) -> nodes.definition_list:
        """The name and its description, read as a definition list's entry is."""
        term = nodes.term(name, name)
        term.line = self.lineno
        definition = nodes.definition(classes=[_DESCRIPTION_CLASS])
        self.state.nested_parse(self.content, self.content_offset, definition)
        return nodes.definition_list("", nodes.definition_list_item("", term, definition))


# Sphinx's directives that show nothing of what is written in them: index entries, the
# table of other pages (which shows their titles), a doctest's hidden setup, layout
# hints, authors (hidden by default), and graphs drawn as pictures.
_NOT_SHOWN = frozenset(
    [
        "index",
        "toctree",
        "tabularcolumns",
        "highlight",
        "sectionauthor",
        "moduleauthor",
        "codeauthor",
        "testsetup",
        "testcleanup",
        "graphviz",
        "graph",
        "digraph",
        "inheritance-diagram",
        "mermaid",
        "plantuml",
        "uml",
    ]
)
# Directives whose text is shown as it is written, as code: doctest examples and their
# output, a grammar.
_SHOWN_AS_CODE = frozenset(["testcode", "testoutput", "productionlist"])
# Directives whose argument is a condition on their content, not a name it describes.
_CONDITIONS = frozenset(["only", "ifconfig"])
# Sphinx's object descriptions, whose argument of any length is the signature described
# (``option:: -o file``, ``py:function:: join(a, b)``): a domain's directives and the
# generic ones.
_DESCRIPTIONS = re.compile(
    r"\w+:[\w:]+|describe|object|option|cmdoption|envvar|confval|function|method|attribute"
    r"|data|exception|decorator|classmethod|staticmethod"
)
_VERSION = re.compile(r"v?\d+(\.\w+)*")
# The description of a name a directive describes, where Sphinx's info fields are read.
_DESCRIPTION_CLASS = "described"
# Sphinx's info fields in a description show their kind as the heading of a group
# ("Parameters"), not before each name: ":param berth: …" reads "berth – …".
_INFO_FIELD = re.compile(
    r"(?:param|parameter|arg|argument|key|keyword|kwarg|kwparam|type|raises?|except"
    r"|exception|var|ivar|cvar|vartype)\s+(\S.*)",
    re.DOTALL,
)


def _generic_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: Any = None,
    content: Any = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """A role docutils does not know: "Title <target>" shows Title, "~a.b.c" shows c."""
    shown = utils.unescape(text)
    titled = re.fullmatch(r"(?s)(.*?)\s*<[^<>]*>", shown)
    if titled and titled.group(1).strip():
        shown = titled.group(1)
    shown = shown.lstrip("!")
    if shown.startswith("~"):
        shown = shown[1:].rsplit(".", 1)[-1]
    role = name.rsplit(":", 1)[-1].lower()
    node: nodes.Node = (
        nodes.literal(rawtext, shown) if role in _CODE_ROLES else nodes.inline(rawtext, shown)
    )
    return [node], []


def _register_unknown(text: str) -> None:
    """Register every directive and role the page uses that docutils does not know, and
    let the directives it knows take options it does not (Sphinx's ``code-block::`` with
    ``:caption:`` or ``:linenos:``): docutils would drop the whole block, code and all."""
    for name in set(_DIRECTIVE_NAME.findall(text)):
        known, _ = directives.directive(name.lower(), _LANGUAGE, _LOOKUP_DOCUMENT)
        if known is None:
            directives.register_directive(name.lower(), _GenericDirective)
        elif known.option_spec and not isinstance(known.option_spec, _AnyOptions):
            directives.register_directive(name.lower(), _tolerant(known))
    for name in set(_ROLE_NAME.findall(text)):
        known_role, _ = roles.role(name.lower(), _LANGUAGE, 0, _LOOKUP_DOCUMENT.reporter)
        if known_role is None:
            roles.register_local_role(name.lower(), _generic_role)


def _tolerant(directive: type[Directive]) -> type[Directive]:
    """``directive``, ignoring the options it does not know."""
    spec = _AnyOptions(directive.option_spec or {})
    return type(directive.__name__, (directive,), {"option_spec": spec})


def _settings() -> Any:
    settings = frontend.get_default_settings(Parser)
    settings.report_level = 5
    settings.halt_level = 5
    settings.warning_stream = io.StringIO()
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    settings.line_length_limit = 1_000_000
    settings.character_level_inline_markup = False
    return settings


_SETTINGS = _settings()
_LANGUAGE = rst_languages.get_language("en")
_LOOKUP_DOCUMENT = utils.new_document("<lookup>", _SETTINGS)


@dataclass(slots=True)
class _Reader:
    text: str
    aligner: Aligner
    line_starts: list[int]
    blocks: list[Block] = field(default_factory=list)
    sections: SectionPath = field(default_factory=SectionPath)
    metadata: Metadata = field(default_factory=lambda: Metadata())
    depth: int = 0

    def line_start(self, line: int | None) -> int | None:
        if not line or line < 1 or line > len(self.line_starts):
            return None
        return self.line_starts[line - 1]

    def seek(self, line: int | None, node: nodes.Node) -> None:
        """Move the cursor to where ``node`` starts, when docutils's line for it checks out.

        Lines inside nested blocks can be off by one, so the line must hold the node's
        first words; the cursor only ever moves forward.
        """
        if not line or not node.astext().split():
            return
        for candidate in (line, line - 1, line + 1):
            start = self.line_start(candidate)
            if start is not None and start > self.aligner.cursor and self.holds(candidate, node):
                self.aligner.cursor = start
                return

    def recover(self, line: int | None, node: nodes.Node) -> None:
        """Go back to ``node``'s line when the blocks read before it ran past that line.

        A block whose words the aligner found further on (a cell of a grid table's
        second line, a word docutils generated) carries the cursor past the blocks after
        it, which then lose their words to matches further still. docutils' line for the
        node, when it holds the node's first words, says where the node is: the blocks
        that reach past its start were misplaced, so they are dropped and the cursor goes
        back there.
        """
        if not line:
            return
        start, after = self.line_start(line), self.line_start(line + 1)
        if start is None or after is None or self.aligner.cursor < after:
            return
        if self.holds(line, node):
            self.blocks = [block for block in self.blocks if block.end <= start]
            self.aligner.cursor = start

    def holds(self, line: int, node: nodes.Node) -> bool:
        """Whether source line ``line`` holds the first words of ``node``'s first line
        (of its first line only: "import os" is not on the line below it that holds
        "from os import path"); code keeps its lines, so a code block's first line is
        the whole line ("import os" is not "import os.path")."""
        start, end = self.line_start(line), self.line_start(line + 1)
        line_text = self.text[start : end if end is not None else len(self.text)]
        first_line = next((text for text in node.astext().splitlines() if text.strip()), "")
        if isinstance(node, _CODE_BLOCKS):
            return line_text.strip() == first_line.strip()
        return all(_whole_word(word).search(line_text) for word in first_line.split()[:3])

    def read(self, node: nodes.Node, kind: SentenceKind) -> None:
        for child in node.children:
            self.block(child, kind)

    def block(self, node: nodes.Node, kind: SentenceKind) -> None:
        if isinstance(node, _SKIPPED) or _is_table_of_contents(node):
            return
        if isinstance(node, nodes.section):
            self.depth += 1
            self.read(node, kind)
            self.depth -= 1
        elif isinstance(node, nodes.title):
            self.title(node)
        elif isinstance(node, (nodes.paragraph, nodes.line, nodes.attribution)):
            self.emit(kind, node)
        elif isinstance(node, nodes.definition_list_item):
            self.headed(node, kind, nodes.term)
        elif isinstance(node, (nodes.term, nodes.rubric, nodes.caption, nodes.field_name)):
            self.emit(SentenceKind.HEADING, node)
        elif isinstance(node, _CODE_BLOCKS):
            self.code(node)
        elif isinstance(node, nodes.field):
            self.field(node)
        elif isinstance(node, nodes.table):
            self.table(node)
        elif isinstance(node, nodes.option_list_item):
            self.emit(SentenceKind.LIST_ITEM, node)
        elif isinstance(node, nodes.Element):
            self.headed(node, _CONTEXT_KINDS.get(type(node), kind), nodes.title)

    def headed(self, node: nodes.Element, kind: SentenceKind, head: type[nodes.Node]) -> None:
        """A ``head`` child (a definition's term, a topic's or an admonition's title) is a
        heading, and the rest of ``node`` the section it names: only that rest, so a
        topic's title does not head the text after the topic."""
        name = ""
        for child in node.children:
            if isinstance(child, head):
                heading = self.emit(SentenceKind.HEADING, child)
                name = heading.text if heading is not None else name
                continue
            with self.sections.described(name) if name else contextlib.nullcontext():
                self.block(child, kind)

    def title(self, node: nodes.title) -> None:
        span = self.aligned(node, title_line=True)
        if not span.text:
            return
        level = max(self.depth, 1)
        section = self.sections.enter(level, span.text)
        self.blocks.append(Block(SentenceKind.HEADING, span, section, level))
        if "title" not in self.metadata:
            self.metadata["title"] = clean_title(span.text)

    def emit(self, kind: SentenceKind, node: nodes.Node) -> Block | None:
        span = self.aligned(node)
        if not span.text:
            return None
        block = Block(kind, span, self.sections.current)
        self.blocks.append(block)
        return block

    def aligned(self, node: nodes.Node, title_line: bool = False) -> Any:
        line = getattr(node, "line", None)
        if title_line and line:
            line -= 1
        self.recover(line, node)
        self.seek(line, node)
        self.aligner.begin_block()
        builder = CleanTextBuilder()
        limit = self.limit(node)
        for shown, code in _inline_text(node):
            if code:
                self.inline_code(builder, shown, limit)
            else:
                self.aligner.add(builder, shown, limit)
        return builder.build()

    def limit(self, node: nodes.Node) -> int:
        """How far ahead the source of ``node`` may reach: text the reader does not see
        (link targets, role names) makes the source longer than the rendered text."""
        return min(len(self.text), self.aligner.cursor + _WINDOW + 4 * len(node.astext()))

    def inline_code(self, builder: CleanTextBuilder, shown: str, limit: int) -> None:
        """Inline code between single backticks, mapped onto the source's backticks."""
        cursor = self.aligner.cursor
        opening = self.text.find("`", cursor, limit)
        if opening < 0:
            self.aligner.add(builder, shown, limit)
            return
        marks = len(self.text[opening:limit]) - len(self.text[opening:limit].lstrip("`"))
        builder.replaced("`", opening, opening + marks)
        self.aligner.cursor = opening + marks
        self.aligner.add(builder, shown, limit)
        closing = self.text.find("`", self.aligner.cursor, limit)
        if closing < 0:
            builder.inserted("`", self.aligner.cursor)
            return
        end = closing + len(self.text[closing:limit]) - len(self.text[closing:limit].lstrip("`"))
        builder.replaced("`", closing, end)
        self.aligner.cursor = end

    def code(self, node: nodes.Node) -> None:
        self.seek(getattr(node, "line", None), node)
        self.aligner.begin_block()
        located = self.aligner.locate_lines(node.astext(), len(self.text))
        if located is None:
            return
        builder = CleanTextBuilder(keep_whitespace=True)
        builder.original(self.text, *located)
        self.blocks.append(Block(SentenceKind.CODE, builder.build(), self.sections.current))

    def field(self, node: nodes.field) -> None:
        """A field ("Created: 13-Jun-2000") is one list item, and may be metadata."""
        name_node, body = node.children[0], node.children[1]
        name = name_node.astext().strip()
        self.seek(getattr(node, "line", None) or getattr(body, "line", None), name_node)
        self.aligner.begin_block()
        builder = CleanTextBuilder()
        limit = min(len(self.text), self.aligner.cursor + _WINDOW)
        self.aligner.add(builder, _shown_field_name(node, name) + ":", limit)
        value_start = self.aligner.cursor
        for shown, code in _inline_text(body):
            if code:
                self.inline_code(builder, shown, limit)
            else:
                self.aligner.add(builder, shown, limit)
        span = builder.build()
        if span.text:
            self.blocks.append(Block(SentenceKind.LIST_ITEM, span, self.sections.current))
        self.field_metadata(name.lower(), self.field_value(value_start))

    def field_value(self, start: int) -> str:
        """The source of the field's value (docutils may read "R. Vale" as a list)."""
        end = start
        for match in re.finditer(r".*(?:\r\n|\r|\n|$)", self.text[start:]):
            line = match.group()
            if (end > start and not line[:1].isspace()) or not line.strip():
                break
            end += len(line)
        return self.text[start:end].strip()

    def field_metadata(self, name: str, value: str) -> None:
        value = " ".join(value.split())
        if name in _TITLE_FIELDS and value:
            self.metadata["title"] = clean_title(value)
        elif name in _DATE_FIELDS and "published" not in self.metadata:
            day = parse_date(value)
            if day is not None:
                self.metadata["published"] = day
        elif name in _AUTHOR_FIELDS and value and "author" not in self.metadata:
            self.metadata["author"] = clean_title(value)

    def table(self, node: nodes.table) -> None:
        """A table's rows, after its title (shown as its caption) as a heading."""
        for title in node.children[:1]:
            if isinstance(title, nodes.title):
                self.emit(SentenceKind.HEADING, title)
        for part in node.findall(lambda n: isinstance(n, (nodes.thead, nodes.tbody))):
            kind = SentenceKind.HEADING if isinstance(part, nodes.thead) else SentenceKind.TABLE_ROW
            for row in part.children:
                self.row(row, kind)

    def row(self, row: nodes.Node, kind: SentenceKind) -> None:
        self.aligner.begin_block()
        builder = CleanTextBuilder()
        # Lines of table cells are counted from the table, not the file: no seeking here.
        for number, entry in enumerate(row.children):
            if number:
                builder.space()
                builder.inserted("|", self.aligner.cursor)
                builder.space()
            limit = min(len(self.text), self.aligner.cursor + _WINDOW)
            for shown, code in _inline_text(entry):
                if code:
                    self.inline_code(builder, shown, limit)
                else:
                    self.aligner.add(builder, shown, limit)
        span = builder.build()
        if span.text.strip(" |"):
            self.blocks.append(Block(kind, span, self.sections.current))


@functools.lru_cache(maxsize=4096)
def _whole_word(word: str) -> re.Pattern[str]:
    """``word`` not as part of a longer one: "Acey" is not on the line "Acey9 <…>"."""
    before = r"(?<![^\W_])" if word[0].isalnum() else ""
    after = r"(?![^\W_])" if word[-1].isalnum() else ""
    return re.compile(before + re.escape(word) + after)


def _shown_field_name(field: nodes.field, name: str) -> str:
    """The name a field shows: an info field's without its kind, in a description."""
    parent = field.parent
    while parent is not None and not (
        isinstance(parent, nodes.definition) and _DESCRIPTION_CLASS in parent["classes"]
    ):
        parent = parent.parent
    info = _INFO_FIELD.fullmatch(name) if parent is not None else None
    return info.group(1) if info else name


def _is_table_of_contents(node: nodes.Node) -> bool:
    """The ``contents`` directive: a list of the page's headings, generated, and a title
    ("Contents", which docutils writes itself) that heads no section."""
    return isinstance(node, nodes.topic) and "contents" in node["classes"]


def _inline_text(node: nodes.Node) -> Iterator[tuple[str, bool]]:
    """The text a reader sees in ``node``, in order, each piece marked when it is code."""
    for child in node.children:
        if isinstance(child, _SKIPPED):
            continue
        if isinstance(child, nodes.Element) and not isinstance(child, nodes.Inline):
            yield " ", False
        if isinstance(child, nodes.Text):
            yield child.astext(), False  # without the escapes: "plain\\ text" reads "plaintext"
        elif isinstance(child, nodes.literal):
            yield child.astext(), True
        elif isinstance(child, nodes.Element):
            yield from _inline_text(child)


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer(r"\r\n|\r|\n", text))]


def read_rst(text: str) -> Reading:
    """The blocks of a reST page and what its title and fields state."""
    _register_unknown(text)
    document = utils.new_document("<page>", _SETTINGS)
    Parser(rfc2822=_RFC2822_HEADER.match(text) is not None).parse(text, document)
    reader = _Reader(text, Aligner(text), _line_starts(text))
    reader.read(document, SentenceKind.BODY)
    # The alignment is heuristic where docutils generated text: a block it could not tie
    # to its source word for word is left out rather than quoted unfaithfully.
    blocks = [b for b in reader.blocks if faithful(text[b.start : b.end], b.text)]
    return Reading(mark_references(blocks, headings_marked=True), reader.metadata)
