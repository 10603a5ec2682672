"""The bot over the real service and the bundled seeds, against the fake Discord."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.wiring import open_service
from tests.conftest import SEEDS
from tests.fakes.discord_api import EPHEMERAL, autocomplete, button_click, slash
from tests.fakes.harness import RunningBot, embed_text, next_interaction_id, running_bot
from tests.fakes.harness import settings_for as harness_settings

ASKER = 5151
Scenario = Callable[[RunningBot], Awaitable[None]]
SEED_IDS = sorted(path.stem for path in SEEDS.glob("*.txt"))


def seeds_settings(tmp_path: Path) -> Settings:
    return harness_settings(tmp_path / "cache", corpus=SEEDS)


def play(scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = seeds_settings(tmp_path)
    service = open_service(settings)

    async def main() -> None:
        async with running_bot(service, settings, monkeypatch) as bot:
            await scenario(bot)

    asyncio.run(main())


def collapsed(text: str) -> str:
    return " ".join(text.split())


def quoted_passages(value: str) -> list[str]:
    """The block-quoted text in a field, unescaped and without a trailing ellipsis."""
    passages = []
    for line in value.splitlines():
        if line.startswith("> "):
            passages.append(re.sub(r"\\(.)", r"\1", line[2:]).removesuffix("…"))
    return passages


def test_an_answer_quotes_the_seed_files_verbatim_with_their_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        question = {"question": "When was the arms embargo lifted?"}
        command = slash("ask", question, ASKER, next_interaction_id())

        _, followup = await bot.exchange(command, 2)

        fields = followup.body["embeds"][0]["fields"]
        assert fields
        for field in fields:
            doc_id = field["name"].split(" ")[1]
            assert doc_id in SEED_IDS
            original = collapsed((SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8"))
            for passage in quoted_passages(field["value"]):
                assert collapsed(passage) in original

    play(scenario, tmp_path, monkeypatch)


def test_sources_lists_the_five_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(bot: RunningBot) -> None:
        (reply,) = await bot.exchange(slash("sources", {}, ASKER, next_interaction_id()))

        text = embed_text(reply.body["data"])
        assert all(f"`{doc_id}`" in text for doc_id in SEED_IDS)

    play(scenario, tmp_path, monkeypatch)


def test_source_autocomplete_then_source_shows_the_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        typed = autocomplete("source", "doc", SEED_IDS[1][:6], ASKER, next_interaction_id())
        (choices,) = await bot.exchange(typed)
        chosen = choices.body["data"]["choices"][0]["value"]

        command = slash("source", {"doc": chosen}, ASKER, next_interaction_id())
        _, followup = await bot.exchange(command, 2)

        assert chosen == SEED_IDS[1]
        assert f"`{chosen}`" in embed_text(followup.body)

    play(scenario, tmp_path, monkeypatch)


def test_a_question_of_only_stop_words_is_explained_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        command = slash("ask", {"question": "what is it"}, ASKER, next_interaction_id())

        _, explanation = await bot.exchange(command, 2)

        assert explanation.method == "PATCH"
        assert explanation.body["content"].startswith("the question")
        assert "\n" not in explanation.body["content"]
        assert explanation.body["allowed_mentions"] == {"parse": []}

    play(scenario, tmp_path, monkeypatch)


def test_an_unknown_doc_id_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        options = {"question": "embargo", "doc": "999_missing"}
        command = slash("ask", options, ASKER, next_interaction_id())

        (refusal,) = await bot.exchange(command)

        assert refusal.body["data"]["flags"] == EPHEMERAL
        assert refusal.body["data"]["content"].startswith("unknown document '999_missing'")

    play(scenario, tmp_path, monkeypatch)


def test_a_timeline_of_the_seeds_is_dated_and_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        command = slash("timeline", {}, ASKER, next_interaction_id())
        _, first = await bot.exchange(command, 2)
        message = bot.fake.messages[max(bot.fake.messages)]
        next_button = first.body["components"][0]["components"][1]

        (turn,) = await bot.exchange(
            button_click(message, next_button["custom_id"], ASKER, next_interaction_id())
        )

        assert re.search(r"\*\*\d{4}", embed_text(first.body))
        assert any(f"`{doc_id}`" in embed_text(first.body) for doc_id in SEED_IDS)
        assert "Page 2/" in embed_text(turn.body["data"])

    play(scenario, tmp_path, monkeypatch)


def test_a_timeline_range_that_ends_before_it_starts_is_refused_privately(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        options = {"from": "2010", "to": "1995"}
        command = slash("timeline", options, ASKER, next_interaction_id())

        (refusal,) = await bot.exchange(command)

        assert refusal.body["data"]["flags"] == EPHEMERAL
        assert (
            refusal.body["data"]["content"]
            == "the range is backwards: from 2010 comes after to 1995"
        )

    play(scenario, tmp_path, monkeypatch)
