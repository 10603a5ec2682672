"""Discord's limits that its OpenAPI spec does not encode, checked on JSON payloads.

Works on the dicts discord.py sends (``Embed.to_dict()``, request bodies), so the render
tests and the end-to-end test check exactly what would go over the wire.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.discord_bot import limits

# Discord's CHAT_INPUT name rule, ^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$, for the
# scripts `re` can express: \w is letters, digits and underscore in Unicode mode.
COMMAND_NAME = re.compile(r"^[-\w]{1,32}$")
CHAT_INPUT = 1


def embed_length(embed: Mapping[str, Any]) -> int:
    """Characters Discord counts towards the 6,000 total for one embed."""
    fields = embed.get("fields", [])
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + sum(len(field["name"]) + len(field["value"]) for field in fields)
        + len(embed.get("footer", {}).get("text", ""))
        + len(embed.get("author", {}).get("name", ""))
    )


def message_violations(message: Mapping[str, Any]) -> list[str]:
    """Every message limit ``message`` breaks (an empty list when it fits)."""
    problems: list[str] = []
    content = message.get("content") or ""
    if len(content) > limits.CONTENT:
        problems.append(f"content {len(content)} > {limits.CONTENT}")
    embeds = message.get("embeds") or []
    if len(embeds) > limits.EMBEDS_PER_MESSAGE:
        problems.append(f"{len(embeds)} embeds > {limits.EMBEDS_PER_MESSAGE}")
    for embed in embeds:
        problems += embed_violations(embed)
    total = sum(embed_length(embed) for embed in embeds)
    if total > limits.EMBED_TOTAL:
        problems.append(f"embed total {total} > {limits.EMBED_TOTAL}")
    problems += component_violations(message.get("components") or [])
    return problems


def embed_violations(embed: Mapping[str, Any]) -> list[str]:
    checks = [
        ("title", len(embed.get("title", "")), limits.EMBED_TITLE),
        ("description", len(embed.get("description", "")), limits.EMBED_DESCRIPTION),
        ("fields", len(embed.get("fields", [])), limits.EMBED_FIELDS),
        ("footer", len(embed.get("footer", {}).get("text", "")), limits.FOOTER),
        ("author", len(embed.get("author", {}).get("name", "")), limits.AUTHOR_NAME),
        ("embed total", embed_length(embed), limits.EMBED_TOTAL),
    ]
    for field in embed.get("fields", []):
        checks.append(("field name", len(field["name"]), limits.FIELD_NAME))
        checks.append(("field value", len(field["value"]), limits.FIELD_VALUE))
    return [f"{name} {size} > {limit}" for name, size, limit in checks if size > limit]


def component_violations(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    problems = []
    for row in rows:
        for component in row.get("components", []):
            custom_id = component.get("custom_id", "")
            if len(custom_id) > limits.CUSTOM_ID:
                problems.append(f"custom_id {len(custom_id)} > {limits.CUSTOM_ID}")
            label = component.get("label", "")
            if len(label) > limits.BUTTON_LABEL:
                problems.append(f"button label {len(label)} > {limits.BUTTON_LABEL}")
    return problems


def choice_violations(choices: list[Mapping[str, Any]]) -> list[str]:
    problems = []
    if len(choices) > limits.AUTOCOMPLETE_CHOICES:
        problems.append(f"{len(choices)} choices > {limits.AUTOCOMPLETE_CHOICES}")
    for choice in choices:
        if len(choice["name"]) > limits.CHOICE_NAME:
            problems.append(f"choice name {len(choice['name'])} > {limits.CHOICE_NAME}")
        if len(str(choice["value"])) > limits.CHOICE_VALUE:
            problems.append(f"choice value {len(str(choice['value']))} > {limits.CHOICE_VALUE}")
    return problems


def command_violations(command: Mapping[str, Any]) -> list[str]:
    """Name rules for one registered command and its options."""
    problems = []
    names = [command["name"]]
    if command.get("type", CHAT_INPUT) == CHAT_INPUT:
        names += [option["name"] for option in command.get("options", [])]
        for name in names:
            if name != name.lower() or not COMMAND_NAME.match(name):
                problems.append(f"bad chat-input name {name!r}")
    elif not 1 <= len(command["name"]) <= 32:
        problems.append(f"bad context-menu name {command['name']!r}")
    return problems
