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


def test_a_wordless_quote_may_drop_the_markup_around_it() -> None:
    # given a code span of symbols only, shown with one pair of backticks
    # then it is faithful to its double-backtick source, entities and all
    assert faithful("[``&amp;``", "[`&amp;`")


def test_a_changed_wordless_quote_is_not_faithful() -> None:
    assert not faithful("``->``", "`<-`")


def test_a_word_glued_across_markup_does_not_swallow_the_words_after_it() -> None:
    # given a table row whose cells are tags apart: "a" of </a> glued to a later "x"
    # then "ax" is matched as the cell "ax", leaving "x" for the last cell
    assert faithful("0</a></td><td>ax</td><td>x", "0 | ax | x")


def test_a_wordless_quote_of_other_symbols_is_not_faithful() -> None:
    assert not faithful("[``&amp;``", "[`%`")


def test_a_wordless_code_quote_may_join_what_a_line_break_split() -> None:
    assert faithful("`&amp;\n`[", "`&amp;`[")


def test_a_link_target_that_starts_like_the_rest_of_the_word_is_passed_over() -> None:
    # "[x](y)yb" reads "xyb": the target "y" is markup, though "xy" starts the word
    assert faithful("[x](y)yb", "xyb")


def test_words_glued_by_a_tag_with_spaces_inside_read_as_one() -> None:
    # "word<a t='x'>word" reads "wordword": the spaces are inside the tag
    assert faithful("`<a t='`'>word<a t='`'>word", "`<a t='`'>wordword")


def test_words_apart_in_the_source_are_not_glued() -> None:
    assert not faithful("word and word", "wordword")


def test_a_character_reference_a_page_escapes_to_show_is_quoted_as_shown() -> None:
    # given a page that escapes "&#223;" so that it shows the reference itself
    span = "<span>b&#39;German &amp;#223;&#39;</span>"
    # then the quote showing the reference is faithful, and the character it names is not
    assert faithful(span, "b'German &#223;'")
    assert not faithful(span, "b'German ß'")


def test_words_glued_across_a_script_read_as_one_whatever_the_script_holds() -> None:
    # Given two halves of a word with a script between them, spaces in its code
    span = "berth<script>var x = 1;</script>ing<!-- a note -->s"
    # When the rendered word is checked against the span, then it is faithful
    assert faithful(span, "berthings")
