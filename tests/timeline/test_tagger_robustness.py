"""The temporal tagger on any text: it never raises, and a failing rule costs one expression."""

from __future__ import annotations

import datetime as dt
import logging
import re
from unittest.mock import patch

import pytest
from hypothesis import given, settings

from retrieval.timeline.temporal import anchors, tag, tagger
from retrieval.timeline.temporal.draft import Draft
from retrieval.timeline.temporal.patterns import alternation
from tests.timeline.strategies import REAL_SENTENCES, document_dates, temporal_sentences, texts


@settings(max_examples=400, deadline=None)
@given(texts(), document_dates)
def test_any_text_is_tagged_without_error(text: str, dct: dt.date | None) -> None:
    # Given any text and any document date
    # When it is tagged
    expressions = tag(text, dct)
    # Then every expression quotes its own span of the text
    assert all(text[e.start : e.end] == e.text and e.start < e.end for e in expressions)


@pytest.mark.parametrize(
    "phrase",
    ["over the previous half century", "in that half", "the past half"],
)
def test_half_without_an_ordinal_is_not_a_date(phrase: str) -> None:
    # Given "half" after a word that is no ordinal (these once raised ValueError)
    # When tagged
    # Then no half-year is found
    assert not [e for e in tag(phrase, dt.date(2010, 5, 1)) if "-H" in e.value]


@settings(max_examples=300, deadline=None)
@given(temporal_sentences(), document_dates)
def test_rules_scanning_only_around_anchors_find_what_a_full_scan_finds(
    text: str, dct: dt.date | None
) -> None:
    # Given any date-like text
    # When it is tagged with rules scanning only near their anchors, and over the whole text
    near_anchors = tag(text, dct)
    with patch.object(anchors.Stretches, "around", lambda self, kinds: [(0, len(text))]):
        everywhere = tag(text, dct)
    # Then both find the same expressions
    assert near_anchors == everywhere


@settings(max_examples=300, deadline=None)
@given(texts())
def test_text_without_an_anchor_holds_no_expression(text: str) -> None:
    # Given any text the anchor test rejects
    # When it is tagged
    # Then nothing is found, so a caller may skip it
    if not anchors.may_hold_date(text):
        assert tag(text, dt.date(2000, 1, 1)) == []


def test_real_sentences_are_tagged_without_warnings(caplog: pytest.LogCaptureFixture) -> None:
    # Given real sentences from news wire and documentation
    # When each is tagged
    with caplog.at_level(logging.WARNING, logger="quotebot"):
        found = [tag(sentence, dt.date(1998, 3, 1)) for sentence in REAL_SENTENCES]
    # Then most hold expressions and no rule failed
    assert sum(map(bool, found)) > len(REAL_SENTENCES) // 2
    assert not caplog.records


def _broken(match: re.Match[str], text: str) -> Draft | None:
    raise ValueError("broken rule")


def test_a_failing_rule_drops_its_expressions_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a rule that raises on every match, before the rules that work
    failing = (re.compile(r"\b\d{4}\b"), _broken, frozenset({"year_number"}))
    monkeypatch.setattr(tagger, "RULES", (failing, *tagger.RULES))
    # When a text with two dates is tagged
    with caplog.at_level(logging.WARNING, logger="quotebot"):
        expressions = tag("The mill closed in 1998 and reopened in May 2003.", source="mill.txt")
    # Then the working rules still find both dates
    assert [e.value for e in expressions] == ["1998", "2003-05"]
    # And the failures are reported once, naming the document
    assert len(caplog.records) == 1
    assert "mill.txt" in caplog.records[0].getMessage()
    assert "broken rule" in caplog.records[0].getMessage()


@settings(max_examples=300, deadline=None)
@given(temporal_sentences())
def test_anchor_words_found_letter_by_letter_are_those_one_alternation_finds(text: str) -> None:
    # Given any date-like text, lowercased, and one alternation of every anchor word
    lowered = text.lower() + " today's mayday, the new  year"  # words inside words, a phrase
    every_word = re.compile(alternation(anchors._WORD_KINDS))
    # When its anchor words are found with one pattern for each first letter
    found = [(m.span(), m.group()) for m in anchors._word_anchors(lowered)]
    # Then they are the alternation's matches, left to right
    assert found == [(m.span(), m.group()) for m in every_word.finditer(lowered)]
