"""Counts read as a person would write them."""

import pytest

from bot.wording import counted


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 chunks"), (1, "1 chunk"), (2, "2 chunks"), (1288, "1,288 chunks")],
)
def test_a_count_takes_the_noun_in_its_number(count: int, expected: str) -> None:
    assert counted(count, "chunk") == expected


def test_an_irregular_plural_is_given() -> None:
    assert counted(3, "entry", "entries") == "3 entries"
    assert counted(1, "entry", "entries") == "1 entry"
