"""What the confidence model reads about a question and its candidates."""

import numpy as np

from retrieval.answer.answerer import corpus_size
from retrieval.answer.confidence import EVIDENCE, QuestionFacts, answerability, evidence
from retrieval.answer.features import FEATURES


def _facts(chunks: int) -> QuestionFacts:
    return QuestionFacts(
        unseen_share=0.0,
        names_unseen=0.0,
        rarest_seen=0.6,
        terms=3,
        corpus_size=corpus_size(chunks),
    )


def _inputs(chunks: int) -> np.ndarray:
    features = np.full((3, len(FEATURES)), 0.5)
    return evidence(features, np.array([6.0, 5.0, 4.0]), ["a", "a", "b"], _facts(chunks))


def test_the_corpus_size_is_read_on_a_log_scale() -> None:
    # given corpora of ten and of a hundred thousand chunks
    # then their sizes are a fifth of the scale and all of it
    assert corpus_size(10) == 0.2
    assert corpus_size(100_000) == 1.0


def test_the_size_is_the_last_thing_the_model_reads() -> None:
    # given the evidence of the same candidates from a small corpus
    inputs = _inputs(50)
    # then the size is read along with everything else, last
    assert len(inputs) == len(EVIDENCE)
    assert inputs[EVIDENCE.index("corpus_size")] == corpus_size(50)


def test_the_same_match_means_less_in_a_larger_corpus() -> None:
    # given the same candidates found in a small corpus and in a large one
    small, large = _inputs(50), _inputs(50_000)
    # then the large corpus, where chance matches are likelier, is less sure it answers
    assert answerability(large) < answerability(small)
