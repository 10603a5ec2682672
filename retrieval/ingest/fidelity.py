"""Whether a quote is faithful to the span of the file it claims to come from.

A quote is faithful when its words, in order, are the words of the original span once
markup is removed. Markup differs per format, but removing it only ever drops words (link
targets, tag names and attributes, role names, comments); it never changes or reorders the
words a reader sees. So the check asks for the quote's words, exactly as written, to appear
in order among the span's words, once character references (``&amp;``) are decoded. It needs
only the span, so a cached quote can be checked against its file in microseconds.
"""

from __future__ import annotations

import html
import re
import unicodedata

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of ``text`` in order, after decoding character references."""
    return _WORD.findall(unicodedata.normalize("NFC", html.unescape(text)))


def faithful(original_span: str, quote: str) -> bool:
    """Whether every word of ``quote`` appears, in order, in ``original_span``."""
    wanted = words(quote)
    if not wanted:
        return not quote.strip()
    remaining = iter(words(original_span))
    return all(word in remaining for word in wanted)
