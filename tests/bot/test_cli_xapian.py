"""The command line on the Xapian backend: writing shards, and reading through served ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from retrieval.ingest.corpus import build_corpus
from retrieval.search.corpus_cache import IndexOptions
from tests.conftest import SEEDS
from tests.search.xapian.servers import ServedCorpus, require_xapian, served


def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_index_writes_the_shards_it_reports(tmp_path: Path) -> None:
    require_xapian()
    out = tmp_path / "shards"
    code, stdout, _ = _run(
        "index", "--backend", "xapian", "--shards", "2", "--out", str(out), "--corpus", str(SEEDS)
    )
    assert code == 0
    assert "built 2 Xapian shards: 5 documents" in stdout
    assert sorted(p.name for p in out.iterdir()) == ["shard-1", "shard-2"]


def test_shards_without_the_xapian_backend_are_a_usage_error() -> None:
    code, _, stderr = _run("index", "--shards", "2")
    assert code == 2
    assert stderr.strip() == "error: --shards and --out go with --backend xapian"


def test_the_xapian_backend_needs_an_output_folder() -> None:
    code, _, stderr = _run("index", "--backend", "xapian", "--shards", "2")
    assert code == 2
    assert stderr.strip() == "error: --backend xapian needs --out DIR for the shards"


@pytest.fixture(scope="module")
def seeds_on_shards(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedCorpus]:
    require_xapian()
    corpus = build_corpus(SEEDS, IndexOptions().chunks)
    yield from served(corpus, tmp_path_factory.mktemp("shards"), 2)


@pytest.fixture
def on_shards(seeds_on_shards: ServedCorpus, monkeypatch: pytest.MonkeyPatch) -> ServedCorpus:
    """Settings for the served shards, and a corpus setting that points nowhere."""
    monkeypatch.setenv("QUOTEBOT_SEARCH_BACKEND", "xapian")
    monkeypatch.setenv("QUOTEBOT_XAPIAN_REMOTES", ",".join(seeds_on_shards.addresses))
    monkeypatch.setenv("QUOTEBOT_CORPUS", "/nonexistent/corpus")
    return seeds_on_shards


def _process(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """quotebot as its own process, so its stderr is exactly what a person sees."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=os.environ | env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _local(*args: str) -> str:
    done = _process(*args, "--corpus", str(SEEDS), QUOTEBOT_SEARCH_BACKEND="local")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ask_json_on_the_shards_equals_the_local_answer(on_shards: ServedCorpus) -> None:
    question = "When was the arms embargo lifted?"
    code, stdout, stderr = _run("ask", question, "--json")
    assert code == 0 and stderr == ""
    remote = json.loads(stdout)
    assert remote["partial"] is False
    assert remote == json.loads(_local("ask", question, "--json"))


def test_docs_and_timeline_on_the_shards_equal_the_local_ones(on_shards: ServedCorpus) -> None:
    for command in (["docs", "--json"], ["timeline", "embargo", "--json"]):
        code, stdout, _ = _run(*command)
        assert code == 0
        assert json.loads(stdout) == json.loads(_local(*command))


def test_the_piped_console_answers_from_the_shards_as_locally(on_shards: ServedCorpus) -> None:
    lines = "When was the arms embargo lifted?\n/timeline embargo\n/sources\n"
    remote = _process("console", stdin=lines)
    local = _process(
        "console", "--corpus", str(SEEDS), stdin=lines, QUOTEBOT_SEARCH_BACKEND="local"
    )
    assert remote.returncode == 0, remote.stderr
    assert "5 documents, 66 chunks on 2 Xapian shards" in remote.stderr
    assert "004_d3ee043e5275d041" in remote.stdout
    assert remote.stdout == local.stdout


def test_health_reports_the_shards(on_shards: ServedCorpus) -> None:
    code, stdout, _ = _run("health")
    assert code == 0
    assert stdout.startswith("ok: 5 documents, on 2 Xapian shards")


def test_a_corpus_folder_with_the_xapian_backend_is_a_usage_error(
    on_shards: ServedCorpus,
) -> None:
    code, _, stderr = _run("ask", "Who?", "--corpus", str(SEEDS))
    assert code == 2
    assert stderr.startswith("error: --corpus does not apply with search_backend = xapian")


@pytest.fixture
def fresh_shards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServedCorpus]:
    """Shards this test may stop; the shortest reply timeout the settings allow in practice."""
    require_xapian()
    corpus = build_corpus(SEEDS, IndexOptions().chunks)
    for served_corpus in served(corpus, tmp_path / "shards", 2):
        monkeypatch.setenv("QUOTEBOT_SEARCH_BACKEND", "xapian")
        monkeypatch.setenv("QUOTEBOT_XAPIAN_REMOTES", ",".join(served_corpus.addresses))
        monkeypatch.setenv("QUOTEBOT_XAPIAN_TIMEOUT_SECONDS", "0.5")
        yield served_corpus


def test_a_shard_down_gives_a_partial_answer_and_one_warning_naming_it(
    fresh_shards: ServedCorpus,
) -> None:
    fresh_shards.servers[1].stop()
    done = _process("ask", "When was the arms embargo lifted?", "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["partial"] is True
    warnings = done.stderr.strip().splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith("warning: shard 2 (")
    assert fresh_shards.servers[1].address in warnings[0]


def test_every_shard_down_is_one_error_line(fresh_shards: ServedCorpus) -> None:
    for server in fresh_shards.servers:
        server.stop()
    done = _process("ask", "When was the arms embargo lifted?")
    assert done.returncode == 2 and done.stdout == ""
    [line] = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert line.startswith("error: no Xapian shard is reachable (shard 1 (")
    assert "Traceback" not in done.stderr
