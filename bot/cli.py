"""The ``quotebot`` command line.

Commands import their adapters lazily so ``ask`` and ``console`` never load
discord.py. Every user mistake, click's usage errors included, ends as one ``error:``
line and exit status 2. Everything printed passes through ``bot.terminal_text``.
"""

from __future__ import annotations

import functools
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from bot.terminal_text import PrintableFormatter, lenient_input, printable, printable_json
from bot.wording import counted
from retrieval.errors import QuotebotError

if TYPE_CHECKING:
    from retrieval.service import QAService

F = TypeVar("F", bound=Callable[..., Any])
USAGE_ERROR = 2


def _configure_logging(level: str = "WARNING") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(PrintableFormatter("%(levelname)s: %(message)s"))
    logging.basicConfig(handlers=[handler], level=level)
    for number in (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL):
        logging.addLevelName(number, logging.getLevelName(number).lower())


def _exit_on_sigterm() -> None:
    """Leave on SIGTERM as on any exit, cleanup included. As a container's first process
    quotebot would otherwise ignore it: the kernel gives PID 1 no default action, so
    ``podman stop`` waited out its timeout and killed the console."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum: int, frame: FrameType | None) -> NoReturn:
    raise SystemExit(128 + signum)


def _echo(text: str, err: bool = False) -> None:
    """Print text that may quote documents, file names or errors."""
    click.echo(printable(text), err=err)


def _fail(message: str, status: int = USAGE_ERROR) -> None:
    _echo(f"error: {message}", err=True)
    sys.exit(status)


class _OneLineUsageError(click.UsageError):
    """A click usage error shown as the README's one ``error:`` line, not three."""

    def show(self, file: Any = None) -> None:
        message = self.message.rstrip(".")
        hint = f" (see '{self.ctx.command_path} --help')" if self.ctx else ""
        _echo(f"error: {message[:1].lower()}{message[1:]}{hint}", err=True)


def _one_line(error: click.UsageError) -> click.UsageError:
    """``error`` as one line, unless it is the help a bare ``quotebot`` prints."""
    if isinstance(error, click.exceptions.NoArgsIsHelpError):
        return error
    return _OneLineUsageError(error.format_message(), error.ctx)


