"""``quotebot health``, the Docker HEALTHCHECK: status 0 when the service answers, else 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.conftest import SEEDS


def _health(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["health", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_loadable_corpus_is_healthy() -> None:
    code, out, _ = _health("--corpus", str(SEEDS))
    assert code == 0
    assert out.startswith("ok: 5 documents")


def test_the_second_check_uses_the_cached_index() -> None:
    _health("--corpus", str(SEEDS))
    _, out, _ = _health("--corpus", str(SEEDS))
    assert out.strip() == "ok: 5 documents, index from cache"


def test_a_missing_corpus_is_unhealthy_in_one_line(tmp_path: Path) -> None:
    code, _, err = _health("--corpus", str(tmp_path / "missing"))
    assert code == 1
    assert err.startswith("error: unhealthy:") and len(err.strip().splitlines()) == 1


def test_a_bad_setting_is_unhealthy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEBOT_CHUNK_TOKENS", "many")
    code, _, err = _health("--corpus", str(SEEDS))
    assert code == 1
    assert "chunk_tokens" in err
