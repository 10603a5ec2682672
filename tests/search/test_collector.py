"""Ingesting a batch holds the cyclic collector back, and leaves it as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.ingest.chunks import ChunkOptions
from retrieval.search import segment
from retrieval.search.collector import INGEST_YOUNG_OBJECTS, fewer_collections


@pytest.fixture
def default_thresholds() -> Iterator[None]:
    """CPython's default thresholds for the test, whatever the process had before."""
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


@pytest.mark.usefixtures("default_thresholds")
def test_the_young_threshold_is_raised_inside() -> None:
    with fewer_collections():
        assert gc.get_threshold() == (INGEST_YOUNG_OBJECTS, 10, 10)


@pytest.mark.usefixtures("default_thresholds")
def test_the_thresholds_are_restored_after_a_failure() -> None:
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a batch failed")
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.usefixtures("default_thresholds")
def test_a_higher_threshold_already_set_is_kept() -> None:
    gc.set_threshold(500_000, 10, 10)
    with fewer_collections():
        assert gc.get_threshold() == (500_000, 10, 10)


@pytest.mark.usefixtures("default_thresholds")
def test_a_segment_is_built_with_the_collector_held_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("It rained all day on the hills.\n", encoding="utf-8")
    seen: list[tuple[int, int, int]] = []
    build_one = segment._build_one

    def recording(*arguments: object) -> None:
        seen.append(gc.get_threshold())
        build_one(*arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(segment, "_build_one", recording)
    job = segment.SegmentJob(tmp_path, ["a.txt"], {}, ChunkOptions(), tmp_path, "s", "x")
    segment.build_segment(job)
    assert seen == [(INGEST_YOUNG_OBJECTS, 10, 10)]
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.usefixtures("default_thresholds")
def test_overlapping_batches_restore_the_thresholds_when_the_last_ends() -> None:
    first, second = fewer_collections(), fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold() == (INGEST_YOUNG_OBJECTS, 10, 10)
    second.__exit__(None, None, None)
    assert gc.get_threshold() == (700, 10, 10)
