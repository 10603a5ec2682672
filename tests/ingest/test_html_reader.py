"""HTML pages read as the article a reader sees, without the site around it."""

import datetime as dt
import gc
import weakref
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.ingest import html_reader
from retrieval.ingest.html_reader import read_html
from retrieval.models import SentenceKind
from tests.ingest.support import sentences, texts, unfaithful

DATA = Path(__file__).parent.parent / "data" / "ingest"

SPHINX_PAGE = """<!DOCTYPE html>
<html><head>
<title>Writing your first app &mdash; Harbour 2.1 documentation</title>
<meta name="author" content="R. Vale">
<meta name="dcterms.date" content="2020-05-06">
<link rel="canonical" href="https://docs.example.org/intro/first-app.html">
<script>var nav = "not text";</script>
<style>p { color: red }</style>
</head><body>
<div class="related" role="navigation"><a href="index.html">index</a> |
<a href="next.html">next</a></div>
<div class="sphinxsidebar"><h3>Table of Contents</h3><ul><li><a href="#">Intro</a></li></ul></div>
<div class="body" role="main">
<section id="writing-your-first-app">
<h1>Writing your first app<a class="headerlink" href="#writing">¶</a></h1>
<p>Let&rsquo;s learn by <em>example</em>. Run <code class="docutils literal"
><span class="pre">manage.py</span></code> first.</p>
<div class="highlight"><pre><span></span><span class="gp">$ </span>python manage.py runserver
</pre></div>
<section id="models"><h2>Models<a class="headerlink" href="#models">¶</a></h2>
<ul><li>A model maps to one table<li>Fields map to columns</ul>
<table><thead><tr><th>Field</th><th>Column type</th></tr></thead>
<tbody><tr><td>CharField</td><td>varchar</td></tr><tr><td>IntegerField<td>integer</tr></tbody></table>
<p class="admonition-title">Note</p>
<p>Migrations are run with one command &amp; no SQL.</p>
</section></section>
</div>
<div class="footer">&copy; Copyright 2020. Created using Sphinx.</div>
</body></html>
"""


def test_the_title_is_the_page_title_without_the_site_name() -> None:
    assert read_html(SPHINX_PAGE).metadata["title"] == "Writing your first app"


def test_meta_tags_give_author_date_and_the_canonical_url() -> None:
    metadata = read_html(SPHINX_PAGE).metadata
    assert metadata["author"] == "R. Vale"
    assert metadata["published"] == dt.date(2020, 5, 6)
    assert metadata["url"] == "https://docs.example.org/intro/first-app.html"


def test_navigation_sidebars_footers_scripts_and_anchors_are_not_read() -> None:
    shown = " ".join(texts(read_html(SPHINX_PAGE)))
    for chrome in ("index", "Table of Contents", "not text", "color", "Copyright", "¶"):
        assert chrome not in shown


def test_prose_is_decoded_and_free_of_tags() -> None:
    body = texts(read_html(SPHINX_PAGE), SentenceKind.BODY)
    assert body[:2] == ["Let’s learn by example.", "Run manage.py first."]
    assert "Migrations are run with one command & no SQL." in body


def test_headings_give_the_section_path() -> None:
    found = {s.text: s.section for s in sentences(read_html(SPHINX_PAGE))}
    assert found["A model maps to one table"] == "Writing your first app > Models"


def test_pre_is_code_and_list_items_and_rows_are_units() -> None:
    reading = read_html(SPHINX_PAGE)
    assert texts(reading, SentenceKind.CODE) == ["$ python manage.py runserver"]
    assert texts(reading, SentenceKind.LIST_ITEM) == [
        "A model maps to one table",
        "Fields map to columns",
    ]
    assert texts(reading, SentenceKind.TABLE_ROW) == [
        "CharField | varchar",
        "IntegerField | integer",
    ]
    assert "Field | Column type" in texts(reading, SentenceKind.HEADING)


