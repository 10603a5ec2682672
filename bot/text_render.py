"""Plain-text rendering of result objects, for the CLI and piped console output."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from bot.wording import counted
from retrieval.results import Answer, DocumentInfo, Event, Reload, Timeline

NO_ANSWER = "The sources don't answer this."
# A how-to's example is shown after its quote up to this many lines; a longer listing is
# cut with a line "…" (the whole block is in ``--json`` output).
CODE_LINES = 12
CODE_CUT = "…"
_CODE_INDENT = "     "


def _date(info: DocumentInfo) -> str:
    return info.published.isoformat() if info.published else "undated"


def render_documents(documents: Sequence[DocumentInfo]) -> str:
    lines = [counted(len(documents), "document")]
    for info in documents:
        lines.append(
            f"{info.doc_id}  {info.title}\n"
            f"    {_date(info)} · {counted(info.sentences, 'sentence')} · "
            f"{counted(info.chunks, 'chunk')} · {info.source}"
        )
    return "\n".join(lines)


def render_document(info: DocumentInfo, width: int = 88) -> str:
    header = [
        f"{info.doc_id}  {info.title}",
        f"    {_date(info)} · {counted(info.characters, 'character')} · {info.source}",
    ]
    if info.url:
        header.append(f"    {info.url}")
    if info.author:
        header.append(f"    by {info.author}")
    opening = textwrap.fill(
        info.opening, width, break_on_hyphens=False, initial_indent="    ", subsequent_indent="    "
    )
    return "\n".join([*header, "", opening])


def code_excerpt(code: str, lines: int = CODE_LINES) -> str:
    """The first ``lines`` lines of the code block after a quote, "…" if there are more."""
    kept = code.splitlines()
    return "\n".join(kept[:lines] + [CODE_CUT] * (len(kept) > lines))


def render_answer(answer: Answer, width: int = 88) -> str:
    if answer.abstained:
        lines = [NO_ANSWER]
        if answer.nearest:
            lines.append("Nearest sources (they do not answer it):")
            lines.extend(f"  {near.doc_id}  {near.title}" for near in answer.nearest)
        return "\n".join(lines)
    blocks = []
    for number, quote in enumerate(answer.quotes, 1):
        body = textwrap.fill(
            f"“{quote.text}”",
            width,
            break_on_hyphens=False,
            initial_indent=f"{number}. ",
            subsequent_indent="   ",
        )
        if quote.code:
            body += "\n" + textwrap.indent(code_excerpt(quote.code), _CODE_INDENT)
        source = f"   — {quote.location}, {quote.title}"
        if quote.also_in:
            source += f" (also in {', '.join(quote.also_in)})"
        blocks.append(f"{body}\n{source}")
    return "\n\n".join(blocks)


def _highlighted(event: Event) -> str:
    """The sentence with the clause of this date between asterisks, when it is only a part."""
    start, end = event.highlight
    if (start, end) == (0, len(event.text)) or start == end:
        return event.text
    return f"{event.text[:start]}*{event.text[start:end]}*{event.text[end:]}"


def render_timeline(timeline: Timeline, width: int = 88) -> str:
    if not timeline.events:
        about = f" about {timeline.topic!r}" if timeline.topic else ""
        return f"No dated events{about} in the sources."
    lines = []
    for event in timeline.events:
        docs = ", ".join([event.location, *event.also_in])
        text = textwrap.fill(
            _highlighted(event),
            width,
            break_on_hyphens=False,
            initial_indent="    ",
            subsequent_indent="    ",
        )
        lines.append(f"{event.when}  [{docs}]\n{text}")
    return "\n".join(lines)


def render_reload(reload: Reload) -> str:
    """What a re-scan changed, in one line: "+1 document, 1 changed, 1 removed, 0.3 s"."""
    if not (reload.added or reload.changed or reload.removed):
        return f"index up to date: {counted(reload.documents, 'document')}, {reload.seconds:.1f} s"
    skipped = f", {len(reload.skipped)} skipped" if reload.skipped else ""
    return (
        f"+{counted(len(reload.added), 'document')}, {len(reload.changed)} changed, "
        f"{len(reload.removed)} removed{skipped}, {reload.seconds:.1f} s"
    )
