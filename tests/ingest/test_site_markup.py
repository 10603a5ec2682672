"""Site generators' markup found and stepped over, offsets kept."""

from __future__ import annotations

from retrieval.ingest import site_markup as site_markup_module
from retrieval.ingest.site_markup import indented_bodies, masked, shown_pieces, site_markup


def test_masking_keeps_every_offset_and_line_break() -> None:
    # given a page with a shortcode over two lines
    page = 'A {{< figure\n src="x.png" >}} B'
    # when it is masked
    spans = site_markup(page)
    copy = masked(page, spans)
    # then the copy is as long, its line breaks stand, and the words around are untouched
    assert len(copy) == len(page)
    assert copy.index("\n") == page.index("\n")
    assert (copy[:2], copy[-2:]) == ("A ", " B")


def test_a_stretch_starting_inside_hidden_markup_shows_only_what_follows_it() -> None:
    # given hidden markup at 5..10 and 20..25
    spans = [(5, 10), (20, 25)]
    # when the stretch 7..30 is shown
    pieces = list(shown_pieces(spans, 7, 30))
    # then only the text between and after the markup is
    assert pieces == [(10, 20), (25, 30)]


def test_a_page_without_site_markup_has_none() -> None:
    assert site_markup("Plain {braces} and a ratio of 3:2 stay.") == []


def test_an_mkdocs_body_is_marked_as_a_list_item_in_place() -> None:
    # given an admonition with a nested one, then a line that ends both
    page = '!!! note "Title"\n    Outer.\n\n    ??? tip\n        Inner.\nAfter.\n'
    # when the bodies are marked
    marked = indented_bodies(page)
    # then each body's first line has a marker at its opener's indentation, nothing moved
    assert marked.splitlines() == [
        '!!! note "Title"',
        "-   Outer.",
        "",
        "    ??? tip",
        "    -   Inner.",
        "After.",
    ]


def test_an_opener_is_hidden_without_its_indentation() -> None:
    page = "Intro.\n\n    !!! warning\n        Body.\n"
    assert [page[start:end] for start, end in site_markup(page)] == ["!!! warning"]


def test_a_kind_tried_only_on_marked_lines_finds_what_its_own_search_finds() -> None:
    # given a page whose marked lines match or not, with the mark again after a match
    page = "% a\nx % y\n%\ntext\n  % z %\n(ref)= %\n%"
    lines = site_markup_module._OnMarkedLines(site_markup_module._MYST_LINE, ")=", "%")
    # when its matches are found on the marked lines only
    found = [match.span("line") for match in lines.finditer(page)]
    # then they are the pattern's own matches, in order
    assert found == [m.span("line") for m in site_markup_module._MYST_LINE.finditer(page)]
    assert len(found) == 4