def test_a_table_inside_pre_stays_in_the_code_in_page_order() -> None:
    # given preformatted text holding a table (a page pasted into a <pre>)
    page = (
        "<pre>first line\n<div><table><tr><td>Menu</td></tr></table></div>\nlast line</pre>"
        "<p>Text after the code.</p>"
    )
    # when read, then the table is part of the code and nothing comes out of order
    found = sentences(read_html(page))
    assert [s.kind for s in found] == [SentenceKind.CODE, SentenceKind.BODY]
    assert "Menu" in found[0].text and found[0].end <= found[1].start
    assert unfaithful(page, found) == []


def test_a_label_is_a_heading_not_prose() -> None:
    assert "Note" not in texts(read_html(SPHINX_PAGE), SentenceKind.BODY)


def test_a_block_of_links_is_page_furniture() -> None:
    page = (
        "<p>Some text about ships and harbours here.</p>"
        '<p>« <a href="a">previous</a> | <a href="b">up</a> | <a href="c">next</a> »</p>'
    )
    reading = read_html(page)
    assert texts(reading, SentenceKind.BOILERPLATE) == ["« previous | up | next »"]


def test_without_a_main_element_everything_but_the_chrome_is_read() -> None:
    page = (
        "<html><body><header>Site</header><h1>Ships</h1><p>Ships sail.</p>"
        "<footer>x</footer></body></html>"
    )
    assert texts(read_html(page)) == ["Ships", "Ships sail."]


def test_broken_markup_still_reads() -> None:
    page = "<p>Unclosed <b>bold <i>and italic<p>Next paragraph &amp no semicolon</div></span>"
    reading = read_html(page)
    assert texts(reading) == ["Unclosed bold and italic", "Next paragraph & no semicolon"]
    assert not unfaithful(page, sentences(reading))


_WORDS = st.text(alphabet="abcxyzé09", min_size=1, max_size=6)
_INLINE = st.one_of(
    _WORDS,
    _WORDS.map(lambda w: f"<em>{w}</em>"),
    _WORDS.map(lambda w: f'<a href="/{w}">{w}</a>'),
    _WORDS.map(lambda w: f"<code>{w}</code>"),
    _WORDS.map(lambda w: f"<span class='pre'>{w}</span>"),
    st.sampled_from(
        ["&amp;", "&lt;", "&#8212;", "&#x263A;", "&nbsp;", "<br>", "<!-- c -->", "&bogus;"]
    ),
)
_LINE = st.lists(_INLINE, min_size=1, max_size=8).map(" ".join)
_BLOCK = st.one_of(
    _LINE.map(lambda line: f"<p>{line}.</p>"),
    _LINE.map(lambda line: f"<p>{line}"),
    st.tuples(st.integers(1, 6), _LINE).map(lambda h: f"<h{h[0]}>{h[1]}</h{h[0]}>"),
    st.lists(_LINE, min_size=1, max_size=3).map(
        lambda xs: "<ul>" + "".join(f"<li>{x}" for x in xs) + "</ul>"
    ),
    st.lists(_LINE, min_size=1, max_size=3).map(
        lambda xs: "<table><tr>" + "".join(f"<td>{x}</td>" for x in xs) + "</tr></table>"
    ),
    _LINE.map(lambda line: f"<pre>{line}\n  {line}</pre>"),
    _LINE.map(lambda line: f"<nav>{line}</nav>"),
    _LINE.map(lambda line: f"<div class='note'><p>{line}</p></div>"),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=8), st.sampled_from(["\n", "\r\n", ""]))
def test_every_html_sentence_is_faithful_to_its_span(blocks: list[str], newline: str) -> None:
    # given a random page of paragraphs, headings, lists, tables, code and navigation
    page = "<html><body>" + newline.join(blocks) + "</body></html>"
    # when it is read
    found = sentences(read_html(page))
    # then every sentence's words are the words of its span of the file, markup aside
    assert not unfaithful(page, found)


