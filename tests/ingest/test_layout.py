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


def test_a_table_of_contents_is_boilerplate_however_long_and_an_ellipsis_is_not() -> None:
    # given a contents page whose entries the layout joins into one block, and a sentence
    # that trails off
    contents = " ".join(
        f"{n}.{m} How are berths booked? . . . . . . . . . . . . {n * 4 + m}"
        for n in range(1, 6)
        for m in range(1, 4)
    )
    trailing = "The berths were booked, then . . . the ships never came."
    # when its blocks are classified
    kinds = _kinds(f"{contents}\n\n{trailing}\n\n{ARTICLE}")
    # then the contents are page chrome and the sentence is prose
    assert kinds[contents] is SentenceKind.BOILERPLATE
    assert kinds[trailing] is SentenceKind.BODY


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


@pytest.mark.parametrize(
    "citation",
    [
        "Doe, J. (2011). Ports and trade.",
        "Doe, J. Ports and trade (second edition). DOI:10.1000/182",
        "Doe, J. Ports and trade (revised), retrieved from the city archive",
        "Doe, J. Ports and trade (revised), RETRIEVED From the city archive",
        "Doe, J. Ports and trade. Journal of Places 12 (3), 45-67",
    ],
)
def test_two_lines_cited_in_any_one_form_are_references(citation: str) -> None:
    # given two lines after an article, each citation-shaped in the same one way
    text = f"{ARTICLE}\n\n{citation}\n\nRoe, K. {citation}"
    # when its blocks are classified
    kinds = _kinds(text)
    # then both are references
    assert kinds[citation] is SentenceKind.REFERENCE
    assert kinds[f"Roe, K. {citation}"] is SentenceKind.REFERENCE


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
