"""Event records: which statements of one document become events, at which dates, with which
clause highlighted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.ingest.sentences import split_sentences
from retrieval.models import Document, Sentence, SentenceKind
from retrieval.timeline import events as events_module
from retrieval.timeline.events import blank_citations, document_events
from retrieval.timeline.records import EventRecord
from retrieval.timeline.temporal.values import day_number
from tests.timeline.strategies import document_dates, texts

_PLAIN_TYPES = (int, float, bool, str, dt.date, type(None))


def _document(text: str, published: dt.date | None = None) -> Document:
    return Document("d", Path("d.txt"), "d.txt", text, "d", published=published)


def _events(text: str, published: dt.date | None = None) -> list[EventRecord]:
    return document_events(_document(text, published), split_sentences("d", text))


def _dated(text: str) -> list[tuple[str, str]]:
    """(value, highlighted clause) for each event of a one-paragraph text."""
    sentences = split_sentences("d", text)
    return [
        (r.value, sentences[r.sentence].text[r.highlight_start : r.highlight_end])
        for r in document_events(_document(text), sentences)
    ]


def _kinds(*pieces: tuple[str, SentenceKind]) -> tuple[Document, list[Sentence]]:
    """A document of one sentence per piece, each of the given kind."""
    text, sentences, cursor = "", [], 0
    for piece, kind in pieces:
        sentences.append(Sentence("d", cursor, cursor + len(piece), piece, kind))
        text += piece + "\n\n"
        cursor = len(text)
    return _document(text), sentences


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
def test_author_year_citations_are_blanked(citation: str) -> None:
    # Given a sentence that cites a source by author and year
    text = f"Cod stocks fell by half {citation}."
    # When citations are blanked for tagging
    # Then the citation is spaces, so offsets are unchanged, and it dates nothing
    assert blank_citations(text) == text.replace(citation, " " * len(citation))
    assert _events(text) == []


@pytest.mark.parametrize("aside", ["(1995)", "(amended in 2006)", "(the 2014 riots)"])
def test_dates_in_ordinary_parentheses_are_kept(aside: str) -> None:
    # Given a parenthesis that dates the sentence's own story
    text = f"The treaty was restored {aside} after years of talks."
    # When citations are blanked
    # Then it is left as it is
    assert blank_citations(text) == text


def test_a_parenthesis_without_a_year_is_kept() -> None:
    # Given a parenthesis that names authors, as a citation does, but states no year
    text = "Cod stocks fell by half (Larsen, Berg et al., see p. 12)."
    # When citations are blanked
    # Then it is left as it is: a citation needs its year
    assert blank_citations(text) == text


def test_a_sentence_with_two_dates_is_an_event_at_each_with_its_clause() -> None:
    # Given a sentence that tells of a signing and, later, of the entry into force
    text = (
        "The two countries signed the fisheries pact in July 2000, "
        "which went into force in December 2001."
    )
    # When its events are built
    # Then there is one per date, each highlighting the clause that goes with it
    assert _dated(text) == [
        ("2000-07", "The two countries signed the fisheries pact in July 2000"),
        ("2001-12", "which went into force in December 2001"),
    ]


def test_a_clause_opened_by_a_date_keeps_the_date() -> None:
    # Given a date that opens the sentence before its comma
    text = "In 2003, the ferry line closed, and in 2005 the tunnel opened beneath the strait."
    # When its events are built
    # Then the opening date goes with the clause after it
    assert _dated(text) == [
        ("2003", "In 2003, the ferry line closed"),
        ("2005", "and in 2005 the tunnel opened beneath the strait"),
    ]


def test_dates_joined_by_and_share_their_clause() -> None:
    # Given protests in two years told in one phrase
    text = "Students staged protests against the fees in 2007 and 2011 in the capital."
    # When its events are built
    # Then each year is an event and both highlight the whole phrase
    assert _dated(text) == [("2007", text), ("2011", text)]


def test_a_sentence_with_one_date_is_wholly_highlighted() -> None:
    # Given a sentence with one date and several clauses
    text = "The mill, which had run for decades, closed in 1998, and its workers left."
    # When its events are built
    # Then the highlight is the whole sentence
    assert _dated(text) == [("1998", text)]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Rainfall fell by a third between 2004 and 2013, farmers said.", "2004", "2013"),
        ("The war lasted from 1965 to 1973 and divided the villages.", "1965", "1973"),
        ("Harvests failed in 2007–2011 across the southern plains.", "2007", "2011"),
    ],
)
def test_a_range_is_one_event_spanning_the_period(text: str, first: str, last: str) -> None:
    # Given a sentence about a span of years
    # When its events are built
    [record] = _events(text)
    # Then it is one event placed at the start, with the end kept and the period covering both
    assert (record.value, record.end_value) == (first, last)
    assert record.first_day == day_number(int(first), 1, 1)
    assert record.last_day == day_number(int(last), 12, 31)


def test_a_relative_date_restated_explicitly_takes_the_explicit_date() -> None:
    # Given "12 months later" followed by the exact day it names
    text = (
        "The first probe was launched in October 1963 from the desert base. "
        "Exactly 12 months later on 12 December 1964 a second probe followed it."
    )
    # When its events are built
    # Then the second sentence is dated by its explicit day only
    assert [r.value for r in _events(text)] == ["1963-10", "1964-12-12"]


def test_a_year_around_finer_dates_in_its_clause_is_not_an_event_of_its_own() -> None:
    # Given a year that frames two months in the same clause
    text = "In 2008, the council raised the bridge toll twice, in March and in October."
    # When its events are built
    # Then the months are the events
    assert [r.value for r in _events(text)] == ["2008-03", "2008-10"]


def test_relative_dates_follow_the_narrative_across_sentences() -> None:
    # Given a date, then an undated sentence, then "three years later"
    text = (
        "The museum closed for repairs in March 2000 after a storm. "
        "Its collection went into storage in the capital. "
        "Three years later, the museum reopened with a new glass wing."
    )
    # When its events are built
    # Then the reopening is placed three years after the closing
    assert [r.value for r in _events(text)] == ["2000-03", "2003"]


@pytest.mark.parametrize(
    "kind", [SentenceKind.CODE, SentenceKind.BOILERPLATE, SentenceKind.HEADING]
)
def test_code_boilerplate_and_headings_are_never_events(kind: SentenceKind) -> None:
    # Given a dated line that is code, page chrome or a heading
    document, sentences = _kinds(
        ('edition = "2024" released 3 May 2015 by the team', kind),
        ("The ferry sank in the northern strait in 1987.", SentenceKind.BODY),
    )
    # When the document's events are built
    records = document_events(document, sentences)
    # Then only the prose sentence is an event
    assert [(r.sentence, r.value) for r in records] == [(1, "1987")]


def test_a_list_item_with_a_date_is_an_event() -> None:
    # Given release notes written as list items
    document, sentences = _kinds(
        ("3.12.0 final: Monday, 2023-10-02", SentenceKind.LIST_ITEM),
        ("3.12.1: 2023-12-08", SentenceKind.LIST_ITEM),
    )
    # When the events are built
    records = document_events(document, sentences)
    # Then the item that says something besides its dates is an event at its explicit date
    assert [(r.sentence, r.value) for r in records] == [(0, "2023-10-02")]


def _sectioned(*pieces: tuple[str, SentenceKind, str]) -> tuple[Document, list[Sentence]]:
    """A document of one sentence per piece, each of the given kind and section path."""
    document, sentences = _kinds(*((piece, kind) for piece, kind, _ in pieces))
    sections = [section for _, _, section in pieces]
    placed = zip(sentences, sections, strict=True)
    return document, [dataclasses.replace(s, section=path) for s, path in placed]


def test_a_changelogs_dated_heading_dates_the_undated_items_below_it() -> None:
    # Given release notes: a heading with the release date, items and a sub-heading
    release = "Release History > 2.10.0 (2016-04-29)"
    document, sentences = _sectioned(
        ("2.10.0 (2016-04-29)", SentenceKind.HEADING, release),
        ("SOCKS proxy support was added.", SentenceKind.LIST_ITEM, release),
        ("Bugfixes", SentenceKind.HEADING, f"{release} > Bugfixes"),
        ("Redirects keep their cookies.", SentenceKind.LIST_ITEM, f"{release} > Bugfixes"),
        ("Backported in March 2017 to the old branch.", SentenceKind.LIST_ITEM, release),
        ("Harbour 2.9 (patch)", SentenceKind.LIST_ITEM, release),
    )
    # When the events are built
    records = document_events(document, sentences)
    # Then each undated item that makes a statement is an event at the heading's date,
    # wholly highlighted, and an item with its own date keeps that date
    assert [(r.sentence, r.value, r.date_start, r.date_end) for r in records] == [
        (1, "2016-04-29", 0, 0),
        (3, "2016-04-29", 0, 0),
        (4, "2017-03", 14, 24),
    ]
    assert (records[0].highlight_start, records[0].highlight_end) == (0, 30)


@pytest.mark.parametrize(
    "heading", ["History 1990-2000", "The 1990s", "Version 2 in 2019 and 2020"]
)
def test_a_heading_naming_a_year_a_period_or_two_dates_dates_nothing_below_it(
    heading: str,
) -> None:
    # Given a section whose heading names something coarser than a day or month, or two dates
    document, sentences = _sectioned(
        (heading, SentenceKind.HEADING, heading),
        ("The ferry line was run by the town.", SentenceKind.BODY, heading),
    )
    # When the events are built, then the undated sentence is no event
    assert document_events(document, sentences) == []


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("2019 | 1,204 | 3.5 | 17 | 2020 | 88", []),
        ("2014 | The northern ferry line closed after the storm damage", ["2014"]),
    ],
)
def test_a_table_row_is_an_event_only_when_it_reads_as_a_statement(
    row: str, expected: list[str]
) -> None:
    # Given a table row of figures, or one that states something
    document, sentences = _kinds((row, SentenceKind.TABLE_ROW))
    # When the events are built
    # Then only the statement becomes an event
    assert [r.value for r in document_events(document, sentences)] == expected


def test_records_are_flat_and_frozen() -> None:
    # Given the events of a dated sentence
    [record] = _events("The lighthouse keeper retired from the island in 1994.")
    # When its fields are looked at
    values = [getattr(record, f.name) for f in dataclasses.fields(record)]
    # Then each is a plain value or a tuple of strings, and the record cannot change
    for value in values:
        assert isinstance(value, _PLAIN_TYPES) or (
            isinstance(value, tuple) and all(isinstance(v, str) for v in value)
        )
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.value = "1995"  # type: ignore[misc]


_KIND = st.sampled_from(list(SentenceKind))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(texts(), _KIND), min_size=1, max_size=6), document_dates)
def test_any_document_gives_events_that_fit_their_sentences(
    pieces: list[tuple[str, SentenceKind]], published: dt.date | None
) -> None:
    # Given any sentences of any kinds and any publication date
    document, sentences = _kinds(*pieces)
    document = dataclasses.replace(document, published=published)
    # When the events are built
    records = document_events(document, sentences)
    # Then every record points at a statement sentence and fits inside it
    for record in records:
        sentence = sentences[record.sentence]
        assert sentence.kind in events_module.EVENT_KINDS
        assert 0 <= record.highlight_start <= record.date_start < record.date_end
        assert record.date_end <= len(sentence.text)
        assert record.date_end <= record.highlight_end <= len(sentence.text)
        assert record.first_day <= record.last_day


def test_a_failure_costs_the_document_its_events_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a tagger that fails outright
    def broken(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("tagger broke")

    monkeypatch.setattr(events_module, "tag", broken)
    # When a document's events are built
    with caplog.at_level(logging.WARNING, logger="quotebot"):
        records = _events("The ferry sank in 1987.")
    # Then it has none, and one warning names the document
    assert records == []
    assert len(caplog.records) == 1 and "d" in caplog.records[0].getMessage()


def test_a_short_finished_sentence_is_an_event() -> None:
    # Given a sentence of two words besides its date, ending with a full stop
    # When its events are built
    # Then it is an event at its date
    assert [value for value, _ in _dated("The tower fell in 2001.")] == ["2001"]


def test_a_stamp_of_two_words_is_not_an_event() -> None:
    # Given a byline-like stamp with two words besides its date and no final punctuation
    # When its events are built
    # Then it is no event
    assert _dated("Posted March 3, 2015 by admin") == []
