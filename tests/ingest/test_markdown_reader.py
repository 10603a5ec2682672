"""Markdown pages read as a reader sees them, each sentence tied to its bytes in the file."""

import datetime as dt
import logging
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.ingest.markdown_reader import read_markdown
from retrieval.ingest.pipeline import ingest_file
from retrieval.models import SentenceKind
from tests.ingest.support import sentences, texts, unfaithful

DATA = Path(__file__).parent.parent / "data" / "ingest"

PAGE = """---
title: Metric types
date: 2021-03-04
author: [R. Vale, K. Osei]
---

# Metric types

## Counter

A *counter* is a [cumulative metric](https://example.org/c "Counters") that only goes up.
Use `rate()` to read it.

```promql
rate(http_requests_total[5m])
```

<!-- Old headings, kept for links -->
<Listing number="7-18" file-name="src/main.rs">

> A quoted note
> that runs over two lines.

- 3.12.0 final: Monday, 2023-10-02
- 3.12.1: Monday, 2023-12-04

| Type | Goes down |
|------|-----------|
| Counter | no |
| Gauge | yes |

[ref]: https://example.org/ref
"""


def test_front_matter_gives_title_date_and_authors() -> None:
    reading = read_markdown(PAGE)
    assert reading.metadata == {
        "title": "Metric types",
        "published": dt.date(2021, 3, 4),
        "author": "R. Vale, K. Osei",
    }


def test_the_first_h1_is_the_title_without_front_matter() -> None:
    assert read_markdown("Intro text.\n\n# The *Harbour* Story\n\nBody.\n").metadata == {
        "title": "The Harbour Story"
    }


def test_toml_front_matter_is_read_and_not_shown() -> None:
    page = '+++\ntitle = "Install"\ndate = 2020-01-02\n+++\n\nRun the installer.\n'
    reading = read_markdown(page)
    assert reading.metadata == {"title": "Install", "published": dt.date(2020, 1, 2)}
    assert texts(reading) == ["Run the installer."]


def test_emphasis_links_and_references_are_what_a_reader_sees() -> None:
    body = texts(read_markdown(PAGE), SentenceKind.BODY)
    assert "A counter is a cumulative metric that only goes up." in body
    assert "Use `rate()` to read it." in body


def test_sentences_know_their_section_path() -> None:
    found = {s.text: s.section for s in sentences(read_markdown(PAGE))}
    assert found["Use `rate()` to read it."] == "Metric types > Counter"


def test_code_is_one_code_sentence_right_after_the_sentence_it_illustrates() -> None:
    found = sentences(read_markdown(PAGE))
    code = next(i for i, s in enumerate(found) if s.kind is SentenceKind.CODE)
    assert found[code].text == "rate(http_requests_total[5m])"
    assert found[code - 1].text == "Use `rate()` to read it."


def test_comments_and_unknown_tags_are_not_text() -> None:
    shown = " ".join(texts(read_markdown(PAGE)))
    assert "Old headings" not in shown and "Listing" not in shown


def test_blockquote_markers_are_not_in_the_sentence() -> None:
    assert "A quoted note that runs over two lines." in texts(read_markdown(PAGE))


def test_unpunctuated_list_items_are_answerable_list_items() -> None:
    items = texts(read_markdown(PAGE), SentenceKind.LIST_ITEM)
    assert items == ["3.12.0 final: Monday, 2023-10-02", "3.12.1: Monday, 2023-12-04"]


def test_table_rows_are_units_and_the_header_row_is_a_heading() -> None:
    reading = read_markdown(PAGE)
    assert texts(reading, SentenceKind.TABLE_ROW) == ["Counter | no", "Gauge | yes"]
    assert "Type | Goes down" in texts(reading, SentenceKind.HEADING)


def test_a_definition_sits_in_the_section_its_term_names_and_the_text_after_does_not() -> None:
    page = "# Glossary\n\nberth\n: A place for a ship.\n\nShips wait outside.\n"
    assert [(s.text, s.section) for s in sentences(read_markdown(page))] == [
        ("Glossary", "Glossary"),
        ("berth", "Glossary"),
        ("A place for a ship.", "Glossary > berth"),
        ("Ships wait outside.", "Glossary"),
    ]


def test_link_definitions_are_not_text() -> None:
    assert not any("example.org/ref" in text for text in texts(read_markdown(PAGE)))


