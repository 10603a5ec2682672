"""The bot against the fake Discord follows its corpus folder, and /reload is for managers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.discord_bot.cog import MANAGE_SERVER_ONLY
from retrieval.search.corpus_cache import IndexOptions
from retrieval.service import QAService
from tests.conftest import write_corpus
from tests.fakes.discord_api import EPHEMERAL, slash
from tests.fakes.harness import (
    RunningBot,
    embed_text,
    next_interaction_id,
    running_bot,
    settings_for,
)

MANAGER, MEMBER = 5151, 6161
MANAGE_GUILD = 1 << 5
SETTLE_SECONDS = 15
HARBOUR = "The harbour ferry crossed the bay at dawn with forty cars aboard."
LIGHTHOUSE = "The lighthouse keeper painted the lamp room green in the spring."
REPAINTED = "The lighthouse keeper painted the lamp room crimson after the storm."
QUESTION = "What colour did the lighthouse keeper paint the lamp room?"


def play(
    scenario: Callable[[RunningBot, Path], Awaitable[None]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"harbour.txt": HARBOUR})
    cache = tmp_path / "cache"
    service = QAService.open(corpus, IndexOptions(), cache)
    settings = settings_for(cache, corpus=corpus, watch=True, watch_debounce_seconds=0.3)

    async def main() -> None:
        async with running_bot(service, settings, monkeypatch) as bot:
            await scenario(bot, corpus)

    asyncio.run(main())


async def answer_text(bot: RunningBot) -> str:
    """The quoted lines of the bot's answer (its embed also repeats the question)."""
    payload = slash("ask", {"question": QUESTION}, 1, next_interaction_id())
    _, followup = await bot.exchange(payload, 2)
    lines = embed_text(followup.body).splitlines()
    return "\n".join(line for line in lines if line.startswith("> "))


async def eventually(bot: RunningBot, holds: Callable[[str], bool]) -> str:
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        text = await answer_text(bot)
        if holds(text) or time.monotonic() > deadline:
            return text
        await asyncio.sleep(0.3)


def reload_by(user: int, permissions: int) -> dict[str, object]:
    payload = slash("reload", {}, user, next_interaction_id())
    payload["member"]["permissions"] = str(permissions)  # type: ignore[index]
    return payload


def test_the_bot_answers_from_added_changed_and_removed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot, corpus: Path) -> None:
        assert "lamp room" not in await answer_text(bot)
        (corpus / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
        assert "green" in await eventually(bot, lambda text: "green" in text)
        (corpus / "lighthouse.txt").write_text(REPAINTED, encoding="utf-8")
        edited = await eventually(bot, lambda text: "crimson" in text)
        assert "crimson" in edited and "green" not in edited
        (corpus / "lighthouse.txt").unlink()
        assert "lamp room" not in await eventually(bot, lambda text: "lamp room" not in text)

    play(scenario, tmp_path, monkeypatch)


def test_reload_is_refused_to_members_who_cannot_manage_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot, corpus: Path) -> None:
        (refusal,) = await bot.exchange(reload_by(MEMBER, 0))
        assert refusal.body["data"]["content"] == MANAGE_SERVER_ONLY
        assert refusal.body["data"]["flags"] == EPHEMERAL

    play(scenario, tmp_path, monkeypatch)


def test_reload_tells_a_manager_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot, corpus: Path) -> None:
        (corpus / "harbour.txt").unlink()
        (corpus / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
        defer, report = await bot.exchange(reload_by(MANAGER, MANAGE_GUILD), 2)
        assert defer.body == {"type": 5, "data": {"flags": EPHEMERAL}}
        said = report.body["content"]
        # the watcher may have applied the change a moment before /reload ran
        assert said.startswith(
            ("+1 document, 0 changed, 1 removed", "index up to date: 1 document")
        )

    play(scenario, tmp_path, monkeypatch)
