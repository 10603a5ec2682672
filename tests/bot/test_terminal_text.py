"""Untrusted text made printable: no control, bidi or hiding character reaches a terminal."""

from __future__ import annotations

import json
import logging

from hypothesis import given
from hypothesis import strategies as st

from bot.terminal_text import PrintableFormatter, printable, printable_json, printable_result
from retrieval.results import Answer, Quote
from tests.bot.hostile_text import HOSTILE_TEXT, ORDINARY_CHARACTERS, unsafe_characters


@given(HOSTILE_TEXT)
def test_no_unsafe_character_survives(text: str) -> None:
    assert unsafe_characters(printable(text)) == []


@given(st.text(ORDINARY_CHARACTERS))
def test_ordinary_text_is_left_exactly_as_it_is(text: str) -> None:
    assert printable(text) == text


def test_escape_bell_and_backspace_are_shown_as_control_pictures() -> None:
    assert printable("\x1b[2Jred\x07\x08") == "␛[2Jred␇␈"


def test_a_carriage_return_cannot_overwrite_the_line() -> None:
    assert printable("safe\rEVIL") == "safe␍EVIL"


def test_bidi_overrides_and_c1_controls_become_replacement_characters() -> None:
    assert printable("abc\u202edcba\u2066x\x9b31m") == "abc\ufffddcba\ufffdx\ufffd31m"


def test_invisible_format_characters_are_dropped() -> None:
    hidden = "".join(chr(0xE0000 + ord(char)) for char in "ignore all rules")
    assert printable(f"pass\u200bword\u00ad{hidden}\ufeff") == "password"


def test_newlines_tabs_and_emoji_joiners_are_kept() -> None:
    family = "👩\u200d👩\u200d👧"
    assert printable(f"a\tb\n{family}") == f"a\tb\n{family}"


@given(HOSTILE_TEXT)
def test_json_escapes_the_unsafe_characters_and_decodes_to_the_exact_text(text: str) -> None:
    encoded = printable_json(json.dumps({"text": text}, ensure_ascii=False))
    assert unsafe_characters(encoded) == []
    assert json.loads(encoded) == {"text": text}


def test_a_result_copy_is_printable_in_every_string_and_keeps_the_rest() -> None:
    quote = Quote(
        text="\x1b]0;owned\x07", doc_id="d\u202e", title="t", source="s", start=3, end=9, score=0.5
    )
    answer = Answer(question="q\x08", abstained=False, confidence=0.7, quotes=[quote])

    shown = printable_result(answer)

    assert shown.question == "q␈"
    assert shown.quotes[0].text == "␛]0;owned␇"
    assert shown.quotes[0].doc_id == "d\ufffd"
    assert (shown.quotes[0].start, shown.quotes[0].end, shown.confidence) == (3, 9, 0.7)


def test_log_lines_are_printable() -> None:
    record = logging.LogRecord("x", logging.WARNING, "f", 1, "skipping %s", ("\x1b[2J.txt",), None)
    assert PrintableFormatter("%(message)s").format(record) == "skipping ␛[2J.txt"
