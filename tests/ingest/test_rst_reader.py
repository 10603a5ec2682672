"""reStructuredText pages (PEPs, Sphinx sources) read as rendered, tied to their source."""

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.ingest.rst_reader import read_rst
from retrieval.models import SentenceKind
from tests.ingest.support import sentences, texts, unfaithful

PEP = (Path(__file__).parent.parent / "data" / "ingest" / "pep-0285.rst").read_text(
    encoding="utf-8"
)


def test_a_pep_header_gives_title_date_and_author() -> None:
    assert read_rst(PEP).metadata == {
        "title": "Adding a bool type",
        "published": dt.date(2002, 3, 8),
        "author": "Guido van Rossum <guido@python.org>",
    }


def test_header_fields_are_list_items_a_reader_can_quote() -> None:
    items = texts(read_rst(PEP), SentenceKind.LIST_ITEM)
    assert "Status: Final" in items and "Created: 08-Mar-2002" in items


def test_inline_literals_read_between_single_backticks() -> None:
    body = texts(read_rst(PEP), SentenceKind.BODY)
    assert body[0] == (
        "This PEP proposes the introduction of a new built-in type, bool, with two constants,"
        " `False` and `True`."
    )


def test_sections_give_the_section_path() -> None:
    found = sentences(read_rst(PEP))
    opening = next(s for s in found if s.text.startswith("The bool type would be"))
    assert opening.section == "Abstract"


def test_the_first_section_title_is_the_title_of_a_plain_page() -> None:
    page = "Harbour Guide\n=============\n\nShips dock here.\n\nBerths\n------\n\nThere are six.\n"
    reading = read_rst(page)
    assert reading.metadata == {"title": "Harbour Guide"}
    assert [s.section for s in sentences(reading)][-1] == "Harbour Guide > Berths"


def test_a_field_list_gives_metadata_too() -> None:
    page = ":Author: R. Vale\n:Date: 2019-04-02\n\nShips dock here.\n"
    assert read_rst(page).metadata == {"author": "R. Vale", "published": dt.date(2019, 4, 2)}


def test_roles_show_their_text_and_pep_references_keep_their_name() -> None:
    page = "See :ref:`the guide <guide>`, :func:`os.path.join`, :pep:`8` and :class:`~a.b.Ship`.\n"
    assert texts(read_rst(page)) == ["See the guide, `os.path.join`, PEP 8 and `Ship`."]


def test_an_escaped_space_joins_the_words_around_it() -> None:
    page = "Two :term:`berth`\\ s, ``dock``\\ ed ships and a harbour\\ master.\n"
    assert texts(read_rst(page)) == ["Two berths, `dock`ed ships and a harbourmaster."]


def test_unknown_directives_show_their_content_not_their_arguments() -> None:
    page = (
        ".. versionadded:: 3.2\n\n   The berth planner was added.\n\n.. seealso:: Harbour rules.\n"
    )
    assert texts(read_rst(page)) == ["The berth planner was added.", "Harbour rules."]


def test_an_unknown_directives_options_are_not_text_and_hide_nothing_after_them() -> None:
    page = (
        ".. module:: berths\n   :synopsis: Berth planning.\n\n"
        "The planner assigns berths.\n\nShips wait outside.\n"
    )
    assert texts(read_rst(page)) == ["The planner assigns berths.", "Ships wait outside."]


def test_a_code_block_with_options_docutils_does_not_know_is_still_code() -> None:
    page = (
        "Dock it:\n\n.. code-block:: console\n   :caption: Shell\n   :linenos:\n\n"
        "   $ harbour dock 3\n"
    )
    assert [(s.kind, s.text) for s in sentences(read_rst(page))] == [
        (SentenceKind.BODY, "Dock it:"),
        (SentenceKind.CODE, "$ harbour dock 3"),
    ]


def test_a_version_directives_text_on_the_lines_below_it_reads_without_the_version() -> None:
    page = ".. versionadded:: 3.2\n   The berth planner was added.\n"
    assert texts(read_rst(page)) == ["The berth planner was added."]


