"""Giving a finished batch's freed memory back to the system."""

from __future__ import annotations

import sys

import pytest

from retrieval.search.heap import give_back_free_memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_the_free_pages_are_given_back_on_glibc() -> None:
    # given a heap that has just freed a large number of small objects
    held = [str(number) * 3 for number in range(200_000)]
    del held
    # when its free pages are given back, then the C library did so
    assert give_back_free_memory()
