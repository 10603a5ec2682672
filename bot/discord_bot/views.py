"""Previous/Next paging for long timelines and source lists."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import discord

from bot.discord_bot import limits

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
NOT_YOURS = "Only the person who ran this command can turn its pages."
APOLOGY = "Sorry, something went wrong on our side. Please try again."
# Editing the message after a timeout uses the interaction token, valid for 15 minutes.
PAGE_TIMEOUT = limits.INTERACTION_TOKEN_SECONDS - 60


class Pager(discord.ui.View):
    """Shows one embed of ``pages`` at a time; only ``owner_id`` can turn pages."""

    def __init__(
        self, pages: Sequence[discord.Embed], owner_id: int, timeout: float = PAGE_TIMEOUT
    ) -> None:
        super().__init__(timeout=timeout)
        self.pages = list(pages)
        self.owner_id = owner_id
        self.index = 0
        self.message: discord.InteractionMessage | discord.WebhookMessage | None = None
        self._sync_buttons()

    @property
    def page(self) -> discord.Embed:
        return self.pages[self.index]

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            NOT_YOURS, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        return False

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Pager]
    ) -> None:
        await self._turn_to(interaction, self.index - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Pager]
    ) -> None:
        await self._turn_to(interaction, self.index + 1)

    async def on_timeout(self) -> None:
        """Grey the buttons out so nobody clicks a pager that no longer answers."""
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is None:
            return
        try:
            await self.message.edit(view=self, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.info("could not disable the pager buttons; the message is gone")

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        log.error("page turn failed", exc_info=error)
        if not interaction.response.is_done():
            await interaction.response.send_message(
                APOLOGY, ephemeral=True, allowed_mentions=NO_MENTIONS
            )

    async def _turn_to(self, interaction: discord.Interaction[Any], index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._sync_buttons()
        await interaction.response.edit_message(
            embed=self.page, view=self, allowed_mentions=NO_MENTIONS
        )

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1
