"""Which reader reads which file, by its extension.

Text formats are decoded first and read from their text; a PDF is read from its bytes.
Plain text and PDF state no structure, so their titles and dates are inferred from
their layout; the other formats say what their headings are.
"""

from __future__ import annotations

from collections.abc import Callable

from retrieval.ingest.blocks import Reading
from retrieval.ingest.html_reader import read_html
from retrieval.ingest.layout import read_plain_text
from retrieval.ingest.markdown_reader import read_markdown
from retrieval.ingest.rst_reader import read_rst

TextReader = Callable[[str], Reading]

TEXT_READERS: dict[str, TextReader] = {
    ".txt": read_plain_text,
    ".text": read_plain_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".rst": read_rst,
    ".rest": read_rst,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
}
FORMAT_NAMES: dict[TextReader, str] = {
    read_plain_text: "plain text",
    read_markdown: "Markdown",
    read_rst: "reStructuredText",
    read_html: "HTML",
}
PDF_SUFFIX = ".pdf"
UNSTRUCTURED = frozenset({".txt", ".text", PDF_SUFFIX})
DOCUMENT_SUFFIXES = frozenset({*TEXT_READERS, PDF_SUFFIX})
