"""Which reader reads which file, by its extension.

Text formats are decoded first and read from their text; a PDF is read from its bytes.
Plain text and PDF state no structure, so their titles and dates are inferred from
their layout; the other formats say what their headings are.

A reader's module is imported the first time a file of its format is read: a process that
answers from the index cache reads no file, and the parsers (docutils, lxml, PyYAML,
pypdfium2) are a large share of its start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache

from retrieval.ingest.blocks import Reading

TextReader = Callable[[str], Reading]

# Format name by extension, and the function that reads the format.
TEXT_FORMATS: dict[str, str] = {
    ".txt": "plain text",
    ".text": "plain text",
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".mdx": "Markdown",  # Docusaurus's pages: Markdown with JSX, read as Markdown
    ".rst": "reStructuredText",
    ".rest": "reStructuredText",
    ".html": "HTML",
    ".htm": "HTML",
    ".xhtml": "HTML",
}
_READERS: dict[str, tuple[str, str]] = {
    "plain text": ("retrieval.ingest.layout", "read_plain_text"),
    "Markdown": ("retrieval.ingest.markdown_reader", "read_markdown"),
    "reStructuredText": ("retrieval.ingest.rst_reader", "read_rst"),
    "HTML": ("retrieval.ingest.html_reader", "read_html"),
}
PDF_SUFFIX = ".pdf"
UNSTRUCTURED = frozenset({".txt", ".text", PDF_SUFFIX})
DOCUMENT_SUFFIXES = frozenset({*TEXT_FORMATS, PDF_SUFFIX})


@cache
def text_reader(format_name: str) -> TextReader:
    """The reader of a text format (a name in ``TEXT_FORMATS``)."""
    module, function = _READERS[format_name]
    reader: TextReader = getattr(importlib.import_module(module), function)
    return reader
