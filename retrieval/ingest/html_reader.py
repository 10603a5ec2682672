"""HTML pages (Sphinx, MkDocs, asciidoc, hand-written): the article, not the site around it.

lxml (libxml2's HTML parser, tolerant of broken markup, in C) reports the elements and
their text in order, building no tree; HTML's implied end tags (``<li>``, ``<p>``, table
cells) are its business. libxml2 reports no character offsets, so each text node is found
in the source: it is the next run of text after any markup at the cursor, and must read
exactly as the node once character references are decoded, which ties every clean
character to the file. A node that does not (text the parser moved or made) is not
shown. Navigation, sidebars, headers, footers, forms, scripts and styles are left out (by
element, ARIA role, or a class or id such as ``sidebar``, ``breadcrumb`` or
``headerlink``); when a page marks its main content (``<main>``, ``role="main"``) only
that is read. A block that is mostly link text ("« previous | up | next »") is page
furniture. ``<pre>`` is code, and so is Doxygen's fragment of line ``<div>`` elements; inline
``<code>`` is text (the page shows no backticks).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import lxml.etree

from retrieval.ingest.blocks import Block, Reading, SectionPath, mark_references
from retrieval.ingest.clean_span import CleanTextBuilder
from retrieval.ingest.metadata import clean_title, parse_date
from retrieval.models import SECTION_SEPARATOR, Metadata, SentenceKind

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
    ]
)
_SKIPPED = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "nav",
        "form",
        "button",
        "select",
        "textarea",
        "iframe",
        "object",
        "canvas",
        "map",
        "dialog",
        "label",
    ]
)
_PAGE_FURNITURE = frozenset({"header", "footer", "aside"})
# Classes on the page's root say what state it is in ("sidebar-visible", as mdBook sets),
# and the main content is read whatever its classes: neither is ever chrome.
_ROOTS = frozenset({"html", "body"})
_SKIPPED_ROLES = frozenset(
    [
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "menu",
        "menubar",
        "toolbar",
        "dialog",
    ]
)
_CHROME_WORDS = frozenset(
    [
        "nav",
        "navbar",
        "navigation",
        "menu",
        "sidebar",
        "sphinxsidebar",
        "sphinxsidebarwrapper",
        "breadcrumb",
        "breadcrumbs",
        "related",
        "rellinks",
        "footer",
        "headerlink",
        "permalink",
        "skip",
        "skiplink",
        "share",
        "social",
        "cookie",
        "cookies",
        "banner",
        "advert",
        "advertisement",
        "pagination",
        "pager",
        "prev",
        "previous",
        "next",
        "toc",
        "searchbox",
        "search",
        "feedback",
        "edit",
        "linenos",
        "lineno",
        # Pop-ups shown on hover: rustdoc's "notable-traits-tooltip", Doxygen's "ttc"
        # ("tooltip content") in its code fragments.
        "tooltip",
        "ttc",
    ]
)
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "li",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "figcaption",
        "figure",
        "section",
        "article",
        "main",
        "ul",
        "ol",
        "dl",
        "hr",
        "address",
        "details",
        "summary",
        "center",
        "header",
        "footer",
        "body",
        "html",
        "fieldset",
        "legend",
    ]
)
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_CONTENT_TAGS = frozenset({"section", "article", "main", *_HEADINGS})
# Inside these, <header>, <footer> and <aside> belong to the article (its title, its byline,
# its abstract or footnotes, as docutils writes them).
_CONTENT_CONTAINERS = frozenset({"article", "main", "section"})
_CELLS = frozenset({"td", "th"})
# "admonition-title", "code-block-caption", "rubric": labels, not prose.
_CAPTION_CLASSES = frozenset({"title", "caption", "rubric"})
# Callouts (DocBook's div.note, Sphinx's and MkDocs' div.admonition): a heading of a caption
# class inside one (DocBook's h3.title, "Note") labels the callout, and starts no section
# of the page; a plain heading in one (MkDocs' "New in 1.4" around a subsection) does.
# Whole class names of furniture whose words alone say nothing: Sphinx's viewcode links,
# "[source]" after a signature and "[docs]" in a listing (whose "viewcode-block" is code).
_CHROME_CLASSES = frozenset({"viewcode-link", "viewcode-back"})
_ADMONITION_CLASSES = frozenset(
    [
        "admonition",
        "note",
        "tip",
        "hint",
        "warning",
        "caution",
        "important",
        "attention",
        "danger",
        "callout",
    ]
)
_CLASS_PARTS = re.compile(r"[-_\s]+")
# A page marks its main content with <main> or role="main": two searches, since each one
# alone starts with a character the regex engine can skip ahead to, which the alternation
# of both (the \b before "role") cannot, and most pages have neither.
_MAIN_TAG = re.compile(r"<main[\s>]", re.IGNORECASE)
_MAIN_ROLE = re.compile(r"role\s*=\s*[\"']?main\b", re.IGNORECASE)
# Case-insensitive search is slow; the page lowercased, where that keeps every offset, is
# searched case-sensitively instead (lowercasing keeps which characters are word characters
# and spaces, and the dotless "ı" is the only other letter the engine reads as an "i").
_MAIN_ROLE_LOWERCASE = re.compile(r"role\s*=\s*[\"']?ma[iı]n\b")
_WORD_CHAR = re.compile(r"\w")
_NOT_ASCII_ALNUM = bytes(byte for byte in range(128) if not chr(byte).isalnum())
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|·•»«—–:-]{1,2})\s+")
# Elements whose content the source holds as raw text, up to their end tag.
_RAW_TEXT = frozenset({"script", "style", "title", "textarea", "xmp", "noscript", "iframe"})
_END_TAG = {tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in _RAW_TEXT}
# Markup at a position (comments, declarations or processing instructions, CDATA and tags,
# whose attribute values may hold ">"), one piece after another, then the text up to the
# next markup as group 1: one match finds a text node's run. Possessive: no part of a tag
# can match differently by giving characters back, so the engine keeps no places to go
# back to.
_TEXT_RUN = re.compile(
    r"(?:<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<[!?][^>]*+>?"
    r"|</?[A-Za-z][^\s/>]*+(?:\s*+[^\s\"'=<>/]++(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s>]*+))?"
    r"|\s*+/)*+\s*+>?)*+"
    r"((?:[^<]++|<(?![A-Za-z/!?]))*+)",
    re.DOTALL,
)
_MARKUP_START = re.compile(r"<[A-Za-z/!?]")
_COMMENT = re.compile(r"<!--.*?-->|<\?[^>]*>", re.DOTALL)
_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]{0,31};?)")
# A link whose only text is a glyph ("¶", "§", "#", "🔗") is a permalink or a source
# link, whatever its class, and one reading "Read more" or "More..." leads on to the rest
# of a summary (rustdoc's trait methods, Doxygen's briefs, a blog's index): the link at
# the cursor (after any tags) holding just that.
_AFFORDANCE_LINK = re.compile(
    r"(?:\s*+<[^<>]*+>){0,8}?\s*+<a\b[^<>]*+>\s*+"
    r"(?:[¶§#⁋\U0001F517]|&(?:para|sect|num|#182|#167|#35|#x[bB]6|#x[aA]7|#x23);"
    r"|read\s++more(?:\s*+(?:\.\.\.|…|&hellip;|»|&raquo;))?|more\s*+(?:\.\.\.|…|&hellip;|»|&raquo;))"
    r"\s*+</a\s*+>",
    re.IGNORECASE,
)
# Doxygen's code fragment is a <div class="fragment"> of <div class="line"> lines.
_LINE_DIV_FOLLOWS = re.compile(
    r"(?:\s*+<[^<>]*+>){0,8}?\s*+<div\b[^<>]*?\bclass\s*+=\s*+[\"']?line\b", re.IGNORECASE
)
_LINK_SHARE = 0.6
_GENERATOR_CREDIT = re.compile(
    r"(?:this (?:document|page|file|manual|site|documentation) (?:was|is|has been) )?"
    r"(?:(?:automatically|auto-)\s*)?(?:generated|created|built) (?:by|on|using|with)\b",
    re.IGNORECASE,
)
_CREDIT_WORDS = 30
_TITLE_CHARS = 1000
_DATE_META = frozenset(
    [
        "date",
        "dc.date",
        "dcterms.date",
        "dcterms.created",
        "dcterms.issued",
        "citation_publication_date",
        "article:published_time",
        "datepublished",
        "pubdate",
        "publish_date",
    ]
)
_AUTHOR_META = frozenset({"author", "dc.creator", "dcterms.creator", "article:author"})
_TITLE_META = frozenset({"og:title", "dc.title", "dcterms.title"})
_URL_META = frozenset({"og:url"})


@dataclass(slots=True)
class _Element:
    tag: str
    skipped: bool
    main: bool
    kind: SentenceKind | None
    # Whether its text counts as link text; a heading's link to a place ("#intro", which
    # mdBook and many themes wrap each heading's text in, or its entry in the contents,
    # "toc.html#TOC3", as texinfo's) does not, nor does an anchor that links nowhere
    # (``<a name="sec2">``, a target). A heading linking to a page is the site's name.
    link: bool
    # Whether it holds preformatted code: a <pre>, or Doxygen's fragment of line <div>s.
    code: bool = False
    # Whether it is a callout ("note", "warning"), whose heading labels it alone.
    admonition: bool = False


@dataclass(slots=True)
class _Open:
    """A block being filled: its builder, and how much of its text is link text."""

    kind: SentenceKind
    builder: CleanTextBuilder
    level: int = 0
    link_chars: int = 0
    # Where the separator before the next cell with text goes (-1: none due): cells
    # without text (a layout table's spacer, an empty column) get none.
    separator_at: int = -1


@dataclass(slots=True)
class _Head:
    title: str = ""
    first_heading: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    canonical: str = ""


class _PageReader:
    """Blocks of ``text[start:end]`` with offsets into ``text``, from the tree's events."""

    def __init__(self, text: str, start: int, end: int, section: str, main_only: bool) -> None:
        self.text = text
        self.end_offset = end
        self.cursor = start
        self.main_only = main_only
        self.stack: list[_Element] = []
        # Open <pre> and <thead> elements, the only tags whose nesting is asked about.
        self.in_pre = 0
        self.in_thead = 0
        self.in_content = 0
        self.in_admonition = 0
        self.skipping = 0
        self.in_main = 0
        # Whether text here is left out: inside a skipped element, or outside the main
        # content of a page that marks one. Kept as elements open and close.
        self.hidden = main_only
        self.links = 0
        self.blocks: list[Block] = []
        self.sections = SectionPath()
        self.section_prefix = section
        # The term of each open definition list: its descriptions sit in its section.
        self.terms: list[str] = []
        self.current: _Open | None = None
        self.row: _Open | None = None
        self.head = _Head()

    # Tags ------------------------------------------------------------------------------

    def start(self, tag: str, values: Mapping[str, str]) -> None:
        """An element opens (the tree builder has already closed what HTML implies)."""
        if tag in _VOID:
            self._void(tag, values)
            return
        if values:
            get = values.get
            skipped, main, kind, admonition = _traits(
                tag,
                get("class") or "",
                get("id") or "",
                get("role") or "",
                "hidden" in values or (get("aria-hidden") or "").lower() == "true",
            )
        else:
            skipped, main, kind, admonition = _traits(tag, "", "", "", False)
        if (tag in _PAGE_FURNITURE and not self.in_content) or (
            tag == "a" and _AFFORDANCE_LINK.match(self.text, self.cursor, self.end_offset)
        ):
            skipped = True
        link = (
            tag == "a"
            and "href" in values
            and not (self._in_heading() and "#" in (values.get("href") or ""))
        )
        code = tag == "pre" or (
            tag == "div"
            and "fragment" in (values.get("class") or "")
            and _LINE_DIV_FOLLOWS.match(self.text, self.cursor, self.end_offset) is not None
        )
        self.stack.append(_Element(tag, skipped, main, kind, link, code, admonition))
        self.in_admonition += admonition
        if tag == "dl":
            self.terms.append("")
        elif tag == "dt" and self.terms:
            self.terms[-1] = ""
        elif code:
            self.in_pre += 1
        elif tag == "thead":
            self.in_thead += 1
        if skipped or main:
            self.skipping += skipped
            self.in_main += main
            self._update_hidden()
        self.in_content += tag in _CONTENT_CONTAINERS or main
        if not self.hidden:
            self._open_block(tag, self.cursor)

    def _void(self, tag: str, values: Mapping[str, str]) -> None:
        if tag == "meta":
            self._meta(values)
        elif tag == "link":
            if "canonical" in (values.get("rel") or "").lower().split():
                self.head.canonical = values.get("href") or ""
        elif tag == "br" and not self.hidden:
            self._space()
        elif tag == "hr":
            self._flush()

    def end(self, tag: str) -> None:
        """The element opened last closes."""
        if tag not in _VOID and self.stack:
            self._closed(self.stack.pop())

    def _closed(self, element: _Element) -> None:
        hidden = self.hidden
        tag = element.tag
        if element.skipped or element.main:
            self.skipping -= element.skipped
            self.in_main -= element.main
            self._update_hidden()
        self.in_content -= tag in _CONTENT_CONTAINERS or element.main
        self.in_admonition -= element.admonition
        if tag == "dl" and self.terms:
            self.terms.pop()
        elif element.code:
            self.in_pre -= 1
        elif tag == "thead":
            self.in_thead -= 1
        if hidden:
            return
        if element.link:
            self.links = max(self.links - 1, 0)
        elif tag == "tr":
            self._close_row()
        elif tag in _BLOCKS and (element.code or not self.in_pre):
            if self.row is None:
                term = self._flush()
                if tag == "dt" and term and self.terms:
                    self.terms[-1] = term
            elif tag in _CELLS:
                self.row.builder.space()

    # Which elements are read -----------------------------------------------------------

    def _update_hidden(self) -> None:
        self.hidden = self.skipping > 0 or (self.main_only and self.in_main == 0)

    def _kind(self) -> SentenceKind:
        for element in reversed(self.stack):
            if element.kind is not None:
                return element.kind
        return SentenceKind.BODY

    def _in_heading(self) -> bool:
        return self.current is not None and self.current.level > 0

    # Blocks ----------------------------------------------------------------------------

    def _open_block(self, tag: str, start: int) -> None:
        code = self.stack[-1].code
        if tag == "tr" and not self.in_pre:  # inside <pre>, a table is preformatted text
            self._close_row()
            header = self.in_thead > 0
            kind = SentenceKind.HEADING if header else SentenceKind.TABLE_ROW
            self.row = _Open(kind, CleanTextBuilder())
            return
        if tag in _CELLS and self.row is not None:
            if not self.row.builder.empty:
                self.row.separator_at = start
            return
        if code and self.row is not None:  # a layout table's cell holding code
            self._close_row()
        if self.row is not None and tag != "table":
            if tag in _BLOCKS:
                self.row.builder.space()
            elif self.stack[-1].link:
                self.links += 1
            return
        if tag in _HEADINGS:
            self._flush()
            titles_callout = self.in_admonition and self.stack[-1].kind is SentenceKind.HEADING
            level = 0 if titles_callout else _HEADINGS[tag]
            self.current = _Open(SentenceKind.HEADING, CleanTextBuilder(), level)
        elif code:
            self._flush()
            self.current = _Open(SentenceKind.CODE, CleanTextBuilder(keep_whitespace=True))
        elif tag in _BLOCKS:
            if not self.in_pre:
                self._flush()
        elif self.stack[-1].link:
            self.links += 1

    def _target(self) -> _Open | None:
        return self.row if self.row is not None else self.current

    def _target_builder(self) -> CleanTextBuilder:
        target = self._target()
        if target is None:
            target = self.current = _Open(self._kind(), CleanTextBuilder())
        return target.builder

    def _space(self) -> None:
        target = self._target()
        if target is not None:
            target.builder.space()

    def _close_row(self) -> None:
        if self.row is not None:
            row, self.row = self.row, None
            self._emit(row)

    def _flush(self) -> str | None:
        """Ends the open block; its text, if it made one."""
        if self.current is None:
            return None
        current, self.current = self.current, None
        return self._emit(current)

    def _emit(self, block: _Open) -> str | None:
        span = block.builder.build()
        text = span.text
        if not text.strip(" |`"):
            return None
        kind = block.kind
        mostly_links = block.link_chars > 0 and block.link_chars >= _LINK_SHARE * _letters(text)
        if kind is not SentenceKind.CODE and (mostly_links or _generator_credit(text)):
            kind = SentenceKind.BOILERPLATE
        if kind is SentenceKind.HEADING and block.level:
            section = self._prefixed(self.sections.enter(block.level, text))
            self.blocks.append(Block(kind, span, section, block.level))
            if block.level == 1 and not self.head.first_heading:
                self.head.first_heading = text
            return text
        section = SECTION_SEPARATOR.join(filter(None, [self.sections.current, *self.terms]))
        self.blocks.append(Block(kind, span, self._prefixed(section)))
        return text if kind is not SentenceKind.BOILERPLATE else None

    def _prefixed(self, section: str) -> str:
        if self.section_prefix and section:
            return f"{self.section_prefix} > {section}"
        return section or self.section_prefix

    # Text ------------------------------------------------------------------------------

    def data(self, shown: str, raw_text: str | None) -> None:
        """Text the tree holds; it is found in the source, which gives its offsets.

        ``raw_text`` names an element whose content the source holds raw (a script, a
        title): its end tag ends it.
        """
        if raw_text is not None:
            self._raw_text(raw_text, shown)
            return
        runs = self._runs(shown)
        if runs is None or self.hidden:
            return
        if shown.isspace() and self._target() is None:
            return
        row = self.row
        if row is not None and row.separator_at >= 0 and not shown.isspace():
            row.builder.space()
            row.builder.inserted("|", row.separator_at)
            row.builder.space()
            row.separator_at = -1
        builder = self._target_builder()
        text = self.text
        for start, end in runs:
            if text.find("&", start, end) < 0:
                builder.original(text, start, end)
            else:
                _add_with_references(builder, text, start, end)
        if self.links:
            self._count_link(shown)

    def _raw_text(self, tag: str, shown: str) -> None:
        if tag == "title":
            self.head.title = (self.head.title + shown)[:_TITLE_CHARS]
        close = _END_TAG[tag].search(self.text, self.cursor, self.end_offset)
        if close is not None:
            self.cursor = close.start()

    def _runs(self, shown: str) -> list[tuple[int, int]] | None:
        """Where ``shown`` is in the source: the next text run after any markup at the cursor,
        read on through comments, which the parser drops, joining the text around them.

        The runs must read as ``shown`` once references are decoded; anything else (text
        the tree builder moved or made) is not tied to the source and not shown.
        """
        run = _TEXT_RUN.match(self.text, self.cursor, self.end_offset)  # matches, if empty
        position, end = run.span(1) if run else (self.cursor, self.cursor)
        if (  # the common case: one run that reads as it stands
            end - position == len(shown)
            and self.text.startswith(shown, position)
            and "&" not in shown
            and "\r" not in shown
        ):
            self.cursor = end
            return [(position, end)]
        runs: list[tuple[int, int]] = []
        read = ""
        while True:
            following = _MARKUP_START.search(self.text, position, self.end_offset)
            end = following.start() if following else self.end_offset
            raw = self.text[position:end]
            decoded = html.unescape(raw) if "&" in raw else raw
            read += decoded.replace("\r\n", "\n").replace("\r", "\n")
            runs.append((position, end))
            if read == shown:
                self.cursor = end
                return runs
            comment = _COMMENT.match(self.text, end, self.end_offset)
            if comment is None or not shown.startswith(read):
                return None
            position = comment.end()

    def _count_link(self, shown: str) -> None:
        target = self._target()
        if self.links and target is not None:
            target.link_chars += _letters(shown)

    def _meta(self, values: Mapping[str, str]) -> None:
        name = values.get("name") or values.get("property") or values.get("itemprop") or ""
        name = name.lower()
        content = (values.get("content") or "").strip()
        if name and content:
            self.head.meta.setdefault(name, content)

    def close(self) -> None:
        while self.stack:
            self._closed(self.stack.pop())
        self._close_row()
        self._flush()


