"""Request bodies checked against Discord's OpenAPI spec (a copy in tests/data, MIT).

OpenAPI 3.1 schemas are JSON Schema 2020-12; the whole spec is registered as one resource
so the ``#/components/...`` references inside any request schema resolve.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parent.parent / "data" / "discord-openapi.json"
SPEC_URI = "urn:discord-openapi"
# Discord accepts a snowflake as a JSON string or number and discord.py sends some as
# numbers (e.g. a reply's message_reference); the spec only writes the string form.
SNOWFLAKE_FLOOR = 2**32


class DiscordSpec:
    """Finds the operation for a request path and validates its JSON body."""

    def __init__(self, path: Path = SPEC_PATH) -> None:
        self.spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(self.spec, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        # Literal routes first, so ".../messages/@original" beats ".../messages/{message_id}".
        self.routes = sorted(self.spec["paths"], key=lambda template: template.count("{"))

    def template(self, path: str) -> str:
        for template in self.routes:
            pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(pattern, path):
                return template
        raise LookupError(f"no operation in the spec for {path}")

    def request_errors(self, method: str, path: str, body: Any) -> list[str]:
        """Every way ``body`` breaks the spec's JSON request schema for this operation."""
        template = self.template(path)
        operation = self.spec["paths"][template][method.lower()]
        if "requestBody" not in operation:
            return [] if body is None else [f"{method} {template} takes no body"]
        pointer = "/".join(
            part.replace("~", "~0").replace("/", "~1")
            for part in ("paths", template, method.lower(), "requestBody", "content")
        )
        schema = {"$ref": f"{SPEC_URI}#/{pointer}/application~1json/schema"}
        validator = Draft202012Validator(schema, registry=self.registry)
        return [
            f"{method} {template}: {error.message} at {list(error.absolute_path)}"
            for error in validator.iter_errors(_snowflakes_as_strings(body))
        ]


@cache
def discord_spec() -> DiscordSpec:
    return DiscordSpec()


def _snowflakes_as_strings(value: Any) -> Any:
    """``value`` with every snowflake-sized integer written as the spec's string form."""
    if isinstance(value, dict):
        return {key: _snowflakes_as_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_snowflakes_as_strings(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and value >= SNOWFLAKE_FLOOR:
        return str(value)
    return value
