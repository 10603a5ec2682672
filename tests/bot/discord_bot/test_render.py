"""Rendering results as embeds: content, escaping, and every Discord limit."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.discord_bot import limits, render
from retrieval.results import Answer, DocumentInfo, Event, NearbySource, Quote, Timeline
from tests.fakes.payloads import choice_violations, message_violations
from tests.fakes.service import BRIDGE, DOCUMENTS, PING_QUOTE, events


def quote(text: str, doc_id: str = BRIDGE, title: str = "A title", url: str | None = None) -> Quote:
    return Quote(
        text=text, doc_id=doc_id, title=title, source="x.txt", start=0, end=1, score=1.0, url=url
    )


def message(*embeds: object) -> dict[str, object]:
    return {"embeds": [embed.to_dict() for embed in embeds]}  # type: ignore[attr-defined]


def test_shorten_cuts_at_a_word_and_ends_in_an_ellipsis() -> None:
    assert render.shorten("the quick brown fox jumps", 14) == "the quick…"


def test_shorten_keeps_short_text_whole() -> None:
    assert render.shorten("short", 5) == "short"


def test_shorten_never_leaves_a_dangling_escape() -> None:
    assert render.shorten(r"aaaaaaaaa\*bbbbbbb", 11) == "aaaaaaaaa…"


def test_each_quote_is_a_block_quote_under_its_doc_id_and_title() -> None:
    answer = Answer(
        question="when?",
        abstained=False,
        confidence=1,
        quotes=[quote("It opened in 1932.", url="https://example.org/a")],
    )

    field = render.answer_embed(answer).fields[0]

    assert field.name == f"1. {BRIDGE} · A title"
    assert field.value == "> It opened in 1932.\n[source](https://example.org/a)"


def test_the_footer_says_answers_are_verbatim() -> None:
    answer = Answer(question="q", abstained=False, confidence=1, quotes=[quote("x")])

    assert render.answer_embed(answer).footer.text == render.VERBATIM_FOOTER


def test_markdown_in_quotes_is_escaped_and_mentions_are_left_to_allowed_mentions() -> None:
    answer = Answer(question="q", abstained=False, confidence=1, quotes=[quote(PING_QUOTE)])

    value = render.answer_embed(answer).fields[0].value or ""

    assert r"\*bridge\*" in value
    assert "@everyone" in value


def test_an_abstention_says_so_and_labels_the_nearest_documents() -> None:
    nearest = [NearbySource(doc_id=BRIDGE, title="Bridge", source="x", score=0.1)]
    answer = Answer(question="q", abstained=True, confidence=0.1, nearest=nearest)

    embed = render.answer_embed(answer)

    assert embed.description is not None
    assert embed.description.startswith(render.NO_ANSWER)
    assert render.NEAREST_HEADING in embed.description
    assert f"`{BRIDGE}` · Bridge" in embed.description
    assert not embed.fields


def test_a_long_timeline_is_paged_with_page_numbers() -> None:
    pages = render.timeline_pages(Timeline(topic="bridge", events=events(25)))

    assert len(pages) == 3
    assert pages[0].title == "Timeline: bridge"
    assert pages[2].footer.text is not None
    assert pages[2].footer.text.startswith("Page 3/3 · 25 events")


def test_an_empty_timeline_is_one_page_saying_so() -> None:
    pages = render.timeline_pages(Timeline())

    assert [page.description for page in pages] == [render.NO_EVENTS]


def test_sources_list_ids_titles_dates_and_sizes() -> None:
    (page,) = render.sources_pages(DOCUMENTS)

    assert page.description is not None
    assert f"`{BRIDGE}` · The harbour bridge: a history\n2004-05-01 · 12,345 characters" in (
        page.description
    )
    assert r"Letters to the editor \*and\* replies" in page.description


def test_a_source_shows_its_metadata_and_opening() -> None:
    embed = render.source_embed(DOCUMENTS[0])

    assert embed.url == "https://example.org/bridge"
    assert embed.description == "> The harbour bridge opened in 1932 after eight years of work."
    assert [field.name for field in embed.fields] == ["ID", "Published", "Author", "Size"]


def test_autocomplete_matches_ids_and_titles() -> None:
    choices = render.document_choices(DOCUMENTS, "COUNCIL")

    assert [choice.value for choice in choices] == ["001_3333cccc4444dddd"]


def test_autocomplete_offers_at_most_25_short_choices() -> None:
    many = [
        DOCUMENTS[0].model_copy(update={"doc_id": f"doc{index}", "title": "t " * 200})
        for index in range(40)
    ]

    choices = render.document_choices(many, "")

    assert not choice_violations([{"name": c.name, "value": c.value} for c in choices])
    assert len(choices) == limits.AUTOCOMPLETE_CHOICES


# Text with Markdown, mentions, long words and astral characters.
text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=3000
) | st.sampled_from(["@everyone <@123> **bold** _x_ `code` > quote\n# head", "word " * 900])
doc_ids = st.text(alphabet="abcdef0123456789_-", min_size=1, max_size=120)
urls = st.none() | st.text(alphabet="abc/:.", min_size=1, max_size=3000).map(
    lambda s: "https://" + s
)


@st.composite
def quotes(draw: st.DrawFn) -> Quote:
    return Quote(
        text=draw(text),
        doc_id=draw(doc_ids),
        title=draw(text),
        source="s",
        start=0,
        end=1,
        score=1.0,
        url=draw(urls),
        also_in=draw(st.lists(doc_ids, max_size=40)),
    )


@st.composite
def timeline_events(draw: st.DrawFn) -> Event:
    sentence = draw(text)
    return Event(
        date=draw(st.text(min_size=4, max_size=40)),
        granularity="day",
        text=sentence,
        highlight_start=draw(st.integers(0, len(sentence))),
        highlight_end=draw(st.integers(0, len(sentence))),
        doc_id=draw(doc_ids),
        title=draw(text),
        source="s",
        start=0,
        end=1,
        end_date=draw(st.none() | st.text(max_size=40)),
        also_in=draw(st.lists(doc_ids, max_size=5)),
    )


@settings(max_examples=60, deadline=None)
@given(question=text, found=st.lists(quotes(), min_size=1, max_size=30))
def test_any_answer_fits_every_limit(question: str, found: list[Quote]) -> None:
    answer = Answer(question=question, abstained=False, confidence=1, quotes=found)

    embed = render.answer_embed(answer)

    assert not message_violations(message(embed))
    for field, given_quote in zip(embed.fields, found, strict=False):
        assert given_quote.doc_id[:40] in (field.name or "")


@settings(max_examples=40, deadline=None)
@given(question=text, titles=st.lists(st.tuples(doc_ids, text), max_size=20))
def test_any_abstention_fits_every_limit(question: str, titles: list[tuple[str, str]]) -> None:
    nearest = [NearbySource(doc_id=d, title=t, source="s", score=0) for d, t in titles]
    answer = Answer(question=question, abstained=True, confidence=0, nearest=nearest)

    assert not message_violations(message(render.answer_embed(answer)))


@settings(max_examples=25, deadline=None)
@given(
    topic=st.none() | text,
    found=st.lists(timeline_events(), max_size=120),
    start=st.none() | st.text(max_size=30),
)
def test_any_timeline_pages_fit_every_limit(
    topic: str | None, found: list[Event], start: str | None
) -> None:
    pages = render.timeline_pages(Timeline(topic=topic, start=start, events=found))

    for page in pages:
        assert not message_violations(message(page))
    assert sum((page.description or "").count("\n> ") for page in pages) == len(found)


@settings(max_examples=30, deadline=None)
@given(
    documents=st.lists(
        st.builds(
            DocumentInfo,
            doc_id=doc_ids,
            title=text,
            source=st.just("s"),
            url=urls,
            published=st.none() | st.dates(min_value=dt.date(1, 1, 1)),
            author=st.none() | text,
            characters=st.integers(0, 10**12),
            sentences=st.integers(0, 10**9),
            chunks=st.integers(0, 10**9),
            opening=text,
        ),
        max_size=60,
    )
)
def test_any_document_list_and_document_fits_every_limit(documents: list[DocumentInfo]) -> None:
    for page in render.sources_pages(documents):
        assert not message_violations(message(page))
    for document in documents:
        assert not message_violations(message(render.source_embed(document)))
    choices = render.document_choices(documents, "")
    assert not choice_violations([{"name": c.name, "value": c.value} for c in choices])