def test_the_name_an_unknown_directive_describes_heads_its_description() -> None:
    page = "Settings\n========\n\n.. confval:: berth_size\n\n   How many ships a berth holds.\n"
    assert [(s.kind, s.text, s.section) for s in sentences(read_rst(page))][1:] == [
        (SentenceKind.HEADING, "berth_size", "Settings"),
        (SentenceKind.BODY, "How many ships a berth holds.", "Settings > berth_size"),
    ]


def test_an_object_descriptions_whole_signature_heads_its_description() -> None:
    page = ".. option:: -w file\n\n   Write warnings to the file.\n"
    assert [(s.kind, s.text, s.section) for s in sentences(read_rst(page))] == [
        (SentenceKind.HEADING, "-w file", ""),
        (SentenceKind.BODY, "Write warnings to the file.", "-w file"),
    ]


def test_a_definition_sits_in_the_section_its_term_names_and_the_text_after_does_not() -> None:
    page = "Glossary\n========\n\nberth\n   A place for a ship.\n\nShips wait outside.\n"
    assert [(s.text, s.section) for s in sentences(read_rst(page))] == [
        ("Glossary", "Glossary"),
        ("berth", "Glossary"),
        ("A place for a ship.", "Glossary > berth"),
        ("Ships wait outside.", "Glossary"),
    ]


def test_a_condition_or_a_version_is_not_a_heading() -> None:
    page = ".. only:: html\n\n   Web only.\n\n.. deprecated:: 2.0\n\n   Use docks.\n"
    assert [(s.kind, s.text) for s in sentences(read_rst(page))] == [
        (SentenceKind.BODY, "Web only."),
        (SentenceKind.BODY, "Use docks."),
    ]


def test_literal_blocks_are_code_after_their_sentence() -> None:
    page = "Run this::\n\n    python -m harbour --dock 3\n\nThen wait.\n"
    assert [(s.kind, s.text) for s in sentences(read_rst(page))] == [
        (SentenceKind.BODY, "Run this:"),
        (SentenceKind.CODE, "python -m harbour --dock 3"),
        (SentenceKind.BODY, "Then wait."),
    ]


def test_tables_rows_are_units() -> None:
    page = "=====  =====\nShip   Berth\n=====  =====\nAlba   3\nBora   5\n=====  =====\n"
    reading = read_rst(page)
    assert texts(reading, SentenceKind.TABLE_ROW) == ["Alba | 3", "Bora | 5"]
    assert texts(reading, SentenceKind.HEADING) == ["Ship | Berth"]


def test_a_page_header_or_footer_hides_nothing_written_before_it() -> None:
    page = (
        "Ships dock at dawn.\n\n.. footer:: Harbour office\n\n"
        ".. header:: Berths\n\nThey leave at dusk.\n"
    )
    assert texts(read_rst(page)) == ["Ships dock at dawn.", "They leave at dusk."]


def test_a_table_of_contents_is_no_heading_and_hides_nothing() -> None:
    page = (
        "Berths\n======\n\n.. contents:: On this page\n\n.. contents::\n\n"
        "Introduction\n------------\n\nShips dock here.\n\nContents\n--------\n\nRopes.\n"
    )
    assert [(s.text, s.section) for s in sentences(read_rst(page))] == [
        ("Berths", "Berths"),
        ("Introduction", "Berths > Introduction"),
        ("Ships dock here.", "Berths > Introduction"),
        ("Contents", "Berths > Contents"),
        ("Ropes.", "Berths > Contents"),
    ]


def test_a_topics_or_an_admonitions_title_heads_it_alone_not_the_rest_of_the_section() -> None:
    page = (
        "Berths\n======\n\n.. topic:: Tides\n\n   High at noon.\n\n"
        ".. admonition:: Ropes\n\n   Tie twice.\n\nShips wait.\n\nLocks\n-----\n\nOpen.\n"
    )
    assert [(s.kind, s.text, s.section) for s in sentences(read_rst(page))] == [
        (SentenceKind.HEADING, "Berths", "Berths"),
        (SentenceKind.HEADING, "Tides", "Berths"),
        (SentenceKind.BODY, "High at noon.", "Berths > Tides"),
        (SentenceKind.HEADING, "Ropes", "Berths"),
        (SentenceKind.BODY, "Tie twice.", "Berths > Ropes"),
        (SentenceKind.BODY, "Ships wait.", "Berths"),
        (SentenceKind.HEADING, "Locks", "Berths > Locks"),
        (SentenceKind.BODY, "Open.", "Berths > Locks"),
    ]


