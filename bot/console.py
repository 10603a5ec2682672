"""The interactive console: the shared command table, read a line at a time.

In a terminal it edits lines with prompt_toolkit (history kept between sessions), prints in
colour and pages long timelines; with piped input or output it reads plain lines and prints
plain text, so ``printf 'question\\n' | quotebot console`` works in scripts. Only the
service facade and the shared command table are used: nothing here imports discord.py.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from bot import text_render
from bot.commands import (
    ASK,
    COMMANDS,
    HELP,
    HELP_TEXT,
    QUIT,
    RELOAD,
    SOURCE,
    SOURCES,
    TIMELINE,
    Command,
    OptionKind,
    parse_line,
    service_arguments,
)
from bot.terminal_text import lenient_input, printable, printable_result
from bot.wording import counted
from retrieval.errors import QuotebotError
from retrieval.results import Answer, DocumentInfo, Reload, Timeline

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession
    from rich.console import Console, RenderableType

    from retrieval.service import QAService, ServiceStatus

PROMPT = "quotebot> "
PLAIN_WIDTH = 88
_METAVARS = {
    OptionKind.TEXT: "TEXT",
    OptionKind.INTEGER: "N",
    OptionKind.DATE: "DATE",
    OptionKind.DOCUMENT: "ID",
}


def usage(command: Command) -> str:
    """How to type ``command`` in the console, built from the shared table."""
    parts = [f"/{command.name}"]
    positional = command.positional
    for option in command.options:
        if option.discord_only:
            continue
        if option is positional:
            name = option.name.upper() if option.kind is OptionKind.TEXT else "ID"
            parts.append(name if option.required else f"[{name}]")
        else:
            repeat = "..." if option.multiple else ""
            parts.append(f"[--{option.name} {_METAVARS[option.kind]}]{repeat}")
    return " ".join(parts)


def help_text() -> str:
    """The shared help, then the console's own syntax for each command."""
    lines = [f"  {usage(command)}" for command in COMMANDS.values()]
    return "\n".join(
        [
            HELP_TEXT,
            "",
            "In this console:",
            *lines,
            "A line without a leading / is a question. Ctrl-C cancels the line, "
            "Ctrl-D or /quit leaves.",
        ]
    )


def loaded_line(status: ServiceStatus) -> str:
    """The one start-up line: what was loaded, from where, and how to get help."""
    origin = "loaded from the cache" if status.from_cache else "built and cached"
    where = f"from {status.corpus} (index {origin})" if status.corpus else f"on {status.backend}"
    return (
        f"quotebot: {counted(status.documents, 'document')}, {counted(status.chunks, 'chunk')} "
        f"{where}. Type a question, or /help."
    )


class Output(Protocol):
    """Where results go: a terminal in colour, or plain text for pipes."""

    def notice(self, message: str) -> None: ...
    def error(self, message: str) -> None: ...
    def echo(self, line: str) -> None: ...
    def help(self, text: str) -> None: ...
    def answer(self, answer: Answer) -> None: ...
    def timeline(self, timeline: Timeline) -> None: ...
    def documents(self, documents: Sequence[DocumentInfo]) -> None: ...
    def document(self, info: DocumentInfo) -> None: ...
    def reload(self, report: Reload) -> None: ...


class PlainOutput:
    """Plain text on stdout, notices and errors on stderr: safe to pipe into files.

    Every write is made printable, so no control character from a document reaches the
    reader's terminal even through ``| less -R`` or ``cat``.
    """

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self._out = out
        self._err = err

    def _print(self, text: str) -> None:
        self._write(self._out, f"{text}\n\n")

    def _write(self, stream: TextIO, text: str) -> None:
        stream.write(printable(text))
        stream.flush()

    def notice(self, message: str) -> None:
        self._write(self._err, f"{message}\n")

    def error(self, message: str) -> None:
        self._write(self._err, f"error: {message}\n")

    def echo(self, line: str) -> None:
        self._write(self._out, f"> {line}\n")

    def help(self, text: str) -> None:
        self._print("\n".join(_fill(line) for line in text.splitlines()))

    def answer(self, answer: Answer) -> None:
        self._print(text_render.render_answer(answer))

    def timeline(self, timeline: Timeline) -> None:
        self._print(text_render.render_timeline(timeline))

    def documents(self, documents: Sequence[DocumentInfo]) -> None:
        self._print(text_render.render_documents(documents))

    def document(self, info: DocumentInfo) -> None:
        self._print(text_render.render_document(info))

    def reload(self, report: Reload) -> None:
        self._print(text_render.render_reload(report))


def _fill(line: str) -> str:
    """Wrap a paragraph to the plain renderers' width; indented lines are kept as they are."""
    if line.startswith(" "):
        return line
    return textwrap.fill(line, PLAIN_WIDTH, break_on_hyphens=False) or line


KeyReader = Callable[[], str]


def _read_key() -> str:
    """One key press from the terminal, keeping keys typed before the pager asked.

    click.getchar switches the terminal with TCSAFLUSH, which throws away a Space pressed
    while the page was still being drawn; TCSANOW keeps it.
    """
    import os
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        return os.read(fd, 32).decode(errors="replace")
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


