"""Hypothesis strategies for text that exercises the temporal tagger's rules.

Random words from the tagger's own vocabulary, numbers shaped like dates, punctuation and real
sentences, so that random draws often come close to (and past) what the rules expect.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import strategies as st

from retrieval.timeline.temporal import lexicon

DATA = Path(__file__).resolve().parent.parent / "data" / "timeline"
REAL_SENTENCES = tuple(
    line
    for name in ("newswire_sentences.txt", "pep_sentences.txt", "prometheus_sentences.txt")
    for line in (DATA / name).read_text(encoding="utf-8").splitlines()
    if line.strip()
)

# Words that join the vocabulary into phrases.
_GLUE_TEXT = """the this that last next previous past coming following same latest current his her
    their its of in on at by from to until through and or between since ago later earlier
    before after year's year-end year-ago year-earlier fiscal FY quarter half period century
    decade BC BCE AD CE A.D. B.C. B.C.E. c. circa early mid late end beginning about around
    every each once twice times few several dozens some per today tomorrow yesterday now
    tonight noon midnight morning evening night o'clock a.m. p.m. EST GMT Christmas Easter Day
    Eve New Year's 's - – — / , . ; : ( ) ' " 2nd 3rd 21st 0th 99th 1st"""
_GLUE = tuple(_GLUE_TEXT.split())
_NAMES = (*lexicon.MONTHS, *lexicon.MONTH_ABBREVIATIONS, *lexicon.WEEKDAYS)
_WORDS = (
    *_NAMES,
    *(name.capitalize() for name in _NAMES),
    *(name.capitalize() + "." for name in lexicon.MONTH_ABBREVIATIONS),
    *lexicon.SEASONS,
    *lexicon.ORDINALS,
    *lexicon.NUMBERS,
    *lexicon.UNITS,
    *(unit + "s" for unit in lexicon.UNITS),
    *lexicon.DECADE_WORDS,
    *lexicon.SET_WORDS,
    *lexicon.APPROXIMATORS,
    *lexicon.PART_MODIFIERS,
    *_GLUE,
)
_NUMBERS = st.one_of(
    st.integers(0, 3000).map(str),
    st.sampled_from(["'98", "'80s", "1990s", "80s", "0000", "9999", "10000", "00", "31", "32"]),
    st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 2100)).map(
        lambda parts: "/".join(map(str, parts))
    ),
    st.tuples(st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)).map(
        lambda parts: f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}"
    ),
    st.tuples(st.integers(0, 30), st.integers(0, 70)).map(lambda hm: f"{hm[0]}:{hm[1]:02d}"),
)
_TOKEN = st.one_of(st.sampled_from(_WORDS), _NUMBERS)
_SEPARATOR = st.sampled_from([" ", " ", " ", "  ", "\n", "\n\n", ", ", "-", ""])


@st.composite
def temporal_sentences(draw: st.DrawFn) -> str:
    """A run of date-like words, sometimes spliced into a real sentence."""
    tokens = draw(st.lists(_TOKEN, min_size=1, max_size=12))
    separators = draw(st.lists(_SEPARATOR, min_size=len(tokens), max_size=len(tokens)))
    made = "".join(token + separator for token, separator in zip(tokens, separators, strict=True))
    if draw(st.booleans()):
        host = draw(st.sampled_from(REAL_SENTENCES))
        cut = draw(st.integers(0, len(host)))
        made = host[:cut] + " " + made + " " + host[cut:]
    return made


def texts() -> st.SearchStrategy[str]:
    """Date-like runs, real sentences, and arbitrary Unicode."""
    return st.one_of(
        temporal_sentences(),
        st.sampled_from(REAL_SENTENCES),
        st.text(max_size=200),
    )


document_dates = st.one_of(
    st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
)
