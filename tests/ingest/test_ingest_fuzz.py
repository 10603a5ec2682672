"""Fuzzing ingestion: random bytes in every format never raise, and what loads is faithful."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval.ingest.fidelity import faithful
from retrieval.ingest.formats import DOCUMENT_SUFFIXES
from retrieval.ingest.pipeline import ingest_file

# Fragments of every format's markup, so random pages reach deep into the parsers.
_MARKUP = st.sampled_from(
    [
        "# ",
        "\n\n",
        "\n",
        "*",
        "**",
        "_",
        "`",
        "```\n",
        "> ",
        "- ",
        "1. ",
        "| a | b |\n|---|---|\n",
        "[x](y)",
        "<b>",
        "</b>",
        "<p>",
        "<pre>",
        "</pre>",
        "<table><tr><td>",
        "&amp;",
        "&#",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "=====\n",
        ".. note::\n\n   ",
        ":pep:`8`",
        "``x``",
        "::\n\n    ",
        "---\ntitle: x\n---\n",
        "+++\n",
        "\\",
        "\t",
        "\r\n",
        "\x00",
        "%PDF-1.4\n",
        "\ufeff",
        "é",
    ]
)
_WORDS = st.text(alphabet="abc xyz.,;:!?", min_size=0, max_size=12)
_PAGE = st.lists(st.one_of(_MARKUP, _WORDS), max_size=40).map("".join)


@pytest.mark.parametrize("suffix", sorted(DOCUMENT_SUFFIXES))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(page=st.one_of(_PAGE.map(str.encode), st.binary(max_size=400)))
def test_any_bytes_in_any_format_load_faithfully_or_are_skipped(
    tmp_path: Path, suffix: str, page: bytes
) -> None:
    # given a file of random bytes or random markup, named for one of the formats
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(page)
    # when it is ingested
    ingested = ingest_file(path, tmp_path)
    # then it is skipped (with a warning), or every sentence is faithful to its span
    if ingested is not None:
        text = ingested.document.text
        for sentence in ingested.sentences:
            assert 0 <= sentence.start < sentence.end <= len(text)
            assert faithful(text[sentence.start : sentence.end], sentence.text)