def test_every_sentence_maps_to_its_exact_span_with_windows_line_ends() -> None:
    page = PAGE.replace("\n", "\r\n")
    found = sentences(read_markdown(page))
    assert not unfaithful(page, found)
    assert "A counter is a cumulative metric that only goes up." in [s.text for s in found]


def test_an_unclosed_fence_keeps_the_rest_as_code() -> None:
    found = sentences(read_markdown("Before the code.\n\n```\nx = 1\ny = 2\n"))
    assert [(s.kind, s.text) for s in found] == [
        (SentenceKind.BODY, "Before the code."),
        (SentenceKind.CODE, "x = 1\ny = 2"),
    ]


def test_a_tab_indented_list_continuation_keeps_exact_offsets() -> None:
    page = "- first item\n\tcontinued here\n- second\n\n  ```\n\tcode\n  ```\n"
    assert not unfaithful(page, sentences(read_markdown(page)))


_WORDS = st.text(alphabet="abcdeéxyzß09", min_size=1, max_size=7)
_INLINE = st.one_of(
    _WORDS,
    _WORDS.map(lambda w: f"*{w}*"),
    _WORDS.map(lambda w: f"**{w}**"),
    _WORDS.map(lambda w: f"_{w}_"),
    _WORDS.map(lambda w: f"`{w}`"),
    _WORDS.map(lambda w: f"[{w}](https://example.org/{w})"),
    _WORDS.map(lambda w: f"![{w}](img/{w}.png)"),
    _WORDS.map(lambda w: f"<b>{w}</b>"),
    st.sampled_from(["&amp;", "&copy;", "\\*", "\\_", "<!-- c -->", "<br>", "--", "..."]),
)
_LINE = st.lists(_INLINE, min_size=1, max_size=8).map(" ".join)
_BLOCK = st.one_of(
    _LINE.map(lambda line: line + "."),
    st.tuples(st.integers(1, 4), _LINE).map(lambda h: "#" * h[0] + " " + h[1]),
    st.lists(_LINE, min_size=1, max_size=3).map(lambda ls: "\n".join(f"- {x}" for x in ls)),
    st.lists(_LINE, min_size=1, max_size=3).map(lambda ls: "\n".join(f"> {x}" for x in ls)),
    st.lists(_WORDS, min_size=2, max_size=3).map(
        lambda cells: f"| {' | '.join(cells)} |\n|{'---|' * len(cells)}\n| {' | '.join(cells)} |"
    ),
    _LINE.map(lambda line: f"```\n{line}\n```"),
    _LINE.map(lambda line: f"1. {line}\n\n   {line}"),
    st.lists(_LINE, min_size=1, max_size=3).map(
        lambda ls: '!!! note "Title"\n' + "\n\n".join(f"    {x}" for x in ls)
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_every_markdown_sentence_is_faithful_to_its_span(blocks: list[str], newline: str) -> None:
    # given a random page of headings, prose, lists, quotes, tables, code and MkDocs callouts
    # with inline markup
    page = "\n\n".join(blocks).replace("\n", newline) + newline
    # when it is read
    found = sentences(read_markdown(page))
    # then every sentence's words are the words of its span of the file, markup aside
    assert not unfaithful(page, found)


def test_a_real_docs_page_reads_cleanly_and_faithfully() -> None:
    # given a page of the Prometheus documentation (front matter, links, lists, code)
    page = (DATA / "metric_types.md").read_text(encoding="utf-8")
    # when it is read
    reading = read_markdown(page)
    found = sentences(reading)
    # then it has its title, no markup in its prose, and every sentence is faithful
    assert reading.metadata["title"] == "Metric types"
    assert not unfaithful(page, found)
    prose = [s.text for s in found if s.kind is not SentenceKind.CODE]
    assert not [text for text in prose if "](" in text or text.startswith(("#", "-", ">"))]


def test_an_empty_heading_is_no_sentence_and_no_error() -> None:
    assert texts(read_markdown("#\n\nBody text.\n\n##\n")) == ["Body text."]


def test_an_unclosed_backtick_after_a_bracket_is_a_literal_backtick(
    capfd: pytest.CaptureFixture[str],
) -> None:
    # given the smallest page that panicked markdown-it-pyrs, and an old GNU-style quote
    page = "[`\n\nSee [`--verbose' for details.\n"
    # when it is read
    found = sentences(read_markdown(page))
    # then the quote keeps its backtick, the offsets hold, and nothing reaches stderr
    assert [s.text for s in found] == ["See [`--verbose' for details."]
    assert not unfaithful(page, found)
    assert capfd.readouterr().err == ""


def test_a_code_span_over_two_lines_beside_a_link_stays_code() -> None:
    page = "Call `<name>_total\nrate` as [shown](x.html).\n"
    assert texts(read_markdown(page)) == ["Call `<name>_total rate` as shown."]


def test_a_page_the_parser_still_fails_on_is_read_without_its_code_spans() -> None:
    # given a backtick inside a link target, which the pairing cannot see is no run
    page = "[a](`) and [`b here.\n"
    # when it is read, then it is read whole
    assert texts(read_markdown(page)) == ["a and [`b here."]


def test_a_page_of_unclosed_backticks_loads_whole_and_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    # given a page with GNU-style quotes, a lone "#", and unclosed runs in a table and a list
    path = tmp_path / "notes.md"
    path.write_bytes((DATA / "unclosed_backticks.md").read_bytes())
    # when it is ingested
    with caplog.at_level(logging.WARNING, "quotebot"):
        ingested = ingest_file(path, tmp_path)
    # then it loads, faithfully, with no warning and nothing on stderr
    assert ingested is not None
    assert not unfaithful(ingested.document.text, ingested.sentences)
    kinds = {s.kind for s in ingested.sentences}
    assert {SentenceKind.TABLE_ROW, SentenceKind.LIST_ITEM, SentenceKind.CODE} <= kinds
    assert not caplog.records
    assert capfd.readouterr().err == ""


_TRICKY = st.sampled_from(
    ["[", "]", "`", "``", "```", "\\", "](x)", "!", "#", "# ", "- ", "> ", "| a |\n|---|\n"]
)
_TRICKY_OR_PLAIN = _TRICKY | st.sampled_from(
    ["\n", "\n\n", "    ", "<a t='`'>", "<b>", "*", "_", "word", " ", "&amp;", "~~~\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TRICKY_OR_PLAIN, min_size=1, max_size=30).map("".join))
def test_no_mix_of_brackets_and_backticks_costs_the_page(page: str) -> None:
    # given any page of brackets, backticks, escapes, links and blocks
    # when it is read, then it is read (no parser panic escapes) and faithfully
    assert not unfaithful(page, sentences(read_markdown(page)))


def test_a_phrase_repeated_after_a_tab_indented_line_keeps_its_own_offsets() -> None:
    # given a changelog item whose tab-indented lines repeat a quoted phrase
    page = (
        "* a.c (f): New variable `saved'.\n"
        "\t(S): Save it to `saved'.\n"
        "\t(R): Restore it from `saved'.\n"
    )
    # when it is read
    found = sentences(read_markdown(page))
    # then every sentence runs forward inside the page and is faithful to its span
    assert all(0 <= s.start < s.end <= len(page) for s in found)
    assert not unfaithful(page, found)


def test_code_after_a_tab_indented_line_leaves_a_nested_list_read_once() -> None:
    # given an item whose tab-indented continuation holds code, then a tab-indented sublist
    page = (
        "* enquire.h: the decider now returns\n"
        "\t  `bool` not `int`.  Remove its declaration.\n"
        "\t* decider.h: Move the declaration here.\n"
    )
    # when it is read
    found = sentences(read_markdown(page))
    # then each item's sentences are read once, markers left out, code in place
    assert [s.text for s in found] == [
        "enquire.h: the decider now returns `bool` not `int`.",
        "Remove its declaration.",
        "decider.h: Move the declaration here.",
    ]
    assert not unfaithful(page, found)


def test_emphasis_after_a_tab_indented_line_is_found_where_it_stands() -> None:
    # given an item whose tab-indented continuation holds "*-*" (an emphasised dash), a
    # dash that the parser's offsets, run ahead by the tab, would find two places on
    page = (
        "* configure.in (cris-*-*): New variable\n"
        "\tlibffi.  Match *-*-linux* apart.\n"
        "\t* configure: Regenerate.\n"
    )
    # when it is read
    found = sentences(read_markdown(page))
    # then the item reads as rendered (no list marker, the emphasis markers gone) and its
    # sublist once, each sentence faithful to its span
    assert [s.text for s in found] == [
        "configure.in (cris--): New variable libffi.",
        "Match --linux* apart.",
        "configure: Regenerate.",
    ]
    assert not unfaithful(page, found)


def test_code_running_over_a_tab_indented_line_is_read_in_place() -> None:
    # given an item whose code span closes on a tab-indented line (offsets run ahead there)
    page = "* f.c (f): Use `;' for an empty clause\n\tto placate `gcc'.\n\t* g.c (g): Likewise.\n"
    # when it is read
    found = sentences(read_markdown(page))
    # then the code is found and each item read once, without its marker
    assert [s.text for s in found] == [
        "f.c (f): Use `;' for an empty clause to placate` gcc'.",
        "g.c (g): Likewise.",
    ]
    assert not unfaithful(page, found)


def test_a_space_at_the_edge_of_code_keeps_the_next_word_apart() -> None:
    # given code whose last character is a space, right before a word ("`foo `bar")
    page = "Use `foo `bar here, and `` `x` `` too.\n"
    # when it is read, then the word after the code is not glued to it (as rendered)
    assert texts(read_markdown(page)) == ["Use `foo` bar here, and ``x`` too."]


def test_a_task_item_repeating_an_earlier_items_words_is_found_at_its_own_line() -> None:
    # given a nested checklist whose later item opens with the words of an earlier one
    page = (
        "* [ ] 1\\. **Dates:**\n"
        "  * [ ] Use `tool --date=X` to pick the date.\n\n"
        "* [ ] 2\\. **Updating the date:**\n"
        "  * Agree on the date first.\n"
        "  * [ ] Use `tool --date=X` to choose or update the\n"
        "    release date.\n"
    )
    # when it is read
    found = sentences(read_markdown(page))
    # then the later item's sentence lies at its own line, after the sentence before it
    last = found[-1]
    assert last.text == "Use `tool --date=X` to choose or update the release date."
    assert last.start == page.index("Use `tool --date=X` to choose")
    assert found[-2].end <= last.start
    assert not unfaithful(page, found)


HUGO_PAGE = """# Install

{{< notice warning >}}
Back up your data before you upgrade.
{{< /notice >}}

See the [configuration guide]({{< ref "config.md" >}}) for the flags.

{{% alert title="Note" %}}The server listens on port 8080 by default.{{% /alert %}}

:::tip Remember
Restart the service after each change.
:::

Write `{{</* ref "x" */>}}` to link a page.
"""


def test_site_generator_shortcodes_and_callout_fences_are_not_quoted() -> None:
    # given a Hugo page with shortcodes around prose, in a link target and before text,
    # and a Docusaurus callout
    # when it is read
    found = sentences(read_markdown(HUGO_PAGE))
    # then the prose reads without them, as the built page shows it, and stays prose
    assert [(s.kind, s.text) for s in found[1:5]] == [
        (SentenceKind.BODY, "Back up your data before you upgrade."),
        (SentenceKind.BODY, "See the configuration guide for the flags."),
        (SentenceKind.BODY, "The server listens on port 8080 by default."),
        (SentenceKind.BODY, "Restart the service after each change."),
    ]
    assert not unfaithful(HUGO_PAGE, found)


MKDOCS_PAGE = """# Setup

!!! note "Before you start"
    The server needs Python 3.9 or newer.

    - Install the package first.

    ```bash
    pip install thing
    ```

    !!! warning
        Keep a backup of the data.

    Then start the server.

??? tip
    The logs are in the data folder.

=== "Linux"

    Use the package manager.

After the callouts.

    an indented code block
"""


def test_mkdocs_callouts_and_tabs_read_as_the_prose_they_hold() -> None:
    # given an MkDocs page with an admonition (a list, code and a nested one in its
    # indented body), a collapsible block and a content tab
    # when it is read
    found = sentences(read_markdown(MKDOCS_PAGE))
    # then their bodies read as the built page shows them, without the opener lines
    assert [(s.kind, s.text) for s in found[1:-2]] == [
        (SentenceKind.BODY, "The server needs Python 3.9 or newer."),
        (SentenceKind.LIST_ITEM, "Install the package first."),
        (SentenceKind.CODE, "pip install thing"),
        (SentenceKind.BODY, "Keep a backup of the data."),
        (SentenceKind.BODY, "Then start the server."),
        (SentenceKind.BODY, "The logs are in the data folder."),
        (SentenceKind.BODY, "Use the package manager."),
    ]
    assert not unfaithful(MKDOCS_PAGE, found)


def test_an_indented_code_block_after_mkdocs_callouts_stays_code() -> None:
    last = sentences(read_markdown(MKDOCS_PAGE))[-1]
    assert (last.kind, last.text) == (SentenceKind.CODE, "an indented code block")


def test_a_shortcode_closing_after_raw_html_is_not_quoted() -> None:
    # given a Hugo example shortcode around raw HTML, closed on the line after the HTML
    page = (
        '{{< example >}}\n<div class="box">\n  <p>The box holds a note.</p>\n</div>\n'
        "{{< /example >}}\n"
    )
    # when it is read, then only the HTML's text is
    assert texts(read_markdown(page)) == ["The box holds a note."]


def test_an_escaped_shortcode_is_shown_as_the_built_page_shows_it() -> None:
    # given a page that writes a shortcode in Hugo's escaped form, to show it
    # when it is read
    last = sentences(read_markdown(HUGO_PAGE))[-1]
    # then the escaped shortcode stays in the quote
    assert last.text == 'Write `{{</* ref "x" */>}}` to link a page.'


def test_a_reference_link_the_page_leaves_undefined_reads_as_its_text() -> None:
    # given cross-references a site resolves across pages (mkdocs-autorefs), full and
    # collapsed, and a label the page defines itself
    page = (
        "Inherit from [`Preprocessor`][markdown.Preprocessor] and see [Usage][].\n"
        "Read the [guide][g], not a[i][j].\n\n[g]: https://example.org/guide\n"
    )
    # when it is read
    found = sentences(read_markdown(page))
    # then each link reads as its text, as on the built page; an index stays as written
    assert [s.text for s in found] == [
        "Inherit from `Preprocessor` and see Usage.",
        "Read the guide, not a[i][j].",
    ]
    assert not unfaithful(page, found)


def test_reference_labels_after_an_unclosed_fence_do_not_join_its_code() -> None:
    page = "See [the API][api].\n\n```\nunclosed code\n"
    assert [(s.kind, s.text) for s in sentences(read_markdown(page))] == [
        (SentenceKind.BODY, "See [the API][api]."),
        (SentenceKind.CODE, "unclosed code"),
    ]


def test_a_list_item_naming_footnotes_does_not_make_the_page_after_it_references() -> None:
    # given a list of a tool's features, one of them "Footnotes", then prose
    page = "# Extensions\n\n- Tables\n- Footnotes\n\nEach one is enabled by name.\n"
    # when it is read
    found = sentences(read_markdown(page))
    # then the item and the prose after it are what they are, not a references section
    assert [(s.kind, s.text) for s in found[2:]] == [
        (SentenceKind.LIST_ITEM, "Footnotes"),
        (SentenceKind.BODY, "Each one is enabled by name."),
    ]


def test_attribute_lists_are_not_quoted() -> None:
    # given a heading ID, a class on a code span and on a link, and one on its own line
    page = (
        "## Install {: #install }\n\n"
        'Label it `release`{ .label } and press [Go](x){ .button target="_blank" }.\n'
        "{: .note }\n\n"
        "## Heading IDs {#ids}\n\nReplace {name} and {debug=true} in the template.\n"
    )
    # when it is read
    found = sentences(read_markdown(page))
    # then they are left out as the built page leaves them, and braces in prose stay
    assert [s.text for s in found] == [
        "Install",
        "Label it `release` and press Go.",
        "Heading IDs",
        "Replace {name} and {debug=true} in the template.",
    ]
    assert found[-1].section == "Heading IDs"
    assert not unfaithful(page, found)


def test_icon_shortcodes_are_pictures_not_words() -> None:
    # given MkDocs Material icons and GitHub emoji among words
    page = (
        "Join us :octicons-heart-fill-24:{ .pulse } today, it is fun :smile:.\nAt 10:30:45 a:b:c.\n"
    )
    # when it is read, then the icons are left out and times and ratios stay
    assert texts(read_markdown(page)) == ["Join us today, it is fun.", "At 10:30:45 a:b:c."]


def test_code_with_blank_lines_in_a_content_tab_stays_one_code_block() -> None:
    # given content tabs whose fenced code holds a blank line, then prose in the next tab
    page = (
        '=== "CSS"\n    ```css\n    html {\n      color: black;\n    }\n\n'
        '    body {\n      margin: 0;\n    }\n    ```\n\n=== "Notes"\n    Style the body too.\n'
    )
    # when it is read
    found = sentences(read_markdown(page))
    # then the code is one code unit (the file's lines) and the prose is prose
    assert [(s.kind, s.text) for s in found] == [
        (
            SentenceKind.CODE,
            "html {\n      color: black;\n    }\n\n    body {\n      margin: 0;\n    }",
        ),
        (SentenceKind.BODY, "Style the body too."),
    ]
    assert not unfaithful(page, found)


def test_a_reference_link_reads_as_its_text_on_a_page_ending_in_a_content_tab() -> None:
    page = 'Support for [dataclasses][].\n\n=== "Python"\n    ```python\n    import x\n    ```\n'
    assert texts(read_markdown(page)) == ["Support for dataclasses.", "import x"]


def test_an_indented_callout_fence_keeps_the_block_it_is_in() -> None:
    # given a content tab whose code shows a ":::" line, then a list item holding a callout
    page = (
        '=== "page.md"\n    ```md\n    # Title\n\n    ::: package.module\n    ```\n\n'
        "1. Install the tool.\n\n   :::tip\n   Use the package manager.\n   :::\n\n"
        "       an indented code block of step one\n"
    )
    # when it is read
    found = sentences(read_markdown(page))
    # then the code stays one block and the callout stays in its list item
    assert [(s.kind, s.text) for s in found] == [
        (SentenceKind.CODE, "# Title\n\n    ::: package.module"),
        (SentenceKind.LIST_ITEM, "Install the tool."),
        (SentenceKind.LIST_ITEM, "Use the package manager."),
        (SentenceKind.CODE, "an indented code block of step one"),
    ]


def test_autodoc_lines_and_their_options_are_not_quoted() -> None:
    # given an mkdocstrings object with its YAML options, inside a collapsible block
    page = (
        '??? abstract "API Reference"\n    ::: package.module.Thing\n        options:\n'
        "            show_root_heading: true\n\nThe class ties it together.\n"
    )
    # when it is read, then only the prose is
    assert texts(read_markdown(page)) == ["The class ties it together."]


def test_pymdownx_blocks_and_snippets_are_not_quoted() -> None:
    # given a block with options and a nested block around code, and snippet includes
    page = (
        "/// tip | New approach\n    type: warning\nA new approach was added.\n///\n\n"
        "//// collapse-code\n```css\na { color: red; }\n```\n////\n\n"
        '--8<-- "LICENSE.md"\n\n--8<--\nlinks.md\nabbr.md\n--8<--\n\nThe end.\n'
    )
    # when it is read
    found = sentences(read_markdown(page))
    # then the fences, options and file names are left out, the prose and code stay
    assert [(s.kind, s.text) for s in found] == [
        (SentenceKind.BODY, "A new approach was added."),
        (SentenceKind.CODE, "a { color: red; }"),
        (SentenceKind.BODY, "The end."),
    ]
    assert not unfaithful(page, found)


def test_alert_markers_and_callout_titles_are_not_quoted() -> None:
    # given a GitHub alert and an Obsidian callout with a title, and brackets in prose
    page = (
        "> [!NOTE]\n> Back up the data first.\n\n> [!tip]- Faster\n> Use the cache.\n\n"
        "Write [!x] to negate.\n"
    )
    # when it is read, then the markers and the title line are left out
    assert texts(read_markdown(page)) == [
        "Back up the data first.",
        "Use the cache.",
        "Write [!x] to negate.",
    ]


MDX_PAGE = """import Tabs from '@theme/Tabs';
import {
  TabItem,
} from '@theme/TabItem';

# Colours {/* #colours */}

Pick a colour {/* the brand's */} for the button.

export const Highlight = ({children, color}) => (
  <span style={{backgroundColor: color}}>{children}</span>
);

Import the theme from "x" first.

```js
import React from 'react';
export default function Page() {}
```
"""


def test_mdx_comments_and_module_statements_are_not_quoted() -> None:
    # given a Docusaurus page with ES module statements, MDX comments and code showing both
    # when it is read
    found = sentences(read_markdown(MDX_PAGE))
    # then only the heading, the prose and the code are read
    assert [(s.kind, s.text) for s in found] == [
        (SentenceKind.HEADING, "Colours"),
        (SentenceKind.BODY, "Pick a colour for the button."),
        (SentenceKind.BODY, 'Import the theme from "x" first.'),
        (SentenceKind.CODE, "import React from 'react';\nexport default function Page() {}"),
    ]
    assert not unfaithful(MDX_PAGE, found)


def test_inline_code_shows_the_site_markup_it_holds() -> None:
    page = "Add `{/* #my-id */}` after a heading, or `:::note` before a callout.\n"
    assert texts(read_markdown(page)) == [page.strip()]


def test_footnote_labels_are_not_quoted_and_their_notes_read_in_place() -> None:
    # given footnote references and the notes they point to
    page = (
        "Use `nh3` or `bleach`[^1], as most do [^two].\n\n"
        "[^1]: The `bleach` project is deprecated.\n[^two]: Most sites.\n\nMore text.\n"
    )
    # when it is read
    found = sentences(read_markdown(page))
    # then the labels are left out and each note reads where the file holds it
    assert [s.text for s in found] == [
        "Use `nh3` or `bleach`, as most do.",
        "The `bleach` project is deprecated.",
        "Most sites.",
        "More text.",
    ]
    assert not unfaithful(page, found)


def test_liquid_and_jinja_tags_are_not_quoted() -> None:
    # given a Jekyll include and a GitBook hint around prose, and a percentage in prose
    page = (
        '{% include "note.md" %}\n\n{% hint style="info" %}\nBack up first.\n{% endhint %}\n\n'
        "Half of it, 50% {%- raw -%} at most.\n"
    )
    # when it is read, then the tags are left out and the prose stays
    assert texts(read_markdown(page)) == ["Back up first.", "Half of it, 50% at most."]


def test_a_table_cell_with_an_escaped_pipe_reads_as_the_page_shows_it() -> None:
    # given a table row whose cell escapes a pipe, beside emphasis
    page = "| Option | Type |\n|---|---|\n| `guess` | bool \\| **string** |\n"
    # when it is read
    found = sentences(read_markdown(page))
    # then the row is its cells' text, the pipe shown, not the raw row
    assert found[-1].text == "`guess` | bool | string"
    assert not unfaithful(page, found)


def test_abbreviation_definitions_are_not_quoted() -> None:
    page = "The HTML spec is long.\n\n*[HTML]: Hyper Text Markup Language\n*[W3C]: Web Consortium\n"
    assert texts(read_markdown(page)) == ["The HTML spec is long."]


MYST_PAGE = """(install)=
# Install

% a comment for the authors

```{note}
Back up the data first.
```

:::{tip}
:class: dropdown
Use the cache.
:::

````{admonition} Faster
:class: warning

Build in parallel.

```bash
make -j4
```
````

```{code-block} python
print("code stays code")
```

See {ref}`the guide <guide>` and {doc}`usage`, not {name}.
"""


def test_myst_directives_read_as_the_prose_they_hold() -> None:
    # given a MyST page: a target, a comment, admonitions fenced with backticks and
    # colons (with options, one holding code), a code directive and roles
    # when it is read
    found = sentences(read_markdown(MYST_PAGE))
    # then the markup is left out, the admonitions are prose and code stays code
    assert [(s.kind, s.text) for s in found] == [
        (SentenceKind.HEADING, "Install"),
        (SentenceKind.BODY, "Back up the data first."),
        (SentenceKind.BODY, "Use the cache."),
        (SentenceKind.BODY, "Build in parallel."),
        (SentenceKind.CODE, "make -j4"),
        (SentenceKind.CODE, 'print("code stays code")'),
        (SentenceKind.BODY, "See `the guide <guide>` and `usage`, not {name}."),
    ]
    assert not unfaithful(MYST_PAGE, found)


def test_a_paragraph_introducing_notes_does_not_make_the_rest_of_the_page_references() -> None:
    # given a section whose list of caveats is introduced by "Notes:", then another section
    page = "# Berths\n\nNotes:\n\n1. Berths close at dusk.\n\n## Fees\n\nFees are paid monthly.\n"
    # when it is read, then nothing of it is a references section
    assert texts(read_markdown(page), SentenceKind.REFERENCE) == []
