"""The ``quotebot`` command line.

Commands import their adapters lazily so ``ask`` and ``console`` never load
discord.py. Every user mistake ends as one ``error:`` line and exit status 2.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from retrieval.errors import QuotebotError

F = TypeVar("F", bound=Callable[..., Any])
USAGE_ERROR = 2


def _configure_logging(level: str = "WARNING") -> None:
    logging.basicConfig(stream=sys.stderr, format="%(levelname)s: %(message)s", level=level)
    logging.addLevelName(logging.WARNING, "warning")
    logging.addLevelName(logging.ERROR, "error")


def _fail(message: str, status: int = USAGE_ERROR) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


def reports_errors(command: F) -> F:
    """Turn library errors into one readable line instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except QuotebotError as error:
            _fail(str(error))
        except KeyboardInterrupt:
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


corpus_option = click.option(
    "--corpus",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of .txt/.md documents (default: the 'corpus' setting, seeds/).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print result objects as JSON.")


def _print_json(payload: Any) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, default=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="quotebot", prog_name="quotebot")
def main() -> None:
    """Answer questions by quoting your documents verbatim, with document IDs."""
    _configure_logging()


@main.command()
@corpus_option
@json_option
@reports_errors
def docs(corpus: Path | None, as_json: bool) -> None:
    """List the documents: ID, title, date, sentences, chunks, source."""
    from bot.text_render import render_documents
    from bot.wiring import open_service

    service = open_service(corpus=corpus)
    documents = service.documents()
    if as_json:
        _print_json([document.model_dump(mode="json") for document in documents])
    else:
        click.echo(render_documents(documents))