class QuotebotGroup(click.Group):
    """The command group; usage errors from it or any subcommand become one line."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as error:
            raise _one_line(error) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise _one_line(error) from None


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


def _corpus_folder(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """An empty ``--corpus ""`` would otherwise mean the working directory."""
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter("must name a folder, not an empty string", ctx, param)
    return Path(value)


corpus_option = click.option(
    "--corpus",
    type=click.Path(file_okay=False),
    default=None,
    callback=_corpus_folder,
    help="Folder of documents (default: the 'corpus' setting, else the bundled seeds).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print result objects as JSON.")


def _print_json(payload: Any) -> None:
    """JSON, exact but with control characters escaped so a terminal shows them inertly."""
    click.echo(printable_json(json.dumps(payload, ensure_ascii=False, default=str)))


def _model_json(result: Any) -> None:
    _print_json(result.model_dump(mode="json"))


@click.group(cls=QuotebotGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="quotebot", prog_name="quotebot")
def main() -> None:
    """Answer questions by quoting your documents verbatim, with document IDs."""
    _configure_logging()
    _exit_on_sigterm()


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
        _echo(render_documents(documents))


def _service(corpus: Path | None, rebuild: bool = False, **overrides: Any) -> QAService:
    """The service over ``corpus``; imported here so ``--help`` stays instant."""
    from bot.settings import load_settings
    from bot.wiring import open_service

    return open_service(load_settings(**overrides), corpus=corpus, rebuild=rebuild)


@main.command()
@click.argument("question")
@click.option("--top", type=click.IntRange(1, 10), default=None, help="Quotes at most (1-10).")
@click.option("--doc", "docs", multiple=True, help="Only quote these document IDs.")
@corpus_option
@json_option
@reports_errors
def ask(
    question: str, top: int | None, docs: tuple[str, ...], corpus: Path | None, as_json: bool
) -> None:
    """Answer QUESTION with verbatim quotes; '-' reads one question per line."""
    from bot.settings import load_settings
    from bot.wiring import open_service

    settings = load_settings()
    service = open_service(settings, corpus=corpus)
    count = top or settings.answer_top
    if question == "-":
        _answer_lines(service, count, list(docs), as_json)
        return
    _show_answer(service.ask(question, top=count, docs=list(docs)), as_json)


def _show_answer(answer: Any, as_json: bool) -> None:
    from bot.text_render import render_answer

    if as_json:
        _model_json(answer)
    else:
        _echo(render_answer(answer))


def _answer_lines(service: Any, top: int, docs: list[str], as_json: bool) -> None:
    """Answer each input line; a bad line gets its error (an object with --json), not a crash.

    Readable answers follow their question, as in a piped console, so they read as a
    transcript.
    """
    for line in lenient_input(sys.stdin):
        question = line.rstrip("\r\n")
        if not question.strip():
            continue
        if not as_json:
            _echo(f"> {question}")
        try:
            answer = service.ask(question, top=top, docs=docs)
        except QuotebotError as error:
            if as_json:
                _print_json({"question": question, "error": str(error)})
            else:
                _echo(f"error: {error}\n", err=True)
            continue
        _show_answer(answer, as_json)
        if not as_json:
            _echo("")


@main.command()
@corpus_option
@click.option("--rebuild", is_flag=True, help="Rebuild even when the cache is valid.")
@click.option(
    "--backend",
    type=click.Choice(["local", "xapian"]),
    default="local",
    help="local: the index cache (default); xapian: shards for xapian-tcpsrv in --out.",
)
@click.option("--shards", type=click.IntRange(1, 1024), default=None, help="Xapian shards.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder for the Xapian shards (shard-1 ... shard-N).",
)
@reports_errors
def index(
    corpus: Path | None, rebuild: bool, backend: str, shards: int | None, out: Path | None
) -> None:
    """Bring the index cache up to date and check every byte of it, or write Xapian shards."""
    if backend == "xapian":
        if out is None:
            _fail("--backend xapian needs --out DIR for the shards")
            return
        _index_shards(corpus, shards or 1, out)
        return
    if shards is not None or out is not None:
        _fail("--shards and --out go with --backend xapian")
    _index_cache(corpus, rebuild)


def _index_cache(corpus: Path | None, rebuild: bool) -> None:
    from bot.settings import load_settings
    from bot.text_render import render_reload
    from bot.wiring import open_service, verify_index

    settings = load_settings(search_backend="local")
    service = open_service(settings, corpus=corpus, rebuild=rebuild)
    if service.status().written and not verify_index(settings, corpus):
        service.refresh(rebuild=True)
    status = service.status()
    if not status.written:
        _fail(f"the index cache was not written ({status.not_written})", status=1)
    _echo(
        f"{render_reload(service.last_reload())}\n"
        f"{counted(status.documents, 'document')}, "
        f"{counted(status.sentences, 'sentence')}, {counted(status.chunks, 'chunk')}, "
        f"{counted(status.terms, 'distinct term')}\n"
        f"{counted(status.cache_bytes, 'byte')} on disk at {status.cache_path}"
    )


def _index_shards(corpus: Path | None, shards: int, out: Path) -> None:
    import time

    from bot.settings import load_settings
    from bot.wiring import build_xapian_shards

    started = time.perf_counter()
    built = build_xapian_shards(load_settings(), corpus, shards, out)
    seconds = time.perf_counter() - started
    sizes = ", ".join(f"shard-{k}: {n}" for k, n in enumerate(built.chunks_per_shard, start=1))
    click.echo(
        f"built {built.shards} Xapian shards: {built.documents} documents, {built.chunks} chunks "
        f"({sizes}), {built.terms} distinct terms\n"
        f"{seconds:.2f} s, {built.bytes:,} bytes on disk in {built.out}\n"
        f"serve each with: xapian-tcpsrv --port PORT {built.out}/shard-K"
    )


@main.command()
@click.option("--sync", is_flag=True, help="Register the slash commands with Discord now.")
@reports_errors
def discord(sync: bool) -> None:
    """Run the Discord bot (token from QUOTEBOT_DISCORD_TOKEN or .env)."""
    from bot.discord_bot import run
    from bot.settings import load_settings

    sys.exit(run(load_settings(), sync=sync))


@main.command(name="eval")
@click.argument("questions", type=click.Path(path_type=Path, dir_okay=False))
@corpus_option
@json_option
@click.option("--misses", is_flag=True, help="Also list the questions missed at rank 1.")
@reports_errors
def evaluate(questions: Path, corpus: Path | None, as_json: bool, misses: bool) -> None:
    """Score the answerer on a JSONL question file beside a plain BM25 baseline."""
    from retrieval.answer.evaluation import read_questions

    ours, baseline = _service(corpus).evaluate(read_questions(questions))
    if as_json:
        _print_json({"quotebot": ours.summary(), "bm25_sentences": baseline.summary()})
        return
    rows = [("quotebot", ours.summary()), ("BM25 sentence baseline", baseline.summary())]
    _echo(f"{'system':<24} {'hit@1':>7} {'hit@3':>7} {'abstain acc':>12} {'false abst.':>12}")
    for name, row in rows:
        _echo(
            f"{name:<24} {row['hit@1']:>7.3f} {row['hit@3']:>7.3f} "
            f"{row['abstention_accuracy']:>12.3f} {row['false_abstentions']:>12}"
        )
    _echo(
        f"{counted(ours.total, 'question')} ({ours.answerable} answerable, {ours.unanswerable} not)"
    )
    if misses:
        _echo("\n".join(["missed at rank 1:", *ours.misses]))


@main.command()
@click.argument("topic", required=False)
@click.option("--from", "start", metavar="YEAR|DATE", help="Events from this year or date on.")
@click.option("--to", "end", metavar="YEAR|DATE", help="Events up to this year or date.")
@click.option("--doc", "docs", multiple=True, help="Only events from these document IDs.")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many events.")
@corpus_option
@json_option
@reports_errors
def timeline(
    topic: str | None,
    start: str | None,
    end: str | None,
    docs: tuple[str, ...],
    limit: int | None,
    corpus: Path | None,
    as_json: bool,
) -> None:
    """Dated events from the sources in chronological order, optionally about TOPIC."""
    from bot.text_render import render_timeline

    result = _service(corpus).timeline(topic, start, end, list(docs), limit)
    if as_json:
        _model_json(result)
    else:
        _echo(render_timeline(result))


@main.command()
@click.argument("source", required=False, default="-", metavar="[FILE|-]")
@click.option("--dct", metavar="YYYY-MM-DD", help="Document creation time for relative dates.")
@json_option
@reports_errors
def timex(source: str, dct: str | None, as_json: bool) -> None:
    """Print every temporal expression the tagger finds in FILE (or standard input)."""
    import dataclasses
    import datetime as dt

    from retrieval.timeline.temporal import tag

    try:
        creation = dt.date.fromisoformat(dct) if dct else None
    except ValueError:
        _fail(f"--dct {dct!r} is not a date; use YYYY-MM-DD")
    text = lenient_input(sys.stdin).read() if source == "-" else _read_text(Path(source))
    for expression in tag(text, creation):
        if as_json:
            _print_json(dataclasses.asdict(expression))
        else:
            value = expression.value + (f"/{expression.range_end}" if expression.range_end else "")
            _echo(
                f"{expression.start}-{expression.end}\t{expression.type}\t{value}\t{expression.text}"
            )


def _read_text(path: Path) -> str:
    from retrieval.ingest.decoding import NotText, decode

    try:
        return decode(path.read_bytes()).text
    except OSError as error:
        _fail(f"cannot read {path}: {error.strerror or error}")
        raise
    except NotText as error:
        _fail(f"cannot read {path}: {error}")
        raise
    except ValueError:  # a NUL byte in the name
        _fail(f"cannot read {path}: not a valid file name")
        raise


@main.command()
@corpus_option
@reports_errors
def console(corpus: Path | None) -> None:
    """Ask questions and build timelines interactively (plain text in and out when piped)."""
    from bot.console import run

    sys.exit(run(corpus))


@main.command()
@corpus_option
@click.option(
    "--heartbeat",
    type=click.FloatRange(min=1),
    default=None,
    metavar="SECONDS",
    help="Also require a running console or bot to have reported in within SECONDS.",
)
def health(corpus: Path | None, heartbeat: float | None) -> None:
    """Exit 0 if the settings hold and the index cache is present and intact, else 1 (one line).

    It reads the cache's manifest and headers only, so it takes well under a second on any
    corpus and never loads a second copy of the index beside a running bot.
    """
    from bot.heartbeat import heartbeat_age
    from bot.locations import cache_health, heartbeat_file
    from bot.settings import load_settings

    try:
        settings = load_settings()
        if settings.search_backend == "xapian":
            _shards_health(settings)
            return
        found = cache_health(settings, corpus)
        age = heartbeat_age(heartbeat_file(settings, corpus)) if heartbeat else None
    except Exception as error:  # a health probe reports every failure as status 1
        _fail(f"unhealthy: {error}", status=1)
    if found.problem is not None:
        _fail(f"unhealthy: {found.problem}", status=1)
    if heartbeat is not None and (age is None or age > heartbeat):
        silent = "never" if age is None else f"not for {age:.0f} s"
        _fail(f"unhealthy: the running service has reported in {silent}", status=1)
    pending = f"; {counted(found.pending, 'file')} changed since" if found.pending else ""
    _echo(f"ok: {counted(found.documents, 'document')}, index updated {found.updated}{pending}")


def _shards_health(settings: Any) -> None:
    """On Xapian shards there is no local cache: the shards must answer a listing."""
    from bot.wiring import open_service

    service = open_service(settings)
    documents = service.documents()
    if not documents:
        _fail("unhealthy: the shards hold no documents", status=1)
    _echo(f"ok: {counted(len(documents), 'document')}, on {service.status().backend}")
