"""``quotebot health``, the Docker HEALTHCHECK: status 0 when the cache is usable, else 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.heartbeat import beat
from bot.locations import heartbeat_file
from bot.settings import load_settings
from retrieval.service import QAService
from tests.conftest import SEEDS, write_corpus


def _health(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["health", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def indexed(tmp_path: Path) -> Path:
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": "The mill reopened.", "b.txt": "Rain."})
    assert CliRunner().invoke(main, ["index", "--corpus", str(corpus)]).exit_code == 0
    return corpus


def test_an_indexed_corpus_is_healthy(indexed: Path) -> None:
    code, out, _ = _health("--corpus", str(indexed))
    assert code == 0
    assert out.startswith("ok: 2 documents, index updated ")


def test_health_never_loads_the_index(indexed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> QAService:
        raise AssertionError("health loaded the index")

    monkeypatch.setattr(QAService, "open", refuse)
    assert _health("--corpus", str(indexed))[0] == 0


def test_files_changed_since_indexing_are_counted(indexed: Path) -> None:
    (indexed / "a.txt").write_text("The mill closed.", encoding="utf-8")
    code, out, _ = _health("--corpus", str(indexed))
    assert code == 0 and out.strip().endswith("; 1 file changed since")


def test_a_corpus_never_indexed_is_unhealthy() -> None:
    code, _, err = _health("--corpus", str(SEEDS))
    assert code == 1
    assert err.startswith("error: unhealthy: no index cache")


def test_a_damaged_cache_is_unhealthy(indexed: Path, tmp_path: Path) -> None:
    cache = load_settings().cache_dir
    assert cache is not None
    for manifest in cache.glob("corpus-*/manifest.json"):
        manifest.write_text("{}", encoding="utf-8")
    code, _, err = _health("--corpus", str(indexed))
    assert code == 1 and "manifest" in err


def test_a_missing_corpus_is_unhealthy_in_one_line(tmp_path: Path) -> None:
    code, _, err = _health("--corpus", str(tmp_path / "missing"))
    assert code == 1
    assert err.startswith("error: unhealthy:") and len(err.strip().splitlines()) == 1


def test_a_bad_setting_is_unhealthy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEBOT_CHUNK_TOKENS", "many")
    code, _, err = _health("--corpus", str(SEEDS))
    assert code == 1
    assert "chunk_tokens" in err


def test_a_heartbeat_is_required_only_when_asked_for(indexed: Path) -> None:
    code, _, err = _health("--corpus", str(indexed), "--heartbeat", "30")
    assert code == 1 and "never" in err
    beat(heartbeat_file(load_settings(), indexed), documents=2)
    assert _health("--corpus", str(indexed), "--heartbeat", "30")[0] == 0
