"""Scoring the answerer on a question file, beside a plain BM25 sentence baseline.

A question file is JSON lines: ``{"q", "docs", "keys"}`` for answerable
questions, ``{"q", "unanswerable": true}`` for the rest. A quote is a hit when
it contains one of the key phrases and comes from (or is also in) a gold
document.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.answer.answerer import quote
from retrieval.errors import InvalidQuery, QuotebotError
from retrieval.ingest.clean_span import collapse_whitespace
from retrieval.ingest.corpus import Corpus
from retrieval.ingest.sentences import code_after
from retrieval.models import ANSWERABLE_KINDS
from retrieval.results import Answer, Quote
from retrieval.search.analysis import analyze
from retrieval.search.bm25 import BM25Index


@dataclass(frozen=True, slots=True)
class EvalQuestion:
    q: str
    docs: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    unanswerable: bool = False


@dataclass(slots=True)
class Scores:
    """Counts for one system; the ratios are derived."""

    answerable: int = 0
    unanswerable: int = 0
    hit1: int = 0
    hit3: int = 0
    abstain_correct: int = 0
    false_abstentions: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.answerable + self.unanswerable

    def ratio(self, count: int, of: int) -> float:
        return count / of if of else 0.0

    def summary(self) -> dict[str, float | int]:
        return {
            "questions": self.total,
            "hit@1": round(self.ratio(self.hit1, self.answerable), 4),
            "hit@3": round(self.ratio(self.hit3, self.answerable), 4),
            "abstention_accuracy": round(self.ratio(self.abstain_correct, self.total), 4),
            "false_abstentions": self.false_abstentions,
        }


class EvalFileError(QuotebotError):
    """The question file cannot be read."""


def read_questions(path: Path) -> list[EvalQuestion]:
    """The questions of a JSON-lines file; a malformed line names its number and fault."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise EvalFileError(f"cannot read {path}: {error}") from None
    questions = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            questions.append(_question(json.loads(line)))
        except json.JSONDecodeError as error:
            raise EvalFileError(f"{path}:{number}: not JSON ({error})") from None
        except ValueError as error:
            raise EvalFileError(f"{path}:{number}: {error}") from None
    if not questions:
        raise EvalFileError(f"{path} holds no questions; write one JSON object per line")
    return questions


def _question(row: object) -> EvalQuestion:
    """One question object, checked field by field (ValueError says what is wrong)."""
    if not isinstance(row, dict):
        raise ValueError('expected an object like {"q": ..., "docs": [...], "keys": [...]}')
    text = row.get("q")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('"q" must be a non-empty string')
    unanswerable = row.get("unanswerable", False)
    if not isinstance(unanswerable, bool):
        raise ValueError('"unanswerable" must be true or false')
    docs, keys = _strings(row, "docs"), _strings(row, "keys")
    if not unanswerable and not (docs and keys):
        raise ValueError('an answerable question needs "docs" and "keys" (or "unanswerable": true)')
    return EvalQuestion(q=text, docs=docs, keys=keys, unanswerable=unanswerable)


def _strings(row: dict[str, object], name: str) -> tuple[str, ...]:
    value = row.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        kind = type(value).__name__
        raise ValueError(f'"{name}" must be a list of non-empty strings, not {kind}')
    return tuple(value)


def _normal(text: str) -> str:
    return (
        collapse_whitespace(text).casefold().replace("’", "'").replace("“", '"').replace("”", '"')
    )


def is_hit(quote: Quote, question: EvalQuestion) -> bool:
    docs = {quote.doc_id, *quote.also_in}
    text = _normal(quote.text)
    return bool(docs & set(question.docs)) and any(_normal(key) in text for key in question.keys)


def score(questions: Iterable[EvalQuestion], answer: Callable[[str], Answer | None]) -> Scores:
    """Run ``answer`` on every question; None stands for a rejected question."""
    scores = Scores()
    for question in questions:
        result = answer(question.q)
        abstained = result is None or result.abstained
        quotes = [] if result is None or result.abstained else result.quotes
        if question.unanswerable:
            scores.unanswerable += 1
            scores.abstain_correct += abstained
            continue
        scores.answerable += 1
        scores.abstain_correct += not abstained
        scores.false_abstentions += abstained
        hits = [is_hit(quote, question) for quote in quotes]
        scores.hit1 += any(hits[:1])
        scores.hit3 += any(hits[:3])
        if not any(hits[:1]):
            scores.misses.append(question.q)
    return scores


class SentenceBaseline:
    """Plain BM25 over every prose sentence with the same analyzer: the bar to beat."""

    def __init__(self, corpus: Corpus) -> None:
        self._corpus = corpus
        self._rows = [i for i, s in enumerate(corpus.sentences) if s.kind in ANSWERABLE_KINDS]
        self._index = BM25Index.from_token_lists(
            analyze(corpus.sentences[i].text) for i in self._rows
        )

    def answer(self, question: str, top: int = 3) -> Answer | None:
        terms = analyze(question)
        if not terms:
            return None
        sentences = self._corpus.sentences
        quotes = [
            quote(
                sentences[index],
                self._corpus.document(sentences[index].doc_id),
                score,
                code=code_after(sentences, index),
            )
            for index, score in (
                (self._rows[row], score) for row, score in self._index.top_k(terms, top)
            )
        ]
        return Answer(question=question, abstained=not quotes, confidence=1.0, quotes=quotes)


def guarded(answer: Callable[[str], Answer]) -> Callable[[str], Answer | None]:
    """Treat a rejected question as an abstention instead of an error."""

    def run(question: str) -> Answer | None:
        try:
            return answer(question)
        except InvalidQuery:
            return None

    return run


def compare(
    questions: Sequence[EvalQuestion], ask: Callable[[str], Answer], corpus: Corpus
) -> tuple[Scores, Scores]:
    """The answerer's scores and the baseline's, from one run."""
    baseline = SentenceBaseline(corpus)
    return score(questions, guarded(ask)), score(questions, baseline.answer)
