"""Command sync only when needed: Discord rate-limits syncs, and a global sync is slow to show.

The payload of every command is hashed; the hash of the last successful sync is kept in
the cache folder, per application and per scope (one guild, or global).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

log = logging.getLogger(__name__)


def command_payloads(
    tree: app_commands.CommandTree[Any], guild: discord.Object | None
) -> list[Any]:
    """What a sync would send for ``guild`` (``None``: the global commands)."""
    return [command.to_dict(tree) for command in tree.get_commands(guild=guild)]


def payload_hash(payloads: list[Any]) -> str:
    text = json.dumps(payloads, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def hash_file(cache_dir: Path, application_id: int, guild_id: int) -> Path:
    scope = f"guild-{guild_id}" if guild_id else "global"
    return cache_dir / "discord" / f"commands-{application_id}-{scope}.sha256"


async def sync_if_needed(
    tree: app_commands.CommandTree[Any],
    *,
    application_id: int,
    guild_id: int,
    cache_dir: Path,
    force: bool,
) -> bool:
    """Sync to one guild (instant) or globally; return whether a sync happened."""
    guild = discord.Object(id=guild_id) if guild_id else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    digest = payload_hash(command_payloads(tree, guild))
    stored = hash_file(cache_dir, application_id, guild_id)
    if not force and _read(stored) == digest:
        log.info("commands unchanged since the last sync; not syncing")
        return False
    synced = await tree.sync(guild=guild)
    _write(stored, digest)
    log.info("synced %d commands %s", len(synced), f"to guild {guild_id}" if guild else "globally")
    return True


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _write(path: Path, digest: str) -> None:
    """Write atomically, so a crash never leaves a half hash that looks current."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(digest + "\n", encoding="ascii")
    os.replace(temporary, path)
