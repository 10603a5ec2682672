"""The slash commands, the message context menu and mention-to-ask, all thin over the service.

Names, descriptions and bounds come from the shared command table in ``bot.commands``;
arguments are checked there before any slow work, so a person's mistake is answered
privately before the interaction is deferred.
"""

from __future__ import annotations

import keyword
import logging
import re
from collections.abc import Mapping
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.commands import (
    ASK,
    HELP,
    RELOAD,
    SOURCE,
    SOURCES,
    TIMELINE,
    TOP_MAX,
    TOP_MIN,
    Command,
    service_arguments,
)
from bot.discord_bot import render
from bot.discord_bot.cooldown import OnCooldown, QuestionLimiter
from bot.discord_bot.views import NO_MENTIONS, Pager
from bot.discord_bot.worker import ServiceWorker
from bot.settings import Settings
from bot.text_render import render_reload
from retrieval.errors import InvalidQuery
from retrieval.results import DocumentInfo, Reload

log = logging.getLogger(__name__)

ASK_ABOUT_MESSAGE = "Ask about this message"
NO_TEXT = "That message has no text to ask about."
NO_QUESTION = "Write your question after the mention."
MANAGE_SERVER_ONLY = "Only members with the Manage Server permission can reload the sources."


def python_name(option_name: str) -> str:
    """The callback parameter for an option (``from`` is a Python keyword)."""
    return option_name + "_" if keyword.iskeyword(option_name) else option_name


def descriptions(command: Command) -> dict[str, str]:
    """``app_commands.describe`` arguments for a command's options, from the table."""
    return {python_name(option.name): option.description for option in command.options}


def renames(command: Command) -> dict[str, str]:
    """``app_commands.rename`` arguments for options whose names are Python keywords."""
    return {
        python_name(option.name): option.name
        for option in command.options
        if python_name(option.name) != option.name
    }


