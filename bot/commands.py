"""The one command table shared by every adapter, and the argument handling behind it.

Discord builds its slash commands from these definitions and the console parses lines with
them, so a command, an option or a bound is changed here once for both. Nothing here knows
about Discord or terminals.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from retrieval.doc_ids import resolve_doc_id
from retrieval.errors import InvalidQuery

TOP_MIN = 1
TOP_MAX = 5


class OptionKind(StrEnum):
    """How an option's raw value is read and checked."""

    TEXT = "text"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class Option:
    """One argument of a command.

    ``param`` is the service keyword it becomes; ``multiple`` lets the console repeat it
    (``--doc A --doc B``); ``discord_only`` options make no sense in a terminal; ``noun``
    names the value in messages ("/ask needs a question").
    """

    name: str
    kind: OptionKind
    description: str
    param: str
    required: bool = False
    noun: str = ""
    min_value: int | None = None
    max_value: int | None = None
    multiple: bool = False
    discord_only: bool = False


@dataclass(frozen=True, slots=True)
class Command:
    """A command with its options; ``method`` names the service call it makes, if any."""

    name: str
    description: str
    options: tuple[Option, ...] = ()
    method: str | None = None
    console_only: bool = False

    def option(self, name: str) -> Option:
        """The option called ``name``; a KeyError means the table and an adapter disagree."""
        for option in self.options:
            if option.name == name:
                return option
        raise KeyError(name)

    @property
    def positional(self) -> Option | None:
        """The option the console fills from the free text after the command name."""
        for option in self.options:
            if option.kind in (OptionKind.TEXT, OptionKind.DOCUMENT) and not option.multiple:
                return option
        return None


DOC_FOR_ASK = Option(
    "doc", OptionKind.DOCUMENT, "Only quote this document", param="docs", multiple=True
)

ASK = Command(
    name="ask",
    description="Answer a question with sentences quoted verbatim from the sources",
    method="ask",
    options=(
        Option(
            "question",
            OptionKind.TEXT,
            "What you want to know",
            "question",
            required=True,
            noun="a question",
        ),
        Option(
            "top",
            OptionKind.INTEGER,
            f"How many quotes to show ({TOP_MIN}-{TOP_MAX})",
            "top",
            min_value=TOP_MIN,
            max_value=TOP_MAX,
        ),
        DOC_FOR_ASK,
        Option(
            "private",
            OptionKind.BOOLEAN,
            "Show the answer only to you",
            "private",
            discord_only=True,
        ),
    ),
)

TIMELINE = Command(
    name="timeline",
    description="List the dated events the sources mention, in order",
    method="timeline",
    options=(
        Option("topic", OptionKind.TEXT, "Only events about this topic", "topic"),
        Option("from", OptionKind.DATE, "Earliest date: YYYY, YYYY-MM or YYYY-MM-DD", "start"),
        Option("to", OptionKind.DATE, "Latest date: YYYY, YYYY-MM or YYYY-MM-DD", "end"),
        Option("doc", OptionKind.DOCUMENT, "Only events from this document", "docs", multiple=True),
    ),
)

SOURCES = Command(name="sources", description="List the source documents", method="documents")

SOURCE = Command(
    name="source",
    description="Show one source document's details and opening lines",
    method="document",
    options=(
        Option(
            "doc",
            OptionKind.DOCUMENT,
            "The document ID",
            "doc_id",
            required=True,
            noun="a document ID (/sources lists them)",
        ),
    ),
)

RELOAD = Command(
    name="reload",
    description="Re-read the source folder now and say what changed (Manage Server on Discord)",
    method="refresh",
)

HELP = Command(name="help", description="What this bot does and how to ask it")

QUIT = Command(name="quit", description="Leave the console", console_only=True)

COMMANDS: dict[str, Command] = {
    command.name: command for command in (ASK, TIMELINE, SOURCES, SOURCE, RELOAD, HELP, QUIT)
}

HELP_TEXT = """\
quotebot answers questions by quoting sentences from its source documents, word for word, \
with each document's ID. It never writes an answer of its own: when the sources hold no \
answer it says so and names the documents that came closest.

/ask QUESTION: quoted sentences that answer the question (top: how many quotes, 1-5; \
doc: only one document). Questions work best with the words the sources would use.
/timeline [TOPIC]: the dated events the sources mention, oldest first; narrow it with \
from/to (YYYY, YYYY-MM or YYYY-MM-DD) and doc.
/sources: every document with its ID, title, date and size.
/source ID: one document's details and opening lines.
/reload: re-read the source folder now (it is also followed on its own) and say what changed.
/help: this text."""


@dataclass(frozen=True, slots=True)
class Invocation:
    """A parsed console line: the command's name and its raw arguments by option name."""

    command: str
    args: dict[str, Any] = field(default_factory=dict)


def public_commands() -> list[Command]:
    """The commands both adapters offer (the console adds ``quit``)."""
    return [command for command in COMMANDS.values() if not command.console_only]


def suggest_command(name: str) -> str | None:
    """The command closest to a mistyped name, if any is close enough."""
    matches = difflib.get_close_matches(name.lower(), list(COMMANDS), n=1, cutoff=0.5)
    return matches[0] if matches else None


def parse_line(line: str) -> Invocation:
    """Read one console line: ``/command ...`` runs that command, anything else is a question."""
    text = line.strip()
    if not text.startswith("/"):
        return Invocation(ASK.name, {"question": text})
    name, _, rest = text[1:].partition(" ")
    command = COMMANDS.get(name.lower())
    if command is None:
        raise InvalidQuery(_unknown_command_message(name))
    return Invocation(command.name, _parse_arguments(command, rest))