def test_a_real_sphinx_page_reads_cleanly_and_faithfully() -> None:
    # given a page of Django's Sphinx-built documentation
    page = (DATA / "django-tutorial01.html").read_text(encoding="utf-8")
    # when it is read
    reading = read_html(page)
    found = sentences(reading)
    # then it has its title, its navigation is gone, and every sentence is faithful
    assert reading.metadata["title"] == "Writing your first Django app, part 1"
    assert not [s.text for s in found if s.kind is SentenceKind.BODY and "previous" in s.text]
    assert not unfaithful(page, found)


def test_text_on_both_sides_of_a_comment_keeps_the_page_in_step() -> None:
    # given a MkDocs page whose navigation holds a comment between two runs of text
    page = (
        '<html><body><div class="navbar"><button>\n<span></span>\n</button>\n'
        "<!-- Expanded navigation -->\n<ul><li>Home</li></ul></div>\n"
        '<div role="main"><h1>MkDocs</h1><p>Project documentation with Markdown.</p>'
        "<p>Pages are <!-- a note -->written in Markdown.</p></div></body></html>"
    )
    # when it is read
    reading = read_html(page)
    # then the main content after the comments is read, faithful to its spans
    assert texts(reading) == [
        "MkDocs",
        "Project documentation with Markdown.",
        "Pages are written in Markdown.",
    ]
    assert not unfaithful(page, sentences(reading))


MDBOOK_PAGE = (
    '<html class="sidebar-visible no-js light"><body>'
    '<nav class="sidebar"><ol><li><a href="ch01.html">Getting Started</a></li></ol></nav>'
    '<div class="page"><main><h1><a class="header" href="#the-slice-type">The Slice Type</a>'
    "</h1><p>Slices let you reference a contiguous sequence of elements.</p></main></div>"
    "</body></html>"
)


def test_a_pages_root_class_naming_a_sidebar_does_not_hide_the_page() -> None:
    # given an mdBook page, whose root says the sidebar is visible
    # when it is read
    reading = read_html(MDBOOK_PAGE)
    # then its content is read, and its sidebar is not
    assert "Slices let you reference a contiguous sequence of elements." in texts(reading)
    assert "Getting Started" not in texts(reading)


def test_a_heading_wrapped_in_its_own_anchor_link_stays_a_heading() -> None:
    # given a heading whose text is a link to itself
    # when the page is read
    headings = texts(read_html(MDBOOK_PAGE), SentenceKind.HEADING)
    # then it is a heading, not link furniture
    assert headings == ["The Slice Type"]


def test_a_definition_lists_term_is_the_section_of_its_description() -> None:
    # given a manual page describing options in a definition list, then prose after it
    page = (
        "<h2>OPTIONS</h2><dl><dt>--onto &lt;newbase&gt;</dt>"
        "<dd><p>Starting point at which to create the new commits.</p></dd>"
        "<dt>--quiet</dt><dd><p>Be quiet.</p></dd></dl><p>See also the manual.</p>"
    )
    # when it is read
    found = {s.text: s.section for s in sentences(read_html(page))}
    # then each description sits under its term, and the term and later prose do not
    assert found["Starting point at which to create the new commits."] == (
        "OPTIONS > --onto <newbase>"
    )
    assert found["Be quiet."] == "OPTIONS > --quiet"
    assert found["--quiet"] == "OPTIONS"
    assert found["See also the manual."] == "OPTIONS"


def test_role_main_marks_the_main_content_only_as_a_whole_word() -> None:
    # given a page whose attribute merely ends in "role" and one marked role = 'main'
    outside = '<div class="intro"><p>Read before the article.</p></div>'
    article = "<p>The article itself.</p>"
    not_marked = f'<html><body>{outside}<div xrole="main">{article}</div></body></html>'
    marked = f"<html><body>{outside}<div ROLE = 'Main'>{article}</div></body></html>"
    # when both are read
    # then only the page with a real role="main" is read for its main content alone
    assert texts(read_html(not_marked)) == ["Read before the article.", "The article itself."]
    assert texts(read_html(marked)) == ["The article itself."]


