"""Bytes to text, with the decision recorded so it is made once per file.

UTF-8 first (a byte order mark is dropped), then UTF-16/UTF-32 by their byte order mark,
then, for anything else, the encoding charset-normalizer detects (Latin-1, Windows-1252,
Shift-JIS, ...). A mostly-UTF-8 file with a few stray bytes stays UTF-8 with those bytes
replaced, since guessing a legacy encoding would garble all its other characters. The
encoding is returned with the text; ``decode_as`` repeats the decision silently, as the
index cache needs. Offsets everywhere are offsets into the decoded text.
"""

from __future__ import annotations

import codecs
import logging
from dataclasses import dataclass

log = logging.getLogger("quotebot")

# Legacy encodings by how widely they are used, for breaking charset-normalizer's ties.
_MOST_USED = ("cp1252", "latin_1", "iso8859_15")
# The share of broken characters above which text read by its byte order mark is binary.
_MOST_BROKEN = 0.01
# An encoding recorded with this suffix had undecodable bytes, replaced with U+FFFD.
REPLACED = "/replace"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text and the codec that made it."""

    text: str
    encoding: str
    replaced_at: int | None = None


class NotText(ValueError):
    """The bytes are not text in any encoding quotebot can tell (a binary file)."""


def decode(data: bytes) -> Decoded:
    """The text of ``data`` and how it was decoded; raises NotText for binary data.

    Binary data that happens to open with a UTF-16 byte order mark decodes with a broken
    unit every few dozen characters, real UTF-16 text with hardly any.
    """
    encoding = _bom_encoding(data)
    decoded = _without_bom(data) if encoding is None else _strictly_or_replaced(data, encoding)
    if "\x00" in decoded.text or (
        encoding is not None and decoded.text.count("\ufffd") > _MOST_BROKEN * len(decoded.text)
    ):
        raise NotText("a binary file, not text")
    return decoded


def _bom_encoding(data: bytes) -> str | None:
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def _strictly_or_replaced(data: bytes, encoding: str) -> Decoded:
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError as error:
        replaced = data.decode(encoding, errors="replace")
        return Decoded(replaced, encoding + REPLACED, error.start)


def _without_bom(data: bytes) -> Decoded:
    decoded = _strictly_or_replaced(data, "utf-8")
    if decoded.replaced_at is None:
        return decoded
    bad = decoded.text.count("\ufffd")
    non_ascii = len(decoded.text) - len(decoded.text.encode("ascii", "ignore"))
    if non_ascii - bad > bad:
        return decoded
    encoding = _detected(data)
    if encoding is None:
        raise NotText("not text in any known encoding")
    return Decoded(data.decode(encoding), encoding)


def _detected(data: bytes) -> str | None:
    """charset-normalizer's choice; among encodings it rates equally, the most used one.

    Short Western European text reads equally well as Windows-1250, -1252 and -1257, and
    charset-normalizer would take the first; Windows-1252 is by far the most common.
    """
    import charset_normalizer  # only a file that is not UTF-8 needs it

    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    tied = {
        encoding
        for match in matches
        if (match.percent_chaos, match.percent_coherence)
        == (best.percent_chaos, best.percent_coherence)
        for encoding in match.could_be_from_charset
    }
    return next((encoding for encoding in _MOST_USED if encoding in tied), best.encoding)


def decode_as(data: bytes, encoding: str) -> str:
    """``data`` decoded the way ``decode`` once decided; raises ValueError if it cannot be."""
    codec, replaced, _ = encoding.partition(REPLACED)
    try:
        return data.decode(codec, errors="replace" if replaced else "strict")
    except LookupError as error:
        raise ValueError(f"unknown encoding {encoding!r}") from error