def _unknown_command_message(name: str) -> str:
    suggestion = suggest_command(name)
    hint = f"did you mean /{suggestion}?" if suggestion else "try /help"
    return f"unknown command /{name}: {hint}"


def _parse_arguments(command: Command, rest: str) -> dict[str, Any]:
    """Split ``--name value`` flags from the free text that fills the positional option."""
    try:
        words = shlex.split(rest)
    except ValueError as error:
        raise InvalidQuery(f"/{command.name}: {error}") from None
    args: dict[str, Any] = {}
    free: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word.startswith("--") and len(word) > 2:
            index = _read_flag(command, words, index, args)
        else:
            free.append(word)
            index += 1
    _fill_positional(command, free, args)
    return args


def _read_flag(command: Command, words: list[str], index: int, args: dict[str, Any]) -> int:
    """Store one ``--name value`` (or a bare boolean ``--name``); return the next index."""
    name = words[index][2:]
    try:
        option = command.option(name)
    except KeyError:
        raise InvalidQuery(_unknown_option_message(command, name)) from None
    if option.discord_only:
        raise InvalidQuery(f"--{name} only works on Discord")
    if option.kind is OptionKind.BOOLEAN:
        args[name] = True
        return index + 1
    if index + 1 >= len(words):
        raise InvalidQuery(f"--{name} needs a value")
    value = words[index + 1]
    if option.multiple:
        args.setdefault(name, []).append(value)
    else:
        args[name] = value
    return index + 2


def _unknown_option_message(command: Command, name: str) -> str:
    positional = command.positional
    flags = [
        f"--{option.name}"
        for option in command.options
        if not option.discord_only and option is not positional
    ]
    known = f"; it takes {', '.join(flags)}" if flags else ""
    return f"/{command.name} has no option --{name}{known}"


def _fill_positional(command: Command, free: list[str], args: dict[str, Any]) -> None:
    if not free:
        return
    positional = command.positional
    if positional is None:
        raise InvalidQuery(f"/{command.name} takes no text (got {' '.join(free)!r})")
    args[positional.name] = " ".join(free)


def check_top(value: int | str | None, default: int) -> int:
    """The number of quotes to show, within the table's bounds."""
    if value is None:
        return min(max(default, TOP_MIN), TOP_MAX)
    try:
        top = int(value)
    except (TypeError, ValueError):
        raise InvalidQuery(f"top must be a number from {TOP_MIN} to {TOP_MAX}") from None
    if not TOP_MIN <= top <= TOP_MAX:
        raise InvalidQuery(f"top must be from {TOP_MIN} to {TOP_MAX}, not {top}")
    return top


_DATE_FORMS = (
    (re.compile(r"^\d{4}$"), "%Y"),
    (re.compile(r"^\d{4}-\d{1,2}$"), "%Y-%m"),
    (re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"), "%Y-%m-%d"),
)


def date_bound(value: str | None) -> str | None:
    """A from/to value as the service takes it: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Slashes and dots are accepted as separators; an empty value means no bound. Checking
    here lets adapters reject a bad date before they start slow work.
    """
    if value is None or not value.strip():
        return None
    text = re.sub(r"[/.]", "-", value.strip())
    for pattern, form in _DATE_FORMS:
        if pattern.match(text):
            try:
                parsed = dt.datetime.strptime(text, form)
            except ValueError:
                break
            return parsed.strftime(form)
    raise InvalidQuery(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")


def check_range(start: str | None, end: str | None) -> None:
    """Refuse a range whose start comes after its end (compared on their earliest days)."""
    if start and end and _earliest(start) > _latest(end):
        raise InvalidQuery(f"the range is backwards: from {start} comes after to {end}")


def _earliest(bound: str) -> str:
    return (bound + "-01-01")[:10]


def _latest(bound: str) -> str:
    return (bound + "-12-31")[:10]


def resolve_doc(value: str, known: Sequence[str]) -> str:
    """The document ID meant by ``value`` (exact, case-blind, unique prefix or path tail).

    Autocomplete labels look like ``ID · title``, so the text before `` · `` is tried too.
    """
    return resolve_doc_id(value.strip().split(" · ", 1)[0], known, "/sources lists them")


def service_arguments(
    command: Command, args: Mapping[str, Any], *, doc_ids: Sequence[str], default_top: int
) -> dict[str, Any]:
    """Turn raw option values into the keyword arguments of ``command``'s service call.

    Every check a person can fail (top out of range, a bad date, an unknown document)
    happens here, before any slow work starts.
    """
    kwargs: dict[str, Any] = {}
    for option in command.options:
        if option.discord_only:
            continue
        raw = args.get(option.name)
        if option.required and (raw is None or not str(raw).strip()):
            raise InvalidQuery(f"/{command.name} needs {option.noun or option.name}")
        kwargs[option.param] = _convert(option, raw, doc_ids, default_top)
    if command is TIMELINE:
        check_range(kwargs["start"], kwargs["end"])
    return kwargs


def _convert(option: Option, raw: Any, doc_ids: Sequence[str], default_top: int) -> Any:
    if option.kind is OptionKind.INTEGER:
        return check_top(raw, default_top)
    if option.kind is OptionKind.DATE:
        return date_bound(raw)
    if option.kind is OptionKind.DOCUMENT:
        return _documents(option, raw, doc_ids)
    if option.kind is OptionKind.BOOLEAN:
        return bool(raw)
    return None if raw is None else str(raw).strip()


def _documents(option: Option, raw: Any, doc_ids: Sequence[str]) -> Any:
    if raw is None or raw == [] or raw == "":
        return None
    values = [raw] if isinstance(raw, str) else list(raw)
    resolved = [resolve_doc(value, doc_ids) for value in values]
    return resolved if option.multiple else resolved[0]
