"""Every output path that reaches a terminal or a pipe prints no raw control character.

A service whose every string (quotes, titles, IDs, sources, URLs, errors) holds random
control, bidi and format characters is rendered through each command; the output must hold
none of them. One end-to-end test does the same with a real corpus file.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from bot import console as console_module
from bot.cli import main
from bot.console import ConsoleSession, RichOutput
from retrieval.answer.evaluation import Scores
from retrieval.errors import InvalidQuery
from retrieval.results import Answer, DocumentInfo, Event, NearbySource, Quote, Timeline
from retrieval.service import ServiceStatus
from tests.bot.hostile_text import HOSTILE_CHARACTERS, ORDINARY_CHARACTERS, unsafe_characters
from tests.conftest import write_corpus

KNOWN_ATTACKS = st.sampled_from(["\x1b[2J", "\x1b]0;owned\x07", "\x08\x08\x08", "\u202e", "\r"])
HOSTILE = st.lists(
    st.one_of(KNOWN_ATTACKS, st.text(st.one_of(HOSTILE_CHARACTERS, ORDINARY_CHARACTERS))),
    min_size=1,
    max_size=6,
).map("".join)
EXAMPLES = settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
FAIL_QUESTION = "please fail"


class HostileService:
    """A service whose every string is ``text``; asking FAIL_QUESTION raises ``text``."""

    def __init__(self, text: str) -> None:
        self.text = text

    def ask(self, question: str, top: int = 3, docs: Sequence[str] | None = None) -> Answer:
        if question == FAIL_QUESTION:
            raise InvalidQuery(self.text)
        if question.startswith("abstain"):
            near = NearbySource(doc_id=self.text, title=self.text, source=self.text, score=0.1)
            return Answer(question=self.text, abstained=True, confidence=0.1, nearest=[near])
        quote = Quote(
            text=self.text,
            doc_id=self.text,
            title=self.text,
            source=self.text,
            start=0,
            end=1,
            score=0.9,
            url=self.text,
            also_in=[self.text],
        )
        return Answer(question=self.text, abstained=False, confidence=0.9, quotes=[quote])

    def timeline(self, topic: str | None = None, *args: object, **kwargs: object) -> Timeline:
        event = Event(
            date="1995-07-11",
            granularity="day",
            text=self.text,
            doc_id=self.text,
            title=self.text,
            source=self.text,
            start=0,
            end=1,
            also_in=[self.text],
        )
        return Timeline(topic=self.text, docs=[self.text], events=[event])

    def documents(self) -> list[DocumentInfo]:
        return [self.document(self.text)]

    def document(self, doc_id: str) -> DocumentInfo:
        text = self.text
        return DocumentInfo(
            doc_id=text,
            title=text,
            source=text,
            url=text,
            published=dt.date(2016, 5, 24),
            author=text,
            characters=1,
            sentences=1,
            chunks=1,
            opening=text,
        )

    def doc_ids(self) -> list[str]:
        return [self.text]

    def status(self) -> ServiceStatus:
        return ServiceStatus(Path(self.text), 1, 1, 1, 1, True, Path(self.text), 1)

    def evaluate(self, questions: object) -> tuple[Scores, Scores]:
        return Scores(answerable=1, misses=[self.text]), Scores(answerable=1)


def run_cli(text: str, *args: str, stdin: str | None = None) -> str:
    """Everything ``quotebot ARGS`` prints (stdout and stderr) over a HostileService."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("bot.wiring.open_service", lambda *a, **k: HostileService(text))
        # surrogatepass: a lone surrogate arrives as the invalid bytes a real pipe would carry
        data = None if stdin is None else stdin.encode("utf-8", "surrogatepass")
        result = CliRunner().invoke(main, list(args), input=data)
    assert result.exit_code in (0, 2), result.exception
    return result.stdout + result.stderr


@EXAMPLES
@given(HOSTILE)
def test_ask_prints_no_control_characters(text: str) -> None:
    for args in (
        ["ask", "when"],
        ["ask", "abstain"],
        ["ask", FAIL_QUESTION],
        ["ask", "--json", "when"],
    ):
        assert unsafe_characters(run_cli(text, *args)) == []