def test_role_main_is_found_on_a_page_that_lowercasing_would_lengthen() -> None:
    # given a page marked role="MAIN" after a dotted capital "İ" (two characters once
    # lowercased, so the lowercased page no longer lines up with the page)
    outside = '<div class="intro"><p>İstanbul, before the article.</p></div>'
    page = f'<html><body>{outside}<div role="MAIN"><p>The article itself.</p></div></body></html>'
    # when it is read
    # then its main content alone is read
    assert texts(read_html(page)) == ["The article itself."]


def test_text_after_a_run_of_tags_comments_and_declarations_keeps_its_offsets() -> None:
    # given text preceded by several pieces of markup in a row, one a comment holding "<p>"
    page = (
        '<!DOCTYPE html><html><body><div><!-- <p>not text</p> --><![CDATA[x]]><p class="a">'
        "<em><b>Bold words</b></em> end here.</p></div></body></html>"
    )
    # when it is read
    reading = read_html(page)
    # then the text after the markup is read, each sentence at its exact span
    assert texts(reading) == ["Bold words end here."]
    assert not unfaithful(page, sentences(reading))


def test_a_block_mostly_of_link_text_counts_letters_and_digits_of_any_script() -> None:
    # given a block whose links hold most of its letters (Greek, digits), and one whose don't
    links = '<p><a href="a.html">Αρχική σελίδα 2</a> · <a href="b.html">Επόμενη</a></p>'
    prose = '<p>Η <a href="a.html">σελίδα</a> εξηγεί πώς γράφεται ένα πρώτο έργο.</p>'
    # when they are read
    kinds = [s.kind for s in sentences(read_html(f"<html><body>{links}{prose}</body></html>"))]
    # then the first is page furniture and the second prose
    assert kinds == [SentenceKind.BOILERPLATE, SentenceKind.BODY]


def test_a_paragraph_introducing_notes_does_not_make_the_rest_of_the_page_references() -> None:
    # given a Sphinx page whose table is followed by "Notes:" and its numbered notes
    page = (
        "<h1>Built-in types</h1><h2>Boolean operations</h2><p>Notes:</p>"
        "<ol><li><p>This operator only evaluates the second argument if needed.</p></li></ol>"
        "<h2>Comparisons</h2><p>There are eight comparison operations.</p>"
    )
    # when it is read
    reading = read_html(page)
    # then the notes and the sections after them are prose, not references
    assert texts(reading, SentenceKind.REFERENCE) == []
    assert "There are eight comparison operations." in texts(reading, SentenceKind.BODY)


def test_a_footnotes_label_makes_references_up_to_the_next_heading() -> None:
    # given a page whose "Footnotes" label (a Sphinx rubric) ends one section
    page = (
        "<h1>Types</h1><h2>Numbers</h2><p>Integers are exact.</p>"
        '<p class="rubric">Footnotes</p><p>[1] See the reference manual, chapter 3.</p>'
        "<h2>Strings</h2><p>Strings are immutable.</p>"
    )
    # when it is read
    reading = read_html(page)
    # then the footnote is a reference and the next section is prose again
    assert texts(reading, SentenceKind.REFERENCE) == ["[1] See the reference manual, chapter 3."]
    assert "Strings are immutable." in texts(reading, SentenceKind.BODY)


def test_a_heading_that_links_to_the_contents_is_a_heading_and_starts_its_section() -> None:
    # given a texinfo page whose section headings each link back to the table of contents
    page = (
        '<h2 class="section"><a href="toc.html#TOC3">1.1 About catalogs</a></h2>'
        "<p>A catalog holds the messages of one program.</p>"
    )
    # when it is read
    found = sentences(read_html(page))
    # then the heading is a heading, and the prose after it sits in its section
    assert (found[0].kind, found[0].text) == (SentenceKind.HEADING, "1.1 About catalogs")
    assert found[1].section == "1.1 About catalogs"


