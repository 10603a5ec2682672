"""The word analyzer shared by indexing and querying.

Chunks, sentences and questions all pass through `analyze`, so a question matches a source
sentence exactly when their analyzed terms overlap. The pipeline is: Unicode NFKC and casefold,
word tokens that keep numbers and currency amounts whole, possessive folding, stop-word removal
and Snowball English stemming. Hyphenated words are indexed whole and as their parts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from itertools import chain, product

import Stemmer

# The NLTK English stop-word list (a superset of the Snowball list), apostrophes straightened.
STOP_WORDS: frozenset[str] = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "ain",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "couldn",
        "couldn't",
        "d",
        "did",
        "didn",
        "didn't",
        "do",
        "does",
        "doesn",
        "doesn't",
        "doing",
        "don",
        "don't",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "hadn",
        "hadn't",
        "has",
        "hasn",
        "hasn't",
        "have",
        "haven",
        "haven't",
        "having",
        "he",
        "he'd",
        "he'll",
        "he's",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "isn",
        "isn't",
        "it",
        "it'd",
        "it'll",
        "it's",
        "its",
        "itself",
        "just",
        "ll",
        "m",
        "ma",
        "me",
        "mightn",
        "mightn't",
        "more",
        "most",
        "mustn",
        "mustn't",
        "my",
        "myself",
        "needn",
        "needn't",
        "no",
        "nor",
        "not",
        "now",
        "o",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "re",
        "s",
        "same",
        "shan",
        "shan't",
        "she",
        "she'd",
        "she'll",
        "she's",
        "should",
        "should've",
        "shouldn",
        "shouldn't",
        "so",
        "some",
        "such",
        "t",
        "than",
        "that",
        "that'll",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "they'd",
        "they'll",
        "they're",
        "they've",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "ve",
        "very",
        "was",
        "wasn",
        "wasn't",
        "we",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "were",
        "weren",
        "weren't",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "won",
        "won't",
        "wouldn",
        "wouldn't",
        "y",
        "you",
        "you'd",
        "you'll",
        "you're",
        "you've",
        "your",
        "yours",
        "yourself",
        "yourselves",
    ]
)

_APOSTROPHES = "'\u2018\u2019\u02bc"
# A word may hold underscores (snake_case, __init__) but not be made of them alone.
_ALNUM = r"_*[^\W_]\w*"
# Joiners kept inside a token: digit separators (1,288 and 6.15), apostrophes between letters
# (don't, nation's), hyphens between letters or digits, a currency sign after a prefix (US$18),
# dots between letters (manage.py, os.path) and Rust's path separator (std::io).
_JOINER = (
    r"(?:(?<=\d)[.,](?=\d)"
    rf"|(?<=[^\W\d_])[{_APOSTROPHES}](?=[^\W\d_])"
    r"|(?<=[^\W_])-(?=[^\W_])"
    r"|(?<=[^\W\d_])[$€£¥](?=\d)"
    r"|(?<=[^\W\d])\.(?=[^\W\d])"
    r"|(?<=\w)::(?=\w))"
)
# Dotted acronyms (U.S., U.K., p.m.) are one token, read without their dots.
_ACRONYM = r"(?:[^\W\d_]\.){2,}(?![^\W\d_])"
# Command-line flags (--release, -m, --config.file) keep their dashes.
_FLAG = r"(?<![\w-])--?[^\W\d_][\w-]*(?:\.[\w-]+)*"
# A generic type (Rc<T>, Vec<String>, Box<dyn Error>) is one term.
_GENERIC = r"[^\W\d_]\w*<[\w&*:,' ]{1,30}>"
# An operator standing alone before a word ("the ? operator", "&& binds tighter"): two or
# three of these signs, or one of the single ones.
_OPERATOR_SIGNS = "?!&|<>=+*%^~@#:./\\-"
_SINGLE_OPERATORS = "?&|@%^~#"
_OPERATOR = (
    rf"(?<!\S)(?:[{re.escape(_OPERATOR_SIGNS)}]{{2,3}}|[{re.escape(_SINGLE_OPERATORS)}])(?=\s+\w)"
)
_TOKEN = re.compile(rf"{_ACRONYM}|{_FLAG}|{_GENERIC}|{_OPERATOR}|{_ALNUM}(?:{_JOINER}{_ALNUM})*")
_ACRONYM_TOKEN = re.compile(_ACRONYM)
_DOTTED_NAME = re.compile(r"[^\W\d]\.[^\W\d]")
_SYMBOLS = re.compile(r"[_.:<>&*,' -]+")
_TO_STRAIGHT_APOSTROPHE = str.maketrans(dict.fromkeys(_APOSTROPHES[1:], "'"))
_CURLY = re.compile(f"[{_APOSTROPHES[1:]}]")
# What str.isalnum accepts, character by character.
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
# Raw tokens (and whitespace-free pieces) whose terms are remembered, in each of two
# generations (see `_TermCache`). A large corpus holds more distinct pieces than 1 << 15
# keeps (each word with each punctuation after it, paths, markup), and one forgotten is
# scanned again; full, the two memos take about 29 MB a process (16 MB at 1 << 15).
_GENERATION = 1 << 16


class _TokenAnalyzer:
    """Raw token -> analyzed terms (possessives folded, stop words dropped, stemmed)."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("english")

    def __call__(self, token: str) -> tuple[str, ...]:
        word = token.translate(_TO_STRAIGHT_APOSTROPHE) if _CURLY.search(token) else token
        if _is_symbolic(word):
            return self._symbolic(word)
        if word.endswith("."):
            word = word.replace(".", "")
        if word.endswith("'s"):
            word = word[:-2]
        if word in STOP_WORDS:
            return ()
        if "-" not in word:
            return (self._stemmer.stemWord(word),)
        words = [word, *(part for part in word.split("-") if part not in STOP_WORDS)]
        return tuple(self._stemmer.stemWords(words))

    def _symbolic(self, token: str) -> tuple[str, ...]:
        """A code-like token whole (``__init__``, ``--release``, ``rc<t>``) and its words."""
        whole = token.replace(" ", "")
        if _LETTER_OR_DIGIT.search(token) is None:
            return (whole,)
        parts = [part for part in _SYMBOLS.split(token) if part and part not in STOP_WORDS]
        return (whole, *self._stemmer.stemWords(parts))


