"""Result objects as Discord embeds, always within Discord's limits.

Source text is arbitrary: a quote can be a thousand characters, a title can be a paragraph,
and a timeline can hold hundreds of events. Every piece is escaped (so source text cannot
format, link or ping) and sized against ``limits`` before it goes into an embed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import discord
from discord import app_commands

from bot.commands import HELP_TEXT
from bot.discord_bot import limits
from bot.text_render import CODE_CUT, code_excerpt
from bot.wording import counted
from retrieval.results import Answer, DocumentInfo, Event, Quote, Timeline

ELLIPSIS = "…"
VERBATIM_FOOTER = "Answers are quoted verbatim from the sources."
NO_ANSWER = "The sources don't answer this."
NEAREST_HEADING = "Nearest documents (they do not answer it):"
NO_EVENTS = "No dated events match."
ANSWER_COLOUR = discord.Colour.blurple()
ABSTAIN_COLOUR = discord.Colour.light_grey()
ITEMS_PER_PAGE = 10
EVENT_TEXT = 600
OPENING_TEXT = 1500
NEAREST_SHOWN = 10
PAGE_FOOTER = 500
# Room kept free in every embed for the title, footer and separators.
_RESERVED = limits.EMBED_TITLE + 2 * 200


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, ending in an ellipsis."""
    if len(text) <= limit:
        return text
    if limit < 2:
        return ELLIPSIS[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    # A cut right after an escaping backslash would escape the ellipsis instead.
    return cut.rstrip(" \\") + ELLIPSIS


def plain(text: str) -> str:
    """Source text made inert: one line, Markdown escaped."""
    return discord.utils.escape_markdown(" ".join(text.split()))


def code(doc_id: str) -> str:
    """A document ID shown as inline code, so it reads as an identifier."""
    return f"`{doc_id}`" if "`" not in doc_id else plain(doc_id)


def block_quote(text: str, limit: int) -> str:
    """Source text as a Markdown block quote of at most ``limit`` characters."""
    return "> " + shorten(plain(text), limit - 2)


def code_block(code: str, limit: int) -> str:
    """The code after a quote as a fenced block of at most ``limit`` characters, whole lines
    only ("" when not even one fits); a fence inside it is broken so it cannot close the block."""
    lines = code_excerpt(code).replace("```", "`\u200b``").splitlines()
    while lines and lines != [CODE_CUT]:
        block = "```\n" + "\n".join(lines) + "\n```"
        if len(block) <= limit:
            return block
        lines = [*lines[:-2], CODE_CUT]
    return ""


def labelled(prefix: str, rest: str, limit: int) -> str:
    """``prefix`` + ``rest`` in ``limit`` characters, cutting ``rest`` first.

    Used wherever a document ID leads a line, so the ID stays visible.
    """
    head = shorten(prefix, limit)
    return head + shorten(rest, limit - len(head))


def answer_embed(answer: Answer) -> discord.Embed:
    """The quotes that answer a question, or a clear abstention with the nearest documents."""
    if answer.abstained or not answer.quotes:
        return _abstention_embed(answer)
    embed = discord.Embed(title=shorten(plain(answer.question), limits.EMBED_TITLE))
    embed.colour = ANSWER_COLOUR
    quotes = answer.quotes[: limits.EMBED_FIELDS]
    share = (limits.EMBED_TOTAL - _RESERVED) // len(quotes)
    name_limit = min(limits.FIELD_NAME, share // 3)
    value_limit = min(limits.FIELD_VALUE, share - name_limit)
    for number, quote in enumerate(quotes, start=1):
        name = labelled(f"{number}. {quote.location}", f" · {plain(quote.title)}", name_limit)
        embed.add_field(name=name, value=_quote_value(quote, value_limit), inline=False)
    embed.set_footer(text=VERBATIM_FOOTER)
    return embed


def _quote_value(quote: Quote, limit: int) -> str:
    """The quote itself, the code block after it and its link and other documents, each
    when it fits."""
    extras = []
    if quote.url and len(quote.url) + 12 <= limit // 3:
        extras.append(f"[source]({quote.url})")
    if quote.also_in:
        extras.append(shorten("Also in: " + ", ".join(quote.also_in), limit // 3))
    tail = "\n".join(extras)
    body_limit = limit - (len(tail) + 1 if tail else 0)
    body = block_quote(quote.text, body_limit)
    if quote.code:
        example = code_block(quote.code, body_limit - len(body) - 1)
        body += f"\n{example}" if example else ""
    return f"{body}\n{tail}" if tail else body


def _abstention_embed(answer: Answer) -> discord.Embed:
    embed = discord.Embed(title=shorten(plain(answer.question), limits.EMBED_TITLE))
    embed.colour = ABSTAIN_COLOUR
    lines = [NO_ANSWER]
    if answer.nearest:
        lines += ["", NEAREST_HEADING]
        line_limit = (limits.EMBED_DESCRIPTION - 200) // NEAREST_SHOWN
        for source in answer.nearest[:NEAREST_SHOWN]:
            lines.append(
                labelled(f"• {code(source.doc_id)}", f" · {plain(source.title)}", line_limit)
            )
    embed.description = "\n".join(lines)
    embed.set_footer(text=VERBATIM_FOOTER)
    return embed


def timeline_pages(timeline: Timeline) -> list[discord.Embed]:
    """One embed per page of events, each page within every limit."""
    title = "Timeline" + (f": {plain(timeline.topic)}" if timeline.topic else "")
    entries = [_event_entry(event) for event in timeline.events]
    return _pages(
        shorten(title, limits.EMBED_TITLE), entries, NO_EVENTS, _timeline_footer(timeline)
    )


def _event_entry(event: Event) -> str:
    others = f" (also in {counted(len(event.also_in), 'more document')})" if event.also_in else ""
    head = labelled(f"**{plain(event.when)}** · {code(event.location)}", others, 300)
    return f"{head}\n{_highlighted_quote(event, EVENT_TEXT)}"


def _highlighted_quote(event: Event, limit: int) -> str:
    """The sentence as a block quote with the clause of this date in bold; the clause is
    kept whole first, the words around it are cut when the limit needs it.
    """
    start, end = event.highlight
    if (start, end) == (0, len(event.text)) or start == end:
        return block_quote(event.text, limit)
    clause = shorten(plain(event.text[start:end]), limit - 6)
    room = limit - 6 - len(clause)
    after = shorten(plain(event.text[end:]), room)
    before = _tail(plain(event.text[:start]), room - len(after))
    gap_before = " " if before and event.text[start - 1].isspace() else ""
    gap_after = " " if after and event.text[end].isspace() else ""
    return f"> {before}{gap_before}**{clause}**{gap_after}{after}"


def _tail(text: str, limit: int) -> str:
    """The end of ``text`` in ``limit`` characters, starting at a word after an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[len(text) - limit + len(ELLIPSIS) :] if limit > len(ELLIPSIS) else ""
    space = cut.find(" ")
    return ELLIPSIS + cut[space + 1 :] if space >= 0 else ""


def _timeline_footer(timeline: Timeline) -> Callable[[int, int], str]:
    count = len(timeline.events)
    bounds = " ".join(
        part
        for part in (
            f"from {timeline.start}" if timeline.start else "",
            f"to {timeline.end}" if timeline.end else "",
        )
        if part
    )

    def footer(page: int, pages: int) -> str:
        parts = [f"Page {page}/{pages}", counted(count, "event"), bounds, VERBATIM_FOOTER]
        return shorten(" · ".join(part for part in parts if part), PAGE_FOOTER)

    return footer


def sources_pages(documents: Sequence[DocumentInfo], updated: str = "") -> list[discord.Embed]:
    """The document list, paged; ``updated`` says when the index last changed."""
    entries = [_document_entry(document) for document in documents]
    when = f" · index updated {plain(updated)}" if updated else ""

    def footer(page: int, pages: int) -> str:
        return f"Page {page}/{pages} · {counted(len(documents), 'document')}{when}"

    return _pages("Sources", entries, "There are no documents.", footer)


def _document_entry(document: DocumentInfo) -> str:
    head = labelled(code(document.doc_id), f" · {plain(document.title)}", 300)
    published = document.published.isoformat() if document.published else "undated"
    return f"{head}\n{published} · {_size(document)}"


def _size(document: DocumentInfo) -> str:
    return ", ".join(
        (
            counted(document.characters, "character"),
            counted(document.sentences, "sentence"),
            counted(document.chunks, "chunk"),
        )
    )


def _pages(
    title: str, entries: Sequence[str], empty: str, footer: Callable[[int, int], str]
) -> list[discord.Embed]:
    """Pack entries into description-sized pages; every entry must already fit one page."""
    budget = limits.EMBED_DESCRIPTION - 96
    groups: list[list[str]] = [[]]
    used = 0
    for entry in entries:
        group = groups[-1]
        if group and (len(group) >= ITEMS_PER_PAGE or used + len(entry) + 2 > budget):
            groups.append([])
            used = 0
        groups[-1].append(entry)
        used += len(entry) + 2
    pages = []
    for number, group in enumerate(groups, start=1):
        embed = discord.Embed(title=title, description="\n\n".join(group) or empty)
        embed.set_footer(text=footer(number, len(groups)))
        pages.append(embed)
    return pages


def source_embed(document: DocumentInfo) -> discord.Embed:
    """One document's metadata and its opening lines."""
    embed = discord.Embed(title=shorten(plain(document.title), limits.EMBED_TITLE))
    if document.url and len(document.url) <= limits.FOOTER:
        embed.url = document.url
    if document.opening:
        embed.description = block_quote(document.opening, OPENING_TEXT)
    embed.add_field(name="ID", value=shorten(code(document.doc_id), limits.FIELD_VALUE))
    published = document.published.isoformat() if document.published else "undated"
    embed.add_field(name="Published", value=published)
    if document.author:
        embed.add_field(name="Author", value=shorten(plain(document.author), limits.FIELD_VALUE))
    embed.add_field(name="Size", value=_size(document), inline=False)
    embed.set_footer(text="The opening lines are quoted verbatim from the source.")
    return embed


def help_embed() -> discord.Embed:
    """What the bot does and how to ask it."""
    embed = discord.Embed(title="quotebot", description=shorten(HELP_TEXT, 4000))
    embed.set_footer(text=VERBATIM_FOOTER)
    return embed


def error_line(message: str) -> str:
    """An error message as one message-sized line."""
    return shorten(" ".join(message.split()), limits.CONTENT)


def document_choices(
    documents: Sequence[DocumentInfo], current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete choices for documents whose ID or title contains what was typed."""
    wanted = current.strip().casefold()
    choices = []
    for document in documents:
        if len(document.doc_id) > limits.CHOICE_VALUE:
            continue
        label = f"{document.doc_id} · {' '.join(document.title.split())}"
        if wanted and wanted not in label.casefold():
            continue
        choices.append(
            app_commands.Choice(name=shorten(label, limits.CHOICE_NAME), value=document.doc_id)
        )
        if len(choices) == limits.AUTOCOMPLETE_CHOICES:
            break
    return choices