def _marks_main_content(text: str) -> bool:
    """Whether the page has a ``<main>`` element or a ``role="main"`` (as a whole word)."""
    if _MAIN_TAG.search(text):
        return True
    lowered = text.lower()
    roles = (
        _MAIN_ROLE_LOWERCASE.finditer(lowered)
        if len(lowered) == len(text)
        else _MAIN_ROLE.finditer(text)
    )
    return any(not (match.start() and _WORD_CHAR.match(text, match.start() - 1)) for match in roles)


def _generator_credit(text: str) -> bool:
    """A short block crediting the tool that made the page ("This document was generated
    by ... on July, 26 2020 using texi2html", "Generated by Doxygen", "Created using
    Sphinx"): furniture, whose date would otherwise be an event on every page."""
    return (
        text[:1] in "TtGgCcBb"
        and _GENERATOR_CREDIT.match(text) is not None
        and len(text.split()) <= _CREDIT_WORDS
    )


def _letters(text: str) -> int:
    """Letters and digits: how much a block says, separators and spaces aside."""
    if text.isascii():  # counted in C: the bytes left once all but letters and digits go
        return len(text.encode("ascii").translate(None, _NOT_ASCII_ALNUM))
    return sum(map(str.isalnum, text))


@functools.lru_cache(maxsize=8192)
def _traits(
    tag: str, class_names: str, element_id: str, role: str, hidden: bool
) -> tuple[bool, bool, SentenceKind | None, bool]:
    """Whether an element is skipped, whether it is the main content, the kind of block it
    makes and whether it is a callout: a pure function of its tag and attributes, so it is
    worked out once."""
    role = role.lower()
    classes = _CLASS_PARTS.split(class_names.lower())
    main = tag == "main" or role == "main"
    skipped = (
        tag in _SKIPPED
        or tag == "head"
        or role in _SKIPPED_ROLES
        or hidden
        or (not main and tag not in _ROOTS and _chrome_classes(classes))
        or not _CHROME_CLASSES.isdisjoint(class_names.lower().split())
        or (tag not in _CONTENT_TAGS and "section" not in classes and _chrome_id(element_id))
    )
    admonition = tag not in _HEADINGS and not _ADMONITION_CLASSES.isdisjoint(classes)
    return skipped, main, _context_kind(tag, classes), admonition