def test_an_anchor_that_links_nowhere_is_not_link_text() -> None:
    # given a paragraph wrapped in a named anchor, a link target (as LaTeX2HTML writes)
    page = '<p><a name="intro">Catalogs are compiled before they are installed.</a></p>'
    # when it is read
    # then it is prose, not link furniture
    assert texts(read_html(page), SentenceKind.BODY) == [
        "Catalogs are compiled before they are installed."
    ]


def test_code_in_a_layout_tables_cell_is_a_code_block() -> None:
    # given a texinfo example: preformatted code in the second cell of a one-row table
    page = (
        '<p>Use it like this:</p><table><tr><td>&nbsp;</td><td><pre class="example">'
        "#include &lt;libintl.h&gt;\n#define _(String) gettext (String)\n</pre></td></tr></table>"
    )
    # when it is read
    found = sentences(read_html(page))
    # then the code is one code block with its lines, not a table row
    assert [(s.kind, s.text) for s in found] == [
        (SentenceKind.BODY, "Use it like this:"),
        (SentenceKind.CODE, "#include <libintl.h>\n#define _(String) gettext (String)"),
    ]
    assert not unfaithful(page, found)


def test_cells_without_text_add_no_separators_to_their_row() -> None:
    # given rows whose first or last cells are empty (an indent, an empty column)
    page = (
        "<table><tr><td>&nbsp;</td><td>catalog name</td><td></td></tr>"
        "<tr><td>open</td><td> </td><td>returns a handle</td></tr></table>"
    )
    # when it is read
    # then each row shows its cells with text, one separator between two
    assert texts(read_html(page), SentenceKind.TABLE_ROW) == [
        "catalog name",
        "open | returns a handle",
    ]


def test_navigation_named_by_a_compound_class_is_not_read() -> None:
    # given a DocBook page: a navigation table above and below the section
    navigation = (
        '<div class="{0}"><table><tr><th colspan="3">29.2. Disk Full Failure</th></tr>'
        '<tr><td><a accesskey="p" href="a.html">Prev</a></td><th>Chapter 29. Monitoring'
        '</th><td><a accesskey="n" href="b.html">Next</a></td></tr></table></div>'
    )
    page = (
        navigation.format("navheader")
        + '<div class="sect1"><h2>29.2. Disk Full Failure</h2><p>Keep the disk from filling up.'
        "</p></div>" + navigation.format("navfooter")
    )
    # when it is read
    # then only the section is read
    assert texts(read_html(page)) == ["29.2. Disk Full Failure", "Keep the disk from filling up."]


def test_a_link_showing_only_a_glyph_is_not_read() -> None:
    # given release notes whose items end in commit links shown as "§", and a heading
    # with a "#" permalink of no known class
    page = (
        '<h2>Changes<a class="anchor" href="#changes">#</a></h2><ul>'
        '<li><p>Fix incorrect distance calculation (Peter Eisentraut) <a class="ulink" '
        'href="https://example.org/c/1">§</a> <a href="https://example.org/c/2">&sect;</a>'
        '</p></li><li><p>See <a href="https://example.org/c/3">§ 4.2</a> for more.</p></li></ul>'
    )
    # when it is read
    found = sentences(read_html(page))
    # then the glyphs are gone, and a link with words besides its glyph is read
    assert [s.text for s in found] == [
        "Changes",
        "Fix incorrect distance calculation (Peter Eisentraut)",
        "See § 4.2 for more.",
    ]
    assert not unfaithful(page, found)


