"""PDFs: pages are part of the location, running heads are furniture, bad PDFs cost one file."""

import datetime as dt
import logging
from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.ingest.pdf_reader import PdfUnreadable, extract_text, read_pdf
from retrieval.ingest.pipeline import read_documents
from retrieval.models import PAGE_BREAK, SentenceKind
from retrieval.search.corpus_cache import IndexOptions
from retrieval.service import QAService
from tests.ingest.support import sentences, texts, unfaithful

PROSE = (
    "Ships dock at the eastern pier when the tide is high. The harbour master assigns berths "
    "in the morning, and pilots guide larger vessels through the narrow channel."
)


def _manual(chapters: list[tuple[str, str]], title: str | None = "Harbour Manual") -> bytes:
    """A PDF with one chapter a page, a running head, page numbers and an outline."""
    pdf = FPDF()
    if title:
        pdf.set_title(title)
        pdf.set_author("R. Vale")
        pdf.set_creation_date(dt.datetime(2021, 3, 4, tzinfo=dt.UTC))
    for number, (heading, body) in enumerate(chapters, start=1):
        pdf.add_page()
        pdf.set_font("helvetica", size=9)
        pdf.cell(0, 8, "Harbour Manual, second edition")
        pdf.ln()
        pdf.set_font("helvetica", size=16)
        pdf.start_section(heading)
        pdf.cell(0, 10, heading)
        pdf.ln()
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, body)
        pdf.ln()
        pdf.cell(0, 8, str(number))
    return bytes(pdf.output())


CHAPTERS = [
    ("Docking", PROSE),
    ("Pilotage", "Pilots board vessels at the outer buoy. Each pilot holds a licence."),
    ("Fees", "Berth fees are charged per metre of length. Fees are paid monthly."),
]


def test_the_document_information_gives_title_author_and_date() -> None:
    _, reading = read_pdf(_manual(CHAPTERS))
    assert reading.metadata == {
        "title": "Harbour Manual",
        "author": "R. Vale",
        "published": dt.date(2021, 3, 4),
    }


def test_without_information_the_running_head_the_cover_opens_with_is_the_title() -> None:
    _, reading = read_pdf(_manual(CHAPTERS, title=None))
    assert reading.metadata["title"] == "Harbour Manual, second edition"


def test_the_text_is_the_pages_joined_by_form_feeds() -> None:
    text, _ = read_pdf(_manual(CHAPTERS))
    assert text.count(PAGE_BREAK) == 2
    assert text == extract_text(_manual(CHAPTERS))


def test_running_heads_and_page_numbers_are_not_sentences() -> None:
    _, reading = read_pdf(_manual(CHAPTERS))
    shown = texts(reading)
    assert not any("second edition" in text for text in shown)
    assert "Pilots board vessels at the outer buoy." in shown
    assert all(text not in shown for text in ("1", "2", "3"))


def test_the_outline_gives_the_section_path() -> None:
    _, reading = read_pdf(_manual(CHAPTERS))
    found = {s.text: s.section for s in sentences(reading)}
    assert found["Each pilot holds a licence."] == "Pilotage"


def test_a_quote_gives_its_page_and_offsets_into_that_pages_text(tmp_path: Path) -> None:
    # given a corpus holding a PDF manual
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manual.pdf").write_bytes(_manual(CHAPTERS))
    service = QAService.open(corpus, IndexOptions(), tmp_path / "cache")
    # when a question is answered from its third page
    quote = service.ask("How are berth fees charged?").quotes[0]
    # then the quote names the page, and its offsets index that page's extracted text
    page_text = extract_text(_manual(CHAPTERS)).split(PAGE_BREAK)[quote.page - 1]
    assert quote.page == 3
    assert page_text[quote.start : quote.end] == quote.text
    assert quote.location == "manual, p. 3 § Fees"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<html><body>Not a PDF at all.</body></html>", "not a readable PDF"),
        (b"%PDF-1.7\n1 0 obj garbage", "not a readable PDF"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused(content: bytes, reason: str) -> None:
    with pytest.raises(PdfUnreadable, match=reason):
        read_pdf(content)


def _encrypted() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.cell(0, 8, "Secret text.")
    pdf.set_encryption(owner_password="owner", user_password="user")
    return bytes(pdf.output())


def _image_only() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    return bytes(pdf.output())


def test_encrypted_and_image_only_pdfs_are_skipped_with_one_warning_each(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # given a corpus with a good PDF, an encrypted one, a scan-like one and an HTML file named .pdf
    (tmp_path / "good.pdf").write_bytes(_manual(CHAPTERS))
    (tmp_path / "locked.pdf").write_bytes(_encrypted())
    (tmp_path / "scan.pdf").write_bytes(_image_only())
    (tmp_path / "page.pdf").write_bytes(b"<html><body>hello</body></html>")
    # when it is read
    with caplog.at_level(logging.WARNING, "quotebot"):
        ids = [ingested.document.doc_id for ingested in read_documents(tmp_path)]
    # then only the good one loads, and each other one is named once with its reason
    assert ids == ["good"]
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 3
    assert any("locked.pdf: an encrypted PDF" in m for m in messages)
    assert any("scan.pdf: the PDF has no text layer" in m for m in messages)
    assert any("page.pdf: not a readable PDF" in m for m in messages)


_SENTENCE = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9), min_size=3, max_size=14
).map(lambda words: " ".join(words).capitalize() + ".")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(_SENTENCE, st.lists(_SENTENCE, min_size=1, max_size=6)), min_size=1, max_size=4
    )
)
def test_every_pdf_sentence_is_faithful_to_its_span(chapters: list[tuple[str, list[str]]]) -> None:
    # given a random manual
    text, reading = read_pdf(_manual([(head[:40], " ".join(body)) for head, body in chapters]))
    # when its sentences are made
    found = sentences(reading)
    # then every one is faithful to its span of the extracted text
    assert not unfaithful(text, found)
    assert all(s.kind is not SentenceKind.CODE for s in found)


def test_a_front_matters_roman_page_numbers_are_not_sentences() -> None:
    # Given a preface of three pages numbered in lower-case roman
    pdf = FPDF()
    pages = [f"{PROSE} This is page {n} of the preface." for n in ("one", "two", "three")]
    for page, number in zip(pages, ("i", "ii", "iii"), strict=True):
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, page)
        pdf.ln()
        pdf.cell(0, 8, number)
    # When it is read
    _, reading = read_pdf(bytes(pdf.output()))
    # Then the numbers are page furniture, and the prose reads without them
    assert not any(text.endswith(("i", "ii", "iii")) for text in texts(reading))
    assert len(texts(reading)) == 6
