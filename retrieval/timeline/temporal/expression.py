"""The public result type of the temporal tagger."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A TIMEX3-style temporal expression found in a text.

    `text` is always `input[start:end]`, so callers can quote it verbatim.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None
    anchor: str | None = None
    range_end: str | None = None
