"""Whether a quote is faithful to the span of the file it claims to come from.

A quote is faithful when its words, in order, are the words of the original span once
markup is removed. Markup differs per format, but removing it only ever drops words (link
targets, tag names and attributes, role names, comments); it never changes or reorders the
words a reader sees. So the check asks for the quote's words, exactly as written, to appear
in order among the span's words, once character references (``&amp;``) are decoded. Markup
inside a word ("snake\\_case", "foo<b>bar</b>", "a*b*c", "_emphasis_") splits it in the source, so a
quote word may also be the run of span words it was split into, when only non-space
characters separate them; tags (and reST's escaped spaces) are tried both as text and
removed, and so are scripts, style sheets and comments with what they hold; a reST role name
(``:pep:``) may be shown in capitals ("PEP 8"). It needs only the span,
so a cached quote can be checked against its file in microseconds.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import deque

# Underscores join a word's parts ("snake_case") but, at its edges, are emphasis markup.
_WORD = re.compile(r"[^\W_]+(?:_+[^\W_]+)*")
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_ESCAPED_SPACE = re.compile(r"\\ ")
# What a page never shows, with its content: a script, a style sheet, a comment.
_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", html.unescape(text))


def _subsequence(quote: str, span: str) -> bool:
    """Whether the quote's visible characters appear in order among the span's.

    For a quote without words (symbols in code): markup only ever drops characters.
    """
    remaining = iter("".join(_normal(span).split()))
    return all(character in remaining for character in "".join(_normal(quote).split()))


def words(text: str) -> list[str]:
    """The words of ``text`` in order, after decoding character references."""
    return _WORD.findall(_normal(text))


def faithful(original_span: str, quote: str) -> bool:
    """Whether every word of ``quote`` appears, in order, in ``original_span``.

    The quote's words are taken decoded (a plain-text file's literal ``&amp;`` quoted as
    it stands decodes on both sides) and, failing that, as written: an HTML page that
    escapes a reference to show it (``&amp;#223;``) shows ``&#223;``.
    """
    wanted = words(quote)
    if not wanted:
        return _subsequence(quote, original_span)
    readings = (
        original_span,
        _TAG.sub("", original_span),
        _ESCAPED_SPACE.sub("", _TAG.sub("", original_span)),
        _TAG.sub("", _HIDDEN.sub("", original_span)),
    )
    if any(_in_order(wanted, _normal(reading)) for reading in readings):
        return True
    written = _WORD.findall(unicodedata.normalize("NFC", quote))
    return written != wanted and any(_in_order(written, _normal(r)) for r in readings)


def _in_order(wanted: list[str], span: str) -> bool:
    """Each wanted word is a span word, or a run of span words joined by non-space markup.

    Words compare without their underscores, which markup escapes ("snake\\_case"). Each
    word takes the match that ends first, which leaves the most span for the words after it.
    """
    wanted = [word.replace("_", "") for word in wanted]
    # Most quotes are whole words of the span: check that at C speed first.
    span_words = iter(_WORD.findall(span.replace("_", "")))
    if all(word in span_words for word in wanted):
        return True
    found = [(m.group().replace("_", ""), m.start(), m.end()) for m in _WORD.finditer(span)]
    tags = [m.span() for m in _TAG.finditer(span)]
    position = 0
    for word in wanted:
        best = len(found) + 1
        start = position
        while start < min(best, len(found)):
            length = _role_match(word, found[start], span) or _joined_match(
                word, found, start, span, tags
            )
            if length:
                best = min(best, start + length)
            start += 1
        if best > len(found):
            return False
        position = best
    return True


def _joined_match(
    word: str, found: list[tuple[str, int, int]], first: int, span: str, tags: list[tuple[int, int]]
) -> int:
    """How many span words from ``first`` make up ``word`` (0 when they do not).

    The words must be glued together (no space between them); glued words that do not
    fit are markup inside the word (the target of "[SLO](https://…)s") and are passed over.
    Each glued word is tried both ways, since a link target may start like the rest of the
    word ("[x](y)yb" reads "xyb"); the shortest run wins.
    """
    if not word.startswith(found[first][0]):
        return 0
    runs = deque([(first, found[first][0])])
    seen = set(runs)
    while runs:
        index, matched = runs.popleft()
        if matched == word:
            return index - first + 1
        following = index + 1
        if following == len(found):
            continue
        if not _glued(span, found[index][2], found[following][1], tags):
            continue
        joined = matched + found[following][0]
        for state in ((following, joined), (following, matched)):
            if word.startswith(state[1]) and state not in seen:
                seen.add(state)
                runs.append(state)
    return 0


def _role_match(word: str, candidate: tuple[str, int, int], span: str) -> int:
    """A reST role shown by its name in capitals: ":pep:`8`" reads "PEP 8"."""
    piece, start, end = candidate
    is_role = span[start - 1 : start] == ":" and span[end : end + 1] == ":"
    return 1 if is_role and piece.casefold() == word.casefold() else 0


def _glued(span: str, end: int, start: int, tags: list[tuple[int, int]]) -> bool:
    """Whether only non-space characters lie between two words, spaces inside a tag aside
    ("word<a t='x'>word" reads "wordword")."""
    return all(
        not character.isspace() or any(a <= at < b for a, b in tags)
        for at, character in enumerate(span[end:start], end)
    )
