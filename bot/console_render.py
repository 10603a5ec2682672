"""Rich renderables for the console in a terminal: quotes beside their sources, in colour.

Piped output uses ``bot.text_render`` instead, so nothing here has to think about ANSI codes
leaking into files.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from bot.text_render import NO_ANSWER, code_excerpt
from bot.wording import counted
from retrieval.results import Answer, DocumentInfo, Event, Quote, Timeline

DOC_ID = "bold cyan"
TITLE = "dim"
DATE = "bold green"
HIGHLIGHT = "bold"
CODE = "green"
SOURCE_WIDTH = 30


def _source(doc_id: str, title: str, also_in: Sequence[str] = ()) -> Text:
    text = Text.assemble((doc_id, DOC_ID), "\n", (title, TITLE))
    if also_in:
        text.append(f"\nalso in {', '.join(also_in)}", style=TITLE)
    return text


def _quote_row(number: int, quote: Quote) -> tuple[Text, Text, Text]:
    body = Text(f"“{quote.text}”")
    if quote.code:
        body.append("\n" + code_excerpt(quote.code), style=CODE)
    return (
        Text(f"{number}.", style="bold"),
        body,
        _source(quote.location, quote.title, quote.also_in),
    )


def render_answer(answer: Answer, width: int) -> RenderableType:
    """Each quote on its own row with its document ID and title beside it."""
    if answer.abstained:
        return _abstention(answer)
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    table.add_column(width=min(SOURCE_WIDTH, max(width // 3, 12)), overflow="fold")
    for number, quote in enumerate(answer.quotes, 1):
        if number > 1:
            table.add_row("", "", "")
        table.add_row(*_quote_row(number, quote))
    return table


def _abstention(answer: Answer) -> RenderableType:
    lines = [Text(NO_ANSWER, style="bold yellow")]
    if answer.nearest:
        lines.append(Text("Nearest sources (they do not answer it):", style=TITLE))
        lines.extend(
            Text.assemble("  ", (near.doc_id, DOC_ID), "  ", near.title) for near in answer.nearest
        )
    return Group(*lines)


def _event_rows(event: Event) -> tuple[Text, Text]:
    """The period as people write it; the sentence with the clause of this date in bold."""
    start, end = event.highlight
    sentence = Text.assemble(event.text[:start], (event.text[start:end], HIGHLIGHT))
    sentence.append(event.text[end:])
    if (start, end) == (0, len(event.text)):
        sentence = Text(event.text)
    docs = Text(", ".join([event.location, *event.also_in]), style=DOC_ID)
    return Text(event.when, style=DATE), Text.assemble(sentence, "\n", docs)


def render_timeline(timeline: Timeline) -> RenderableType:
    """Date, sentence and the documents that tell it, oldest first."""
    if not timeline.events:
        about = f" about {timeline.topic!r}" if timeline.topic else ""
        return Text(f"No dated events{about} in the sources.", style="yellow")
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for number, event in enumerate(timeline.events):
        if number:
            table.add_row("", "")
        table.add_row(*_event_rows(event))
    return table


def _published(info: DocumentInfo) -> str:
    return info.published.isoformat() if info.published else "undated"


def render_documents(documents: Sequence[DocumentInfo]) -> RenderableType:
    """One row per document: the ID to type, its title, date and size."""
    table = Table(title=counted(len(documents), "document"), title_justify="left", expand=True)
    table.add_column("ID", style=DOC_ID, no_wrap=True)
    table.add_column("title", ratio=1)
    table.add_column("date", style=DATE, no_wrap=True)
    table.add_column("sentences", justify="right")
    table.add_column("chunks", justify="right")
    for info in documents:
        table.add_row(
            info.doc_id, info.title, _published(info), str(info.sentences), str(info.chunks)
        )
    return table


def render_document(info: DocumentInfo) -> RenderableType:
    """A document's details, then its opening sentences."""
    lines = [
        Text.assemble((info.doc_id, DOC_ID), "  ", (info.title, "bold")),
        Text(
            f"{_published(info)} · {counted(info.characters, 'character')} · {info.source}", TITLE
        ),
    ]
    if info.url:
        lines.append(Text(info.url, style="underline"))
    if info.author:
        lines.append(Text(f"by {info.author}", style=TITLE))
    return Group(*lines, Text(""), Text(info.opening))
