"""The console's parts on their own: usage from the table, completion, history, pager, session."""

from __future__ import annotations

import io
import os
import pty
import re
import sys
import threading
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, InMemoryHistory
from rich.console import Console
from rich.text import Text

from bot.commands import COMMANDS, TIMELINE
from bot.console import (
    ConsoleSession,
    PlainOutput,
    RichOutput,
    _read_key,
    help_text,
    piped_loop,
    usage,
)
from bot.console_prompt import CommandCompleter, completions, open_history
from retrieval.service import QAService

DOC_IDS = ["000_dba2723d37c296f9", "001_1f37cc2d15cd2da9"]


def test_usage_is_built_from_the_shared_command_table() -> None:
    assert usage(TIMELINE) == "/timeline [TOPIC] [--from DATE] [--to DATE] [--doc ID]..."


def test_usage_leaves_out_options_that_only_work_on_discord() -> None:
    assert "--private" not in usage(COMMANDS["ask"])


def test_help_shows_every_command_and_how_to_leave() -> None:
    text = help_text()
    assert all(usage(command) in text for command in COMMANDS.values())
    assert "Ctrl-D" in text


def test_a_slash_completes_to_command_names() -> None:
    assert "/timeline" in completions("/ti", DOC_IDS)


def test_document_ids_complete_after_doc_and_source() -> None:
    assert completions("/timeline embargo --doc ", DOC_IDS) == DOC_IDS
    assert completions("/source 00", DOC_IDS) == DOC_IDS


def test_a_document_id_with_escapes_is_completed_whole_but_shown_inertly() -> None:
    # given a document whose file name carries a terminal escape
    completer = CommandCompleter(["evil\x1b[2J"])
    # when its ID is completed
    (completion,) = completer.get_completions(Document("/source ev"), CompleteEvent())
    # then the ID is inserted as it is, and the menu shows it printable
    assert completion.text == "evil\x1b[2J"
    assert completion.display_text == "evil␛[2J"


def test_a_question_gets_no_completions() -> None:
    assert completions("when was the embargo", DOC_IDS) == []


def test_history_is_a_file_in_a_writable_folder(tmp_path: Path) -> None:
    path = tmp_path / "state" / "console_history"
    assert isinstance(open_history(path), FileHistory)
    assert path.exists()


def test_history_stays_in_memory_when_its_folder_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert isinstance(open_history(blocker / "console_history"), InMemoryHistory)


def _terminal(height: int = 10) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    console = Console(file=buffer, width=60, height=height, force_terminal=True, markup=False)
    return console, buffer


def _tall_text(lines: int) -> Text:
    return Text("\n".join(f"line {number}" for number in range(lines)))


def test_the_pager_stops_after_the_first_page_when_told_q() -> None:
    console, buffer = _terminal()
    RichOutput(console, paging=True, read_key=lambda: "q")._paged(_tall_text(30))
    shown = buffer.getvalue()
    assert "line 8" in shown and "line 9" not in shown
    assert "9/30 lines" in shown


def test_the_pager_shows_everything_page_by_page_on_space() -> None:
    console, buffer = _terminal()
    RichOutput(console, paging=True, read_key=lambda: " ")._paged(_tall_text(30))
    assert "line 29" in buffer.getvalue()


def test_ctrl_c_in_the_pager_stops_paging() -> None:
    def interrupted() -> str:
        raise KeyboardInterrupt

    console, buffer = _terminal()
    RichOutput(console, paging=True, read_key=interrupted)._paged(_tall_text(30))
    assert "line 9" not in buffer.getvalue()


def test_a_key_pressed_before_the_pager_asks_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a terminal where Space was typed while the page was still being drawn
    controller, terminal = pty.openpty()
    os.write(controller, b" ")
    late = threading.Timer(2.0, os.write, (controller, b"late"))
    late.start()
    try:
        with os.fdopen(terminal, "r", closefd=False) as stdin:
            monkeypatch.setattr(sys, "stdin", stdin)
            # when the pager reads a key
            key = _read_key()
    finally:
        late.cancel()
        os.close(controller)
        os.close(terminal)
    # then it is the Space, not a later key
    assert key == " "


def test_without_paging_everything_is_printed_at_once() -> None:
    console, buffer = _terminal()
    RichOutput(console, paging=False)._paged(_tall_text(30))
    assert "line 29" in buffer.getvalue() and "more" not in buffer.getvalue()


@pytest.fixture
def plain(seeds_service: QAService) -> tuple[ConsoleSession, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return ConsoleSession(seeds_service, PlainOutput(out, err), default_top=3), out, err


def test_quit_ends_the_session(plain: tuple[ConsoleSession, io.StringIO, io.StringIO]) -> None:
    session, _, _ = plain
    assert session.handle("/quit") is False


def test_a_blank_line_does_nothing(plain: tuple[ConsoleSession, io.StringIO, io.StringIO]) -> None:
    session, out, err = plain
    assert session.handle("   ") is True
    assert out.getvalue() == err.getvalue() == ""


def test_a_mistake_is_one_error_line_and_the_session_goes_on(
    plain: tuple[ConsoleSession, io.StringIO, io.StringIO],
) -> None:
    session, _, err = plain
    assert session.handle("/ask --top 9 embargo") is True
    assert err.getvalue() == "error: top must be from 1 to 5, not 9\n"


def test_piped_input_stops_at_quit(plain: tuple[ConsoleSession, io.StringIO, io.StringIO]) -> None:
    session, out, _ = plain
    piped_loop(session, PlainOutput(out, io.StringIO()), ["/quit\n", "/sources\n"])
    assert "documents" not in out.getvalue()


def test_plain_output_has_no_escape_codes(
    plain: tuple[ConsoleSession, io.StringIO, io.StringIO],
) -> None:
    session, out, _ = plain
    for line in ("When was the arms embargo lifted?", "/timeline embargo", "/sources", "/help"):
        session.handle(line)
    assert "\x1b" not in out.getvalue() and "000_dba2723d37c296f9" in out.getvalue()


def _rendered(seeds_service: QAService, line: str, colour: bool) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=100, height=500, force_terminal=colour, highlight=False, markup=False
    )
    ConsoleSession(seeds_service, RichOutput(console, paging=False), default_top=3).handle(line)
    return buffer.getvalue()


def test_in_a_terminal_each_quote_has_its_document_id_and_title_beside_it(
    seeds_service: QAService,
) -> None:
    shown = _rendered(seeds_service, "How many Americans were unaccounted for?", colour=False)
    first_row = next(line for line in shown.splitlines() if line.startswith("1."))
    assert "“" in first_row
    assert re.search(r"00[0-4]_[0-9a-f]{16}", first_row)


def test_in_a_terminal_output_is_coloured(seeds_service: QAService) -> None:
    assert "\x1b[" in _rendered(seeds_service, "/timeline embargo", colour=True)
