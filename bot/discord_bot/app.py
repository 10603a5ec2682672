"""Building the bot, connecting it, and turning how it stopped into an exit status."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys

import aiohttp
import discord
from discord.ext import commands

from bot.discord_bot.cog import QuotebotCog
from bot.discord_bot.sync import sync_if_needed
from bot.discord_bot.token import TokenError, bot_token
from bot.discord_bot.tree import QuotebotTree
from bot.discord_bot.views import NO_MENTIONS
from bot.discord_bot.worker import Service, ServiceWorker
from bot.heartbeat import beat_forever
from bot.settings import Settings
from bot.terminal_text import printable
from bot.wiring import cache_dir, heartbeat_file, open_service, watch

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 69  # EX_UNAVAILABLE in sysexits.h: a service the program needs is down
GATEWAY_AUTHENTICATION_FAILED = 4004
REJECTED_TOKEN = "Discord rejected the token: check QUOTEBOT_DISCORD_TOKEN"
GATEWAY_PROBE_SECONDS = 30.0
# Failures that mean the network or Discord is down, not that anything is misconfigured.
UNREACHABLE = (
    aiohttp.ClientConnectionError,
    aiohttp.WSServerHandshakeError,
    TimeoutError,
    discord.DiscordServerError,
    discord.GatewayNotFound,
)


def intents_for(settings: Settings) -> discord.Intents:
    """Only what the bot uses; message content is privileged and off unless asked for."""
    intents = discord.Intents.none()
    intents.guilds = True
    if settings.discord_message_content:
        intents.guild_messages = True
        intents.dm_messages = True
        intents.message_content = True
    return intents


def build_bot(settings: Settings) -> commands.Bot | commands.AutoShardedBot:
    """A plain bot, or an auto-sharded one when a shard count is set."""
    # quotebot never joins voice, so discord.py's warnings about voice libraries are noise.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
    # No prefix commands: mentions are answered by the cog's listener.
    bot_class = commands.AutoShardedBot if settings.discord_shard_count else commands.Bot
    return bot_class(
        command_prefix=(),
        help_command=None,
        intents=intents_for(settings),
        allowed_mentions=NO_MENTIONS,
        tree_cls=QuotebotTree,
        chunk_guilds_at_startup=False,
        shard_count=settings.discord_shard_count or None,
    )


class DiscordApp:
    """One bot connected to one service."""

    def __init__(self, settings: Settings, service: Service, *, sync: bool = False) -> None:
        self.settings = settings
        self.worker = ServiceWorker(service)
        self.sync = sync
        self.bot = build_bot(settings)
        logging.getLogger("discord.client").addFilter(OUTAGE_LOG_FILTER)

    async def serve(self, token: str) -> None:
        """Log in, load the commands, sync them if needed, and stay connected until closed."""
        try:
            async with self.bot:
                await self.bot.login(token)
                await self._reach_gateway()
                documents = await self.worker.documents()
                updated = (await self.worker.last_reload()).updated
                cog = QuotebotCog(self.bot, self.worker, self.settings, documents, updated)
                await self.bot.add_cog(cog)
                await sync_if_needed(
                    self.bot.tree,
                    application_id=self.bot.application_id or 0,
                    guild_id=self.settings.discord_guild_id,
                    cache_dir=cache_dir(self.settings),
                    force=self.sync,
                )
                log.info("connecting to Discord with %d documents", len(documents))
                await self._connected(cog)
        finally:
            self.worker.close()

    async def _connected(self, cog: QuotebotCog) -> None:
        """Stays connected while following the corpus folder and reporting in as alive."""
        loop = asyncio.get_running_loop()

        def changed() -> None:
            asyncio.run_coroutine_threadsafe(cog.refresh(), loop).result()

        watcher = watch(self.settings, None, changed)
        beating = loop.create_task(
            beat_forever(heartbeat_file(self.settings), lambda: len(cog.doc_ids))
        )
        try:
            await self.bot.connect()
        finally:
            beating.cancel()
            if watcher is not None:
                await asyncio.to_thread(watcher.stop)

    async def _reach_gateway(self) -> None:
        """Open and close one gateway socket, so a gateway that is down fails the start once.

        Once connected, discord.py rides out outages itself (reconnecting with exponential
        backoff); a first connection that fails is outside that loop and would end in a
        traceback instead.
        """
        url = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY.with_query(v=10, encoding="json")
        async with asyncio.timeout(GATEWAY_PROBE_SECONDS):
            socket = await self.bot.http.ws_connect(str(url))
            await socket.close()

    async def run(self, token: str) -> int:
        """``serve``, with the failures a person can fix reported as one line."""
        try:
            await self.serve(token)
        except discord.LoginFailure:
            return _fail(REJECTED_TOKEN)
        except discord.PrivilegedIntentsRequired:
            return _fail(
                "the Message Content intent is not enabled for this bot: enable it in the "
                "Developer Portal or set QUOTEBOT_DISCORD_MESSAGE_CONTENT=false"
            )
        except discord.ConnectionClosed as closed:
            if closed.code == GATEWAY_AUTHENTICATION_FAILED:
                return _fail(REJECTED_TOKEN)
            return _fail(f"Discord closed the connection (code {closed.code}: {closed.reason})")
        except UNREACHABLE as error:
            return _fail(f"cannot reach Discord: {outage_reason(error)}", EXIT_UNREACHABLE)
        return EXIT_OK

    def stop(self) -> None:
        """Close the connection from a signal handler; ``serve`` then returns."""
        asyncio.get_running_loop().create_task(self.bot.close())


def _fail(message: str, status: int = EXIT_REJECTED) -> int:
    print(f"error: {printable(message)}", file=sys.stderr)
    return status


def outage_reason(error: BaseException) -> str:
    """Why Discord could not be reached, in a few words: host, port and the system's reason."""
    if isinstance(error, aiohttp.ClientConnectorError):
        return f"{error.host}:{error.port}: {_system_reason(error.os_error)}"
    if isinstance(error, aiohttp.WSServerHandshakeError):
        return f"the gateway refused the connection (HTTP {error.status})"
    if isinstance(error, TimeoutError):
        return "no answer in time"
    if isinstance(error, discord.DiscordServerError):
        return f"Discord answered HTTP {error.status}"
    return str(error) or type(error).__name__


