"""The command tree with quotebot's one error handler for every app command."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.discord_bot import render
from bot.discord_bot.cooldown import OnCooldown
from bot.discord_bot.views import APOLOGY, NO_MENTIONS
from retrieval.errors import InvalidQuery

log = logging.getLogger(__name__)


class QuotebotTree(app_commands.CommandTree[Any]):
    """Turns every command failure into a short private reply; the bot keeps running."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        if interaction.type is discord.InteractionType.autocomplete:
            log.error("autocomplete failed", exc_info=cause)
            return
        if isinstance(cause, InvalidQuery | OnCooldown):
            await reply_privately(interaction, render.error_line(str(cause)))
            return
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("command %s failed", command, exc_info=cause)
        await reply_privately(interaction, APOLOGY)


async def reply_privately(interaction: discord.Interaction[Any], text: str) -> None:
    """Answer ephemerally, or replace the "thinking" message if the command already deferred.

    Discord keeps a deferred response's visibility for its first follow-up, so an error
    after a public defer can only be shown where the answer would have been.
    """
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
        else:
            await interaction.edit_original_response(content=text, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)