def _context_kind(tag: str, classes: list[str]) -> SentenceKind | None:
    if not _CAPTION_CLASSES.isdisjoint(classes):
        return SentenceKind.HEADING
    if tag == "li":
        return SentenceKind.LIST_ITEM
    if tag == "dt":
        return SentenceKind.HEADING
    if tag in ("dd", "blockquote", "td", "th"):
        return SentenceKind.BODY
    return None


def _chrome_classes(classes: list[str]) -> bool:
    """Classes naming page furniture, a word of its own ("sidebar") or a compound of
    "nav" (DocBook's "navheader" and "navfooter", Doxygen's "navpath")."""
    return not _CHROME_WORDS.isdisjoint(classes) or any(c.startswith("nav") for c in classes)


def _chrome_id(element_id: str) -> bool:
    """An id naming page furniture ("sidebar", "global-nav"); long ids name content sections."""
    parts = [part for part in _CLASS_PARTS.split(element_id.lower()) if part]
    return len(parts) <= 2 and not _CHROME_WORDS.isdisjoint(parts)


def _add_with_references(builder: CleanTextBuilder, text: str, start: int, end: int) -> None:
    """A text run whose character references are each decoded, each mapped as a whole."""
    position = start
    for reference in _REFERENCE.finditer(text, start, end):
        shown = html.unescape(reference.group())
        if shown == reference.group():
            continue
        if reference.start() > position:
            builder.original(text, position, reference.start())
        builder.replaced(shown, reference.start(), reference.end())
        position = reference.end()
    if position < end:
        builder.original(text, position, end)


