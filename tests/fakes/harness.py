"""The real bot, in-process, connected to the fake Discord: start it, drive it, check it."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl

from bot.discord_bot.app import DiscordApp
from bot.discord_bot.worker import Service
from bot.settings import Settings
from tests.fakes.discord_api import GUILD_ID, TOKEN, FakeDiscord, Recorded
from tests.fakes.openapi import discord_spec
from tests.fakes.payloads import choice_violations, command_violations, message_violations

_interaction_ids = itertools.count(3 * 10**17)


def next_interaction_id() -> int:
    return next(_interaction_ids)


def settings_for(cache: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "discord_token": TOKEN,
        "discord_guild_id": GUILD_ID,
        "cache_dir": cache,
        "cooldown_questions": 100,
        "cooldown_seconds": 30.0,
        "answer_top": 3,
    }
    return Settings(**(values | overrides))


def point_discord_at(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py's own class attributes decide where it connects."""
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway))


@dataclass
class RunningBot:
    fake: FakeDiscord
    app: DiscordApp

    async def send(self, payload: dict[str, Any]) -> None:
        await self.fake.dispatch("INTERACTION_CREATE", payload)

    async def replies(self, payload: dict[str, Any], count: int) -> list[Recorded]:
        """The first ``count`` requests the bot made to answer this interaction."""
        token = payload["token"]
        return await self.fake.wait_for(lambda request: f"/{token}" in request.path, count)

    async def exchange(self, payload: dict[str, Any], count: int = 1) -> list[Recorded]:
        await self.send(payload)
        return await self.replies(payload, count)


@contextlib.asynccontextmanager
async def running_bot(
    service: Service,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    *,
    sync: bool = False,
) -> AsyncIterator[RunningBot]:
    """A connected bot; on exit it is closed and every payload it sent is checked."""
    fake = FakeDiscord()
    await fake.start()
    point_discord_at(fake, monkeypatch)
    app = DiscordApp(settings, service, sync=sync)
    task = asyncio.create_task(app.run(TOKEN))
    try:
        await fake.wait_until_identified()
        yield RunningBot(fake, app)
    finally:
        await app.bot.close()
        status = await task
        await fake.close()
    assert status == 0
    assert_payloads_valid(fake.requests)


def assert_payloads_valid(requests: list[Recorded]) -> None:
    """Every body the bot sent fits Discord's spec and the limits the spec leaves out."""
    spec = discord_spec()
    problems: list[str] = []
    for request in requests:
        if request.body is None:
            continue
        problems += spec.request_errors(request.method, request.path, request.body)
        problems += limit_problems(request)
    assert not problems, "\n".join(problems)


def limit_problems(request: Recorded) -> list[str]:
    body = request.body
    if "/commands" in request.path:
        return [problem for command in body for problem in command_violations(command)]
    if request.path.endswith("/callback"):
        data = body.get("data") or {}
        if body["type"] == 8:
            return choice_violations(data.get("choices", []))
        return message_violations(data)
    return message_violations(body)


def message_payloads(requests: list[Recorded]) -> list[dict[str, Any]]:
    """The message bodies among ``requests``: callback data with a message, and webhooks."""
    messages = []
    for request in requests:
        if request.path.endswith("/callback"):
            if request.body["type"] in (4, 7):
                messages.append(request.body["data"])
        elif request.method in ("POST", "PATCH"):
            messages.append(request.body)
    return messages


def embed_text(message: dict[str, Any]) -> str:
    """Everything a person reads in a message's embeds, as one string."""
    parts = []
    for embed in message.get("embeds", []):
        parts += [embed.get("title", ""), embed.get("description", "")]
        for field in embed.get("fields", []):
            parts += [field["name"], field["value"]]
        parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(parts)
