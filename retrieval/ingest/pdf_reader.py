"""PDF manuals and papers: pypdfium2 (PDFium, the engine in Chrome) extracts each page's text.

A PDF holds no text file to point into, so the document's text is the extracted text of
its pages joined by form feeds; a sentence's page is found from its offset, and its
offsets within that page's text go out with the quote. Each page is laid out by the
plain-text layout (re-joined lines, headings, furniture). Lines repeated at the top or
bottom of several pages (running heads, page numbers) are page furniture. The outline
(bookmarks), when there is one, gives the section path; the document information gives
title, author and creation date. An encrypted PDF, a PDF without a text layer (a scan)
or a file that is not a PDF at all cannot be read.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium

from retrieval.ingest.blocks import Block, Reading, SectionPath, mark_references
from retrieval.ingest.clean_span import CleanSpan
from retrieval.ingest.layout import blocks as layout_blocks
from retrieval.ingest.metadata import clean_title, parse_date
from retrieval.models import PAGE_BREAK, Metadata, SentenceKind

_EDGE_LINES = 2
_MIN_PAGES_FOR_REPEATS = 3
# A number in a page-edge line, or the whole line as a front matter's roman page number.
_DIGITS = re.compile(r"\d+|^[ivxlc]{1,6}$")
# "12", "Page 3 of 9", and a front matter's lower-case roman "iv".
_PAGE_NUMBER = re.compile(r"^\W*(?:(?i:page\s*)?\d+(?:\s*(?i:of|/)\s*\d+)?|[ivxlc]{1,6})\W*$")
_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
_LINE_END = re.compile(r"\r\n|\r")
_HIDDEN_CHARACTERS = str.maketrans({"\x02": "-", "\ufffe": "-", "\x00": None})


class PdfUnreadable(ValueError):
    """The bytes are not a PDF quotebot can read text from; the message says why."""


@dataclass(frozen=True, slots=True)
class _Heading:
    level: int
    title: str
    position: int


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        reason = str(error)
        if "password" in reason.lower():
            raise PdfUnreadable("an encrypted PDF (it needs a password)") from None
        raise PdfUnreadable(f"not a readable PDF ({reason})") from None


def _page_texts(pdf: pdfium.PdfDocument) -> list[str]:
    texts = []
    for page in pdf:
        textpage = page.get_textpage()
        raw = textpage.get_text_bounded()
        texts.append(
            _LINE_END.sub("\n", raw).translate(_HIDDEN_CHARACTERS).replace(PAGE_BREAK, " ")
        )
        textpage.close()
        page.close()
    return texts


def extract_text(data: bytes) -> str:
    """The document text of a PDF: its pages' texts joined by form feeds."""
    pdf = _open(data)
    try:
        return PAGE_BREAK.join(_page_texts(pdf))
    finally:
        pdf.close()


def read_pdf(data: bytes) -> tuple[str, Reading]:
    """The document text of a PDF and its blocks and stated metadata."""
    pdf = _open(data)
    try:
        pages = _page_texts(pdf)
        if not any(page.strip() for page in pages):
            raise PdfUnreadable("the PDF has no text layer (a scanned or image-only PDF?)")
        starts = _page_starts(pages)
        outline = _outline(pdf, pages, starts)
        metadata = _metadata(pdf.get_metadata_dict())
    finally:
        pdf.close()
    furniture = _repeated_edges(pages)
    blocks = _blocks(pages, starts, furniture)
    found = mark_references(_sectioned(blocks, outline), ends_at_heading=True)
    title = _running_title(pages[0], furniture) or _cover_heading(found, starts)
    if "title" not in metadata and title:
        metadata["title"] = title
    return PAGE_BREAK.join(pages), Reading(found, metadata)


def _running_title(first_page: str, furniture: set[str]) -> str:
    """The first page's opening line when later pages repeat it as their running head: the
    title ("Shared MIME-info Database" atop every page of that specification)."""
    opening = next((line for line in first_page.splitlines() if line.strip()), "")
    return clean_title(opening) if _edge_key(opening) in furniture else ""


