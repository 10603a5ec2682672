"""What a question asks for: its answer type, its shape and what it is about."""

import pytest

from retrieval.answer.question import AnswerType, Shape, parse_question


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("When was the bridge opened?", AnswerType.DATE),
        ("How many people live there?", AnswerType.NUMBER),
        ("Which company originally built the engine?", AnswerType.PERSON),
        ("Since which version can the server log every query?", AnswerType.VERSION),
        ("In which release did names start accepting UTF-8?", AnswerType.VERSION),
        ("When was the walrus operator added?", AnswerType.VERSION),
        ("Which flag enables the admin API?", AnswerType.CODE),
        ("Where is the query log configured?", AnswerType.CODE),
        ("Why did the council refuse?", AnswerType.REASON),
    ],
)
def test_the_wording_gives_the_expected_kind_of_answer(text: str, kind: AnswerType) -> None:
    assert parse_question(text).answer_type is kind


@pytest.mark.parametrize(
    ("text", "shape", "focus"),
    [
        ("What is a string slice?", Shape.DEFINITION, ("string", "slice")),
        ("What are migrations?", Shape.DEFINITION, ("migrat",)),
        ("What is a model in Django?", Shape.DEFINITION, ("model",)),
        ("What is a wheel according to the spec?", Shape.DEFINITION, ("wheel",)),
        ("What is a theme made of?", Shape.DEFINITION, ("theme",)),
        ("What is a refspec used for?", Shape.DEFINITION, ("refspec",)),
        ("What is a match arm made up of?", Shape.DEFINITION, ("match", "arm")),
        ("What does the ? operator do?", Shape.DEFINITION, ("?", "oper")),
        ("package vs crate?", Shape.COMPARISON, ("packag", "crate")),
        (
            "What is the difference between a histogram and a summary?",
            Shape.COMPARISON,
            ("histogram", "summari"),
        ),
        ("How is a reference different from a pointer?", Shape.COMPARISON, ("refer", "pointer")),
        ("How do structs compare with tuples?", Shape.COMPARISON, ("struct", "tupl")),
        ("How do I start a new project?", Shape.HOWTO, ()),
        ("how to install a wheel offline", Shape.HOWTO, ()),
        ("Who founded the museum in 1921?", Shape.OTHER, ()),
    ],
)
def test_documentation_questions_are_recognised_with_their_focus(
    text: str, shape: Shape, focus: tuple[str, ...]
) -> None:
    question = parse_question(text)
    assert (question.shape, question.focus) == (shape, focus)


def test_a_long_what_is_question_is_not_taken_for_a_definition() -> None:
    question = parse_question("What is the name of the ship that made the first passage there?")
    assert question.shape is Shape.OTHER


def test_symbols_that_carry_meaning_are_search_terms() -> None:
    question = parse_question("How do I build with --release and call __init__?")
    assert {"--release", "__init__"} <= set(question.terms)
