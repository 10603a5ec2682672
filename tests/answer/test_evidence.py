"""Surface evidence that a sentence has the answer's kind and the question's form."""

import pytest

from retrieval.answer.evidence import (
    defines,
    definition_fit,
    fits_shape,
    is_changelog,
    matches_type,
)
from retrieval.answer.question import AnswerType, Shape


@pytest.mark.parametrize(
    "sentence",
    [
        "A counter is a cumulative metric that only goes up.",
        "In these terms, an endpoint you can scrape is called an instance.",
        "Counters are cumulative metrics.",
        "A counter defines a value that only goes up.",
    ],
)
def test_a_sentence_that_says_what_the_focus_is_defines_it(sentence: str) -> None:
    assert defines(sentence, ("counter",)) or defines(sentence, ("instanc",))


@pytest.mark.parametrize(
    "sentence",
    [
        "However, the first ingestion missed two samples, so a counter reset was detected.",
        "The gauge is a metric that can go down.",
        "Counters are stored in the time series database.",
        "A counter is not reset when the server restarts.",
        "Counters are usually created by the client library.",
        "Each counter is a Python object that the registry owns.",
        "All counters are metrics.",
        "The registry defines how every counter is named.",
    ],
)
def test_a_sentence_that_only_mentions_the_focus_does_not_define_it(sentence: str) -> None:
    assert not defines(sentence, ("counter",))


def test_the_textbook_form_of_a_definition_fits_more_squarely_than_a_description() -> None:
    textbook = "An enumeration is a set of symbolic names bound to unique, constant values."
    description = "Enumerations are Python classes, and can have methods."
    assert definition_fit(textbook, ("enumer",)) == 1.0
    assert 0.0 < definition_fit(description, ("enumer",)) < 1.0


def test_an_instruction_that_introduces_code_fits_a_how_to_question() -> None:
    instruction = "To start the server with the new file, run:"
    remark = "The server was started by the team in 2012."
    assert fits_shape(Shape.HOWTO, instruction, (), code_follows=False) == 1.0
    assert fits_shape(Shape.HOWTO, remark, (), code_follows=False) == 0.0
    assert fits_shape(Shape.HOWTO, "Use the check command.", (), code_follows=True) == 1.0


def test_the_sentence_opening_a_section_headed_by_the_focus_fits_a_definition() -> None:
    # given a glossary entry's first sentence, which names no term of its own
    entry = "A class that takes parsed documents and performs an action on them."
    # then it defines the focus only when it opens the section headed by it
    assert fits_shape(Shape.DEFINITION, entry, ("builder",), False, headed=True) > 0
    assert fits_shape(Shape.DEFINITION, entry, ("builder",), False, headed=False) == 0


def test_a_contrast_between_both_things_fits_a_comparison() -> None:
    contrast = "A summary calculates quantiles on the client, whereas a histogram exposes buckets."
    assert fits_shape(Shape.COMPARISON, contrast, ("histogram", "summari"), False) == 1.0


@pytest.mark.parametrize(
    ("kind", "sentence", "question", "expected"),
    [
        (
            AnswerType.VERSION,
            "Queries can be logged to a file, as of 2.16.0.",
            "Since which version?",
            True,
        ),
        (AnswerType.VERSION, "Queries can be logged to a file.", "Since which version?", False),
        (AnswerType.CODE, "Call it with the flag --web.config.file.", "Which flag?", True),
        (AnswerType.CODE, "Edit the INSTALLED_APPS setting.", "Which setting?", True),
        (AnswerType.CODE, "Edit the settings file.", "Which setting?", False),
    ],
)
def test_documentation_answer_kinds_need_a_new_version_or_name(
    kind: AnswerType, sentence: str, question: str, expected: bool
) -> None:
    assert matches_type(kind, sentence, question) is expected


@pytest.mark.parametrize(
    ("title", "source", "expected"),
    [
        ("Django 1.9 release notes", "releases/1.9.html", True),
        ("Changelog", "changes.rst", True),
        ("What's new in 3.0", "whatsnew/3.0.md", True),
        ("Release Notes", "about/release-notes.html", True),
        ("Writing your first app", "intro/tutorial01.html", False),
        ("Relations between the two countries", "000_relations.txt", False),
    ],
)
def test_a_release_note_is_told_by_its_title_or_path(
    title: str, source: str, expected: bool
) -> None:
    assert is_changelog(title, source) is expected
