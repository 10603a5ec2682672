"""The allocator and collector settings that keep a long-running service steady."""

from __future__ import annotations

import ctypes
import gc
from typing import Any

import pytest

from bot import heap


class _Library:
    def __init__(self, calls: list[tuple[int, int]]) -> None:
        self._calls = calls

    def mallopt(self, parameter: int, value: int) -> int:
        self._calls.append((parameter, value))
        return 1


def test_large_allocations_keep_a_fixed_mapping_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a C library with mallopt
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(ctypes, "CDLL", lambda name: _Library(calls))
    # when the heap is set up, then the mapping threshold is fixed at its default
    assert heap.steady_heap()
    assert calls == [(-3, 128 * 1024)]


def test_a_c_library_without_mallopt_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a C library that has no mallopt (not glibc)
    def no_mallopt(name: Any) -> object:
        return object()

    monkeypatch.setattr(ctypes, "CDLL", no_mallopt)
    # when the heap is set up, then nothing is changed and nothing fails
    assert not heap.steady_heap()


def test_the_collector_runs_less_often_without_changing_its_ratios(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given CPython's default thresholds
    monkeypatch.setattr(gc, "set_threshold", lambda *t: calls.append(t))
    monkeypatch.setattr(gc, "get_threshold", lambda: (700, 10, 10))
    calls: list[tuple[int, ...]] = []
    # when the collector is set up, then only the youngest generation's threshold is raised
    heap.steady_collector()
    assert calls == [(10_000, 10, 10)]