class RichOutput:
    """Colour, wrapping to the terminal's width, and a pager for anything taller than it.

    Results are made printable before rich lays them out (rich passes ESC and bidi
    controls through), so widths are measured on what is actually shown.
    """

    def __init__(self, console: Console, paging: bool, read_key: KeyReader = _read_key) -> None:
        self._console = console
        self._paging = paging
        self._read_key = read_key

    def notice(self, message: str) -> None:
        self._console.print(printable(message), style="dim", soft_wrap=True)

    def error(self, message: str) -> None:
        self._console.print(printable(message), style="bold red")

    def echo(self, line: str) -> None:
        self._console.print(f"> {printable(line)}", style="bold")

    def help(self, text: str) -> None:
        self._show(printable(text))

    def answer(self, answer: Answer) -> None:
        from bot.console_render import render_answer

        self._show(render_answer(printable_result(answer), self._console.width))

    def timeline(self, timeline: Timeline) -> None:
        from bot.console_render import render_timeline

        self._paged(render_timeline(printable_result(timeline)))

    def documents(self, documents: Sequence[DocumentInfo]) -> None:
        from bot.console_render import render_documents

        self._paged(render_documents([printable_result(info) for info in documents]))

    def document(self, info: DocumentInfo) -> None:
        from bot.console_render import render_document

        self._show(render_document(printable_result(info)))

    def reload(self, report: Reload) -> None:
        self._show(text_render.render_reload(report))

    def _show(self, renderable: RenderableType) -> None:
        """Print a result with a blank line after it, so the next prompt stands apart."""
        self._console.print(renderable)
        self._console.line()

    def _paged(self, renderable: RenderableType) -> None:
        with self._console.capture() as captured:
            self._console.print(renderable)
        lines = captured.get().splitlines()
        height = max(self._console.height - 1, 3)
        if not self._paging or len(lines) <= height:
            self._write(lines)
        else:
            self._page(lines, height)
        self._console.line()

    def _page(self, lines: Sequence[str], height: int) -> None:
        for start in range(0, len(lines), height):
            self._write(lines[start : start + height])
            shown = min(start + height, len(lines))
            if shown < len(lines) and not self._more(shown, len(lines)):
                return

    def _write(self, lines: Sequence[str]) -> None:
        self._console.file.write("".join(f"{line}\n" for line in lines))
        self._console.file.flush()

    def _more(self, shown: int, total: int) -> bool:
        """Ask whether to show the next page; q, Escape, Ctrl-C or Ctrl-D stop."""
        hint = f"-- {shown}/{total} lines · Space or Enter: more · q: stop --"
        self._console.print(hint, style="reverse", end="", highlight=False)
        try:
            key = self._read_key()
        except (KeyboardInterrupt, EOFError):
            key = "q"
        self._console.file.write("\r\x1b[K")
        return key not in ("q", "Q", "\x1b", "\x03", "\x04")


class ConsoleSession:
    """Runs one line at a time against the service; mistakes become one line, not a crash."""

    def __init__(self, service: QAService, output: Output, default_top: int) -> None:
        self._service = service
        self._output = output
        self._default_top = default_top
        self._show: dict[str, Callable[[Any], None]] = {
            ASK.name: output.answer,
            TIMELINE.name: output.timeline,
            SOURCES.name: output.documents,
            SOURCE.name: output.document,
            RELOAD.name: output.reload,
        }

    def handle(self, line: str) -> bool:
        """Run ``line``; False once the person asked to leave."""
        if not line.strip():
            return True
        try:
            return self._run(line)
        except QuotebotError as error:
            self._output.error(str(error))
            return True

    def _run(self, line: str) -> bool:
        invocation = parse_line(line)
        if invocation.command == QUIT.name:
            return False
        if invocation.command == HELP.name:
            self._output.help(help_text())
            return True
        command = COMMANDS[invocation.command]
        kwargs = service_arguments(
            command, invocation.args, doc_ids=self._service.doc_ids(), default_top=self._default_top
        )
        call = getattr(self._service, str(command.method))
        self._show[command.name](call(**kwargs))
        if command is SOURCES:
            self._output.notice(f"index updated {self._service.status().updated}")
        return True


def piped_loop(session: ConsoleSession, output: Output, lines: Iterable[str]) -> None:
    """Answer each input line in turn, echoing it so the output reads as a transcript."""
    for raw in lines:
        line = raw.rstrip("\r\n")
        if line.strip():
            output.echo(line)
        if not session.handle(line):
            return


def interactive_loop(session: ConsoleSession, output: Output, prompt: PromptSession[str]) -> None:
    """Prompt until Ctrl-D or /quit; Ctrl-C drops the line being typed or the running command."""
    while True:
        try:
            line = prompt.prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            return
        try:
            if not session.handle(line):
                return
        except KeyboardInterrupt:
            output.notice("cancelled")


def _rich_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, markup=False, emoji=False)


def run(corpus: Path | None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Open the service, say what was loaded, then read lines until the end; 0 when done."""
    from bot.settings import load_settings
    from bot.wiring import following, open_service

    stdin = lenient_input(stdin or sys.stdin)
    stdout = stdout or sys.stdout
    settings = load_settings()
    service = open_service(settings, corpus=corpus)
    interactive = stdin.isatty() and stdout.isatty()
    output: Output = (
        RichOutput(_rich_console(), paging=interactive)
        if stdout.isatty()
        else PlainOutput(stdout, sys.stderr)
    )
    output.notice(loaded_line(service.status()))
    session = ConsoleSession(service, output, settings.answer_top)
    with following(service, settings, corpus):
        if interactive:
            from bot.console_prompt import prompt_session

            interactive_loop(session, output, prompt_session(service.doc_ids()))
        else:
            piped_loop(session, output, stdin)
    return 0
