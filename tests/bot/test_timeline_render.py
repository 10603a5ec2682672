"""Timeline entries in every adapter: periods as people write them, the date's clause marked."""

from __future__ import annotations

from rich.console import Console

from bot import console_render, text_render
from bot.discord_bot import render
from retrieval.results import Event, Timeline

SENTENCE = "The ports signed a ferry treaty in May 1990, which took effect in April 1992."
CLAUSE = "which took effect in April 1992"


def _event(start: int = 0, end: int | None = None, date: str = "1992-04") -> Event:
    return Event(
        date=date,
        granularity="month",
        text=SENTENCE,
        doc_id="ports",
        title="Ports",
        source="ports.txt",
        start=0,
        end=len(SENTENCE),
        highlight_start=start,
        highlight_end=end,
    )


def _clause_event() -> Event:
    start = SENTENCE.index(CLAUSE)
    return _event(start, start + len(CLAUSE))


def test_plain_text_shows_the_period_readably_and_marks_the_clause() -> None:
    # Given an event whose date goes with the second clause of its sentence
    # When it is rendered as plain text
    shown = text_render.render_timeline(Timeline(events=[_clause_event()]), width=200)
    # Then the month reads as words and the clause is between asterisks
    assert shown.startswith("April 1992  [ports]")
    assert f"*{CLAUSE}*" in shown


def test_plain_text_leaves_a_wholly_highlighted_sentence_unmarked() -> None:
    # Given an event whose whole sentence goes with its date
    # When it is rendered as plain text
    shown = text_render.render_timeline(Timeline(events=[_event()]), width=200)
    # Then the sentence is quoted as it is
    assert SENTENCE in shown and "*" not in shown


def test_a_range_reads_from_start_to_end() -> None:
    # Given an event over a span of years
    event = _event(date="1965").model_copy(update={"end_date": "1973"})
    # When it is rendered
    # Then the period reads as a range in plain text and on Discord
    assert text_render.render_timeline(Timeline(events=[event])).startswith("1965 to 1973")
    assert "**1965 to 1973**" in render.timeline_pages(Timeline(events=[event]))[0].description


def test_the_console_shows_the_clause_in_bold() -> None:
    # Given an event whose date goes with the second clause
    # When it is rendered for a terminal
    console = Console(record=True, width=200, color_system="standard", force_terminal=True)
    console.print(console_render.render_timeline(Timeline(events=[_clause_event()])))
    shown = console.export_text(styles=True)
    # Then the month reads as words and the clause is bold
    assert "April 1992" in shown
    assert f"\x1b[1m{CLAUSE}" in shown


def test_discord_shows_the_clause_in_bold_and_escapes_the_rest() -> None:
    # Given an event whose sentence holds Markdown, with its date's clause
    sentence = "The *ports* signed a treaty in May 1990, which took effect in April 1992."
    start = sentence.index(CLAUSE)
    event = _event(start, start + len(CLAUSE)).model_copy(update={"text": sentence})
    # When it is rendered as an embed
    [page] = render.timeline_pages(Timeline(events=[event]))
    # Then the clause is bold and the source's own Markdown is inert
    assert f"**{CLAUSE}**" in page.description
    assert r"\*ports\*" in page.description


def test_every_adapter_shows_the_section_that_dates_an_event_its_sentence_leaves_undated() -> None:
    # Given an item of a changelog, dated by its release heading
    event = _event(date="2016-04-29").model_copy(
        update={"section": "Changes > 2.1.0 (2016-04-29)", "date_in_text": False}
    )
    timeline = Timeline(events=[event])
    # When it is rendered as plain text, for a terminal and as an embed
    console = Console(record=True, width=200)
    console.print(console_render.render_timeline(timeline))
    shown = [
        text_render.render_timeline(timeline, width=200),
        console.export_text(),
        render.timeline_pages(timeline)[0].description or "",
    ]
    # Then each names the document and the heading the date comes from
    assert all("ports § Changes > 2.1.0 (2016-04-29)" in text for text in shown)
