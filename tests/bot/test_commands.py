"""The shared command table and console line parser."""

from __future__ import annotations

import pytest

from bot.commands import (
    ASK,
    COMMANDS,
    SOURCE,
    TIMELINE,
    TOP_MAX,
    Invocation,
    check_range,
    check_top,
    date_bound,
    parse_line,
    public_commands,
    resolve_doc,
    service_arguments,
)
from retrieval.errors import InvalidQuery, UnknownDocument

IDS = ["000_1111aaaa2222bbbb", "001_3333cccc4444dddd", "010_9999"]


def test_a_plain_line_is_a_question() -> None:
    assert parse_line("  who built the bridge? ") == Invocation(
        "ask", {"question": "who built the bridge?"}
    )


def test_ask_takes_the_rest_of_the_line_as_its_question() -> None:
    assert parse_line("/ask when did it open --top 2") == Invocation(
        "ask", {"question": "when did it open", "top": "2"}
    )


def test_timeline_reads_topic_dates_and_repeated_docs() -> None:
    invocation = parse_line("/timeline bridge works --from 1990 --to 1995-06 --doc A --doc B")

    assert invocation == Invocation(
        "timeline",
        {"topic": "bridge works", "from": "1990", "to": "1995-06", "doc": ["A", "B"]},
    )


def test_commands_without_arguments_parse_bare() -> None:
    assert [parse_line(f"/{name}").command for name in ("sources", "help", "quit")] == [
        "sources",
        "help",
        "quit",
    ]


def test_source_takes_one_id() -> None:
    assert parse_line("/source 001_3333") == Invocation("source", {"doc": "001_3333"})


def test_command_names_are_case_insensitive() -> None:
    assert parse_line("/HELP").command == "help"


def test_an_unknown_command_suggests_the_closest() -> None:
    with pytest.raises(InvalidQuery, match="did you mean /timeline"):
        parse_line("/timline war")


def test_an_unknown_command_with_no_close_match_points_to_help() -> None:
    with pytest.raises(InvalidQuery, match="try /help"):
        parse_line("/xyzzy")


def test_an_unknown_flag_is_a_user_mistake() -> None:
    with pytest.raises(InvalidQuery, match="no option --since"):
        parse_line("/timeline --since 1990")


def test_an_unknown_flag_names_the_flags_the_command_takes() -> None:
    with pytest.raises(InvalidQuery, match=r"it takes --from, --to, --doc$"):
        parse_line("/timeline --since 1990")


def test_a_missing_document_id_says_where_to_find_one() -> None:
    with pytest.raises(InvalidQuery, match=r"/source needs a document ID \(/sources lists them\)"):
        service_arguments(SOURCE, {"doc": ""}, doc_ids=IDS, default_top=3)


def test_a_flag_without_a_value_is_a_user_mistake() -> None:
    with pytest.raises(InvalidQuery, match="--from needs a value"):
        parse_line("/timeline --from")


def test_discord_only_options_are_refused_in_the_console() -> None:
    with pytest.raises(InvalidQuery, match="only works on Discord"):
        parse_line("/ask what --private")


def test_text_after_a_command_without_options_is_refused() -> None:
    with pytest.raises(InvalidQuery, match="takes no text"):
        parse_line("/sources everything")


def test_unbalanced_quotes_are_a_user_mistake() -> None:
    with pytest.raises(InvalidQuery):
        parse_line('/ask "who')


def test_the_table_offers_the_same_six_commands_to_both_adapters() -> None:
    assert [command.name for command in public_commands()] == [
        "ask",
        "timeline",
        "sources",
        "source",
        "reload",
        "help",
    ]
    assert "quit" in COMMANDS


def test_top_defaults_to_the_setting_within_bounds() -> None:
    assert check_top(None, default=3) == 3
    assert check_top(None, default=10) == TOP_MAX


@pytest.mark.parametrize("value", [0, 6, "many"])
def test_top_outside_its_bounds_is_refused(value: object) -> None:
    with pytest.raises(InvalidQuery, match="top"):
        check_top(value, default=3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "bound"),
    [
        ("1995", "1995"),
        ("1995-7", "1995-07"),
        ("1995/07/11", "1995-07-11"),
        (" ", None),
        (None, None),
    ],
)
def test_dates_become_what_the_service_takes(raw: str | None, bound: str | None) -> None:
    assert date_bound(raw) == bound


@pytest.mark.parametrize("raw", ["last year", "1995-13", "1995-02-30", "95"])
def test_a_bad_date_is_refused_with_the_accepted_forms(raw: str) -> None:
    with pytest.raises(InvalidQuery, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        date_bound(raw)


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidQuery, match="after"):
        check_range("1996", "1995-12")


def test_a_range_within_one_year_is_accepted() -> None:
    check_range("1995-03", "1995")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("000_1111aaaa2222bbbb", "000_1111aaaa2222bbbb"),
        ("000_1111AAAA2222BBBB", "000_1111aaaa2222bbbb"),
        ("001", "001_3333cccc4444dddd"),
        ("000_1111aaaa2222bbbb · The bridge", "000_1111aaaa2222bbbb"),
    ],
)
def test_a_doc_id_resolves_exactly_case_blind_or_by_unique_prefix(typed: str, meant: str) -> None:
    assert resolve_doc(typed, IDS) == meant


def test_an_ambiguous_prefix_names_the_candidates() -> None:
    with pytest.raises(UnknownDocument, match="did you mean 000_1111aaaa2222bbbb, 001_"):
        resolve_doc("0", IDS)


def test_an_unknown_doc_id_is_refused() -> None:
    with pytest.raises(UnknownDocument, match="unknown document 'nope'"):
        resolve_doc("nope", IDS)


def test_ask_arguments_become_service_keywords() -> None:
    kwargs = service_arguments(
        ASK, {"question": " why? ", "top": 2, "doc": "001"}, doc_ids=IDS, default_top=3
    )

    assert kwargs == {"question": "why?", "top": 2, "docs": ["001_3333cccc4444dddd"]}


def test_timeline_arguments_become_service_keywords() -> None:
    kwargs = service_arguments(
        TIMELINE, {"from": "1990", "to": "1995/06", "doc": ["000"]}, doc_ids=IDS, default_top=3
    )

    assert kwargs == {
        "topic": None,
        "start": "1990",
        "end": "1995-06",
        "docs": ["000_1111aaaa2222bbbb"],
    }


def test_source_takes_a_single_resolved_id() -> None:
    assert service_arguments(SOURCE, {"doc": "010"}, doc_ids=IDS, default_top=3) == {
        "doc_id": "010_9999"
    }


def test_a_missing_required_argument_is_refused() -> None:
    with pytest.raises(InvalidQuery, match="/ask needs a question"):
        service_arguments(ASK, {"question": "  "}, doc_ids=IDS, default_top=3)
