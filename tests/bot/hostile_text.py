"""Random text with control, bidi and format characters, and the check that none got out."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

# What a terminal must never receive raw: controls other than newline and tab, format
# characters other than the joiners scripts need, lone surrogates, line/paragraph separators.
ALLOWED_CONTROLS = "\n\t\u200c\u200d"

HOSTILE_CHARACTERS = st.characters(categories=("Cc", "Cf", "Cs", "Zl", "Zp"))
ORDINARY_CHARACTERS = st.characters(categories=("L", "M", "N", "P", "S", "Zs"))
HOSTILE_TEXT = st.text(st.one_of(HOSTILE_CHARACTERS, ORDINARY_CHARACTERS), min_size=1)


def unsafe_characters(text: str) -> list[str]:
    return [
        char
        for char in text
        if char not in ALLOWED_CONTROLS
        and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")
    ]