def test_a_block_found_past_its_place_hides_none_of_the_text_after_it() -> None:
    # Given a grid table whose cell runs on to a second line: the aligner, reading the
    # row cell by cell, finds the next cell's words further on, past the table.
    page = (
        "+------+------------+-------+\n"
        "| zip  | zip file   | \\(1)  |\n"
        "|      | (``.zip``) |       |\n"
        "+------+------------+-------+\n\n"
        "Added support for the xz format.\n\nNotes:\n\n(1)\n   default on Windows\n"
    )
    found = texts(read_rst(page))
    assert found[:2] == ["Added support for the xz format.", "Notes:"]


def test_a_role_shown_by_its_name_is_read_where_it_is_not_where_its_words_are_next_written() -> (
    None
):
    page = (
        "1. Add it to :pep:`42` or ask the owner.\n\n"
        "   ::\n\n       Do we prefer PEP 42?\n\n"
        "2. Close it.\n"
    )
    assert texts(read_rst(page)) == [
        "Add it to PEP 42 or ask the owner.",
        "Do we prefer PEP 42?",
        "Close it.",
    ]


def test_index_entries_and_a_table_of_other_pages_are_not_text() -> None:
    page = (
        ".. index:: pair: harbour; berth\n   single: tide\n\n"
        ".. toctree::\n   :maxdepth: 2\n\n   intro\n   Harbour rules <rules>\n\n"
        "Ships dock here.\n"
    )
    assert texts(read_rst(page)) == ["Ships dock here."]


def test_a_tested_code_example_is_code_and_its_hidden_setup_is_not_read() -> None:
    page = (
        ".. testsetup::\n\n   import harbour\n\n"
        ".. testcode::\n\n   harbour.dock(3)\n   print(harbour.berths)\n\n"
        ".. testoutput::\n\n   [3]\n"
    )
    assert [(s.kind, s.text) for s in sentences(read_rst(page))] == [
        (SentenceKind.CODE, "harbour.dock(3)\n   print(harbour.berths)"),
        (SentenceKind.CODE, "[3]"),
    ]


def test_a_paragraph_is_found_on_its_own_line_not_on_the_next_that_holds_longer_words() -> None:
    page = (
        "Crew\n----\n\n"
        "Alba <alba@example.org>\nAlba9 <alba@example.org>\nBora Ness <bora@example.org>\n"
    )
    assert texts(read_rst(page))[1] == (
        "Alba <alba@example.org> Alba9 <alba@example.org> Bora Ness <bora@example.org>"
    )


def test_a_code_block_is_found_at_its_first_line_when_the_next_line_holds_its_words() -> None:
    page = "Configure it::\n\n    import logging\n    from logging import handlers\n\nDone.\n"
    assert [(s.kind, s.text) for s in sentences(read_rst(page))] == [
        (SentenceKind.BODY, "Configure it:"),
        (SentenceKind.CODE, "import logging\n    from logging import handlers"),
        (SentenceKind.BODY, "Done."),
    ]


def test_a_tables_title_is_a_heading_before_its_rows() -> None:
    page = (
        ".. list-table:: Berth sizes\n   :header-rows: 1\n\n"
        "   * - Berth\n     - Size\n   * - A\n     - 3\n"
    )
    found = sentences(read_rst(page))
    assert [(s.kind, s.text) for s in found] == [
        (SentenceKind.HEADING, "Berth sizes"),
        (SentenceKind.HEADING, "Berth | Size"),
        (SentenceKind.TABLE_ROW, "A | 3"),
    ]
    assert page[found[1].start : found[1].end].startswith("Berth\n")


def test_an_info_field_of_a_description_shows_the_name_without_its_kind() -> None:
    page = (
        ".. py:function:: dock(ship, berth)\n\n   Dock a ship.\n\n"
        "   :param ship: The ship to dock.\n   :type ship: str\n   :returns: The berth.\n\n"
        ":param plain: A field outside a description shows its name.\n"
    )
    assert texts(read_rst(page), SentenceKind.LIST_ITEM) == [
        "ship: The ship to dock.",
        "ship: str",
        "returns: The berth.",
        "param plain: A field outside a description shows its name.",
    ]