class _TermCache(dict[str, tuple[str, ...]]):
    """Memoizes text -> analyzed terms; a corpus repeats its words, so most lookups hit
    (a plain dict lookup). Bounded, so a process that answers for weeks stays the same size:
    when the current generation is full it becomes the older one, and a text found there
    is carried back without being analyzed again, so the words in use stay remembered."""

    def __init__(self, analyze: Callable[[str], tuple[str, ...]]) -> None:
        super().__init__()
        self._older: dict[str, tuple[str, ...]] = {}
        self._analyze = analyze

    def __missing__(self, text: str) -> tuple[str, ...]:
        terms = self._older.get(text)
        if terms is None:
            terms = self._analyze(text)
        if len(self) >= _GENERATION:
            self._older = dict(self)
            self.clear()
        self[text] = terms
        return terms


def _is_symbolic(token: str) -> bool:
    """Whether a token carries symbols that mean something in technical text.

    Acronyms (u.s.) and numbers (6.15) are ordinary words; names with dots between
    letters (manage.py), underscores, ``::`` or angle brackets, flags and operators are not.
    """
    dotted = "." in token  # both an acronym and a dotted name have one
    if dotted and _ACRONYM_TOKEN.fullmatch(token):
        return False
    return (
        token.startswith("-")
        or _LETTER_OR_DIGIT.search(token) is None
        or "_" in token
        or "<" in token
        or "::" in token
        or (dotted and _DOTTED_NAME.search(token) is not None)
    )


_TERMS = _TermCache(_TokenAnalyzer())
# Every whitespace-free piece the operator alternative matches whole.
_OPERATOR_PIECES = frozenset(
    map("".join, chain(product(_OPERATOR_SIGNS, repeat=2), product(_OPERATOR_SIGNS, repeat=3)))
) | frozenset(_SINGLE_OPERATORS)
# What may be a generic type with a space in it ("Box<dyn Error>").
_SPACED_GENERIC = re.compile(r"<(?<=\w<)[\w&*:,']*+ [\w&*:,' ]*+>")
_WORD_CHARACTER = re.compile(r"\w")


def _piece_terms(piece: str) -> tuple[str, ...]:
    return tuple(chain.from_iterable(map(_TERMS.__getitem__, _TOKEN.findall(piece))))


# The terms of whitespace-free pieces ("state-of-the-art,"): a corpus repeats them as it
# repeats its words, and one lookup of a piece replaces a scan of it by the token pattern.
_PIECE_TERMS = _TermCache(_piece_terms)


def tokenize(text: str) -> list[str]:
    """Normalized raw word tokens, before stop words, possessives and stemming."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def analyze(text: str) -> list[str]:
    """The search terms of `text`, in order, with repetition (BM25 counts term frequency).

    Those of the token pattern's scan of the whole text, found faster: a token never spans
    whitespace, so the terms are those of the text's pieces, each looked up whole, but for a
    generic type with a space in it (a text that may hold one is scanned whole) and a lone
    operator, a token only when a word follows it.
    """
    normalized = unicodedata.normalize("NFKC", text).casefold()
    if "<" in normalized and _SPACED_GENERIC.search(normalized):
        return list(chain.from_iterable(map(_TERMS.__getitem__, _TOKEN.findall(normalized))))
    pieces = normalized.split()
    if _OPERATOR_PIECES.isdisjoint(pieces):
        return list(chain.from_iterable(map(_PIECE_TERMS.__getitem__, pieces)))
    terms: list[str] = []
    for piece, following in zip(pieces, [*pieces[1:], ""], strict=True):
        if piece in _OPERATOR_PIECES and _WORD_CHARACTER.match(following):
            terms.extend(_TERMS[piece])
        else:
            terms.extend(_PIECE_TERMS[piece])
    return terms
