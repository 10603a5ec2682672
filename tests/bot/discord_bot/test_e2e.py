"""The real discord.py bot, in-process, against a fake Discord on 127.0.0.1.

Every scenario ends by validating each payload the bot sent against Discord's OpenAPI spec
and the limits the spec leaves out (see ``tests.fakes.harness.running_bot``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import pytest
from discord.ext import commands

from bot.discord_bot import render
from bot.discord_bot.app import REJECTED_TOKEN, DiscordApp
from bot.discord_bot.cog import ASK_ABOUT_MESSAGE, NO_QUESTION
from bot.discord_bot.views import APOLOGY, NOT_YOURS
from bot.settings import Settings
from retrieval.results import Answer
from tests.fakes.discord_api import (
    APP_ID,
    BOT_USER,
    EPHEMERAL,
    GUILD_ID,
    TOKEN,
    FakeDiscord,
    Recorded,
    autocomplete,
    button_click,
    message_command,
    slash,
    user_message,
)
from tests.fakes.harness import (
    RunningBot,
    embed_text,
    message_payloads,
    next_interaction_id,
    point_discord_at,
    running_bot,
    settings_for,
)
from tests.fakes.service import (
    BRIDGE,
    BRIDGE_QUOTE,
    COUNCIL,
    PING_QUOTE,
    UPDATED,
    FakeService,
)

ASKER = 4242
NO_PINGS = {"parse": []}
Scenario = Callable[[RunningBot], Awaitable[None]]


def play(
    scenario: Scenario,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    service: FakeService | None = None,
    **overrides: object,
) -> None:
    async def main() -> None:
        settings = settings_for(tmp_path, **overrides)
        async with running_bot(service or FakeService(), settings, monkeypatch) as bot:
            await scenario(bot)

    asyncio.run(main())


def ask(question: str, user: int = ASKER, **options: object) -> dict[str, object]:
    return slash("ask", {"question": question, **options}, user, next_interaction_id())


def test_ask_defers_then_follows_up_with_quotes_and_doc_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        defer, followup = await bot.exchange(ask("when did the bridge open"), 2)

        assert defer.body == {"type": 5}
        assert followup.path == f"/webhooks/{APP_ID}/{bot_token(defer)}"
        text = embed_text(followup.body)
        assert f"> {BRIDGE_QUOTE}" in text
        assert BRIDGE in text
        assert render.VERBATIM_FOOTER in text
        assert followup.body["allowed_mentions"] == NO_PINGS

    play(scenario, tmp_path, monkeypatch)


def test_mentions_in_quotes_are_shown_but_never_ping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        _, followup = await bot.exchange(ask("who wrote letters"), 2)

        assert "@everyone and to <@123>" in embed_text(followup.body)
        assert PING_QUOTE not in embed_text(followup.body)  # its Markdown is escaped
        assert followup.body["allowed_mentions"] == NO_PINGS

    play(scenario, tmp_path, monkeypatch)


def test_a_private_ask_is_ephemeral_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        defer, followup = await bot.exchange(ask("when", private=True), 2)

        assert defer.body == {"type": 5, "data": {"flags": EPHEMERAL}}
        assert followup.body["flags"] == EPHEMERAL

    play(scenario, tmp_path, monkeypatch)


def test_ask_passes_top_and_doc_to_the_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = FakeService()

    async def scenario(bot: RunningBot) -> None:
        await bot.exchange(ask("when", top=1, doc="000_1111"), 2)

        assert ("ask", {"question": "when", "top": 1, "docs": [BRIDGE]}) in service.calls

    play(scenario, tmp_path, monkeypatch, service)


def test_an_unanswerable_question_says_so_and_names_the_nearest_documents(
    tmp_path, monkeypatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        _, followup = await bot.exchange(ask("what is the airspeed of a swallow"), 2)

        text = embed_text(followup.body)
        assert render.NO_ANSWER in text
        assert f"{render.NEAREST_HEADING}\n• `{BRIDGE}`" in text

    play(scenario, tmp_path, monkeypatch)


def test_the_timeline_pages_and_the_next_button_turns_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        command = slash("timeline", {"topic": "bridge"}, ASKER, next_interaction_id())
        _, first = await bot.exchange(command, 2)
        assert "Page 1/3 · 30 events" in embed_text(first.body)
        message = bot.fake.messages[max(bot.fake.messages)]
        next_button = first.body["components"][0]["components"][1]
        assert next_button["label"] == "Next"

        (turn,) = await bot.exchange(
            button_click(message, next_button["custom_id"], ASKER, next_interaction_id())
        )

        assert turn.body["type"] == 7
        assert "Page 2/3" in embed_text(turn.body["data"])
        assert turn.body["data"]["allowed_mentions"] == NO_PINGS
        previous = turn.body["data"]["components"][0]["components"][0]
        assert previous["disabled"] is False

    play(scenario, tmp_path, monkeypatch)


def test_only_the_invoker_can_turn_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        _, first = await bot.exchange(slash("timeline", {}, ASKER, next_interaction_id()), 2)
        message = bot.fake.messages[max(bot.fake.messages)]
        custom_id = first.body["components"][0]["components"][1]["custom_id"]

        (refusal,) = await bot.exchange(
            button_click(message, custom_id, 999, next_interaction_id())
        )

        assert refusal.body["type"] == 4
        assert refusal.body["data"]["content"] == NOT_YOURS
        assert refusal.body["data"]["flags"] == EPHEMERAL

    play(scenario, tmp_path, monkeypatch)


def test_timeline_dates_and_doc_reach_the_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = FakeService()

    async def scenario(bot: RunningBot) -> None:
        options = {"from": "1905", "to": "1910/06", "doc": COUNCIL}
        _, followup = await bot.exchange(
            slash("timeline", options, ASKER, next_interaction_id()), 2
        )

        call = {"topic": None, "start": "1905", "end": "1910-06", "docs": [COUNCIL], "limit": None}
        assert ("timeline", call) in service.calls
        assert "components" not in followup.body or not followup.body["components"]

    play(scenario, tmp_path, monkeypatch, service)


def test_a_bad_date_gets_a_private_one_line_explanation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        command = slash("timeline", {"from": "last spring"}, ASKER, next_interaction_id())

        (reply,) = await bot.exchange(command)

        assert reply.body["type"] == 4
        assert reply.body["data"]["flags"] == EPHEMERAL
        assert reply.body["data"]["content"] == (
            "'last spring' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
        )
        assert reply.body["data"]["allowed_mentions"] == NO_PINGS

    play(scenario, tmp_path, monkeypatch)


def test_an_unknown_doc_id_gets_a_private_explanation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        command = slash("source", {"doc": "999_nope"}, ASKER, next_interaction_id())

        (reply,) = await bot.exchange(command)

        assert reply.body["data"]["flags"] == EPHEMERAL
        assert reply.body["data"]["content"].startswith("unknown document '999_nope'")

    play(scenario, tmp_path, monkeypatch)


def test_sources_lists_every_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(bot: RunningBot) -> None:
        (reply,) = await bot.exchange(slash("sources", {}, ASKER, next_interaction_id()))

        text = embed_text(reply.body["data"])
        assert all(doc_id in text for doc_id in (BRIDGE, COUNCIL))
        assert f"index updated {UPDATED}" in text
        assert reply.body["data"]["allowed_mentions"] == NO_PINGS

    play(scenario, tmp_path, monkeypatch)


def test_source_autocomplete_offers_matching_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        typed = autocomplete("source", "doc", "minutes", ASKER, next_interaction_id())
        typed["data"]["options"][0]["value"] = "council"

        (choices,) = await bot.exchange(typed)

        assert choices.body == {
            "type": 8,
            "data": {"choices": [{"name": f"{COUNCIL} · City council minutes", "value": COUNCIL}]},
        }

    play(scenario, tmp_path, monkeypatch)


def test_source_shows_the_chosen_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(bot: RunningBot) -> None:
        command = slash("source", {"doc": COUNCIL}, ASKER, next_interaction_id())

        _, followup = await bot.exchange(command, 2)

        text = embed_text(followup.body)
        assert "City council minutes" in text
        assert "> Minutes of the meeting held on 3 March 1998." in text

    play(scenario, tmp_path, monkeypatch)


def test_help_explains_the_bot_privately(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(bot: RunningBot) -> None:
        (reply,) = await bot.exchange(slash("help", {}, ASKER, next_interaction_id()))

        assert reply.body["data"]["flags"] == EPHEMERAL
        assert "/timeline" in embed_text(reply.body["data"])

    play(scenario, tmp_path, monkeypatch)


def test_ask_about_this_message_uses_its_text_as_the_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = FakeService()

    async def scenario(bot: RunningBot) -> None:
        target = user_message(bot.fake.next_id(), "When did the bridge open?", 77)
        command = message_command(ASK_ABOUT_MESSAGE, target, ASKER, next_interaction_id())

        defer, followup = await bot.exchange(command, 2)

        assert defer.body["data"]["flags"] == EPHEMERAL
        assert BRIDGE in embed_text(followup.body)
        assert service.calls[-1][1]["question"] == "When did the bridge open?"

    play(scenario, tmp_path, monkeypatch, service)


def test_fifty_concurrent_asks_are_all_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        commands = [ask(f"when did the bridge open {n}", user=1000 + n) for n in range(50)]

        await asyncio.gather(*(bot.send(command) for command in commands))
        replies = await asyncio.gather(*(bot.replies(command, 2) for command in commands))

        for command, (defer, followup) in zip(commands, replies, strict=True):
            assert defer.body == {"type": 5}
            assert str(command["data"]["options"][0]["value"]) in embed_text(followup.body)

    play(scenario, tmp_path, monkeypatch)


def test_asking_too_often_gets_a_private_try_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        for _ in range(2):
            await bot.exchange(ask("when"), 2)

        (refusal,) = await bot.exchange(ask("when"))

        assert refusal.body["data"]["flags"] == EPHEMERAL
        assert "try again in" in refusal.body["data"]["content"]

    play(scenario, tmp_path, monkeypatch, cooldown_questions=2)


class BrokenService(FakeService):
    """Fails on one question, as an unexpected bug would."""

    def ask(self, question: str, top: int = 3, docs: Sequence[str] | None = None) -> Answer:
        if question == "boom":
            raise RuntimeError("index exploded")
        return super().ask(question, top, docs)


def test_an_unexpected_failure_is_logged_apologised_for_and_survived(
    tmp_path, monkeypatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(bot: RunningBot) -> None:
        _, apology = await bot.exchange(ask("boom"), 2)
        _, answer = await bot.exchange(ask("when"), 2)

        assert apology.method == "PATCH"
        assert apology.body["content"] == APOLOGY
        assert BRIDGE in embed_text(answer.body)

    play(scenario, tmp_path, monkeypatch, BrokenService())
    failure = next(r for r in caplog.records if r.getMessage() == "command ask failed")
    assert failure.exc_info is not None


def test_a_mention_with_a_question_gets_a_reply_when_enabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        message = user_message(bot.fake.next_id(), f"<@{APP_ID}> when did it open?", ASKER)
        message["mentions"] = [BOT_USER]
        message["guild_id"] = str(GUILD_ID)

        await bot.fake.dispatch("MESSAGE_CREATE", message)
        (reply,) = await bot.fake.wait_for(lambda r: r.path.startswith("/channels/"))

        assert BRIDGE in embed_text(reply.body)
        assert reply.body["allowed_mentions"]["parse"] == []
        assert str(reply.body["message_reference"]["message_id"]) == message["id"]

    play(scenario, tmp_path, monkeypatch, discord_message_content=True)


def test_a_bare_mention_is_asked_for_a_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        # given a message that only mentions the bot
        message = user_message(bot.fake.next_id(), f"<@{APP_ID}>", ASKER)
        message["mentions"] = [BOT_USER]
        message["guild_id"] = str(GUILD_ID)
        # when it arrives
        await bot.fake.dispatch("MESSAGE_CREATE", message)
        (reply,) = await bot.fake.wait_for(lambda r: r.path.startswith("/channels/"))
        # then the reply says what to do, without naming a slash command
        assert reply.body["content"] == NO_QUESTION

    play(scenario, tmp_path, monkeypatch, discord_message_content=True)


def test_every_payload_passes_the_spec_and_the_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        await bot.exchange(ask("when", top=5), 2)
        await bot.exchange(slash("timeline", {}, ASKER, next_interaction_id()), 2)
        await bot.exchange(slash("sources", {}, ASKER, next_interaction_id()))

        assert len(message_payloads(bot.fake.requests)) >= 3

    play(scenario, tmp_path, monkeypatch, FakeService(event_count=500))


def bot_token(request: Recorded) -> str:
    return request.path.split("/")[3]


def commands_synced(fake: FakeDiscord) -> int:
    return sum(request.method == "PUT" for request in fake.requests)


def test_commands_sync_to_the_guild_once_until_they_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def start(sync: bool) -> FakeDiscord:
        settings = settings_for(tmp_path)
        async with running_bot(FakeService(), settings, monkeypatch, sync=sync) as bot:
            return bot.fake

    first, second, forced = (asyncio.run(start(sync)) for sync in (False, False, True))

    assert commands_synced(first) == 1
    assert first.requests[2].path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
    assert commands_synced(second) == 0
    assert commands_synced(forced) == 1


def test_without_a_guild_commands_sync_globally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def main() -> None:
        settings = settings_for(tmp_path, discord_guild_id=0)
        async with running_bot(FakeService(), settings, monkeypatch) as bot:
            (put,) = [r for r in bot.fake.requests if r.method == "PUT"]
            assert put.path == f"/applications/{APP_ID}/commands"

    asyncio.run(main())


def test_a_shard_count_runs_an_auto_sharded_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One shard: discord.py waits five seconds between the identifies of several.
    async def main() -> None:
        settings = settings_for(tmp_path, discord_shard_count=1)
        async with running_bot(FakeService(), settings, monkeypatch) as bot:
            assert isinstance(bot.app.bot, commands.AutoShardedBot)
            assert bot.fake.identifies[0]["shard"] == [0, 1]
            _, followup = await bot.exchange(ask("when"), 2)
            assert BRIDGE in embed_text(followup.body)

    asyncio.run(main())


def test_the_token_is_never_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    async def scenario(bot: RunningBot) -> None:
        await bot.exchange(ask("when"), 2)

    play(scenario, tmp_path, monkeypatch)
    assert caplog.records
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


def exit_status_against(fake: FakeDiscord, tmp_path, monkeypatch) -> int:
    async def main() -> int:
        await fake.start()
        point_discord_at(fake, monkeypatch)
        try:
            return await DiscordApp(settings_for(tmp_path), FakeService()).run(TOKEN)
        finally:
            await fake.close()

    return asyncio.run(main())


def test_a_token_rejected_at_login_exits_1_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status = exit_status_against(FakeDiscord(reject_token=True), tmp_path, monkeypatch)

    assert status == 1
    assert capsys.readouterr().err == f"error: {REJECTED_TOKEN}\n"


def test_a_token_rejected_by_the_gateway_exits_1_with_one_line(
    tmp_path, monkeypatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeDiscord(close_gateway_with=4004)

    status = exit_status_against(fake, tmp_path, monkeypatch)

    assert status == 1
    assert capsys.readouterr().err == f"error: {REJECTED_TOKEN}\n"


def test_another_gateway_refusal_exits_1_naming_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeDiscord(close_gateway_with=4013)

    status = exit_status_against(fake, tmp_path, monkeypatch)

    assert status == 1
    assert capsys.readouterr().err.startswith("error: Discord closed the connection (code 4013")


@pytest.mark.parametrize(
    ("token", "complaint"),
    [
        (None, "no Discord bot token"),
        ("  ", "no Discord bot token"),
        ("abc", "QUOTEBOT_DISCORD_TOKEN does not look"),
    ],
)
def test_a_missing_or_malformed_token_exits_2_with_one_line(
    token: str | None, complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.discord_bot import run

    status = run(Settings(discord_token=token))

    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith(f"error: {complaint}")
    assert err.count("\n") == 1
