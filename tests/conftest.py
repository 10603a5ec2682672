"""Shared fixtures: corpora the tests write, and an isolated cache and config."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.search.corpus_cache import IndexOptions
from retrieval.service import QAService

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """No test reads the developer's .env, cache or QUOTEBOT_* variables."""
    for name in list(__import__("os").environ):
        if name.startswith("QUOTEBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("QUOTEBOT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    yield


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled seeds."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def write_corpus(root: Path, files: dict[str, str | bytes]) -> Path:
    """A corpus folder holding ``files`` (relative path -> text or bytes)."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def seeds_service(tmp_path_factory: pytest.TempPathFactory) -> QAService:
    """One service over the bundled seeds, shared by read-only tests."""
    return QAService.open(SEEDS, IndexOptions(), tmp_path_factory.mktemp("seeds-cache"))
