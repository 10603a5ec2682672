"""Readers are found by extension and imported only when a file of their format is read."""

from __future__ import annotations

import subprocess
import sys

from retrieval.ingest.formats import TEXT_FORMATS, text_reader
from retrieval.ingest.markdown_reader import read_markdown

_PARSERS = ("docutils", "lxml", "yaml", "pypdfium2", "retrieval.timeline.temporal")


def test_markdown_extension_is_read_by_the_markdown_reader() -> None:
    # Given the format named for ".md"
    name = TEXT_FORMATS[".md"]

    # When its reader is looked up
    reader = text_reader(name)

    # Then it is the Markdown reader
    assert reader is read_markdown


def test_an_mdx_page_is_read_by_the_markdown_reader() -> None:
    assert text_reader(TEXT_FORMATS[".mdx"]) is read_markdown


def test_answering_from_the_cache_imports_no_parser_or_tagger() -> None:
    # Given a fresh interpreter that loads what `quotebot ask` needs to answer from the cache
    probe = (
        "import sys, bot.cli, retrieval.service, retrieval.search.corpus_cache; "
        f"print([m for m in {_PARSERS!r} if m in sys.modules])"
    )

    # When it has imported them
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()

    # Then no document parser and not the temporal tagger was imported
    assert loaded == "[]"
