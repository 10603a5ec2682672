"""``run()``, the entry point behind ``quotebot discord``, against the fake Discord."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.discord_bot import app as app_module
from bot.discord_bot import run
from tests.fakes.discord_api import FakeDiscord, Recorded, slash
from tests.fakes.harness import embed_text, next_interaction_id, point_discord_at, settings_for
from tests.fakes.service import BRIDGE, FakeService


@pytest.fixture
def fake_in_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[FakeDiscord, asyncio.AbstractEventLoop]]:
    """The fake Discord on its own loop, so ``run()`` can own the main thread as it does live."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    fake = FakeDiscord()
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(timeout=10)
    point_discord_at(fake, monkeypatch)
    yield fake, loop
    asyncio.run_coroutine_threadsafe(fake.close(), loop).result(timeout=10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    loop.close()


def test_run_serves_commands_until_sigterm_then_exits_0(
    fake_in_thread: tuple[FakeDiscord, asyncio.AbstractEventLoop],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, loop = fake_in_thread
    monkeypatch.setattr(app_module, "open_service", lambda settings: FakeService())
    command = slash("ask", {"question": "when"}, 7, next_interaction_id())

    async def ask_then_stop() -> list[Recorded]:
        await fake.wait_until_identified()
        await fake.dispatch("INTERACTION_CREATE", command)
        replies = await fake.wait_for(lambda request: command["token"] in request.path, 2)
        os.kill(os.getpid(), signal.SIGTERM)
        return replies

    driver = asyncio.run_coroutine_threadsafe(ask_then_stop(), loop)

    status = run(settings_for(tmp_path, log_level="WARNING"))  # the root logger's default

    _, followup = driver.result(timeout=10)
    assert status == 0
    assert BRIDGE in embed_text(followup.body)
