"""Document metadata: from an optional ``metadata.toml``, else read off the page.

The metadata file maps doc IDs to ``title``, ``url``, ``published`` and
``author``. What it does not give is inferred: the title from a heading-like
line (a repeated one first: pages repeat their title), the publication date
from a stamp or byline ("Released at: …", "Page last modified: …", a dated
byline near the top).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import Counter
from pathlib import Path
from typing import TypedDict

from retrieval.errors import CorpusError
from retrieval.ingest.clean_span import collapse_whitespace
from retrieval.ingest.layout import Block, blocks
from retrieval.models import Document, SentenceKind
from retrieval.timeline.temporal import tag

METADATA_FILE = "metadata.toml"
_TITLE_WORDS = 10
_TITLE_MIN_WORDS = 3
_BYLINE_BLOCKS = 8
_HEAD_CHARS = 20_000
_TAIL_CHARS = 5_000
_PUBLISHED_LABEL = re.compile(r"\b(?:released|published|posted|dated?|issued)\b", re.IGNORECASE)
_UPDATED_LABEL = re.compile(r"\b(?:updated|modified|revised|edited)\b", re.IGNORECASE)
_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_MARKUP = re.compile(r"^#{1,6}\s+|[*_`]+")
_FIELDS = ("title", "url", "published", "author")


class Metadata(TypedDict, total=False):
    title: str
    url: str
    published: dt.date
    author: str


def read_metadata_file(root: Path) -> dict[str, Metadata]:
    """The corpus folder's metadata table by doc ID; empty when there is none."""
    path = root / METADATA_FILE
    if not path.is_file():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CorpusError(f"metadata file {path} cannot be read: {error}") from None
    return {str(doc_id): _entry(path, str(doc_id), fields) for doc_id, fields in table.items()}


def _entry(path: Path, doc_id: str, fields: object) -> Metadata:
    if not isinstance(fields, dict) or set(fields) - set(_FIELDS):
        raise CorpusError(f"metadata file {path}: [{doc_id}] may only hold {', '.join(_FIELDS)}")
    published = fields.get("published")
    if published is not None and not isinstance(published, dt.date):
        raise CorpusError(f"metadata file {path}: [{doc_id}] published must be a date")
    return Metadata(**{key: value for key, value in fields.items() if value is not None})


def infer_metadata(
    doc_id: str, path: Path, source: str, text: str, given: Metadata | None
) -> Document:
    """A document whose missing metadata is inferred from its text."""
    given = given or Metadata()
    edges = _page_edges(text)
    layout = blocks(edges)
    title = given.get("title") or infer_title(edges, layout)
    published = given.get("published") or infer_published(edges, layout)
    return Document(
        doc_id=doc_id,
        path=path,
        source=source,
        text=text,
        title=title,
        url=given.get("url"),
        published=published,
        author=given.get("author"),
    )


def _page_edges(text: str) -> str:
    """The top and bottom of a page, where titles, bylines and stamps live.

    Reading only these keeps metadata inference cheap on very large files.
    """
    if len(text) <= _HEAD_CHARS + _TAIL_CHARS:
        return text
    return text[:_HEAD_CHARS] + "\n\n" + text[-_TAIL_CHARS:]


def infer_title(text: str, layout: list[Block]) -> str:
    """A heading repeated on the page, a page title line ("Title | Site"), the first
    heading, else the opening words."""
    headings = [
        _MARKUP.sub("", collapse_whitespace(text[b.start : b.end])).strip()
        for b in layout
        if b.kind is SentenceKind.HEADING
    ]
    repeated = [heading for heading, count in Counter(headings).items() if count > 1]
    if repeated:
        return repeated[0]
    site_title = _site_title(text, layout)
    if site_title:
        return site_title
    if headings:
        return headings[0]
    body = next((b for b in layout if b.kind is SentenceKind.BODY), None)
    if body is None:
        return ""
    words = collapse_whitespace(text[body.start : body.end]).split()
    return " ".join(words[:_TITLE_WORDS]) + ("…" if len(words) > _TITLE_WORDS else "")


def _site_title(text: str, layout: list[Block]) -> str | None:
    """The part before " | " of a page's first line, as browsers show page titles."""
    if not layout:
        return None
    first = collapse_whitespace(text[layout[0].start : layout[0].end])
    head, separator, _ = first.partition(" | ")
    return head.strip() if separator and len(head.split()) >= _TITLE_MIN_WORDS else None


def infer_published(text: str, layout: list[Block]) -> dt.date | None:
    """The date of a publication stamp or byline, preferring a labelled one."""
    best: tuple[int, dt.date] | None = None
    for position, block in enumerate(layout):
        if block.kind is SentenceKind.BODY:
            continue
        line = collapse_whitespace(text[block.start : block.end])
        rank = _stamp_rank(line, position)
        if rank is None or (best is not None and best[0] <= rank):
            continue
        day = _first_day(line)
        if day is not None:
            best = (rank, day)
    return best[1] if best else None


def _stamp_rank(line: str, position: int) -> int | None:
    if _PUBLISHED_LABEL.search(line):
        return 0
    if _UPDATED_LABEL.search(line):
        return 1
    return 2 if position < _BYLINE_BLOCKS else None


def _first_day(line: str) -> dt.date | None:
    for expression in tag(line):
        if expression.type in ("DATE", "TIME") and _DAY_VALUE.match(expression.value):
            try:
                return dt.date.fromisoformat(expression.value[:10])
            except ValueError:
                continue
    return None