def test_a_doxygen_fragment_of_line_divs_is_code() -> None:
    # given a Doxygen page whose example is a fragment of one <div> per line, with a
    # tooltip shown on hover
    page = (
        '<p>Consider the following example:</p><div class="fragment">'
        '<div class="line"><span class="keyword">class </span>Invisible { };</div>\n'
        '<div class="line">  <span class="comment">/* not documented */</span></div>\n'
        '<div class="ttc"><div class="ttname">Invisible</div><div class="ttdef">'
        "<b>Definition:</b> legend.h:3</div></div></div><p>The class is hidden.</p>"
    )
    # when it is read
    found = sentences(read_html(page))
    # then the fragment is one code block of its lines, between the two paragraphs
    assert [(s.kind, s.text) for s in found] == [
        (SentenceKind.BODY, "Consider the following example:"),
        (SentenceKind.CODE, "class Invisible { };\n  /* not documented */"),
        (SentenceKind.BODY, "The class is hidden."),
    ]
    assert not unfaithful(page, found)


def test_a_fragment_that_is_not_made_of_line_divs_is_prose() -> None:
    # given a slide's paragraph revealed step by step (reveal.js's "fragment" class)
    page = '<div class="fragment"><p>Ships sail at dawn.</p></div>'
    # when it is read
    # then it is prose
    assert texts(read_html(page), SentenceKind.BODY) == ["Ships sail at dawn."]


def test_a_tooltip_shown_on_hover_is_not_read() -> None:
    # given a rustdoc signature whose "notable traits" pop-up sits inside the heading
    page = (
        '<h4 class="code-header">fn step_by(self, step: usize) -&gt; StepBy&lt;Self&gt;'
        '<span class="notable-traits"><span class="notable-traits-tooltip">ⓘ'
        '<span class="notable-traits-tooltiptext">Notable traits for StepBy</span></span>'
        "</span></h4><p>Creates an iterator that steps by the given amount.</p>"
    )
    # when it is read
    # then the heading is the signature alone
    assert texts(read_html(page), SentenceKind.HEADING) == [
        "fn step_by(self, step: usize) -> StepBy<Self>"
    ]


def test_a_callouts_heading_labels_the_callout_and_leaves_the_section_path() -> None:
    # given a DocBook section holding a note titled by its own <h3>, then more prose
    page = (
        '<div class="sect1"><h2 class="title">29.2. Disk Full Failure</h2>'
        "<p>Keep the disk from filling up.</p>"
        '<div class="tip"><h3 class="title">Tip</h3><p>Do not wait until it is full.</p></div>'
        "<p>Move files to other tablespaces.</p></div>"
    )
    # when it is read
    found = {s.text: (s.kind, s.section) for s in sentences(read_html(page))}
    # then the title is a label in the section, and the prose after it stays in the section
    assert found["Tip"] == (SentenceKind.HEADING, "29.2. Disk Full Failure")
    assert found["Move files to other tablespaces."] == (
        SentenceKind.BODY,
        "29.2. Disk Full Failure",
    )


def test_a_plain_heading_inside_a_callout_still_starts_a_section() -> None:
    # given an MkDocs callout wrapped around a whole subsection
    page = (
        "<h2>Plugins</h2>"
        '<div class="admonition new"><p class="admonition-title">New in version 1.4</p>'
        "<h5>Subclassing Config</h5><p>Define the schema as a class.</p></div>"
    )
    # when it is read
    found = {s.text: s.section for s in sentences(read_html(page))}
    # then the subsection's heading is in the path of its prose
    assert found["Define the schema as a class."] == "Plugins > Subclassing Config"


def test_a_link_leading_on_to_more_is_not_read() -> None:
    # given summaries ending in "Read more" and "More..." links, and prose linking "more"
    page = (
        '<p>Creates an iterator that skips elements. <a href="t.html#m.skip">Read more</a></p>'
        '<p>A brief description. <a href="#details">More...</a></p>'
        '<p>There is <a href="x.html">more</a> to say about iterators.</p>'
    )
    # when it is read
    # then the links leading on are gone and the link inside the sentence is read
    assert texts(read_html(page)) == [
        "Creates an iterator that skips elements.",
        "A brief description.",
        "There is more to say about iterators.",
    ]