@EXAMPLES
@given(HOSTILE)
def test_ask_from_standard_input_prints_no_control_characters(text: str) -> None:
    lines = f"when\n{FAIL_QUESTION}\nabstain\n"
    for args in (["ask", "-"], ["ask", "--json", "-"]):
        assert unsafe_characters(run_cli(text, *args, stdin=lines)) == []


@EXAMPLES
@given(HOSTILE)
def test_docs_prints_no_control_characters(text: str) -> None:
    for args in (["docs"], ["docs", "--json"]):
        assert unsafe_characters(run_cli(text, *args)) == []


@EXAMPLES
@given(HOSTILE)
def test_timeline_prints_no_control_characters(text: str) -> None:
    for args in (["timeline", "x"], ["timeline", "--json"]):
        assert unsafe_characters(run_cli(text, *args)) == []


# Controls that regular expressions count as whitespace, so they end up inside a date.
CONTROL_SPACES = st.sampled_from(["\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\r"])


@EXAMPLES
@given(HOSTILE, CONTROL_SPACES)
def test_timex_prints_no_control_characters(text: str, space: str) -> None:
    document = f"{text} On 11{space}July 1995{text}, three years later{text} in spring 2007."
    for args in (["timex", "--dct", "2016-05-24"], ["timex", "--json"]):
        assert unsafe_characters(run_cli(text, *args, stdin=document)) == []


@EXAMPLES
@given(HOSTILE)
def test_an_unreadable_timex_file_name_is_printed_inertly(text: str) -> None:
    assert unsafe_characters(run_cli(text, "timex", f"missing-{text}.txt")) == []


@EXAMPLES
@given(HOSTILE)
def test_eval_prints_no_control_characters(text: str) -> None:
    with CliRunner().isolated_filesystem():
        Path("q.jsonl").write_text(json.dumps({"q": text, "docs": ["a"], "keys": ["k"]}) + "\n")
        for args in (["eval", "q.jsonl", "--misses"], ["eval", "q.jsonl", "--json"]):
            assert unsafe_characters(run_cli(text, *args)) == []


CONSOLE_LINES = f"when\nabstain\n{FAIL_QUESTION}\n/timeline x\n/sources\n/source x\n/bogus\n"


@EXAMPLES
@given(HOSTILE)
def test_the_piped_console_prints_no_control_characters(text: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("bot.wiring.open_service", lambda *a, **k: HostileService(text))
        patch.setattr(console_module.sys, "stderr", err)
        console_module.run(None, io.StringIO(CONSOLE_LINES + text + "\n"), out)
    assert unsafe_characters(out.getvalue() + err.getvalue()) == []


@EXAMPLES
@given(HOSTILE)
def test_the_console_in_a_terminal_prints_no_control_characters(text: str) -> None:
    # given rich writing to a terminal, without colour so its own escapes do not muddle the check
    screen = io.StringIO()
    terminal = Console(file=screen, width=72, color_system=None, markup=False, highlight=False)
    output = RichOutput(terminal, paging=False)
    session = ConsoleSession(HostileService(text), output, default_top=3)  # type: ignore[arg-type]
    # when every command runs, a failing one and the person's own line echoed
    for line in [*CONSOLE_LINES.splitlines(), text]:
        output.echo(line)
        session.handle(line)
    # then the screen holds no raw control character
    assert unsafe_characters(screen.getvalue()) == []


def test_a_hostile_corpus_file_is_quoted_and_listed_inertly(tmp_path: Path) -> None:
    # given a document whose title, text and file name carry terminal escapes
    corpus = write_corpus(
        tmp_path / "c",
        {
            "evil\x1b[2J.txt": (
                "\x1b]0;owned\x07Harbour\u202e report\n\n"
                "The harbour bridge\x08\x08\x08 opened in 1932 after eight years of work.\n"
            )
        },
    )
    runner = CliRunner()
    for args, shown in (
        (["ask", "When did the harbour bridge open?"], "opened in 1932"),
        (["ask", "--json", "When did the harbour bridge open?"], "opened in 1932"),
        (["docs"], "Harbour"),
        (["timeline", "bridge"], "opened in 1932"),
    ):
        # when each command prints it
        result = runner.invoke(main, [*args, "--corpus", str(corpus)])
        # then it is shown, but no control character reaches the terminal
        assert result.exit_code == 0, result.output
        assert shown in result.stdout
        assert unsafe_characters(result.stdout + result.stderr) == []
