"""The console as a person meets it: the real program in a pseudo-terminal, and piped."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from tests.conftest import SEEDS

PROMPT = "quotebot>"
TIMEOUT = 30
SEED_ID = re.compile(r"00[0-4]_[0-9a-f]{16}")
MORE = "Space or Enter: more"


@pytest.fixture
def console_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a person with a fresh home directory and an xterm."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    home = tmp_path / "home"
    home.mkdir()
    env.update(HOME=str(home), TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1")
    env.pop("NO_COLOR", None)
    return env


def _spawn(env: dict[str, str], rows: int = 24, columns: int = 100) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bot", "console", "--corpus", str(SEEDS)],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(rows, columns),
    )
    child.expect(PROMPT)
    return child


@pytest.fixture
def console(console_env: dict[str, str]) -> Iterator[pexpect.spawn]:
    child = _spawn(console_env)
    yield child
    child.close(force=True)


def _exit_status(child: pexpect.spawn) -> int | None:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_start_says_what_was_loaded_and_how_to_get_help(console_env: dict[str, str]) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bot", "console", "--corpus", str(SEEDS)],
        env=console_env,
        encoding="utf-8",
        timeout=TIMEOUT,
    )
    child.expect(r"5 documents, \d+ chunks")
    child.expect(r"index (built and cached|loaded from the cache)")
    child.expect("/help")
    child.expect(PROMPT)
    child.close(force=True)


def test_a_question_is_answered_with_quotes_and_document_ids(console: pexpect.spawn) -> None:
    console.sendline("How many Americans were unaccounted for?")
    console.expect("1,679")
    console.expect(SEED_ID)
    console.expect(PROMPT)


def test_a_timeline_lists_dated_events_with_their_documents(console_env: dict[str, str]) -> None:
    child = _spawn(console_env, rows=500)
    child.sendline("/timeline embargo --from 2014")
    child.expect(r"[A-Z][a-z]+ 2014")  # periods read as people write them: "2 October 2014"
    child.expect(SEED_ID)
    child.expect(PROMPT)
    child.close(force=True)


def test_a_long_timeline_pages_and_q_returns_to_the_prompt(console: pexpect.spawn) -> None:
    console.sendline("/timeline")
    console.expect(MORE)
    console.send(" ")
    console.expect(MORE)
    console.send("q")
    console.expect(PROMPT)
    console.sendline("/sources")
    console.expect("004_d3ee043e5275d041")


def test_an_unknown_command_suggests_the_closest_one(console: pexpect.spawn) -> None:
    console.sendline("/timelin embargo")
    console.expect(r"unknown command /timelin: did you mean /timeline\?")
    console.expect(PROMPT)


def test_ctrl_c_drops_the_line_and_the_console_keeps_answering(console: pexpect.spawn) -> None:
    console.send("a half-typed question")
    console.sendintr()
    console.expect(PROMPT)
    console.sendline("/source 002")
    console.expect("002_d6c62ff19fc9144c")
    console.expect(PROMPT)


def test_ctrl_d_leaves_with_status_0(console: pexpect.spawn) -> None:
    console.sendeof()
    assert _exit_status(console) == 0


def test_sigterm_leaves_with_status_143(console: pexpect.spawn) -> None:
    # given a console waiting at its prompt
    # when it is sent SIGTERM (what a container runtime sends to stop it)
    console.kill(signal.SIGTERM)
    # then it exits by itself, as a process that handles the signal (PID 1 in a container
    # gets no default action, so only a handled SIGTERM stops it there)
    assert _exit_status(console) == 143


def test_quit_leaves_with_status_0(console: pexpect.spawn) -> None:
    console.sendline("/quit")
    assert _exit_status(console) == 0


def test_history_is_kept_for_the_next_session(console_env: dict[str, str]) -> None:
    first = _spawn(console_env)
    first.sendline("/source 004")
    first.expect("004_d3ee043e5275d041")
    first.expect(PROMPT)
    first.sendeof()
    _exit_status(first)
    second = _spawn(console_env)
    second.send("\x1b[A")
    second.sendline("")
    second.expect("004_d3ee043e5275d041")
    second.close(force=True)


def _piped(stdin: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *extra, "-m", "bot", "console", "--corpus", str(SEEDS)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_piped_lines_are_each_answered_in_plain_text() -> None:
    result = _piped("When was the arms embargo lifted?\n/timeline embargo\n")
    assert result.returncode == 0
    assert "\x1b" not in result.stdout
    assert "> When was the arms embargo lifted?" in result.stdout
    assert "> /timeline embargo" in result.stdout
    assert len(SEED_ID.findall(result.stdout)) >= 2


def test_piped_mistakes_are_one_line_each_on_stderr_and_the_rest_still_runs() -> None:
    result = _piped("/tiemline\n/source nope\n/sources\n")
    errors = result.stderr.strip().splitlines()[1:]
    assert result.returncode == 0
    assert errors[0] == "error: unknown command /tiemline: did you mean /timeline?"
    assert errors[1].startswith("error: unknown document 'nope'")
    assert "5 documents" in result.stdout


def test_the_console_never_imports_discord() -> None:
    result = _piped("/quit\n", "-X", "importtime")
    imported = [line.split("|")[-1].strip() for line in result.stderr.splitlines()]
    assert result.returncode == 0
    assert "bot.console" in imported
    assert not [name for name in imported if name.split(".")[0] == "discord"]