def test_a_sphinx_source_link_is_not_part_of_the_signature() -> None:
    # given a Sphinx object description whose signature ends in a viewcode "[source]" link
    page = (
        '<dl class="py function"><dt class="sig sig-object py" id="requests.request">'
        '<span class="sig-name descname"><span class="pre">request</span></span>'
        '<span class="sig-paren">(</span><em>method</em><span class="sig-paren">)</span>'
        '<a class="reference internal" href="_modules/requests/api.html#request">'
        '<span class="viewcode-link"><span class="pre">[source]</span></span></a></dt>'
        "<dd><p>Constructs and sends a Request.</p></dd></dl>"
    )
    # when it is read
    found = sentences(read_html(page))
    # then neither the signature nor the section of its description shows the link
    assert [(s.text, s.section) for s in found] == [
        ("request(method)", ""),
        ("Constructs and sends a Request.", "request(method)"),
    ]


def test_an_aside_inside_the_article_is_read_and_one_outside_it_is_not() -> None:
    # given a docutils page: an abstract and footnotes in <aside>, a site's sidebar outside
    page = (
        "<html><body><aside><p>Site menu and links.</p></aside>"
        '<div role="main"><section><h1>Sockets</h1><aside class="topic">'
        '<p class="topic-title">Abstract</p><p>Sockets are used nearly everywhere.</p></aside>'
        '<p>Most sockets are INET sockets.</p><p class="rubric">Footnotes</p>'
        '<aside class="footnote brackets" role="note"><span class="label">1</span>'
        "<p>The author wrote this in 1998.</p></aside></section></div></body></html>"
    )
    # when it is read
    reading = read_html(page)
    # then the abstract is prose, the footnote a reference, and the sidebar is not read
    assert "Sockets are used nearly everywhere." in texts(reading, SentenceKind.BODY)
    assert "The author wrote this in 1998." in texts(reading, SentenceKind.REFERENCE)
    assert "Site menu and links." not in texts(reading)


def test_a_note_crediting_the_generator_is_page_furniture() -> None:
    # given a texinfo page ending in its generator's dated credit, and prose about building
    page = (
        "<p>Catalogs are built with msgfmt.</p><hr><p><font size='-1'>This document was "
        "generated by <em>Bruno Haible</em> on <em>July, 26 2020</em> using <a href='t'>"
        "<em>texi2html 1.78a</em></a>.</font></p>"
    )
    # when it is read
    reading = read_html(page)
    # then the credit is furniture and the prose is prose
    assert texts(reading, SentenceKind.BODY) == ["Catalogs are built with msgfmt."]
    assert texts(reading, SentenceKind.BOILERPLATE) == [
        "This document was generated by Bruno Haible on July, 26 2020 using texi2html 1.78a."
    ]


def test_a_read_page_is_freed_without_waiting_for_the_cyclic_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a reader that tells when it is freed
    readers: list[weakref.ref[html_reader._PageReader]] = []

    class Tracked(html_reader._PageReader):
        def __init__(self, *arguments: Any) -> None:
            super().__init__(*arguments)
            readers.append(weakref.ref(self))

    monkeypatch.setattr(html_reader, "_PageReader", Tracked)
    page = "<div><p>The bridge opened in <b>1932</b>.</p></div>"
    gc.disable()
    try:
        # When a fragment is read and its blocks kept
        found = html_reader.html_blocks(page, 0, len(page))
        # Then its reader is already gone (the parser's cycle does not hold it)
        assert [block.text for block in found] == ["The bridge opened in 1932."]
        assert readers and all(reader() is None for reader in readers)
    finally:
        gc.enable()
