"""Untrusted text made safe to print on a terminal or into a pipe.

Document text, titles, IDs (file names) and error messages can hold ESC sequences that
recolour, retitle or clear a terminal, BEL, backspaces and carriage returns that overwrite
what was printed, bidi controls (U+202E) that reorder it, and invisible format characters
that hide text. Every terminal renderer and the JSON printer pass their output through
here; Discord output is escaped separately (``bot.discord_bot.render``).

What a reader would otherwise not see as such gets a visible stand-in, so a quote still
shows that its source holds something there: C0 controls become their Control Pictures
(ESC is ``␛``), other controls, bidi controls and lone surrogates become ``�``. Format
characters that only ever display as nothing (zero-width space, soft hyphen, tag
characters, which can smuggle hidden text) are dropped. Newline and tab are kept, and so
are the zero-width joiners that emoji sequences and several scripts need.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel

Result = TypeVar("Result", bound="BaseModel")

REPLACEMENT = "\ufffd"
_KEPT = frozenset("\n\t\u200c\u200d")
# Characters that change the order in which text is shown (Unicode's Bidi_Control).
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_C0_PICTURES = 0x2400
_DELETE_PICTURE = "\u2421"
_LINE_BREAKS = frozenset("\u2028\u2029")


def _stand_in(char: str) -> str | None:
    """What to print for an unsafe ``char`` ('' drops it); None when it is safe as it is."""
    if char in _KEPT:
        return None
    category = unicodedata.category(char)
    if category == "Cc":
        code = ord(char)
        if code < 0x20:
            return chr(_C0_PICTURES + code)
        return _DELETE_PICTURE if code == 0x7F else REPLACEMENT
    if char in _BIDI_CONTROLS or category == "Cs":
        return REPLACEMENT
    if category == "Cf":
        return ""
    if char in _LINE_BREAKS:
        return " "
    return None


def is_unsafe(char: str) -> bool:
    """Whether ``char`` must not reach a terminal as it is."""
    return _stand_in(char) is not None


def printable(text: str) -> str:
    """``text`` with every unsafe character replaced by its stand-in (or dropped)."""
    if text.isprintable():
        return text
    return "".join(char if (stand_in := _stand_in(char)) is None else stand_in for char in text)


def printable_result(result: Result) -> Result:
    """A copy of a result object with every string in it made printable.

    Renderers that lay text out themselves (rich) get clean fields, including any a
    result type gains later.
    """
    return type(result).model_validate(_printable_values(result.model_dump()))


def _printable_values(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {key: _printable_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_printable_values(item) for item in value]
    return value


def printable_json(text: str) -> str:
    """Serialized JSON with every unsafe character written as a ``\\uXXXX`` escape.

    Unlike ``printable`` this loses nothing: the JSON still decodes to the exact text, so
    ``--json`` output stays verbatim while a terminal shows it as inert escapes.
    """
    if text.isprintable():
        return text
    return "".join(_json_escape(char) if is_unsafe(char) else char for char in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


class PrintableFormatter(logging.Formatter):
    """Log lines (which quote file names and errors) made printable like everything else."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def lenient_input(stream: TextIO) -> TextIO:
    """``stream`` decoding undecodable bytes as U+FFFD, so piped input cannot crash a command.

    Under a UTF-8 locale Python reads standard input strictly; a stray Latin-1 byte in
    ``printf ... | quotebot ask -`` would otherwise end in a traceback.
    """
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")
    return stream