class _Events:
    """The parser's target: its events, in document order, handed to a `_PageReader` as the
    tree would give them, without building the tree.

    The parser reports a text node in pieces (around a character reference, a dropped
    comment); the pieces between two tags are one node. Text outside the root element
    belongs to no element and is dropped, as the tree drops it.
    """

    def __init__(self, reader: _PageReader) -> None:
        self._reader = reader
        self._pieces: list[str] = []
        self._depth = 0
        # The raw-text element just opened (a script, a title): its text ends at its end tag.
        self._raw_text: str | None = None

    def start(self, tag: str, values: Mapping[str, str]) -> None:
        self._text()
        tag = tag.lower()
        self._depth += 1
        self._reader.start(tag, values)
        self._raw_text = tag if tag in _RAW_TEXT else None

    def end(self, tag: str) -> None:
        self._text()
        self._depth -= 1
        self._reader.end(tag.lower())

    def data(self, piece: str) -> None:
        if self._depth:
            self._pieces.append(piece)

    def close(self) -> None:
        self._text()
        # The parser and this target refer to each other, a cycle only the cyclic collector
        # frees; the reader (and its blocks) leaves it, to be freed once it is read.
        del self._reader

    def _text(self) -> None:
        raw_text, self._raw_text = self._raw_text, None
        if self._pieces:
            shown = "".join(self._pieces)
            self._pieces.clear()
            if shown:
                self._reader.data(shown, raw_text)


