"""Which backtick runs are made inert before markdown-it-pyrs parses a page."""

from retrieval.ingest.backtick_runs import made_inert, may_be_unclosed, unclosed_runs


def _whole(text: str) -> list[tuple[int, int]]:
    return [(0, len(text))]


def test_a_run_nothing_closes_in_a_span_with_a_bracket_is_unclosed() -> None:
    text = "See [`--verbose' for details."
    assert unclosed_runs(text, _whole(text)) == [(5, 6)]


def test_runs_that_close_each_other_are_left_alone() -> None:
    text = "See [`a` and ``b`` here."
    assert unclosed_runs(text, _whole(text)) == []


def test_a_run_is_closed_only_by_the_next_run_of_its_length() -> None:
    # given a double run, a single one, and a double one inside code of the single one
    text = "[`` a ` b `` c `"
    # then the first double run closes at the second; the last single run is left open
    assert unclosed_runs(text, _whole(text)) == [(15, 16)]


def test_a_backslash_escapes_an_opener_but_not_a_closer() -> None:
    # inside code a backslash is a plain character, so "`a\`" is closed
    assert unclosed_runs("[`a\\` b", [(0, 7)]) == []
    # an escaped tick opens nothing; the whole run goes when what is left of it is open
    assert unclosed_runs("[\\`` b", [(0, 6)]) == [(2, 4)]
    assert unclosed_runs("[\\` b", [(0, 5)]) == []


def test_a_span_without_a_bracket_is_left_alone() -> None:
    assert unclosed_runs("A `run left open.", [(0, 17)]) == []


def test_each_span_pairs_its_own_runs() -> None:
    # given a run opened in one span and one that would close it in the next
    text = "[`a\n\nb`"
    # then both are unclosed: a paragraph ends at its blank line
    assert unclosed_runs(text, [(0, 3), (5, 7)]) == [(1, 2)]


def test_a_run_after_a_line_opening_with_three_backticks_stays() -> None:
    # making it inert would turn "```- [`" into a fence with the info string "- ['"
    text = "a ```\n```- [`"
    assert unclosed_runs(text, _whole(text)) == []


def test_inert_runs_keep_every_offset() -> None:
    assert made_inert("a`b``c", [(1, 2), (3, 5)]) == "a'b''c"


def test_lines_that_close_their_own_runs_need_no_block_parse() -> None:
    assert not may_be_unclosed("Use `a` and [b](c).\n\n```sh\necho `date`\n```\n")


def test_a_code_span_over_two_lines_may_hide_an_unclosed_run() -> None:
    assert may_be_unclosed("Run `make\ncheck` then [`x.\n")
