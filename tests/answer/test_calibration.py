"""Calibration measures: reliability bins, expected calibration error, refusals."""

import pytest

from retrieval.answer.calibration import (
    Outcome,
    balanced_weights,
    expected_calibration_error,
    refusals,
    reliability,
)


def _own(confidence: float, right: bool, answerability: float = 0.9) -> Outcome:
    return Outcome(
        answerable=True,
        off_topic=False,
        confidence=confidence,
        answerability=answerability,
        hit1=right,
        hit3=right,
    )


def _off(confidence: float, answerability: float = 0.1) -> Outcome:
    return Outcome(
        answerable=False,
        off_topic=True,
        confidence=confidence,
        answerability=answerability,
        hit1=False,
        hit3=False,
    )


def test_a_confidence_that_matches_accuracy_has_no_calibration_error() -> None:
    found = [_own(0.75, True)] * 3 + [_own(0.75, False)] + [_own(0.05, False)] * 4
    assert expected_calibration_error(found) == pytest.approx(0.025)


def test_an_overconfident_answerer_has_a_large_calibration_error() -> None:
    found = [_own(0.95, False)] * 9 + [_own(0.95, True)]
    assert expected_calibration_error(found) == pytest.approx(0.85)


def test_off_topic_questions_weigh_as_much_as_all_the_others() -> None:
    found = [_own(0.9, True)] * 2 + [_off(0.1)] * 8
    assert balanced_weights(found) == [1.0, 1.0] + [0.25] * 8
    assert sum(b.weight for b in reliability(found)) == pytest.approx(4.0)


def test_a_threshold_refuses_what_is_unlikely_to_be_answered() -> None:
    # given answers whose confidence and answerability disagree
    found = [_own(0.9, True, 0.9), _own(0.9, False, 0.2), _off(0.1, 0.1), _off(0.1, 0.6)]
    # when a threshold of 0.5 is applied, then answerability alone decides
    refused = refusals(found, 0.5)
    assert (refused.off_topic, refused.answerable, refused.unanswerable) == (0.5, 0.5, 0.0)
