"""A fake Discord on 127.0.0.1: just enough gateway and REST API for a real discord.py client.

The gateway says HELLO, acknowledges heartbeats, answers IDENTIFY with READY and then lets
the test dispatch INTERACTION_CREATE events. The REST routes record every request body, so
tests can assert on what the bot sent and validate it against Discord's OpenAPI spec.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

API = "/api/v10"
TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GfAkEd.fake-token-signature-0123456789abcdef"
APP_ID = 1000000000000000001
GUILD_ID = 1000000000000000002
CHANNEL_ID = 1000000000000000003
BOT_USER = {
    "id": str(APP_ID),
    "username": "quotebot",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
}
CHANNEL = {
    "id": str(CHANNEL_ID),
    "type": 0,
    "guild_id": str(GUILD_ID),
    "name": "general",
    "position": 0,
    "permission_overwrites": [],
    "nsfw": False,
    "parent_id": None,
    "rate_limit_per_user": 0,
    "topic": None,
    "last_message_id": None,
    "flags": 0,
}
EPHEMERAL = 64


@dataclass
class Recorded:
    """One REST request the bot made."""

    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class FakeDiscord:
    """The fake API server; ``start`` it, point discord.py at ``api_base``/``gateway``."""

    reject_token: bool = False
    close_gateway_with: int | None = None
    requests: list[Recorded] = field(default_factory=list)
    identifies: list[dict[str, Any]] = field(default_factory=list)
    resumes: list[dict[str, Any]] = field(default_factory=list)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    originals: dict[str, int] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(2**60))
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _sequence: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _runner: web.AppRunner | None = None
    _site: web.TCPSite | None = None
    port: int = 0

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await self._listen()
        self.port = self._runner.addresses[0][1]

    async def _listen(self) -> None:
        assert self._runner is not None
        self._site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await self._site.start()

    async def outage(self, seconds: float) -> None:
        """Refuse connections and drop the bot's for ``seconds``, as a network outage would."""
        assert self._site is not None
        await self._site.stop()
        for socket in self._sockets:
            await socket.close(code=1001, message=b"outage")
        await asyncio.sleep(seconds)
        await self._listen()

    async def close(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def next_id(self) -> int:
        return next(self._ids)

    # --- waiting on what the bot does -------------------------------------------------

    async def wait_for(
        self, predicate: Callable[[Recorded], bool], count: int = 1, timeout: float = 20
    ) -> list[Recorded]:
        """The first ``count`` recorded requests matching ``predicate``, once they exist."""

        def matching() -> list[Recorded]:
            return [request for request in self.requests if predicate(request)]

        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: len(matching()) >= count)
        return matching()[:count]

    async def wait_until_identified(self) -> None:
        async with asyncio.timeout(20), self._changed:
            await self._changed.wait_for(lambda: bool(self.identifies))

    async def wait_until_resumed(self, timeout: float = 60) -> None:
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: bool(self.resumes))

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # --- gateway ----------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event to the bot (its latest open connection)."""
        frame = {"op": 0, "t": event, "s": next(self._sequence), "d": data}
        socket = next(socket for socket in reversed(self._sockets) if not socket.closed)
        await socket.send_str(json.dumps(frame))

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 45_000}})
        async for message in socket:
            if message.type is not WSMsgType.TEXT:
                break
            await self._gateway_frame(socket, json.loads(message.data))
        return socket

    async def _gateway_frame(self, socket: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        if frame["op"] == 1:
            await socket.send_json({"op": 11})
        elif frame["op"] == 2 and self.close_gateway_with is not None:
            await socket.close(code=self.close_gateway_with, message=b"closed by the test")
        elif frame["op"] == 2:
            await socket.send_json(self._ready(frame["d"]))
            self.identifies.append(frame["d"])
            await self._notify()
        elif frame["op"] == 6:
            resumed = {"op": 0, "t": "RESUMED", "s": next(self._sequence), "d": {}}
            await socket.send_json(resumed)
            self.resumes.append(frame["d"])
            await self._notify()

    def _ready(self, identify: dict[str, Any]) -> dict[str, Any]:
        ready = {
            "v": 10,
            "user": BOT_USER,
            "guilds": [],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway,
            "application": {"id": str(APP_ID), "flags": 0},
        }
        if "shard" in identify:
            ready["shard"] = identify["shard"]
        return {"op": 0, "t": "READY", "s": next(self._sequence), "d": ready}

    # --- REST -------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = request.path.removeprefix(API)
        body = await request.json() if request.can_read_body else None
        recorded = Recorded(request.method, path, dict(request.query), body)
        authorised = (
            not self.reject_token and request.headers.get("Authorization") == f"Bot {TOKEN}"
        )
        if not authorised and path.startswith(("/users", "/oauth2", "/applications", "/gateway")):
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        try:
            reply = self._answer(recorded)
        finally:
            self.requests.append(recorded)
            await self._notify()
        if reply is None:
            return web.Response(status=204)
        return _json(reply)

    def _answer(self, request: Recorded) -> Any:
        parts = request.path.strip("/").split("/")
        route = (request.method, *_shape(parts))
        handlers: dict[tuple[str, ...], Callable[[Recorded, list[str]], Any]] = {
            ("GET", "users", "@me"): lambda r, p: BOT_USER,
            ("GET", "oauth2", "applications", "@me"): lambda r, p: _application(),
            ("GET", "gateway", "bot"): lambda r, p: self._gateway_bot(),
            ("PUT", "applications", "*", "commands"): self._commands,
            ("PUT", "applications", "*", "guilds", "*", "commands"): self._commands,
            ("POST", "interactions", "*", "*", "callback"): self._callback,
            ("POST", "webhooks", "*", "*"): lambda r, p: self._store(r.body, webhook=True),
            ("GET", "webhooks", "*", "*", "messages", "*"): self._get_message,
            ("PATCH", "webhooks", "*", "*", "messages", "*"): self._edit_message,
            ("DELETE", "webhooks", "*", "*", "messages", "*"): lambda r, p: None,
            ("POST", "channels", "*", "messages"): lambda r, p: self._store(r.body, webhook=False),
        }
        handler = handlers.get(route)
        if handler is None:
            raise web.HTTPNotFound(text=f"fake Discord has no route {route}")
        return handler(request, parts)

    def _gateway_bot(self) -> dict[str, Any]:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return {"url": self.gateway, "shards": 1, "session_start_limit": limit}

    def _commands(self, request: Recorded, parts: list[str]) -> list[dict[str, Any]]:
        guild = {"guild_id": parts[3]} if "guilds" in parts else {}
        return [
            {
                "id": str(self.next_id()),
                "application_id": str(APP_ID),
                "version": "1",
                "default_member_permissions": None,
                "type": 1,
                "description": "",
                **command,
                **guild,
            }
            for command in request.body
        ]

    def _callback(self, request: Recorded, parts: list[str]) -> dict[str, Any]:
        body = request.body
        interaction = {"id": parts[1], "type": 2}
        data = body.get("data") or {}
        if body["type"] in (4, 5, 7):
            message = self._store(data, webhook=False)
            self.originals[parts[2]] = int(message["id"])
            interaction |= {
                "response_message_id": message["id"],
                "response_message_loading": body["type"] == 5,
                "response_message_ephemeral": bool((data.get("flags") or 0) & EPHEMERAL),
            }
            if body["type"] in (4, 7):
                return {
                    "interaction": interaction,
                    "resource": {"type": body["type"], "message": message},
                }
        return {"interaction": interaction}

    def _store(self, data: dict[str, Any], *, webhook: bool) -> dict[str, Any]:
        message = _message(self.next_id(), data, webhook=webhook)
        self.messages[int(message["id"])] = message
        return message

    def _get_message(self, request: Recorded, parts: list[str]) -> dict[str, Any]:
        return self._find(parts[2], parts[5])

    def _edit_message(self, request: Recorded, parts: list[str]) -> dict[str, Any]:
        message = self._find(parts[2], parts[5])
        message.update({key: value for key, value in request.body.items() if key in message})
        return message

    def _find(self, token: str, message_id: str) -> dict[str, Any]:
        if message_id == "@original":
            return self.messages[self.originals[token]]
        return self.messages[int(message_id)]


def _shape(parts: list[str]) -> list[str]:
    """A path with its IDs and tokens replaced by ``*``, for routing."""
    keep = {"users", "@me", "oauth2", "applications", "gateway", "bot", "commands", "guilds"}
    keep |= {"channels"}
    keep |= {"interactions", "callback", "webhooks", "messages"}
    return [part if part in keep else "*" for part in parts]


def _json(data: Any, status: int = 200) -> web.Response:
    """JSON with exactly ``application/json``: discord.py ignores it with a charset suffix."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def _application() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "quotebot",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": BOT_USER,
        "verify_key": "0" * 64,
        "flags": 0,
        "team": None,
    }


def _message(message_id: int, data: dict[str, Any], *, webhook: bool) -> dict[str, Any]:
    return {
        "id": str(message_id),
        "channel_id": str(CHANNEL_ID),
        "author": BOT_USER,
        "content": data.get("content") or "",
        "timestamp": "2024-01-01T00:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": data.get("embeds") or [],
        "components": data.get("components") or [],
        "pinned": False,
        "type": 0,
        "flags": data.get("flags") or 0,
        **({"webhook_id": str(APP_ID), "application_id": str(APP_ID)} if webhook else {}),
    }


# --- interactions the tests send ----------------------------------------------------------


def member(user_id: int) -> dict[str, Any]:
    user = {"id": str(user_id), "username": f"user{user_id}", "discriminator": "0", "avatar": None}
    return {
        "user": user,
        "roles": [],
        "joined_at": "2024-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": "0",
    }


def interaction(
    kind: int, data: dict[str, Any], user_id: int, interaction_id: int, **extra: Any
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload from ``user_id`` in the test guild."""
    return {
        "id": str(interaction_id),
        "application_id": str(APP_ID),
        "type": kind,
        "data": data,
        "guild_id": str(GUILD_ID),
        "channel_id": str(CHANNEL_ID),
        "channel": CHANNEL,
        "member": member(user_id),
        "token": f"token-{interaction_id}",
        "version": 1,
        "locale": "en-US",
        "app_permissions": "0",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "context": 0,
        "attachment_size_limit": 8 * 1024 * 1024,
        **extra,
    }


def slash(name: str, options: dict[str, Any], user_id: int, interaction_id: int) -> dict[str, Any]:
    """A chat-input command with top-level options."""
    data = {
        "id": "1",
        "name": name,
        "type": 1,
        "options": [
            {"name": key, "type": _option_type(value), "value": value}
            for key, value in options.items()
        ],
    }
    return interaction(2, data, user_id, interaction_id)


def autocomplete(
    name: str, option: str, typed: str, user_id: int, interaction_id: int
) -> dict[str, Any]:
    data = {
        "id": "1",
        "name": name,
        "type": 1,
        "options": [{"name": option, "type": 3, "value": typed, "focused": True}],
    }
    return interaction(4, data, user_id, interaction_id)


def button_click(
    message: dict[str, Any], custom_id: str, user_id: int, interaction_id: int
) -> dict[str, Any]:
    data = {"custom_id": custom_id, "component_type": 2}
    return interaction(3, data, user_id, interaction_id, message=message)


def message_command(
    name: str, target: dict[str, Any], user_id: int, interaction_id: int
) -> dict[str, Any]:
    data = {
        "id": "1",
        "name": name,
        "type": 3,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
    }
    return interaction(2, data, user_id, interaction_id)


def user_message(message_id: int, content: str, user_id: int) -> dict[str, Any]:
    """A message written by a person, as a message command's target."""
    message = _message(message_id, {"content": content}, webhook=False)
    message["author"] = member(user_id)["user"]
    return message


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    return 3
