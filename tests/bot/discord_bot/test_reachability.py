"""Discord unreachable: one line and its own exit status at start; retried once it was live."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl

from bot.discord_bot import run
from bot.discord_bot.app import EXIT_UNREACHABLE, DiscordApp
from tests.fakes.discord_api import TOKEN, FakeDiscord, Recorded, slash
from tests.fakes.harness import (
    embed_text,
    next_interaction_id,
    point_discord_at,
    running_bot,
    settings_for,
)
from tests.fakes.service import BRIDGE, FakeService


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def point_rest_at(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", base)


def point_gateway_at(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(url))


def test_a_closed_port_is_one_line_and_exit_69(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given Discord's address refuses connections
    port = closed_port()
    point_rest_at(f"http://127.0.0.1:{port}/api/v10", monkeypatch)
    point_gateway_at(f"ws://127.0.0.1:{port}/", monkeypatch)
    monkeypatch.setattr("bot.discord_bot.app.open_service", lambda settings: FakeService())
    # when the bot starts
    status = run(settings_for(tmp_path))
    # then it says so in one line, with a status distinct from a rejected token (1)
    assert status == EXIT_UNREACHABLE
    assert capsys.readouterr().err == (
        f"error: cannot reach Discord: 127.0.0.1:{port}: Connection refused\n"
    )


def test_a_name_that_does_not_resolve_is_one_line_and_exit_69(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a Discord host name the resolver does not know (answered here, offline)
    real_getaddrinfo = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "discord.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    point_rest_at("http://discord.invalid/api/v10", monkeypatch)
    monkeypatch.setattr("bot.discord_bot.app.open_service", lambda settings: FakeService())
    # when the bot starts
    status = run(settings_for(tmp_path))
    # then one line names the host and the resolver's reason
    assert status == EXIT_UNREACHABLE
    assert capsys.readouterr().err == (
        "error: cannot reach Discord: discord.invalid:80: Name or service not known\n"
    )


def test_a_gateway_that_is_down_at_start_is_one_line_and_exit_69(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the REST API answers (the token is accepted) but the gateway port is closed
    port = closed_port()
    fake = FakeDiscord()

    async def main() -> int:
        await fake.start()
        point_discord_at(fake, monkeypatch)
        point_gateway_at(f"ws://127.0.0.1:{port}/", monkeypatch)
        try:
            return await DiscordApp(settings_for(tmp_path), FakeService()).run(TOKEN)
        finally:
            await fake.close()

    # when the bot starts
    status = asyncio.run(main())
    # then it stops with one line instead of retrying a connection that never worked
    assert status == EXIT_UNREACHABLE
    assert capsys.readouterr().err == (
        f"error: cannot reach Discord: 127.0.0.1:{port}: Connection refused\n"
    )
    assert not fake.identifies


def test_an_outage_after_a_good_start_is_ridden_out_with_backoff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="discord.client")
    command = slash("ask", {"question": "when"}, 7, next_interaction_id())

    async def scenario() -> list[Recorded]:
        async with running_bot(FakeService(), settings_for(tmp_path), monkeypatch) as bot:
            # given a connected bot, when Discord drops it and refuses connections for a while
            await bot.fake.outage(seconds=1.0)
            # then it reconnects and resumes its session
            await bot.fake.wait_until_resumed()
            # and answers again
            return await bot.exchange(command, 2)

    _, followup = asyncio.run(scenario())

    assert BRIDGE in embed_text(followup.body)
    retries = [r for r in caplog.records if r.name == "discord.client" and "reconnect" in r.msg]
    assert retries, "the outage was seen and retried"
    assert all(record.exc_info is None for record in retries)
    assert all(
        record.getMessage().startswith("lost the connection to Discord (") for record in retries
    )
