"""Blocks and their kinds: only real prose may answer or become an event."""

from pathlib import Path

import pytest

from retrieval.ingest.clean_span import collapse_whitespace
from retrieval.ingest.layout import blocks
from retrieval.ingest.sentences import split_sentences
from retrieval.models import SentenceKind

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _kinds(text: str) -> dict[str, SentenceKind]:
    return {collapse_whitespace(text[b.start : b.end]): b.kind for b in blocks(text)}


ARTICLE = "The council approved the new harbour plan after a long debate on Tuesday night."


@pytest.mark.parametrize(
    "chrome",
    [
        "» Local news roundup",
        "• Weather warning for the coast",
        "Home | World | Business",
        "Posted 14:05, 02/03/2019",
        "Posted ١٤:٠٥, ٠٢/٠٣/٢٠١٩",
        "٣ replies",
        "Last updated: 11-10-2018 08:00 GMT",
        "Reader comments (12)",
        "Post a comment",
        "Leave a comment",
        "Subscribe to our newsletter",
        "Your email address is never shared. Required fields are marked *",
        "Photo: City Archive / Jane Roe",
        "Support independent journalism with a donation today!",
        "Recent Posts",
    ],
)
def test_page_chrome_around_an_article_is_boilerplate(chrome: str) -> None:
    # given an article with one line of page chrome above it
    text = f"{chrome}\n\n{ARTICLE}"
    # when its blocks are classified
    kinds = _kinds(text)
    # then the chrome is boilerplate and the article is body
    assert kinds[chrome] is SentenceKind.BOILERPLATE
    assert kinds[ARTICLE] is SentenceKind.BODY


def test_a_short_dated_line_that_ends_a_sentence_is_not_a_stamp() -> None:
    # given a short finished sentence with a date, and a short undated line beside it
    text = "The harbour reopened on 3 May 2019.\n\nHarbour plans\n\n" + ARTICLE
    # when its blocks are classified
    kinds = _kinds(text)
    # then neither is page chrome
    assert kinds["The harbour reopened on 3 May 2019."] is SentenceKind.BODY
    assert kinds["Harbour plans"] is SentenceKind.HEADING


def test_a_bullet_with_a_full_sentence_is_prose() -> None:
    text = "- The plan costs less than the old one and opens next year."
    assert blocks(text)[0].kind is SentenceKind.BODY


def test_entries_after_a_references_heading_are_references() -> None:
    text = f"{ARTICLE}\n\nReferences\n\nSmith, A. Harbours of the north. Oslo Press.\n"
    kinds = _kinds(text)
    assert kinds["Smith, A. Harbours of the north. Oslo Press."] is SentenceKind.REFERENCE


def test_a_run_of_citation_shaped_lines_is_a_bibliography() -> None:
    # given two author-date citations after an article, with no heading
    first = "Doe, J. (2011, May 4). Ports and trade. Retrieved from"
    second = "Roe, K. (2009). Coastal towns. Journal of Places, 12(3), 45-67."
    text = f"{ARTICLE}\n\n{first}\n\n{second}"
    # when its blocks are classified
    kinds = _kinds(text)
    # then both are references
    assert kinds[first] is SentenceKind.REFERENCE
    assert kinds[second] is SentenceKind.REFERENCE


def test_one_parenthesised_year_in_prose_is_not_a_citation() -> None:
    text = "The bridge (1998) was rebuilt. It is now wider."
    assert blocks(text)[0].kind is SentenceKind.BODY


@pytest.mark.parametrize(
    ("doc_id", "fragments"),
    [
        ("001_1f37cc2d15cd2da9", ["Recent Features", "Features | Diplomacy", "Credit: U.S."]),
        ("002_d6c62ff19fc9144c", ["UNITED24", "mailing list", "Page last modified"]),
        (
            "003_5eaa0ee74c7c21fd",
            ["0 comments", "Leave a Reply", "Your email address", "Retrieved"],
        ),
        ("004_d3ee043e5275d041", ["►", "User comment (0)", "Send comment", "Released at"]),
    ],
)
def test_seed_boilerplate_never_becomes_body(doc_id: str, fragments: list[str]) -> None:
    # given a seed document
    text = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
    # when it is split into sentences
    body = [s.text for s in split_sentences(doc_id, text) if s.kind is SentenceKind.BODY]
    # then no body sentence carries the page chrome
    for fragment in fragments:
        assert not [sentence for sentence in body if fragment in sentence], fragment


def test_a_hard_wrapped_seed_reads_as_paragraphs() -> None:
    text = (SEEDS / "000_dba2723d37c296f9.txt").read_text(encoding="utf-8")
    body = [b for b in blocks(text) if b.kind is SentenceKind.BODY]
    assert len(body) == 7


def test_a_breadcrumb_trail_is_boilerplate() -> None:
    text = f"Home » Culture » Music\n\n{ARTICLE}"
    assert _kinds(text)["Home » Culture » Music"] is SentenceKind.BOILERPLATE
