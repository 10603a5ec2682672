"""Counts written as a person would write them: "1 chunk", "2 chunks", "1,288 sentences"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` with thousands separators and ``noun`` in the number it takes."""
    word = noun if count == 1 else plural or f"{noun}s"
    return f"{count:,} {word}"
