"""The block model every reader yields, whatever the format.

A block is one unit of a page as a reader sees it (a heading, a paragraph, a list item,
a table row, a code block, page furniture), with its clean text, the way back to the
original file, and the path of headings above it. Sentences, chunks, the index, the
answerer and the timeline are built from blocks alone, so none of them is per-format.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from retrieval.ingest.clean_span import CleanSpan
from retrieval.models import SECTION_SEPARATOR, Metadata, SentenceKind

_REFERENCES_HEADING = re.compile(
    r"^\s*#*\s*(?:references|bibliography|works cited|sources|notes|citations|further reading"
    r"|footnotes)\s*:?\s*$",
    re.IGNORECASE,
)
# A structured page marks its headings, and its "Notes" or "Sources" sections hold prose.
_MARKED_REFERENCES_HEADING = re.compile(
    r"^(?:references|bibliography|works cited|citations|further reading|footnotes)$",
    re.IGNORECASE,
)
_NOT_HEADINGS = frozenset({SentenceKind.CODE, SentenceKind.LIST_ITEM, SentenceKind.TABLE_ROW})
# Citation forms, each searched alone: "(2011)." starts at a "(" the regex engine skips to,
# and "12 (3), 45-67" holds a ")," a substring test finds, far faster than the alternation
# of all three tried at every character.
_CITED_DATE = re.compile(r"\((?:\d{4}|n\.d\.)[a-z]?(?:,\s*[^()]{1,24})?\)\s*\.", re.IGNORECASE)
_CITED_PAGES = re.compile(r"\b\d+\s*\(\d+\),\s*\d+[-–]\d+")
# "Retrieved from" or "doi:" as words, in any case: the first letter comes first, in both
# cases (no other character matches "r" or "d" case-blind), so the engine skips to it, and
# the word boundary before it is checked after it; the rest is case-blind ("retrİeved").
_CITED_SOURCE = re.compile(r"[rRdD](?<!\w[rRdD])(?i:(?<=r)etrieved from\b|(?<=d)oi:)")


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a page: what it is, its clean text and its section path.

    ``level`` is a heading's depth (1 for a page title), 0 for anything else.
    """

    kind: SentenceKind
    span: CleanSpan
    section: str = ""
    level: int = 0

    @property
    def text(self) -> str:
        return self.span.text

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end


@dataclass(frozen=True, slots=True)
class Reading:
    """What a reader makes of one file: its blocks and the metadata the format states."""

    blocks: list[Block]
    metadata: Metadata = field(default_factory=lambda: Metadata())


@dataclass(slots=True)
class SectionPath:
    """The headings above the current position, by level, and the terms whose
    descriptions hold it (a glossary entry, an option): "Glossary > berth"."""

    _headings: list[tuple[int, str]] = field(default_factory=list)
    _terms: list[str] = field(default_factory=list)
    # The path joined, made as a heading or term is entered: every block asks for it.
    _path: str = ""

    def enter(self, level: int, heading: str) -> str:
        """Record a heading; returns the path it starts (itself included)."""
        while self._headings and self._headings[-1][0] >= level:
            self._headings.pop()
        self._headings.append((level, " ".join(heading.split())))
        self._join()
        return self._path

    @contextlib.contextmanager
    def described(self, term: str) -> Iterator[None]:
        """Within the description of ``term``, which names what it describes as a
        heading would (the HTML reader puts a ``<dt>`` in the path the same way)."""
        self._terms.append(" ".join(term.split()))
        self._join()
        try:
            yield
        finally:
            self._terms.pop()
            self._join()

    def _join(self) -> None:
        parts = [heading for _, heading in self._headings] + self._terms
        self._path = SECTION_SEPARATOR.join(part for part in parts if part)

    @property
    def current(self) -> str:
        return self._path


def mark_references(
    blocks: list[Block], ends_at_heading: bool = False, headings_marked: bool = False
) -> list[Block]:
    """A references section, or a run of two or more citation-shaped blocks, is reference.

    Citations read like prose but answer nothing; this holds in every format. A section
    ends at a heading of its level or above; with ``ends_at_heading`` (a PDF, whose
    headings have no level) at any heading, else it runs to the end of the page. On a page
    whose ``headings_marked`` (HTML), a paragraph ("Notes:" before a list of notes) starts
    none; a label ("Footnotes") starts one that ends at the next heading.
    """
    kinds = [block.kind for block in blocks]
    in_section = False
    section_level = 0
    for index, block in enumerate(blocks):
        if _starts_references(block, headings_marked):
            in_section, section_level = True, block.level
            continue
        if in_section and (
            0 < block.level <= section_level
            or (headings_marked and section_level == 0 and block.level > 0)
            or (ends_at_heading and block.kind is SentenceKind.HEADING)
        ):
            in_section = False
        if in_section and kinds[index] not in (SentenceKind.BOILERPLATE, SentenceKind.CODE):
            kinds[index] = SentenceKind.REFERENCE
    cited = [b.kind is not SentenceKind.CODE and _cites(b.text) for b in blocks]
    for index, is_citation in enumerate(cited):
        neighbour = (index > 0 and cited[index - 1]) or (
            index + 1 < len(cited) and cited[index + 1]
        )
        if is_citation and neighbour:
            kinds[index] = SentenceKind.REFERENCE
    return [
        block if block.kind is kind else Block(kind, block.span, block.section, block.level)
        for block, kind in zip(blocks, kinds, strict=True)
    ]


def _starts_references(block: Block, headings_marked: bool) -> bool:
    """A heading naming references; where headings are not marked, any block but code, a
    list item or a row (a list of a page's features may well hold "Footnotes")."""
    if block.level or headings_marked:
        is_heading = block.kind is SentenceKind.HEADING
        return is_heading and _MARKED_REFERENCES_HEADING.match(block.text) is not None
    return block.kind not in _NOT_HEADINGS and _REFERENCES_HEADING.match(block.text) is not None


def _cites(text: str) -> bool:
    """Whether a block is citation-shaped (cheap tests first: most blocks are not)."""
    if "(" not in text:
        lower = text.lower()
        if "retrieved" not in lower and "doi:" not in lower:
            return False
        return _CITED_SOURCE.search(text) is not None  # the only form without a "("
    return (
        _CITED_DATE.search(text) is not None
        or (")," in text and _CITED_PAGES.search(text) is not None)
        or _CITED_SOURCE.search(text) is not None
    )
