"""A running console follows its corpus folder: new, changed and removed files, no restart."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from tests.conftest import write_corpus

PROMPT = "quotebot>"
SETTLE_SECONDS = 30  # generous: the suite may share the cores with other work
HARBOUR = "The harbour ferry crossed the bay at dawn with forty cars aboard."
LIGHTHOUSE = "The lighthouse keeper painted the lamp room green in the spring."
REPAINTED = "The lighthouse keeper painted the lamp room crimson after the storm."
QUESTION = "What colour did the lighthouse keeper paint the lamp room?"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", {"harbour.txt": HARBOUR})


@pytest.fixture
def console(corpus: Path, tmp_path: Path) -> Iterator[pexpect.spawn]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    home = tmp_path / "home"
    home.mkdir()
    env.update(
        HOME=str(home),
        TERM="xterm-256color",
        PROMPT_TOOLKIT_NO_CPR="1",
        QUOTEBOT_WATCH_DEBOUNCE_SECONDS="0.3",
    )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bot", "console", "--corpus", str(corpus)],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(200, 200),
    )
    child.expect(PROMPT)
    yield child
    child.close(force=True)


def answer(child: pexpect.spawn, question: str) -> str:
    """The first quote of the answer, or "" when the console says the sources do not answer."""
    child.sendline(question)
    found = child.expect(["don't answer", "“([^”]*)”"])
    quoted = "" if found == 0 else str(child.match.group(1))
    child.expect(PROMPT)
    return quoted


def command(child: pexpect.spawn, line: str, said: str) -> str:
    child.sendline(line)
    child.expect(said)
    text = str(child.after)
    child.expect(PROMPT)
    return text


def eventually(child: pexpect.spawn, question: str, holds: object) -> str:
    """Asks until the answer satisfies ``holds`` (the folder is applied in the background)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        text = answer(child, question)
        if holds(text) or time.monotonic() > deadline:  # type: ignore[operator]
            return text
        time.sleep(0.3)


def test_the_console_answers_from_added_changed_and_removed_files(
    console: pexpect.spawn, corpus: Path
) -> None:
    # given a running console whose corpus does not mention the lighthouse
    assert "lamp room" not in answer(console, QUESTION)
    # when a document is added, it is quoted without a restart
    (corpus / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    assert "green" in eventually(console, QUESTION, lambda text: "green" in text)
    # when it is edited, the changed text is quoted
    (corpus / "lighthouse.txt").write_text(REPAINTED, encoding="utf-8")
    edited = eventually(console, QUESTION, lambda text: "crimson" in text)
    assert "crimson" in edited and "green" not in edited
    # when it is removed, it is quoted no more
    (corpus / "lighthouse.txt").unlink()
    assert "lamp room" not in eventually(console, QUESTION, lambda text: "lamp" not in text)


def test_reload_says_what_changed(console: pexpect.spawn, corpus: Path) -> None:
    (corpus / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    (corpus / "harbour.txt").write_text(HARBOUR + " It sailed again at noon.", encoding="utf-8")
    said = command(console, "/reload", r"\+1 document, 1 changed, 0 removed|index up to date")
    # the background watcher may have applied the changes first; then /reload finds none
    assert said in ("+1 document, 1 changed, 0 removed", "index up to date")


def test_a_broken_new_file_is_skipped_and_the_console_keeps_serving(
    console: pexpect.spawn, corpus: Path
) -> None:
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02 binary")
    (corpus / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    assert "green" in eventually(console, QUESTION, lambda text: "green" in text)
    assert "harbour" in answer(console, "When did the harbour ferry cross the bay at dawn?")


def test_sources_says_when_the_index_was_last_updated(corpus: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--corpus", str(corpus)],
        input="/sources\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "harbour" in result.stdout
    assert re.search(r"index updated \d{4}-\d\d-\d\dT", result.stderr)
