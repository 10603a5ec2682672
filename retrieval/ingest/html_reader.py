"""HTML pages (Sphinx, MkDocs, asciidoc, hand-written): the article, not the site around it.

The standard library's ``html.parser`` tokenizes the page (it is the tokenizer under
BeautifulSoup's default builder, tolerant of broken markup) and reports where every tag,
text run and character reference starts, so each clean character maps exactly to the
file. Elements are tracked on a stack with HTML's implied end tags (``<li>``, ``<p>``,
table cells). Navigation, sidebars, headers, footers, forms, scripts and styles are left
out (by element, ARIA role, or a class or id such as ``sidebar``, ``breadcrumb`` or
``headerlink``); when a page marks its main content (``<main>``, ``role="main"``) only
that is read. A block that is mostly link text ("« previous | up | next »") is page
furniture. ``<pre>`` is code; inline ``<code>`` is text (the page shows no backticks).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from retrieval.ingest.blocks import Block, Reading, SectionPath, mark_references
from retrieval.ingest.clean_span import CleanTextBuilder
from retrieval.ingest.metadata import clean_title, parse_date
from retrieval.models import Metadata, SentenceKind

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
        "aside",
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
_PAGE_FURNITURE = frozenset({"header", "footer"})
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
_CELLS = frozenset({"td", "th"})
_LISTS = frozenset({"ul", "ol", "dl"})
_IMPLIED_BY = {
    "li": frozenset({"li"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
    "tr": frozenset({"tr"}),
    "td": frozenset({"td", "th"}),
    "th": frozenset({"td", "th"}),
    "p": frozenset({"p"}),
}
_IMPLIED_STOP = {
    "li": _LISTS,
    "dt": _LISTS,
    "dd": _LISTS,
    "tr": frozenset({"table"}),
    "td": frozenset({"tr", "table"}),
    "th": frozenset({"tr", "table"}),
    "p": _BLOCKS - {"p"},
}
# "admonition-title", "code-block-caption", "rubric": labels, not prose.
_CAPTION_CLASSES = frozenset({"title", "caption", "rubric"})
_CLASS_PARTS = re.compile(r"[-_\s]+")
_MAIN_CONTENT = re.compile(r"<main[\s>]|\brole\s*=\s*[\"']?main\b", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|·•»«—–:-]{1,2})\s+")
_LINK_SHARE = 0.6
_LETTER = re.compile(r"[^\W_]")
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


@dataclass(slots=True)
class _Open:
    """A block being filled: its builder, and how much of its text is link text."""

    kind: SentenceKind
    builder: CleanTextBuilder
    level: int = 0
    link_chars: int = 0
    cells: int = 0


@dataclass(slots=True)
class _Head:
    title: str = ""
    first_heading: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    canonical: str = ""


class _PageParser(HTMLParser):
    """Blocks of ``text[start:end]`` with offsets into ``text``."""

    def __init__(self, text: str, start: int, end: int, section: str, main_only: bool) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.base = start
        self.end_offset = end
        self.main_only = main_only
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text[start:end]))]
        self.stack: list[_Element] = []
        self.skipping = 0
        self.in_main = 0
        self.links = 0
        self.blocks: list[Block] = []
        self.sections = SectionPath()
        self.section_prefix = section
        self.current: _Open | None = None
        self.row: _Open | None = None
        self.head = _Head()
        self.in_title = False

    # Positions -------------------------------------------------------------------------

    def position(self) -> int:
        line, column = self.getpos()
        return self.base + self.line_starts[line - 1] + column

    # Tags ------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self.position()
        values = {name: value or "" for name, value in attrs}
        self.in_title = tag == "title"
        if tag == "meta":
            self._meta(values)
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.head.canonical = values.get("href", "")
        if tag in _VOID:
            if tag == "br" and not self._hidden():
                self._space()
            elif tag == "hr":
                self._flush()
            return
        self._close_implied(tag)
        skipped = self._skips(tag, values)
        main = tag == "main" or values.get("role", "").lower() == "main"
        kind = self._context_kind(tag, values)
        self.stack.append(_Element(tag, skipped, main, kind))
        self.skipping += skipped
        self.in_main += main
        if self._hidden():
            return
        self._open_block(tag, start)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if not any(element.tag == tag for element in self.stack):
            return
        start = self.position()
        end = self.text.find(">", start, self.end_offset) + 1 or start
        while self.stack:
            element = self.stack.pop()
            self._closed(element, start, end)
            if element.tag == tag:
                break

    def _close_implied(self, tag: str) -> None:
        closes = _IMPLIED_BY.get(tag)
        if closes is None and tag in _BLOCKS:
            closes = _IMPLIED_BY["p"] if tag != "p" else None
        if not closes:
            return
        stops = _IMPLIED_STOP.get(tag, _IMPLIED_STOP["p"])
        for index in range(len(self.stack) - 1, -1, -1):
            open_tag = self.stack[index].tag
            if open_tag in closes:
                position = self.position()
                while len(self.stack) > index:
                    self._closed(self.stack.pop(), position, position)
                return
            if open_tag in stops:
                return

    def _closed(self, element: _Element, start: int, end: int) -> None:
        hidden = self._hidden()
        self.skipping -= element.skipped
        self.in_main -= element.main
        if hidden:
            return
        tag = element.tag
        if tag == "a":
            self.links = max(self.links - 1, 0)
        elif tag == "tr":
            self._close_row()
        elif tag in _BLOCKS and (tag == "pre" or not self._in_pre()):
            if self.row is None:
                self._flush()
            elif tag in _CELLS:
                self.row.builder.space()

    # Which elements are read -----------------------------------------------------------

    def _skips(self, tag: str, values: dict[str, str]) -> bool:
        if tag in _SKIPPED or tag == "head":
            return True
        if tag in _PAGE_FURNITURE and not any(
            e.tag in ("article", "main", "section") or e.main for e in self.stack
        ):
            return True
        if values.get("role", "").lower() in _SKIPPED_ROLES:
            return True
        if "hidden" in values or values.get("aria-hidden", "").lower() == "true":
            return True
        classes = _CLASS_PARTS.split(values.get("class", "").lower())
        if not _CHROME_WORDS.isdisjoint(classes):
            return True
        return tag not in _CONTENT_TAGS and "section" not in classes and _chrome_id(values)

    def _hidden(self) -> bool:
        return self.skipping > 0 or (self.main_only and self.in_main == 0)

    def _context_kind(self, tag: str, values: dict[str, str]) -> SentenceKind | None:
        if not _CAPTION_CLASSES.isdisjoint(_CLASS_PARTS.split(values.get("class", "").lower())):
            return SentenceKind.HEADING
        if tag == "li":
            return SentenceKind.LIST_ITEM
        if tag == "dt":
            return SentenceKind.HEADING
        if tag in ("dd", "blockquote", "td", "th"):
            return SentenceKind.BODY
        return None

    def _kind(self) -> SentenceKind:
        for element in reversed(self.stack):
            if element.kind is not None:
                return element.kind
        return SentenceKind.BODY

    def _in_pre(self) -> bool:
        return any(element.tag == "pre" for element in self.stack)

    # Blocks ----------------------------------------------------------------------------

    def _open_block(self, tag: str, start: int) -> None:
        if tag == "tr":
            self._close_row()
            header = any(e.tag == "thead" for e in self.stack)
            kind = SentenceKind.HEADING if header else SentenceKind.TABLE_ROW
            self.row = _Open(kind, CleanTextBuilder())
            return
        if tag in _CELLS and self.row is not None:
            if self.row.cells:
                self.row.builder.space()
                self.row.builder.inserted("|", start)
                self.row.builder.space()
            self.row.cells += 1
            return
        if self.row is not None and tag != "table":
            if tag in _BLOCKS:
                self.row.builder.space()
            elif tag == "a":
                self.links += 1
            return
        if tag in _HEADINGS:
            self._flush()
            self.current = _Open(SentenceKind.HEADING, CleanTextBuilder(), _HEADINGS[tag])
        elif tag == "pre":
            self._flush()
            self.current = _Open(SentenceKind.CODE, CleanTextBuilder(keep_whitespace=True))
        elif tag in _BLOCKS:
            if not self._in_pre():
                self._flush()
        elif tag == "a":
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

    def _flush(self) -> None:
        if self.current is not None:
            current, self.current = self.current, None
            self._emit(current)

    def _emit(self, block: _Open) -> None:
        span = block.builder.build()
        text = span.text
        if not text.strip(" |`"):
            return
        kind = block.kind
        mostly_links = block.link_chars > 0 and block.link_chars >= _LINK_SHARE * _letters(text)
        if mostly_links and kind is not SentenceKind.CODE:
            kind = SentenceKind.BOILERPLATE
        if kind is SentenceKind.HEADING and block.level:
            section = self._prefixed(self.sections.enter(block.level, text))
            self.blocks.append(Block(kind, span, section, block.level))
            if block.level == 1 and not self.head.first_heading:
                self.head.first_heading = text
            return
        self.blocks.append(Block(kind, span, self._prefixed(self.sections.current)))

    def _prefixed(self, section: str) -> str:
        if self.section_prefix and section:
            return f"{self.section_prefix} > {section}"
        return section or self.section_prefix

    # Text ------------------------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.head.title = (self.head.title + data)[:_TITLE_CHARS]
            return
        if self._hidden() or not data:
            return
        start = self.position()
        if data.isspace() and self._target() is None:
            return
        builder = self._target_builder()
        builder.original(self.text, start, start + len(data))
        self._count_link(data)

    def _reference(self, raw_length: int) -> None:
        start = self.position()
        raw = self.text[start : start + raw_length]
        shown = html.unescape(raw)
        if self.in_title:
            self.head.title = (self.head.title + shown)[:_TITLE_CHARS]
            return
        if self._hidden():
            return
        self._target_builder().replaced(shown, start, start + raw_length)
        self._count_link(shown)

    def handle_entityref(self, name: str) -> None:
        self._reference(self._reference_length(len(name) + 1))

    def handle_charref(self, name: str) -> None:
        self._reference(self._reference_length(len(name) + 2))

    def _reference_length(self, length: int) -> int:
        start = self.position()
        return length + 1 if self.text[start + length : start + length + 1] == ";" else length

    def _count_link(self, shown: str) -> None:
        target = self._target()
        if self.links and target is not None:
            target.link_chars += _letters(shown)

    def _meta(self, values: dict[str, str]) -> None:
        name = (values.get("name") or values.get("property") or values.get("itemprop", "")).lower()
        content = values.get("content", "").strip()
        if name and content:
            self.head.meta.setdefault(name, content)

    def close(self) -> None:
        super().close()
        self._close_row()
        self._flush()


def _letters(text: str) -> int:
    """Letters and digits: how much a block says, separators and spaces aside."""
    return len(_LETTER.findall(text))


def _chrome_id(values: dict[str, str]) -> bool:
    """An id naming page furniture ("sidebar", "global-nav"); long ids name content sections."""
    parts = [part for part in _CLASS_PARTS.split(values.get("id", "").lower()) if part]
    return len(parts) <= 2 and not _CHROME_WORDS.isdisjoint(parts)


def _parsed(text: str, start: int, end: int, section: str, main_only: bool) -> _PageParser:
    parser = _PageParser(text, start, end, section, main_only)
    parser.feed(text[start:end])
    parser.close()
    return parser


def html_blocks(text: str, start: int, end: int, section: str = "") -> list[Block]:
    """The blocks of an HTML fragment ``text[start:end]`` (raw HTML inside Markdown)."""
    return _parsed(text, start, end, section, main_only=False).blocks


def read_html(text: str) -> Reading:
    """The blocks of an HTML page and what its head states (title, author, date, URL)."""
    parser = _parsed(text, 0, len(text), "", main_only=bool(_MAIN_CONTENT.search(text)))
    return Reading(mark_references(parser.blocks), _metadata(parser.head))


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
