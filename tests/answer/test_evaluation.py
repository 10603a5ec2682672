"""Question files for `quotebot eval`: read strictly, every fault named with its line."""

from pathlib import Path

import pytest

from retrieval.answer.evaluation import EvalFileError, EvalQuestion, read_questions


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_well_formed_file_gives_its_questions(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        '{"q": "When?", "docs": ["a/b"], "keys": ["in 1999"]}\n\n'
        '{"q": "Who?", "unanswerable": true}\n',
    )
    assert read_questions(path) == [
        EvalQuestion("When?", ("a/b",), ("in 1999",)),
        EvalQuestion("Who?", unanswerable=True),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "holds no questions"),
        ("\n  \n", "holds no questions"),
        ('{"q": "", "unanswerable": true}', ':1: "q" must be a non-empty string'),
        ('{"q": 7, "unanswerable": true}', '"q" must be a non-empty string'),
        ('{"q": "When?", "docs": "000", "keys": ["x"]}', '"docs" must be a list .* not str'),
        ('{"q": "When?", "docs": ["a"], "keys": "x"}', '"keys" must be a list'),
        ('{"q": "When?", "docs": ["a"], "keys": [""]}', '"keys" must be a list'),
        ('{"q": "When?"}', 'needs "docs" and "keys"'),
        ('{"q": "When?", "unanswerable": "yes"}', '"unanswerable" must be true or false'),
        ('["When?"]', "expected an object"),
        ('{"q": "When?", "unanswerable": true}\n{"q": ', ":2: not JSON"),
    ],
)
def test_a_malformed_file_is_refused_with_the_line_and_fault(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(EvalFileError, match=message):
        read_questions(_file(tmp_path, text))


def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EvalFileError, match="cannot read"):
        read_questions(tmp_path / "missing.jsonl")
