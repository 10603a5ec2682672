"""The interactive prompt: prompt_toolkit line editing, saved history and completion.

Imported only when both ends are a terminal, so piped runs never load prompt_toolkit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from platformdirs import user_state_path
from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, History, InMemoryHistory

from bot.commands import COMMANDS, SOURCE
from bot.terminal_text import printable

HISTORY_FILE = "console_history"


def history_path() -> Path:
    """The history file in the user's state directory (~/.local/state/quotebot on Linux)."""
    return user_state_path("quotebot") / HISTORY_FILE


def open_history(path: Path) -> History:
    """History saved in ``path``, or kept in memory when that file cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8"):
            pass
    except OSError:
        return InMemoryHistory()
    return FileHistory(str(path))


def completions(before_cursor: str, doc_ids: Sequence[str]) -> list[str]:
    """What may be typed at the end of ``before_cursor``: a command, a document ID, or nothing."""
    words = before_cursor.split(" ")
    if len(words) == 1:
        return [f"/{name}" for name in COMMANDS] if before_cursor.startswith("/") else []
    if words[-2] == "--doc" or (len(words) == 2 and words[0] == f"/{SOURCE.name}"):
        return list(doc_ids)
    return []


class CommandCompleter(Completer):
    """Completes command names after ``/`` and document IDs where an ID is expected."""

    def __init__(self, doc_ids: Sequence[str]) -> None:
        self._doc_ids = list(doc_ids)

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        word = document.get_word_before_cursor(WORD=True)
        for candidate in completions(document.text_before_cursor, self._doc_ids):
            if candidate.startswith(word):
                # A document ID is a file name: shown printable, inserted as it is.
                yield Completion(candidate, start_position=-len(word), display=printable(candidate))


def prompt_session(doc_ids: Sequence[str]) -> PromptSession[str]:
    """A prompt with saved history and completion of commands and document IDs."""
    return PromptSession(history=open_history(history_path()), completer=CommandCompleter(doc_ids))