def test_include_and_raw_never_read_other_files() -> None:
    page = ".. include:: /etc/passwd\n\n.. raw:: html\n   :file: /etc/passwd\n\nShips dock here.\n"
    assert texts(read_rst(page)) == ["Ships dock here."]


def test_comments_and_substitution_definitions_are_not_text() -> None:
    page = ".. a comment\n\n.. |name| replace:: Harbour\n\nShips dock here.\n"
    assert texts(read_rst(page)) == ["Ships dock here."]


def test_reST_with_errors_still_reads() -> None:
    page = (
        "Title\n===\n\n*unclosed emphasis and `bad role\n\n"
        ".. bogus-directive::\n  :bad option:\n\nShips dock.\n"
    )
    reading = read_rst(page)
    assert "Ships dock." in texts(reading)
    assert not unfaithful(page, sentences(reading))


def test_every_sentence_of_a_real_pep_is_faithful() -> None:
    assert not unfaithful(PEP, sentences(read_rst(PEP)))


_WORDS = st.text(alphabet="abcxyzé09", min_size=1, max_size=6)
_INLINE = st.one_of(
    _WORDS,
    _WORDS.map(lambda w: f"*{w}*"),
    _WORDS.map(lambda w: f"**{w}**"),
    _WORDS.map(lambda w: f"``{w}``"),
    _WORDS.map(lambda w: f"`{w} <https://example.org/{w}>`__"),
    _WORDS.map(lambda w: f":pep:`{len(w)}`"),
    _WORDS.map(lambda w: f":func:`{w}`"),
    _WORDS.map(lambda w: f"{w}_"),
    st.sampled_from(["\\*", "--", "(x)", "[#]_"]),
)
_LINE = st.lists(_INLINE, min_size=1, max_size=8).map(" ".join)
_BLOCK = st.one_of(
    _LINE.map(lambda line: line + "."),
    _LINE.map(lambda line: f"{line}\n{'=' * (len(line) + 2)}"),
    st.lists(_LINE, min_size=1, max_size=3).map(lambda xs: "\n".join(f"* {x}" for x in xs)),
    st.lists(_LINE, min_size=1, max_size=3).map(lambda xs: "\n".join(f"#. {x}" for x in xs)),
    _LINE.map(lambda line: f"Example::\n\n    {line}"),
    _LINE.map(lambda line: f".. note::\n\n   {line}"),
    _LINE.map(lambda line: f":Field: {line}"),
    _LINE.map(lambda line: f"term\n   {line}"),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=6))
def test_every_rst_sentence_is_faithful_to_its_span(blocks: list[str]) -> None:
    # given a random page of prose, sections, lists, code, notes, fields and definitions
    page = "\n\n".join(blocks) + "\n"
    # when it is read
    found = sentences(read_rst(page))
    # then every sentence's words are the words of its span of the file, markup aside
    assert not unfaithful(page, found)


def test_a_word_is_found_where_it_stands_alone_not_inside_a_link_target_before_it() -> None:
    # Given a link whose target ends in the digit an emphasised word after it shows
    page = "`90 <https://example.org/90>`__ *0* ships.\n"
    # When it is read, then the sentence is faithful to its span: "0" is the emphasis
    found = sentences(read_rst(page))
    assert texts(read_rst(page)) == ["90 0 ships."]
    assert not unfaithful(page, found)


def test_a_footnotes_rubric_makes_references_up_to_the_next_section_only() -> None:
    # given a section ending in a "Footnotes" rubric, then another section
    page = (
        "Berths\n======\n\nShips dock at dusk.\n\n.. rubric:: Footnotes\n\n"
        "See the harbour rules, chapter 3.\n\nFees\n====\n\nFees are paid monthly.\n"
    )
    # when it is read
    reading = read_rst(page)
    # then the footnote is a reference and the next section is prose again
    assert texts(reading, SentenceKind.REFERENCE) == ["See the harbour rules, chapter 3."]
    assert "Fees are paid monthly." in texts(reading, SentenceKind.BODY)