def _system_reason(error: OSError) -> str:
    """ "Connection refused" rather than asyncio's "Connect call failed ('127.0.0.1', 443)"."""
    if error.errno and not isinstance(error, socket.gaierror):
        return os.strerror(error.errno)
    return error.strerror or str(error) or type(error).__name__


class OutageLogFilter(logging.Filter):
    """discord.py's reconnect attempts as one warning line each, without a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("Attempting a reconnect in") and record.exc_info:
            error = record.exc_info[1]
            delay = record.args[0] if isinstance(record.args, tuple) and record.args else 0.0
            record.msg = "lost the connection to Discord (%s); reconnecting in %.1f s"
            record.args = (outage_reason(error) if error else "unknown reason", delay)
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = (
                logging.WARNING,
                logging.getLevelName(logging.WARNING),
            )
        return True


OUTAGE_LOG_FILTER = OutageLogFilter()


def run(settings: Settings, sync: bool = False) -> int:
    """Run the Discord bot until it is stopped; return the process exit status."""
    try:
        token = bot_token(settings)
    except TokenError as error:
        return _fail(str(error), EXIT_USAGE)
    _configure_logging(settings.log_level)
    app = DiscordApp(settings, open_service(settings), sync=sync)
    try:
        return asyncio.run(_run_with_signals(app, token))
    except KeyboardInterrupt:
        return EXIT_OK


async def _run_with_signals(app: DiscordApp, token: str) -> int:
    """Stop cleanly on SIGTERM (``docker stop``) as on Ctrl-C."""
    with contextlib.suppress(NotImplementedError, RuntimeError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, app.stop)
    return await app.run(token)


def _configure_logging(level: str) -> None:
    """Honour the log_level setting; add discord.py's stderr handler if nobody set one up."""
    numeric = logging.getLevelNamesMapping()[level]
    root = logging.getLogger()
    if root.handlers:
        root.setLevel(numeric)
    else:
        discord.utils.setup_logging(level=numeric, root=True)
