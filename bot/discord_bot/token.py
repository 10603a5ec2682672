"""Reading the bot token without ever printing or logging it."""

from __future__ import annotations

import re

from bot.settings import Settings
from retrieval.errors import QuotebotError

# Three base64url parts: the bot's ID, a timestamp, a signature.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{16,}$")


class TokenError(QuotebotError):
    """The token is missing or cannot be a Discord bot token."""


def bot_token(settings: Settings) -> str:
    """The token from the settings, or a ``TokenError`` that says how to fix it."""
    secret = settings.discord_token
    token = secret.get_secret_value().strip() if secret is not None else ""
    if not token:
        raise TokenError(
            "no Discord bot token: set QUOTEBOT_DISCORD_TOKEN in the environment or .env"
        )
    if token.lower().startswith("bot "):
        raise TokenError("QUOTEBOT_DISCORD_TOKEN must be the bare token, without 'Bot '")
    if not _TOKEN_SHAPE.match(token):
        raise TokenError(
            "QUOTEBOT_DISCORD_TOKEN does not look like a bot token "
            "(three dot-separated parts; copy it again from the Developer Portal's Bot page)"
        )
    return token
