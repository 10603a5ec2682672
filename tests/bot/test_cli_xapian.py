"""The command line on the Xapian backend: writing shards, and reading through served ones."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from tests.conftest import SEEDS
from tests.search.xapian.servers import require_xapian


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
