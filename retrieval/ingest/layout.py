"""Page layout: which lines form one block of prose, and what each block is.

Documents arrive hard-wrapped, as one paragraph a line, or as scraped web pages
with navigation, stamps and forms around the article. Blocks are found from
line shape alone, and each is classified by general rules (shape, punctuation,
link-list and citation patterns, a references section) so only real prose can
answer a question or become an event.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from retrieval.ingest.blocks import Block, Reading, mark_references
from retrieval.ingest.clean_span import CleanSpan
from retrieval.models import SentenceKind

_BULLET = re.compile(r"^\s*(?:[►▶▸▪•●◦‣→»·*+]|-\s|–\s|\d{1,2}[.)]\s)")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s")
_TERMINAL = re.compile(r"[.!?…:;,\"'”’)\]]$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
# A word opens with one letter or digit, then a repeat: re's search jumps from candidate to
# candidate for a pattern that opens with a character class, not for one opening with a repeat.
_WORD = re.compile(r"[^\W_][^\W_]*(?:['’.-][^\W_]+)*")
_DIGIT = re.compile(r"\d")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_MONTH_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}\b",
    re.IGNORECASE,
)
# Breadcrumbs and meta bars: "Home » World", "News | Sport", "Posted 3 May | 2 comments".
_SEPARATOR = re.compile(r"\||\s[»›>/·]\s")
_COUNTER = re.compile(
    r"\(\d{1,3}\)|\b\d+\s+(?:comments?|replies|shares|likes|views)\b", re.IGNORECASE
)
_WEB_CHROME = re.compile(
    r"\b(?:donat\w*|subscri\w*|newsletters?|mailing list|sign (?:up|in)|log ?in|cookies?"
    r"|privacy policy|terms of (?:use|service)|all rights reserved|copyright|email address"
    r"|required fields|leave a (?:reply|comment)|comments?|advertis\w*|share (?:this|on)"
    r"|follow us|read more|click here|recent (?:posts|features|articles|stories)"
    r"|related (?:posts|articles|stories)|print this)\b|©",
    re.IGNORECASE,
)
# Case-insensitive matching is slow in the regex engine. ASCII text lowercased once reads
# the same to the case-sensitive pattern (the engine's other case equivalences, such as the
# Kelvin sign for "k", are all outside ASCII, as is "©").
_WEB_CHROME_LOWERCASE = re.compile(_WEB_CHROME.pattern)
_CREDIT = re.compile(
    r"^\s*(?:(?:photo|image|picture|credit|caption)s?\s*(?:credit)?\s*[:/]|photo by\b|\(\w+ photo)",
    re.IGNORECASE,
)
# A table of contents' entry: a title, a dot leader, its page ("2.5 Installing . . . . 5").
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}\s*(?:\d+|[ivxlc]+)\b", re.IGNORECASE)
_SHORT_WORDS = 14
_WRAP_MIN_LINES = 3


# Not frozen: a frozen dataclass sets each field through ``object.__setattr__``, and a
# document makes one of these a line.
@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    lines = []
    offset = 0
    for content in text.split("\n"):
        stripped = content.strip()
        left = offset + len(content) - len(content.lstrip())
        lines.append(_Line(left, left + len(stripped), stripped))
        offset += len(content) + 1
    return lines


def _paragraphs(lines: list[_Line]) -> Iterator[list[_Line]]:
    current: list[_Line] = []
    for line in lines:
        if line.text:
            current.append(line)
        elif current:
            yield current
            current = []
    if current:
        yield current


def _wrap_width(lines: list[_Line]) -> int | None:
    """The width a hard-wrapped document was wrapped at, or None if it was not."""
    lengths = [len(line.text) for line in lines if line.text]
    if len(lengths) < _WRAP_MIN_LINES:
        return None
    longest = sorted(lengths)[int(0.9 * (len(lengths) - 1))]
    if not 40 <= longest <= 160:
        return None
    near = sum(1 for length in lengths if length >= 0.75 * longest)
    return longest if near >= 0.5 * len(lengths) else None


def _continues(line: _Line, following: _Line, width: int | None) -> bool:
    """Whether ``following`` carries on the prose of ``line`` after a line break."""
    if _BULLET.match(following.text) or _MARKDOWN_HEADING.match(following.text):
        return False
    if line.text.endswith("-") and following.text[:1].isalpha():
        return True
    if following.text[:1].islower() and not _BULLET.match(line.text):
        return True
    return width is not None and len(line.text) >= 0.75 * width


def _join_lines(paragraph: list[_Line], width: int | None) -> Iterator[tuple[int, int, str]]:
    first = paragraph[0]
    parts = [first.text]
    for previous, line in itertools.pairwise(paragraph):
        if _continues(previous, line, width):
            parts.append(line.text)
            continue
        yield first.start, previous.end, " ".join(parts)
        first, parts = line, [line.text]
    yield first.start, paragraph[-1].end, " ".join(parts)


def _looks_like_chrome(text: str, words: int) -> bool:
    """Navigation (a table of contents too), stamps, counters, forms, banners and credits
    around an article."""
    if _CREDIT.match(text) or _contents_entry(text):
        return True
    if words > _SHORT_WORDS * 2:
        return False
    digits = _DIGIT.search(text) is not None  # every counter and every date has one
    if digits and _COUNTER.search(text):
        return True
    if _BULLET.match(text) and not _SENTENCE_END.search(text):
        return True
    if _SEPARATOR.search(text) or _web_chrome(text):
        return True
    if not digits or words > _SHORT_WORDS or _SENTENCE_END.search(text):
        return False
    return bool(_CLOCK.search(text) or _NUMERIC_DATE.search(text) or _MONTH_DATE.search(text))


def _contents_entry(text: str) -> bool:
    return ("...." in text or ". . ." in text) and _DOT_LEADER.search(text) is not None


def _web_chrome(text: str) -> bool:
    if text.isascii():
        return _WEB_CHROME_LOWERCASE.search(text.lower()) is not None
    return _WEB_CHROME.search(text) is not None


def _kind(text: str) -> SentenceKind:
    # Only counts up to just past the longest short block matter: a long paragraph's words
    # are not all found.
    words = len(list(itertools.islice(_WORD.finditer(text), _SHORT_WORDS * 2 + 1)))
    if _looks_like_chrome(text, words):
        return SentenceKind.BOILERPLATE
    if words == 0:
        return SentenceKind.BOILERPLATE
    if _MARKDOWN_HEADING.match(text) or (words <= 20 and not _TERMINAL.search(text)):
        return SentenceKind.HEADING
    return SentenceKind.BODY


def blocks(text: str) -> list[Block]:
    """The blocks of a plain-text document in order, each classified.

    Plain text marks no headings, so its blocks carry no section path.
    """
    lines = _lines(text)
    width = _wrap_width(lines)
    found = [
        Block(_kind(joined), CleanSpan.of(text, start, end))
        for paragraph in _paragraphs(lines)
        for start, end, joined in _join_lines(paragraph, width)
    ]
    return mark_references(found)


def read_plain_text(text: str) -> Reading:
    """The plain-text reader: layout alone, no stated metadata."""
    return Reading(blocks(text))
