"""The answerer gives the same quotes on two live Xapian shards as on the local index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.answer.evaluation import read_questions
from retrieval.errors import InvalidQuery
from retrieval.results import Answer
from retrieval.search.corpus_cache import IndexOptions
from retrieval.service import QAService
from tests.conftest import REPO, SEEDS
from tests.search.xapian.servers import require_xapian, serving

DATA = REPO / "tests" / "data"
QUESTION_SETS = [
    (SEEDS, DATA / "dev_questions.jsonl"),
    *(
        (DATA / name / "corpus", DATA / name / "questions.jsonl")
        for name in ("heldout", "blind", "newswire", "reference", "factoid")
    ),
]
SAME_TOP_QUOTE = 0.99


def _top(answer: Answer | str) -> object:
    if isinstance(answer, str):
        return answer
    if answer.abstained:
        return ("abstained", [n.doc_id for n in answer.nearest])
    first = answer.quotes[0]
    return (first.doc_id, first.start, first.end, first.text)


def _answers(service: QAService, questions: list[str]) -> list[Answer | str]:
    found: list[Answer | str] = []
    for question in questions:
        try:
            found.append(service.ask(question))
        except InvalidQuery as error:
            found.append(f"error: {error}")
    return found


@pytest.mark.parametrize(("corpus", "questions"), QUESTION_SETS, ids=lambda p: p.parent.name)
def test_the_top_quote_is_the_same_on_both_backends(
    corpus: Path, questions: Path, tmp_path: Path
) -> None:
    require_xapian()
    from retrieval.search.xapian.backend import XapianBackend
    from retrieval.search.xapian.build import build_shards

    local = QAService.open(corpus, IndexOptions(), tmp_path / "cache")
    build_shards(local.corpus, IndexOptions(), tmp_path / "shards", 2)
    asked = [item.q for item in read_questions(questions)]
    with serving(tmp_path / "shards", 2) as servers:
        remote = QAService(XapianBackend.connect([s.address for s in servers], 2.0))
        pairs = list(zip(_answers(local, asked), _answers(remote, asked), strict=True))
    differing = [
        (q, _top(a), _top(b)) for q, (a, b) in zip(asked, pairs, strict=True) if _top(a) != _top(b)
    ]
    assert 1 - len(differing) / len(asked) >= SAME_TOP_QUOTE, json.dumps(differing[:5], default=str)
    scores = [
        (a.quotes[0].score, b.quotes[0].score)
        for a, b in pairs
        if isinstance(a, Answer) and isinstance(b, Answer) and a.quotes and b.quotes
    ]
    assert all(a == pytest.approx(b, rel=1e-9) for a, b in scores)
