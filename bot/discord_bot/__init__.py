"""The Discord adapter: slash commands over the question-answering service."""

from bot.discord_bot.app import run

__all__ = ["run"]
