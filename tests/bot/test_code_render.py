"""The code block after a how-to's quote, in every adapter: shown verbatim, cut when long."""

from __future__ import annotations

from rich.console import Console

from bot import console_render, text_render
from bot.discord_bot import limits, render
from retrieval.results import Answer, Quote
from tests.fakes.payloads import message_violations

INSTRUCTION = "Create a new project with Cargo, like so:"
EXAMPLE = "$ cargo new hello\n$ cd hello"


def _answer(code: str | None = EXAMPLE, text: str = INSTRUCTION) -> Answer:
    quote = Quote(
        text=text,
        doc_id="hello-cargo",
        title="Hello, Cargo!",
        source="hello-cargo.html",
        start=0,
        end=len(text),
        score=1.0,
        code=code,
    )
    return Answer(
        question="How do I start a project?", abstained=False, confidence=0.9, quotes=[quote]
    )


def test_plain_text_shows_the_code_under_its_quote_before_the_source() -> None:
    # Given a how-to answer whose quote introduces a code block
    # When it is rendered as plain text
    shown = text_render.render_answer(_answer(), width=200)
    # Then the code's lines follow the quote, indented, and the source comes last
    assert shown.splitlines()[1:] == [
        "     $ cargo new hello",
        "     $ cd hello",
        "   — hello-cargo, Hello, Cargo!",
    ]


def test_a_long_listing_is_cut_to_its_first_lines() -> None:
    # Given a quote followed by a hundred-line listing
    listing = "\n".join(f"line {n}" for n in range(100))
    # When it is rendered as plain text
    shown = text_render.render_answer(_answer(listing), width=200)
    # Then only the first lines are shown, then an ellipsis
    assert f"line {text_render.CODE_LINES - 1}" in shown
    assert f"line {text_render.CODE_LINES}\n" not in shown
    assert "     …" in shown


def test_the_console_shows_the_code_with_the_quote() -> None:
    # Given a how-to answer with its code block
    # When it is rendered for a terminal
    console = Console(record=True, width=200)
    console.print(console_render.render_answer(_answer(), 200))
    # Then both commands are shown
    shown = console.export_text()
    assert "$ cargo new hello" in shown
    assert "$ cd hello" in shown


def test_discord_shows_the_code_as_a_fenced_block_after_the_quote() -> None:
    # Given a how-to answer with its code block
    # When it is rendered as an embed
    value = render.answer_embed(_answer()).fields[0].value
    # Then the quote is followed by the code, verbatim, in a code block
    assert value == f"> {INSTRUCTION}\n```\n{EXAMPLE}\n```"


def test_a_fence_in_the_code_cannot_close_the_block_early() -> None:
    # Given code that itself holds a Markdown fence and a mention
    block = render.code_block("print('```')\n@everyone", 200)
    # Then the block has exactly its own two fences
    assert block.count("```") == 2
    assert block.startswith("```\n") and block.endswith("\n```")


def test_code_too_long_for_the_field_is_cut_to_whole_lines_within_every_limit() -> None:
    # Given a long quote followed by long code lines, in as many quotes as an embed holds
    long_lines = "\n".join("x" * 300 for _ in range(12))
    answer = _answer(long_lines, text="word " * 200)
    answer.quotes = answer.quotes * limits.EMBED_FIELDS
    # When it is rendered as an embed
    embed = render.answer_embed(answer)
    # Then the message is valid and every block that is shown is closed
    assert message_violations({"embeds": [embed.to_dict()]}) == []
    assert all((field.value or "").count("```") % 2 == 0 for field in embed.fields)


def test_an_example_longer_than_its_field_keeps_its_first_lines_and_an_ellipsis() -> None:
    # Given one short quote followed by twelve lines of a hundred characters
    code = "\n".join(f"{n:02d}" + "x" * 98 for n in range(12))
    # When it is rendered as an embed
    value = render.answer_embed(_answer(code)).fields[0].value or ""
    # Then the field holds the first lines, an ellipsis and the closing fence
    assert "00" + "x" * 98 in value
    assert value.endswith(f"\n{render.ELLIPSIS}\n```")
    assert len(value) <= limits.FIELD_VALUE


def test_an_example_too_long_for_even_one_line_is_left_out() -> None:
    assert render.code_block("x" * 100, 50) == ""
