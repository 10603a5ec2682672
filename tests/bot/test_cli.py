"""The quotebot command line: readable output, JSON, exit statuses, no tracebacks."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.conftest import SEEDS, write_corpus


def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin, prog_name="quotebot")
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help_work() -> None:
    assert _run("--version")[0] == 0
    code, out, _ = _run("--help")
    assert code == 0 and "ask" in out and "docs" in out


def test_docs_json_lists_the_five_seeds_with_titles() -> None:
    code, out, _ = _run("docs", "--corpus", str(SEEDS), "--json")
    documents = json.loads(out)
    assert code == 0
    assert len(documents) == 5
    titles = {d["doc_id"]: d["title"] for d in documents}
    assert titles["001_1f37cc2d15cd2da9"] == "A Breakthrough in US-Vietnam Relations"
    assert titles["003_5eaa0ee74c7c21fd"].startswith("US-Vietnamese Reconciliation")


def test_ask_prints_quotes_with_document_ids() -> None:
    code, out, _ = _run("ask", "How many Americans were unaccounted for?", "--corpus", str(SEEDS))
    assert code == 0
    assert "002_d6c62ff19fc9144c" in out and "1,679" in out


def test_ask_json_reads_one_question_per_line_from_stdin() -> None:
    questions = "When was the embargo lifted?\n\nWhat is it?\nWho met in Hanoi?\n"
    code, out, _ = _run("ask", "--json", "-", "--corpus", str(SEEDS), stdin=questions)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert len(lines) == 3
    assert "quotes" in lines[0] and "error" in lines[1]


def test_an_empty_question_is_one_error_line_and_status_2() -> None:
    code, _, err = _run("ask", "  ", "--corpus", str(SEEDS))
    assert code == 2
    assert err.strip().startswith("error:") and len(err.strip().splitlines()) == 1


def test_a_missing_corpus_folder_is_one_error_line_and_status_2(tmp_path: Path) -> None:
    code, _, err = _run("docs", "--corpus", str(tmp_path / "missing"))
    assert code == 2
    assert "does not exist" in err


def test_an_invalid_setting_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEBOT_CHUNK_TOKENS", "-5")
    code, _, err = _run("docs", "--corpus", str(SEEDS))
    assert code == 2
    assert "chunk_tokens" in err


def test_an_unreadable_config_file_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("QUOTEBOT_CONFIG", str(tmp_path / "nope.toml"))
    code, _, err = _run("docs", "--corpus", str(SEEDS))
    assert code == 2
    assert "nope.toml" in err


def test_index_reports_what_it_built(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"a.txt": "The mill reopened in 1990. Work resumed."})
    code, out, _ = _run("index", "--corpus", str(corpus))
    assert code == 0
    assert out.startswith("+1 document, 0 changed, 0 removed") and "bytes on disk" in out
    assert "1 document, 2 sentences, 1 chunk," in out
    assert _run("index", "--corpus", str(corpus))[1].startswith("index up to date: 1 document")


def test_index_says_what_changed_since_the_last_run(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"a.txt": "The mill reopened.", "b.txt": "Rain fell."})
    _run("index", "--corpus", str(corpus))
    (corpus / "a.txt").write_text("The mill closed.", encoding="utf-8")
    (corpus / "b.txt").unlink()
    (corpus / "c.txt").write_text("Snow fell.", encoding="utf-8")
    assert _run("index", "--corpus", str(corpus))[1].startswith("+1 document, 1 changed, 1 removed")


def test_index_fails_when_the_cache_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("QUOTEBOT_CACHE_DIR", str(blocker / "cache"))
    corpus = write_corpus(tmp_path / "c", {"a.txt": "The mill reopened in 1990."})
    code, out, err = _run("index", "--corpus", str(corpus))
    assert code == 1 and not out
    assert "error: the index cache was not written" in err
    assert "bytes on disk" not in err


def test_eval_prints_hits_for_quotebot_and_the_baseline(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps(
            {
                "q": "How many Americans were unaccounted for?",
                "docs": ["002_d6c62ff19fc9144c"],
                "keys": ["1,679 Americans"],
            }
        )
        + "\n"
        + json.dumps({"q": "What is the melting point of tungsten?", "unanswerable": True})
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = _run("eval", str(questions), "--corpus", str(SEEDS), "--json")
    scores = json.loads(out)
    assert code == 0
    assert scores["quotebot"]["hit@1"] == 1.0
    assert set(scores) == {"quotebot", "bm25_sentences"}


def test_a_user_mistake_in_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "bot", "docs", "--corpus", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 2
    assert "Traceback" not in process.stderr
    assert process.stderr.startswith("error:")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["ask", "when?", "--top", "11"], "'--top': 11 is not in the range"),
        (["timeline", "--limit", "0"], "'--limit': 0 is not in the range"),
        (["ask"], "missing argument 'QUESTION'"),
        (["docs", "--bogus"], "no such option"),
        (["akk"], "no such command 'akk'"),
    ],
)
def test_a_usage_error_is_one_error_line_and_status_2(args: list[str], named: str) -> None:
    # when click refuses the command line
    code, out, err = _run(*args)
    # then it says why in one line, pointing at the help, with status 2
    assert code == 2 and out == ""
    assert err.startswith("error: ") and named in err
    assert err.count("\n") == 1 and err.endswith("--help')\n")


def test_quotebot_alone_still_shows_its_help() -> None:
    code, _, err = _run()
    assert code == 2
    assert "Commands:" in err


def test_an_empty_corpus_flag_is_an_error_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a working directory that holds documents
    write_corpus(tmp_path, {"here.txt": "The mill reopened in 1990. Work resumed."})
    monkeypatch.chdir(tmp_path)
    # when the corpus is given as an empty string
    code, out, err = _run("docs", "--corpus", "", "--json")
    # then nothing is indexed and one line says what is wrong
    assert code == 2 and out == ""
    assert err == (
        "error: invalid value for '--corpus': must name a folder, not an empty string "
        "(see 'quotebot docs --help')\n"
    )


def test_an_empty_corpus_setting_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEBOT_CORPUS", " ")
    code, _, err = _run("docs")
    assert code == 2
    assert err.startswith("error: invalid setting corpus: must name a folder")


def test_an_unknown_log_level_is_a_settings_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEBOT_LOG_LEVEL", "verbose")
    code, _, err = _run("docs", "--corpus", str(SEEDS))
    assert code == 2
    assert err == (
        "error: invalid setting log_level: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL\n"
    )


def test_ask_dash_reads_questions_and_prints_readable_answers() -> None:
    # given questions on standard input, one of them unusable
    questions = "How many Americans were unaccounted for?\n\nWhat is it?\n"
    # when they are asked without --json
    code, out, err = _run("ask", "-", "--corpus", str(SEEDS), stdin=questions)
    # then each answer follows its question as readable text, and the bad one gets its error
    assert code == 0
    assert out.startswith("> How many Americans were unaccounted for?\n1. “")
    assert "002_d6c62ff19fc9144c" in out and "> What is it?" in out
    assert not out.lstrip().startswith("{")
    assert err.startswith("error: ") and err.count("error:") == 1


def test_the_bundled_seeds_are_found_from_any_working_directory(tmp_path: Path) -> None:
    # given a working directory far from the repository, with no settings
    process = subprocess.run(
        [sys.executable, "-m", "bot", "docs", "--json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    # then the default corpus is the bundled seeds
    assert process.returncode == 0, process.stderr
    assert len(json.loads(process.stdout)) == 5
