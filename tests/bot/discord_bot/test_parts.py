"""The Discord adapter's parts on their own: table, pager, cooldown, sync, intents."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import discord
import pytest
from discord.ext import commands

from bot.commands import public_commands
from bot.discord_bot.app import build_bot, intents_for
from bot.discord_bot.cog import ASK_ABOUT_MESSAGE, QuotebotCog
from bot.discord_bot.cooldown import OnCooldown, QuestionLimiter
from bot.discord_bot.sync import command_payloads, hash_file, payload_hash
from bot.discord_bot.views import Pager
from bot.discord_bot.worker import ServiceWorker
from bot.settings import Settings
from tests.fakes.service import DOCUMENTS, FakeService

OPTION_TYPES = {"text": 3, "integer": 4, "boolean": 5, "date": 3, "document": 3}


def loaded_tree(settings: Settings) -> tuple[commands.Bot, list[dict[str, Any]]]:
    """The commands a sync would register, built without any network."""

    async def build() -> tuple[commands.Bot, list[dict[str, Any]]]:
        bot = build_bot(settings)
        worker = ServiceWorker(FakeService())
        await bot.add_cog(QuotebotCog(bot, worker, settings, list(DOCUMENTS)))
        worker.close()
        return bot, command_payloads(bot.tree, None)

    return asyncio.run(build())


def test_discord_offers_exactly_the_table_s_commands_and_options() -> None:
    _, payloads = loaded_tree(Settings())
    slash = {payload["name"]: payload for payload in payloads if payload["type"] == 1}

    assert list(slash) == [command.name for command in public_commands()]
    for command in public_commands():
        registered = slash[command.name]
        assert registered["description"] == command.description
        expected = [
            {
                "name": option.name,
                "description": option.description,
                "type": OPTION_TYPES[option.kind],
                "required": option.required,
            }
            for option in command.options
        ]
        seen = [
            {key: option[key] for key in ("name", "description", "type", "required")}
            for option in registered.get("options", [])
        ]
        assert seen == expected


def test_top_is_bounded_on_discord_as_in_the_table() -> None:
    _, payloads = loaded_tree(Settings())
    ask = next(payload for payload in payloads if payload["name"] == "ask")

    top = next(option for option in ask["options"] if option["name"] == "top")

    assert (top["min_value"], top["max_value"]) == (1, 5)


def test_doc_options_autocomplete() -> None:
    _, payloads = loaded_tree(Settings())

    docs = [
        option
        for payload in payloads
        for option in payload.get("options", [])
        if option["name"] == "doc"
    ]

    assert len(docs) == 3
    assert all(option["autocomplete"] for option in docs)


def test_the_message_context_menu_is_registered() -> None:
    _, payloads = loaded_tree(Settings())

    assert {"name": ASK_ABOUT_MESSAGE, "type": 3} in [
        {"name": payload["name"], "type": payload["type"]} for payload in payloads
    ]


def test_the_payload_hash_is_stable_and_changes_with_the_commands() -> None:
    _, payloads = loaded_tree(Settings())
    changed = [*payloads[:-1], {**payloads[-1], "description": "other"}]

    assert payload_hash(payloads) == payload_hash(loaded_tree(Settings())[1])
    assert payload_hash(changed) != payload_hash(payloads)


def test_sync_hashes_are_kept_per_application_and_scope(tmp_path: Path) -> None:
    assert hash_file(tmp_path, 1, 0).name == "commands-1-global.sha256"
    assert hash_file(tmp_path, 1, 9).name == "commands-1-guild-9.sha256"


def test_the_bot_never_pings_and_shards_only_when_asked() -> None:
    plain = build_bot(Settings())
    sharded = build_bot(Settings(discord_shard_count=3))

    assert plain.allowed_mentions is not None
    assert plain.allowed_mentions.to_dict() == {"parse": []}
    assert not isinstance(plain, commands.AutoShardedBot)
    assert isinstance(sharded, commands.AutoShardedBot)
    assert sharded.shard_count == 3


def test_message_content_is_requested_only_when_enabled() -> None:
    assert not intents_for(Settings()).message_content
    assert intents_for(Settings(discord_message_content=True)).message_content


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_user_may_ask_up_to_the_rate_within_the_window() -> None:
    clock = Clock()
    limiter = QuestionLimiter(rate=2, per=30, clock=clock)
    limiter.hit(1)
    clock.now += 10
    limiter.hit(1)

    with pytest.raises(OnCooldown) as refused:
        limiter.hit(1)

    assert refused.value.retry_after == 20
    assert "try again in 20 s" in str(refused.value)


def test_the_window_slides_and_users_are_counted_apart() -> None:
    clock = Clock()
    limiter = QuestionLimiter(rate=1, per=30, clock=clock)
    limiter.hit(1)
    limiter.hit(2)
    clock.now += 30

    limiter.hit(1)


def pages(count: int) -> list[discord.Embed]:
    return [discord.Embed(title=f"page {number}") for number in range(1, count + 1)]


def test_the_pager_starts_with_previous_disabled() -> None:
    async def build() -> Pager:
        return Pager(pages(3), owner_id=1)

    pager = asyncio.run(build())

    assert pager.previous.disabled
    assert not pager.next.disabled
    assert all(len(item.custom_id or "") <= 100 for item in (pager.previous, pager.next))


class RecordingMessage:
    def __init__(self) -> None:
        self.edits: list[dict[str, Any]] = []

    async def edit(self, **changes: Any) -> None:
        self.edits.append(changes)


def test_a_timed_out_pager_disables_its_buttons_on_the_message() -> None:
    message = RecordingMessage()

    async def time_out() -> Pager:
        pager = Pager(pages(3), owner_id=1)
        pager.message = message  # type: ignore[assignment]
        await pager.on_timeout()
        return pager

    pager = asyncio.run(time_out())

    assert pager.previous.disabled
    assert pager.next.disabled
    assert message.edits[0]["view"] is pager


def test_a_slow_timeline_never_holds_up_a_question() -> None:
    # given a service whose timeline blocks until released
    release = threading.Event()

    class SlowTimelines(FakeService):
        def timeline(self, *args: Any, **kwargs: Any) -> Any:
            release.wait(10)
            return super().timeline(*args, **kwargs)

    async def scenario() -> None:
        worker = ServiceWorker(SlowTimelines(), threads=2)
        try:
            slow = asyncio.ensure_future(worker.timeline())
            # when a question comes while the timeline runs, then it is answered at once
            answer = await asyncio.wait_for(worker.ask(question="when"), timeout=5)
            assert answer.quotes
            assert not slow.done()
            release.set()
            await slow
        finally:
            release.set()
            worker.close()

    asyncio.run(scenario())