def _parsed(text: str, start: int, end: int, section: str, main_only: bool) -> _PageReader:
    reader = _PageReader(text, start, end, section, main_only)
    # libxml2's HTML parser, reading UTF-8 bytes (so an XML declaration is no obstacle).
    # Its events are the tree's but for HTML's boolean attributes (``<input checked>``),
    # empty here and named in the tree, and the reader reads none of them.
    parser = lxml.etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, target=_Events(reader)
    )
    try:
        lxml.etree.fromstring(text[start:end].encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        reader = _PageReader(text, start, end, section, main_only)
    reader.close()
    return reader


def html_blocks(text: str, start: int, end: int, section: str = "") -> list[Block]:
    """The blocks of an HTML fragment ``text[start:end]`` (raw HTML inside Markdown)."""
    return _parsed(text, start, end, section, main_only=False).blocks


def read_html(text: str) -> Reading:
    """The blocks of an HTML page and what its head states (title, author, date, URL)."""
    parser = _parsed(text, 0, len(text), "", main_only=_marks_main_content(text))
    return Reading(mark_references(parser.blocks, headings_marked=True), _metadata(parser.head))


def _metadata(head: _Head) -> Metadata:
    metadata = Metadata()
    title = _page_title(head)
    if title:
        metadata["title"] = title
    author = next((head.meta[k] for k in head.meta if k in _AUTHOR_META), "")
    if author:
        metadata["author"] = clean_title(author)
    published = next((parse_date(head.meta[k]) for k in head.meta if k in _DATE_META), None)
    if published is not None:
        metadata["published"] = published
    url = head.canonical or next((head.meta[k] for k in head.meta if k in _URL_META), "")
    if url.startswith(("http://", "https://")):
        metadata["url"] = url
    return metadata


def _page_title(head: _Head) -> str:
    """The page's ``<title>`` without the site's name ("Page | Docs | Site" gives "Page")."""
    title = clean_title(head.title) or clean_title(
        next((head.meta[k] for k in head.meta if k in _TITLE_META), "")
    )
    heading = clean_title(head.first_heading)
    parts = [part for part in _TITLE_SEPARATORS.split(title) if part.strip()]
    if heading and heading in parts:
        return heading
    return parts[0] if parts else heading
