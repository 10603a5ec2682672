"""Event extraction: which parts of a document's text may carry an event's date."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.models import Document, Sentence, SentenceKind
from retrieval.timeline.events import masked_body


def _document(text: str) -> tuple[Document, list[Sentence]]:
    document = Document("d", Path("d.txt"), "d.txt", text, "d")
    return document, [Sentence("d", 0, len(text), text)]


@pytest.mark.parametrize(
    "citation",
    [
        "(Larsen, 2014)",
        "(Larsen & Berg, 2014)",
        "(Larsen et al. 2014a)",
        "(Holm 2010)",
        "(“Trade Report”, 2015)",
        "(Larsen, 2014, p. 12)",
        "(Larsen, 2014; Holm, 2010)",
    ],
)
def test_author_year_citations_are_masked(citation: str) -> None:
    # Given a body sentence that cites a source by author and year
    text = f"Cod stocks fell by half {citation}."
    # When the text is masked for tagging
    masked = masked_body(*_document(text))
    # Then the citation is blanked with spaces, so offsets are unchanged
    assert masked == text.replace(citation, " " * len(citation))


@pytest.mark.parametrize("aside", ["(1995)", "(amended in 2006)", "(the 2014 riots)"])
def test_dates_in_ordinary_parentheses_are_kept(aside: str) -> None:
    # Given a parenthesis that dates the sentence's own story
    text = f"The treaty was restored {aside} after years of talks."
    # When the text is masked for tagging
    # Then it is left as it is
    assert masked_body(*_document(text)) == text


def test_non_body_sentences_are_blanked() -> None:
    # Given a stamp line classed as boilerplate before a body sentence
    text = "Posted 3 May 2015\nThe ferry sank in 1987."
    document = Document("d", Path("d.txt"), "d.txt", text, "d")
    sentences = [
        Sentence("d", 0, 17, text[:17], SentenceKind.BOILERPLATE),
        Sentence("d", 18, len(text), text[18:]),
    ]
    # When the text is masked for tagging
    masked = masked_body(document, sentences)
    # Then only the body sentence is left, at its own offsets
    assert masked == " " * 18 + "The ferry sank in 1987."
