"""Document metadata: a ``metadata.toml`` first, then what the file states, then inference.

The metadata file maps doc IDs to ``title``, ``url``, ``published`` and ``author``. A
value of the wrong type costs that value, with one warning, never the corpus. What it
does not give comes from the format (front matter, reST fields, HTML meta, PDF info),
else is inferred from an unstructured page: the title from a heading-like line (a
repeated one first: pages repeat their title), the publication date from a stamp or
byline ("Released at: …", "Page last modified: …", a dated byline near the top).
Failing all that, the title is the file name made readable.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from retrieval.ingest.blocks import Block
from retrieval.models import Metadata, SentenceKind

log = logging.getLogger("quotebot")

METADATA_FILE = "metadata.toml"
MAX_TITLE_CHARS = 200
_TITLE_WORDS = 10
_TITLE_MIN_WORDS = 3
_BYLINE_BLOCKS = 8
_HEAD_CHARS = 20_000
_TAIL_CHARS = 5_000
_PUBLISHED_LABEL = re.compile(r"\b(?:released|published|posted|dated?|issued)\b", re.IGNORECASE)
_UPDATED_LABEL = re.compile(r"\b(?:updated|modified|revised|edited)\b", re.IGNORECASE)
_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_MARKUP = re.compile(r"^#{1,6}\s+|[*_`]+")
_TEXT_FIELDS = ("title", "url", "author")
_FIELDS = (*_TEXT_FIELDS, "published")
_DATE_FORMATS = ("%d-%b-%Y", "%d %b %Y", "%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%Y/%m/%d")
_INDEX_STEMS = frozenset({"index", "_index", "readme", "default"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def read_metadata_file(root: Path) -> dict[str, Metadata]:
    """The corpus folder's metadata table by doc ID; empty when there is none or it is broken.

    Every problem is one warning line naming the file, the document and the field.
    """
    path = root / METADATA_FILE
    if not path.is_file():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        log.warning("ignoring metadata file %s: %s", path, error)
        return {}
    entries = {}
    for doc_id, fields in table.items():
        if not isinstance(fields, dict):
            log.warning("metadata file %s: %r is not a table of fields; ignored", path, doc_id)
            continue
        entries[doc_id] = _entry(path, doc_id, fields)
    return entries


def _entry(path: Path, doc_id: str, fields: dict[str, object]) -> Metadata:
    entry = Metadata()
    for name, value in fields.items():
        if name not in _FIELDS:
            log.warning(
                "metadata file %s: [%s] %s is not one of %s; ignored",
                path,
                doc_id,
                name,
                ", ".join(_FIELDS),
            )
        elif name == "published":
            published = _as_date(value)
            if published is None:
                log.warning(
                    "metadata file %s: [%s] published must be a date; ignored", path, doc_id
                )
            else:
                entry["published"] = published
        elif isinstance(value, str) and value.strip():
            entry[name] = value.strip()  # type: ignore[literal-required]
        else:
            log.warning("metadata file %s: [%s] %s must be text; ignored", path, doc_id, name)
    return entry


def _as_date(value: object) -> dt.date | None:
    """A TOML date, or the day of a TOML date-time."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def warn_unknown_ids(metadata: dict[str, Metadata], doc_ids: Iterable[str]) -> None:
    """One warning listing the metadata entries that name no document of the corpus."""
    unknown = sorted(set(metadata) - set(doc_ids))
    if unknown:
        shown = ", ".join(unknown[:5]) + (
            f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        )
        log.warning("metadata file names documents that are not in the corpus: %s", shown)


def parse_date(value: str) -> dt.date | None:
    """The day a metadata value names: ISO 8601, RFC 2822, "13-Jun-2000", "March 3, 2021"."""
    value = value.strip()
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            parsed = parse(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        return parsed.date() if isinstance(parsed, dt.datetime) else parsed
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return first_day(value)


def clean_title(title: str) -> str:
    """A title on one line, without control characters, of a sane length."""
    title = " ".join(_CONTROL.sub(" ", title).split())
    if len(title) <= MAX_TITLE_CHARS:
        return title
    return title[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def readable_name(source: str) -> str:
    """The file name as a title: "getting_started.md" gives "Getting started".

    An index page is named for its folder.
    """
    path = PurePosixPath(source)
    stem = path.stem
    if stem.lower() in _INDEX_STEMS and path.parent.name:
        stem = path.parent.name
    words = " ".join(re.split(r"[-_\s]+", stem)).strip() or stem
    return words[:1].upper() + words[1:]


def page_edges(blocks: list[Block]) -> list[Block]:
    """The blocks at the top and bottom of a page, where titles, bylines and stamps live.

    Reading only these keeps metadata inference cheap on very large files.
    """
    if not blocks:
        return blocks
    tail_start = blocks[-1].end - _TAIL_CHARS
    return [b for b in blocks if b.start < _HEAD_CHARS or b.start >= tail_start]


def infer_title(layout: list[Block]) -> str:
    """A heading repeated on the page, a page title line ("Title | Site"), the first
    heading, else the opening words."""
    headings = [_MARKUP.sub("", b.text).strip() for b in layout if b.kind is SentenceKind.HEADING]
    repeated = [heading for heading, count in Counter(headings).items() if count > 1]
    if repeated:
        return repeated[0]
    site_title = _site_title(layout)
    if site_title:
        return site_title
    if headings:
        return headings[0]
    body = next((b for b in layout if b.kind is SentenceKind.BODY), None)
    if body is None:
        return ""
    words = body.text.split()
    return " ".join(words[:_TITLE_WORDS]) + ("…" if len(words) > _TITLE_WORDS else "")


def _site_title(layout: list[Block]) -> str | None:
    """The part before " | " of a page's first line, as browsers show page titles."""
    if not layout:
        return None
    head, separator, _ = layout[0].text.partition(" | ")
    return head.strip() if separator and len(head.split()) >= _TITLE_MIN_WORDS else None


def infer_published(layout: list[Block]) -> dt.date | None:
    """The date of a publication stamp or byline, preferring a labelled one."""
    best: tuple[int, dt.date] | None = None
    for position, block in enumerate(layout):
        if block.kind is SentenceKind.BODY:
            continue
        rank = _stamp_rank(block.text, position)
        if rank is None or (best is not None and best[0] <= rank):
            continue
        day = first_day(block.text)
        if day is not None:
            best = (rank, day)
    return best[1] if best else None


def _stamp_rank(line: str, position: int) -> int | None:
    if _PUBLISHED_LABEL.search(line):
        return 0
    if _UPDATED_LABEL.search(line):
        return 1
    return 2 if position < _BYLINE_BLOCKS else None


def first_day(line: str) -> dt.date | None:
    """The first calendar day the temporal tagger finds in ``line``."""
    # Imported here: only reading a file needs it, and its rules take a while to compile.
    from retrieval.timeline.temporal import tag

    for expression in tag(line):
        if expression.type in ("DATE", "TIME") and _DAY_VALUE.match(expression.value):
            try:
                return dt.date.fromisoformat(expression.value[:10])
            except ValueError:
                continue
    return None
