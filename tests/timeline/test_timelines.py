"""Timeline queries through the service: events, order, filters, merging and bad input."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from retrieval.errors import InvalidQuery
from retrieval.ingest.clean_span import collapse_whitespace
from retrieval.results import Timeline
from retrieval.search.corpus_cache import IndexOptions, load_corpus
from retrieval.search.local import LocalBackend
from retrieval.service import QAService
from retrieval.timeline.timelines import Timelines, corpus_events
from tests.conftest import SEEDS, write_corpus

HISTORY = (
    "The harbour bridge opened to traffic in June 2008 after four years of work.\n\n"
    "In 2008, the city council raised the toll on the harbour bridge twice.\n\n"
    "The council first proposed a harbour crossing in 2005 to ease ferry queues.\n\n"
    "A new ferry terminal was inaugurated on 31 December 2008 beside the old pier.\n\n"
    "The tram line reached the harbour in January 2009, linking the two districts.\n\n"
    "Engineers inspected the bridge cables in March 2006 and found no corrosion.\n"
)


def _service(tmp_path: Path, files: dict[str, str]) -> QAService:
    root = write_corpus(tmp_path / "corpus", files)
    return QAService.open(root, IndexOptions(), tmp_path / "cache")


def _dates(timeline: Timeline) -> list[str]:
    return [event.date for event in timeline.events]


@pytest.fixture
def history(tmp_path: Path) -> QAService:
    return _service(tmp_path, {"history.txt": HISTORY})


def test_events_are_chronological_with_coarse_before_fine(history: QAService) -> None:
    # Given dated sentences written out of order, "2008" and "June 2008" among them
    # When the whole timeline is asked for
    timeline = history.timeline()
    # Then they come by the start of their period, the year before its June
    assert _dates(timeline) == ["2005", "2006-03", "2008", "2008-06", "2008-12-31", "2009-01"]


def test_year_range_covers_whole_years(history: QAService) -> None:
    # Given events from 2005 to January 2009
    # When asking from 2006 to 2008
    timeline = history.timeline(start="2006", end="2008")
    # Then every event dated in 2006..2008, including 31 December 2008, is kept, nothing else
    assert _dates(timeline) == ["2006-03", "2008", "2008-06", "2008-12-31"]


def test_month_bound_covers_the_month(history: QAService) -> None:
    # Given events in 2008 at year, month and day precision
    # When asking for June 2008 only
    timeline = history.timeline(start="2008-06", end="2008-06")
    # Then the June event and the year that contains June overlap it, the June event first
    assert _dates(timeline) == ["2008-06", "2008"]


def test_limit_keeps_the_first_events(history: QAService) -> None:
    # Given six events
    # When asking for two
    timeline = history.timeline(limit=2)
    # Then the two earliest are returned
    assert _dates(timeline) == ["2005", "2006-03"]


def test_range_sentence_is_placed_at_its_start_and_keeps_its_end(tmp_path: Path) -> None:
    # Given a sentence about a span of years
    service = _service(
        tmp_path,
        {"a.txt": "Rainfall in the valley fell by a third between 2004 and 2013, farmers said.\n"},
    )
    # When asking for a period inside the span
    timeline = service.timeline(start="2010", end="2011")
    # Then the sentence is found, dated at its start with the range's end kept
    [event] = timeline.events
    assert (event.date, event.end_date) == ("2004", "2013")


def test_doc_filter_keeps_only_those_documents(tmp_path: Path) -> None:
    # Given two documents with different dated events
    service = _service(
        tmp_path,
        {
            "a.txt": "The orchard cooperative planted its first cherry trees in 1999.\n",
            "b.txt": "A hailstorm destroyed most greenhouse roofs in the valley in 2003.\n",
        },
    )
    # When asking for one document
    timeline = service.timeline(docs=["b"])
    # Then only its events appear
    assert [(e.doc_id, e.date) for e in timeline.events] == [("b", "2003")]


def test_topic_keeps_relevant_events_in_order(history: QAService) -> None:
    # Given events about a bridge, a ferry terminal, a tram and a crossing proposal
    # When asking about the toll
    timeline = history.timeline(topic="toll")
    # Then only the toll event is returned
    assert [e.text for e in timeline.events] == [
        "In 2008, the city council raised the toll on the harbour bridge twice."
    ]


def test_topic_keeps_chronological_order(history: QAService) -> None:
    # Given three events that mention the bridge, written out of order
    # When asking about the bridge
    timeline = history.timeline(topic="bridge")
    # Then exactly those events come back, in date order
    assert _dates(timeline) == ["2006-03", "2008", "2008-06"]


def test_topic_named_by_the_neighbouring_sentence_counts(tmp_path: Path) -> None:
    # Given an event that says "them" while the sentence before it names the sluice gates,
    # and an event in another document that never mentions them
    service = _service(
        tmp_path,
        {
            "dam.txt": (
                "The sluice gates of the river dam jammed during the great spring flood. "
                "In April 1987, engineers rebuilt them with stainless steel.\n"
            ),
            "mill.txt": "The paper mill beside the river closed its doors in 1992.\n",
            "town.txt": "The town hall gained a clock tower and a new bell in 1911.\n",
        },
    )
    # When asking about the sluice gates
    timeline = service.timeline(topic="sluice gates")
    # Then the rebuilding is on the timeline and the unrelated events are not
    assert [(e.doc_id, e.date) for e in timeline.events] == [("dam", "1987-04")]


def test_topic_that_matches_nothing_gives_an_empty_timeline(history: QAService) -> None:
    # Given a corpus about a harbour
    # When asking about something it never mentions
    timeline = history.timeline(topic="volcano")
    # Then the timeline is empty and keeps the topic for the "no events" line
    assert timeline.events == [] and timeline.topic == "volcano"


def test_topic_of_only_stop_words_is_rejected(history: QAService) -> None:
    # Given any corpus
    # When the topic has no searchable word
    # Then the error says so
    with pytest.raises(InvalidQuery, match="only common words"):
        history.timeline(topic="the of and")


@pytest.mark.parametrize("bad", ["2014/10", "yesterday", "2014-13", "14", "2014-02-30"])
def test_unparseable_date_names_the_accepted_forms(history: QAService, bad: str) -> None:
    # Given a date that is not YYYY, YYYY-MM or YYYY-MM-DD
    # When it is used as a bound
    # Then the error names the accepted forms
    with pytest.raises(InvalidQuery, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        history.timeline(start=bad)


def test_start_after_end_is_rejected(history: QAService) -> None:
    # Given a start later than the end
    # When asking for the timeline
    # Then a clear error is raised
    with pytest.raises(InvalidQuery, match="after the end"):
        history.timeline(start="2009", end="2008-06")


def test_same_event_in_two_documents_is_one_entry(tmp_path: Path) -> None:
    # Given two documents telling the same launch, one with the exact day
    service = _service(
        tmp_path,
        {
            "a.txt": (
                "The national space agency launched the Kestrel weather satellite "
                "from the northern spaceport in March 2011.\n"
            ),
            "b.txt": (
                "Kestrel, a weather satellite, was launched by the space agency "
                "on 14 March 2011.\n\n"
                "Separately, the agency hired forty engineers for its rocket plant in March 2011.\n"
            ),
        },
    )
    # When asking for the timeline
    timeline = service.timeline()
    # Then the launch is one entry quoting the precise sentence and listing both documents,
    # while the unrelated event of the same month stays separate
    launch = [e for e in timeline.events if "Kestrel" in e.text]
    assert [(e.date, e.doc_id, e.also_in) for e in launch] == [("2011-03-14", "b", ["a"])]
    assert len(timeline.events) == 2


def test_a_short_statement_told_by_two_documents_is_one_entry(tmp_path: Path) -> None:
    # Given the same two-word statement in two documents
    service = _service(
        tmp_path,
        {"a.txt": "The tower fell in 2001.\n", "b.txt": "The tower fell in 2001.\n"},
    )
    # When asking for the timeline
    [event] = service.timeline().events
    # Then it is one entry naming both documents
    assert (event.date, sorted([event.doc_id, *event.also_in])) == ("2001", ["a", "b"])


def test_doc_filter_on_a_merged_event_quotes_that_document(tmp_path: Path) -> None:
    # Given the same launch told by two documents
    service = _service(
        tmp_path,
        {
            "a.txt": "The space agency launched the Kestrel weather satellite in March 2011.\n",
            "b.txt": "Kestrel, a weather satellite, was launched by the agency on 14 March 2011.\n",
        },
    )
    # When asking for the less precise document only
    timeline = service.timeline(docs=["a"])
    # Then its own sentence is quoted, with no other document listed
    [event] = timeline.events
    assert (event.doc_id, event.date, event.also_in) == ("a", "2011-03", [])


def test_dates_outside_body_text_are_not_events(tmp_path: Path) -> None:
    # Given a page with a publication stamp, a comment counter, an in-text citation
    # and a reference list
    page = (
        "Released at: 12:46, 13/07/2015\n\n"
        "Fishing quotas\n\n"
        "The ministry cut the cod quota by a fifth in 2012 (Larsen & Berg, 2014).\n\n"
        "Leave a Reply\n\n"
        "References\n\n"
        "Larsen, K. & Berg, P. (2014, May 3). Cod stocks in the north. Retrieved from\n\n"
        "Holm, T. (2010). Quotas and coastal towns. Fisheries Review, 12(2), 4-9.\n"
    )
    service = _service(tmp_path, {"page.txt": page})
    # When asking for the timeline
    timeline = service.timeline()
    # Then only the body sentence's own date is an event
    assert _dates(timeline) == ["2012"]


def test_relative_dates_are_resolved_against_the_narrative(tmp_path: Path) -> None:
    # Given a narrative with "three years later" and "four months later"
    story = (
        "The museum closed for renovation in March 2000 after a roof collapse.\n\n"
        "Three years later, the museum reopened with a new glass wing.\n\n"
        "Its director resigned in June 2008 over the budget.\n\n"
        "Four months later, the board appointed a new director from abroad.\n"
    )
    service = _service(tmp_path, {"museum.txt": story})
    # When asking for the timeline
    timeline = service.timeline()
    # Then the relative sentences are placed where the narrative puts them
    assert _dates(timeline) == ["2000-03", "2003", "2008-06", "2008-10"]


def test_dates_that_cannot_be_placed_are_skipped(tmp_path: Path) -> None:
    # Given sentences with only vague or unanchored times and durations
    text = (
        "The library is now open every weekday for students.\n\n"
        "Recently, volunteers repaired many of the oldest books.\n\n"
        "The restoration took three years of careful work.\n\n"
        "The library moved to the old customs house in 1921.\n"
    )
    service = _service(tmp_path, {"library.txt": text})
    # When asking for the timeline
    timeline = service.timeline()
    # Then only the sentence with a calendar date is an event
    assert _dates(timeline) == ["1921"]


def test_every_event_quotes_its_source_verbatim(seeds_service: QAService) -> None:
    # Given the bundled seeds
    # When building their whole timeline
    timeline = seeds_service.timeline()
    # Then every quote is the document text at its offsets
    assert timeline.events
    for event in timeline.events:
        original = Path(seeds_service.status().corpus, event.source).read_text(encoding="utf-8")
        assert collapse_whitespace(original[event.start : event.end]) == event.text


def test_seeds_embargo_timeline_has_partial_then_full_lift(seeds_service: QAService) -> None:
    # Given the bundled seeds
    # When asking for the timeline of the embargo
    timeline = seeds_service.timeline(topic="embargo")
    # Then the 2014 partial lift comes before the 2016 full lift, each with its documents
    partial = next(e for e in timeline.events if "partially lifted" in e.text)
    full = next(e for e in timeline.events if e.date.startswith("2016"))
    assert partial.date.startswith("2014-10") and full.date == "2016-05-23"
    assert timeline.events.index(partial) < timeline.events.index(full)
    assert partial.doc_id == full.doc_id == "002_d6c62ff19fc9144c"
    assert set(partial.also_in) == {"001_1f37cc2d15cd2da9", "003_5eaa0ee74c7c21fd"}


def test_seeds_period_filter_keeps_only_those_years(seeds_service: QAService) -> None:
    # Given the bundled seeds
    # When asking for 2006 to 2008
    timeline = seeds_service.timeline(start="2006", end="2008")
    # Then the events dated inside those years come first, in order, and the few whose
    # period only reaches into them (a range from 2004 to 2013) after them
    inside = [e.date for e in timeline.events if e.end_date is None]
    assert inside and all("2006" <= date[:4] <= "2008" for date in inside)
    assert inside == sorted(inside, key=lambda date: date[:4])
    assert [e.end_date is not None for e in timeline.events] == sorted(
        e.end_date is not None for e in timeline.events
    )


def _at(timeline: Timeline, fragment: str) -> list[str]:
    """The dates at which a sentence holding ``fragment`` is on the timeline."""
    return [e.date for e in timeline.events if fragment in e.text]


def test_seeds_multi_date_sentences_are_on_the_timeline_at_every_date(
    seeds_service: QAService,
) -> None:
    # Given the seeds' sentences that state several dates or a span
    # When building the whole timeline
    timeline = seeds_service.timeline()
    # Then each is an event at every date it states, a span as one event
    assert _at(timeline, "which went into force in December 2001") == ["2000-07", "2001-12"]
    assert _at(timeline, "anti-China protests in 2007 and 2011") == ["2007", "2011"]
    spans = [(e.date, e.end_date) for e in timeline.events if "between 2004 and 2013" in e.text]
    assert spans == [("2000", "2015"), ("2004", "2013")]


def test_each_date_of_a_sentence_highlights_its_own_clause(tmp_path: Path) -> None:
    # Given a sentence with a signing and a later entry into force
    text = "The two ports signed a ferry treaty in May 1990, which took effect in April 1992.\n"
    service = _service(tmp_path, {"a.txt": text})
    # When asking for the timeline
    events = service.timeline().events
    # Then the highlights split the sentence at the clause boundary
    clauses = [e.text[slice(*e.highlight)] for e in events]
    assert clauses == [
        "The two ports signed a ferry treaty in May 1990",
        "which took effect in April 1992",
    ]
    assert [e.when for e in events] == ["May 1990", "April 1992"]


def test_a_range_is_found_by_any_year_inside_it(tmp_path: Path) -> None:
    # Given a sentence about a span of years
    service = _service(
        tmp_path, {"a.txt": "The war lasted from 1965 to 1973 and split the valley.\n"}
    )
    # When asking for a year inside the span
    [event] = service.timeline(start="1970", end="1970").events
    # Then the span is found, shown as a range
    assert (event.date, event.end_date, event.when) == ("1965", "1973", "1965 to 1973")


def test_coarse_periods_never_crowd_out_dated_events_in_a_narrow_range(tmp_path: Path) -> None:
    # Given a century, a decade and dated events inside one year
    text = (
        "Mass tourism reshaped the coast of the island in the 20th century.\n\n"
        "Fishing villages emptied during the 1960s as young people left.\n\n"
        "The island airport opened to charter flights in July 1969.\n\n"
        "The first hotel on the northern beach was built in 1969.\n"
    )
    service = _service(tmp_path, {"coast.txt": text})
    # When asking for 1969 with room for two events
    timeline = service.timeline(start="1969", end="1969", limit=2)
    # Then the two events of 1969 are shown, not the century and the decade
    assert _dates(timeline) == ["1969", "1969-07"]
    # And the coarse periods follow them when there is room
    assert _dates(service.timeline(start="1969", end="1969")) == ["1969", "1969-07", "19", "196X"]


def test_timelines_built_from_records_match_those_built_from_the_corpus(
    seeds_service: QAService,
) -> None:
    # Given the seeds' events computed once, as the index cache would keep them
    loaded = load_corpus(SEEDS, IndexOptions(), Path(os.environ["QUOTEBOT_CACHE_DIR"]))
    records = corpus_events(loaded.corpus)
    # When one timeline is given the records and another builds its own
    given = Timelines(LocalBackend(loaded.corpus, loaded.index), records)
    built = Timelines(LocalBackend(loaded.corpus, loaded.index))
    # Then they answer every query alike
    for query in (dict(topic=None), dict(topic="embargo"), dict(topic="trade", start="2000")):
        arguments = {"start": None, "end": None, "docs": [], "limit": None, **query}
        assert given.timeline(**arguments) == built.timeline(**arguments)


def test_records_that_do_not_fit_the_corpus_are_skipped(seeds_service: QAService) -> None:
    # Given the seeds' records and some that point nowhere (a stale or tampered cache)
    loaded = load_corpus(SEEDS, IndexOptions(), Path(os.environ["QUOTEBOT_CACHE_DIR"]))
    records = corpus_events(loaded.corpus)
    broken = [
        dataclasses.replace(records[0], doc_id="no-such-document"),
        dataclasses.replace(records[0], sentence=10**6),
        dataclasses.replace(records[0], highlight_end=10**6),
        dataclasses.replace(records[0], first_day=records[0].last_day + 1),
    ]
    # When a timeline is built from them all
    timeline = Timelines(LocalBackend(loaded.corpus, loaded.index), [*broken, *records])
    # Then it shows what the good records show
    everything = {"topic": None, "start": None, "end": None, "docs": [], "limit": None}
    expected = Timelines(LocalBackend(loaded.corpus, loaded.index), records).timeline(**everything)
    assert timeline.timeline(**everything) == expected


def test_years_before_christ_sort_before_later_ones(tmp_path: Path) -> None:
    # Given events from 753 BC to AD 122, written out of order
    text = (
        "Hadrian's engineers began the great wall in the north in 122 AD.\n\n"
        "Julius Caesar was murdered in the senate house in 44 BC.\n\n"
        "Legend says the twins founded the city on the hills in 753 BC.\n\n"
        "Augustus died in AD 14 in the south of the peninsula.\n\n"
        "Greek traders settled along the southern coast in the 2nd century BCE.\n"
    )
    service = _service(tmp_path, {"rome.txt": text})
    # When asking for the timeline
    timeline = service.timeline()
    # Then BC comes first, oldest first, and each period reads with its era
    assert [e.when for e in timeline.events] == [
        "753 BC",
        "2nd century BC",
        "44 BC",
        "AD 14",
        "AD 122",
    ]
    assert [e.when for e in service.timeline(start="BC0099", end="0050").events] == [
        "44 BC",
        "AD 14",
    ]


def test_an_event_dated_by_its_heading_shows_the_section_that_dates_it(tmp_path: Path) -> None:
    # Given a changelog whose release heading states the date, and a dated prose sentence
    changes = (
        "# Changes\n\n## 2.1.0 (2016-04-29)\n\n- Harbour berths can be booked online now.\n\n"
        "## Notes\n\nThe harbour office moved to the old pier in March 2015.\n"
    )
    service = _service(tmp_path, {"changes.md": changes})
    # When the timeline is built
    events = service.timeline().events
    # Then the item is an event at its heading's date and says where that date comes from,
    # while the sentence that states its own date names only its document
    assert [(e.date, e.date_in_text, e.location) for e in events] == [
        ("2015-03", True, "changes"),
        ("2016-04-29", False, "changes § Changes > 2.1.0 (2016-04-29)"),
    ]
