"""A document's subject terms: the words that run through it ("the museum", "the parser").

The answerer asks whether a question's words are a candidate's document subject. Finding
them means reading every prose sentence of the document, which for a 100 KB page is about
a thousand sentences; done at index time and stored with the document, a first question
reads a short list instead. The cache is untrusted, so a stored list is checked before use.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retrieval.models import ANSWERABLE_KINDS, Sentence
from retrieval.search.analysis import analyze

# A term is the document's subject when this share of its prose sentences has it.
TOPICAL_SHARE = 0.1
# No analyzed term holds a space or a control character (tokens are made of word characters
# and a few symbols), so a stored one that does is damage.
_NOT_IN_TERMS = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class DocumentSubjects:
    """One document's subject terms, as the cache stores them (one row per document)."""

    terms: frozenset[str]


def subject_terms(sentence_terms: Iterable[Sequence[str]]) -> frozenset[str]:
    """The terms in a large share of the prose sentences whose analyzed terms are given,
    and in more than one (only these are kept: whole term counts grow with the document)."""
    counts: Counter[str] = Counter()
    prose = 0
    for terms in sentence_terms:
        counts.update(set(terms))
        prose += 1
    floor = TOPICAL_SHARE * prose
    return frozenset(term for term, count in counts.items() if count >= floor and count > 1)


def sentence_subjects(sentences: Iterable[Sentence]) -> frozenset[str]:
    """The subject terms of a document's sentences (its prose ones, analyzed now)."""
    return subject_terms(analyze(s.text) for s in sentences if s.kind in ANSWERABLE_KINDS)


def plausible_terms(terms: frozenset[str]) -> bool:
    """Whether stored subject terms could be the analyzer's: non-empty, without spaces or
    control characters (a damaged cache row fails this and the cache is rebuilt)."""
    return all(term and _NOT_IN_TERMS.search(term) is None for term in terms)