def _cover_heading(found: list[Block], starts: list[int]) -> str:
    """The first heading of the first page: the title, when the document information has none."""
    second_page = starts[1] if len(starts) > 1 else math.inf
    heading = next((block for block in found if block.kind is SentenceKind.HEADING), None)
    return clean_title(heading.text) if heading is not None and heading.start < second_page else ""


def _page_starts(pages: list[str]) -> list[int]:
    starts = [0]
    for page in pages[:-1]:
        starts.append(starts[-1] + len(page) + len(PAGE_BREAK))
    return starts


def _blocks(pages: list[str], starts: list[int], furniture: set[str]) -> list[Block]:
    """Each page laid out as plain text, without its running heads and page numbers."""
    found = []
    for page, start in zip(pages, starts, strict=True):
        for block in layout_blocks(_without_furniture(page, furniture)):
            kind = SentenceKind.BOILERPLATE if _PAGE_NUMBER.match(block.text) else block.kind
            found.append(Block(kind, _shifted(block.span, start)))
    return found


def _without_furniture(page: str, furniture: set[str]) -> str:
    """The page with its running heads blanked out, character for character."""
    if not furniture:
        return page
    lines = page.split("\n")
    edges = [
        *range(min(_EDGE_LINES, len(lines))),
        *range(max(len(lines) - _EDGE_LINES, 0), len(lines)),
    ]
    for index in set(edges):
        if _edge_key(lines[index]) in furniture:
            lines[index] = " " * len(lines[index])
    return "\n".join(lines)


def _shifted(span: CleanSpan, offset: int) -> CleanSpan:
    return CleanSpan(
        span.text,
        span.clean_starts,
        span.clean_ends,
        [start + offset for start in span.original_starts],
        [end + offset for end in span.original_ends],
    )


def _repeated_edges(pages: list[str]) -> set[str]:
    """Lines (digits aside) at the top or bottom of several pages: a chapter's running head
    repeats on each of its pages, a body line almost never on three."""
    if len(pages) < _MIN_PAGES_FOR_REPEATS:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        lines = [line for line in page.splitlines() if line.strip()]
        edges = {_edge_key(line) for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]}
        counts.update(edges)
    return {line for line, count in counts.items() if count >= _MIN_PAGES_FOR_REPEATS}


def _outline(pdf: pdfium.PdfDocument, pages: list[str], starts: list[int]) -> list[_Heading]:
    """The bookmarks, each placed where its title appears on its page (else the page top)."""
    headings = []
    for bookmark in pdf.get_toc():
        destination = bookmark.get_dest()
        index = destination.get_index() if destination is not None else None
        title = " ".join(bookmark.get_title().split())
        if index is None or not 0 <= index < len(pages) or not title:
            continue
        found = _find_title(pages[index], title)
        headings.append(_Heading(bookmark.level + 1, title, starts[index] + found))
    return sorted(headings, key=lambda heading: heading.position)


def _find_title(page: str, title: str) -> int:
    words = [re.escape(word) for word in title.split()]
    match = re.search(r"\s+".join(words), page, re.IGNORECASE)
    return match.start() if match else 0


def _sectioned(found: list[Block], outline: list[_Heading]) -> list[Block]:
    """Each block with the path of the bookmarks above it."""
    if not outline:
        return found
    path = SectionPath()
    sectioned = []
    next_heading = 0
    for block in found:
        while next_heading < len(outline) and outline[next_heading].position <= block.start:
            heading = outline[next_heading]
            path.enter(heading.level, heading.title)
            next_heading += 1
        sectioned.append(Block(block.kind, block.span, path.current, block.level))
    return sectioned


def _metadata(info: dict[str, str]) -> Metadata:
    metadata = Metadata()
    title = clean_title(info.get("Title", ""))
    if title:
        metadata["title"] = title
    author = clean_title(info.get("Author", ""))
    if author:
        metadata["author"] = author
    created = _PDF_DATE.match(info.get("CreationDate", ""))
    if created:
        year, month, day = created.group(1), created.group(2) or "01", created.group(3) or "01"
        published = parse_date(f"{year}-{month}-{day}")
        if published is not None:
            metadata["published"] = published
    return metadata


def _edge_key(line: str) -> str:
    """A page-edge line as running heads are compared: spaces collapsed, numbers aside."""
    return _DIGITS.sub("#", " ".join(line.split()))
