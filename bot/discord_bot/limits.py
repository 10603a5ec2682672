"""Discord's documented message limits, in characters unless named otherwise.

Discord rejects a whole message that breaks any of them, so every renderer sizes its
output against these numbers instead of trusting the source text to be short.
"""

from __future__ import annotations

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR_NAME = 256
EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
CUSTOM_ID = 100
BUTTON_LABEL = 80
INTERACTION_TOKEN_SECONDS = 15 * 60