class QuotebotCog(commands.Cog):
    """Every command quotebot offers on Discord."""

    def __init__(
        self,
        bot: commands.Bot | commands.AutoShardedBot,
        worker: ServiceWorker,
        settings: Settings,
        documents: list[DocumentInfo],
        updated: str = "",
    ) -> None:
        self.bot = bot
        self.worker = worker
        self.settings = settings
        self.update_documents(documents)
        self.updated = updated
        self.limiter = QuestionLimiter(settings.cooldown_questions, settings.cooldown_seconds)
        self.ask_menu = app_commands.ContextMenu(
            name=ASK_ABOUT_MESSAGE, callback=self.ask_about_message
        )

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.ask_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.ask_menu.name, type=self.ask_menu.type)

    @app_commands.command(name=ASK.name, description=ASK.description)
    @app_commands.describe(**descriptions(ASK))
    async def ask(
        self,
        interaction: discord.Interaction[Any],
        question: str,
        top: app_commands.Range[int, TOP_MIN, TOP_MAX] | None = None,
        doc: str | None = None,
        private: bool = False,
    ) -> None:
        await self._answer(interaction, {"question": question, "top": top, "doc": doc}, private)

    @ask.autocomplete("doc")
    async def _ask_doc(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return render.document_choices(self.documents, current)

    async def ask_about_message(
        self, interaction: discord.Interaction[Any], message: discord.Message
    ) -> None:
        """The context menu: the message's text is the question; the answer is private."""
        if not message.content.strip():
            raise InvalidQuery(NO_TEXT)
        await self._answer(interaction, {"question": message.content}, private=True)

    async def _answer(
        self, interaction: discord.Interaction[Any], args: Mapping[str, Any], private: bool
    ) -> None:
        kwargs = self._arguments(ASK, args)
        self.limiter.hit(interaction.user.id)
        await interaction.response.defer(ephemeral=private, thinking=True)
        answer = await self.worker.ask(**kwargs)
        await interaction.followup.send(
            embed=render.answer_embed(answer), ephemeral=private, allowed_mentions=NO_MENTIONS
        )

    @app_commands.command(name=TIMELINE.name, description=TIMELINE.description)
    @app_commands.describe(**descriptions(TIMELINE))
    @app_commands.rename(**renames(TIMELINE))
    async def timeline(
        self,
        interaction: discord.Interaction[Any],
        topic: str | None = None,
        from_: str | None = None,
        to: str | None = None,
        doc: str | None = None,
    ) -> None:
        kwargs = self._arguments(TIMELINE, {"topic": topic, "from": from_, "to": to, "doc": doc})
        self.limiter.hit(interaction.user.id)
        await interaction.response.defer(thinking=True)
        result = await self.worker.timeline(**kwargs)
        pages = render.timeline_pages(result)
        if len(pages) == 1:
            await interaction.followup.send(embed=pages[0], allowed_mentions=NO_MENTIONS)
            return
        pager = Pager(pages, owner_id=interaction.user.id)
        pager.message = await interaction.followup.send(
            embed=pager.page, view=pager, allowed_mentions=NO_MENTIONS, wait=True
        )

    @timeline.autocomplete("doc")
    async def _timeline_doc(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return render.document_choices(self.documents, current)

    @app_commands.command(name=SOURCES.name, description=SOURCES.description)
    async def sources(self, interaction: discord.Interaction[Any]) -> None:
        pages = render.sources_pages(self.documents, self.updated)
        if len(pages) == 1:
            await interaction.response.send_message(embed=pages[0], allowed_mentions=NO_MENTIONS)
            return
        pager = Pager(pages, owner_id=interaction.user.id)
        await interaction.response.send_message(
            embed=pager.page, view=pager, allowed_mentions=NO_MENTIONS
        )
        pager.message = await interaction.original_response()

    @app_commands.command(name=SOURCE.name, description=SOURCE.description)
    @app_commands.describe(**descriptions(SOURCE))
    async def source(self, interaction: discord.Interaction[Any], doc: str) -> None:
        kwargs = self._arguments(SOURCE, {"doc": doc})
        await interaction.response.defer(thinking=True)
        document = await self.worker.document(**kwargs)
        await interaction.followup.send(
            embed=render.source_embed(document), allowed_mentions=NO_MENTIONS
        )

    @source.autocomplete("doc")
    async def _source_doc(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return render.document_choices(self.documents, current)

    @app_commands.command(name=RELOAD.name, description=RELOAD.description)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def reload(self, interaction: discord.Interaction[Any]) -> None:
        """Re-read the corpus folder now; only for members who may manage the server."""
        if interaction.guild is None or not interaction.permissions.manage_guild:
            raise InvalidQuery(MANAGE_SERVER_ONLY)
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.refresh()
        await interaction.followup.send(
            render_reload(report), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    async def refresh(self) -> Reload:
        """Brings the index up to date with the folder and the commands' document lists."""
        report = await self.worker.refresh()
        self.update_documents(await self.worker.documents())
        self.updated = report.updated
        return report

    def update_documents(self, documents: list[DocumentInfo]) -> None:
        self.documents = documents
        self.doc_ids = [document.doc_id for document in documents]

    @app_commands.command(name=HELP.name, description=HELP.description)
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message(
            embed=render.help_embed(), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer "@bot question" in a reply, when the message-content setting allows it."""
        me = self.bot.user
        if not self.settings.discord_message_content or me is None or message.author.bot:
            return
        if me not in message.mentions:
            return
        question = re.sub(rf"<@!?{me.id}>", " ", message.content).strip()
        if not question:
            await message.reply(NO_QUESTION, allowed_mentions=NO_MENTIONS)
            return
        try:
            self.limiter.hit(message.author.id)
            answer = await self.worker.ask(**self._arguments(ASK, {"question": question}))
        except (InvalidQuery, OnCooldown) as error:
            await message.reply(render.error_line(str(error)), allowed_mentions=NO_MENTIONS)
            return
        await message.reply(embed=render.answer_embed(answer), allowed_mentions=NO_MENTIONS)

    def _arguments(self, command: Command, args: Mapping[str, Any]) -> dict[str, Any]:
        return service_arguments(
            command, args, doc_ids=self.doc_ids, default_top=self.settings.answer_top
        )
