"""Fidelity: a quote's words are the words of its file span, markup aside."""

from retrieval.ingest.fidelity import faithful


def test_a_sentence_is_faithful_to_its_own_text() -> None:
    assert faithful("The harbour opened in spring.", "The harbour opened in spring.")


def test_markup_around_the_words_does_not_matter() -> None:
    span = "See the [**install guide**](https://example.org/install) &amp; <em>notes</em>."
    assert faithful(span, "See the install guide & notes.")


def test_a_changed_word_is_not_faithful() -> None:
    assert not faithful("The embargo was lifted in 2016.", "The embargo was imposed in 2016.")


def test_an_added_word_is_not_faithful() -> None:
    assert not faithful("The embargo was lifted.", "The arms embargo was lifted.")


def test_reordered_words_are_not_faithful() -> None:
    assert not faithful("Ships arrived from the north.", "Ships from the north arrived.")


def test_case_counts() -> None:
    assert not faithful("the embargo", "THE EMBARGO")


def test_a_wordless_code_quote_may_show_one_backtick_for_a_run() -> None:
    assert faithful("[``&amp;``", "[`&amp;`")


def test_a_wordless_quote_of_other_symbols_is_not_faithful() -> None:
    assert not faithful("[``&amp;``", "[`%`")


def test_a_wordless_code_quote_may_join_what_a_line_break_split() -> None:
    assert faithful("`&amp;\n`[", "`&amp;`[")
