"""metadata.toml is user input: a bad value costs that value, with one clear line."""

import datetime as dt
import logging
from pathlib import Path

import pytest

from retrieval.ingest.metadata import parse_date, readable_name
from retrieval.ingest.pipeline import read_documents
from tests.conftest import write_corpus

PROSE = "Harbour News\n\nThe harbour opened in spring. Ships arrived from the north.\n"


def _read(root: Path, caplog: pytest.LogCaptureFixture) -> tuple[list, list[str]]:
    with caplog.at_level(logging.WARNING, "quotebot"):
        documents = [i.document for i in read_documents(root)]
    return documents, [record.getMessage() for record in caplog.records]


def test_a_title_that_is_not_text_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_corpus(tmp_path, {"a.txt": PROSE, "metadata.toml": "[a]\ntitle = 42\n"})
    documents, messages = _read(tmp_path, caplog)
    assert documents[0].title == "Harbour News"
    assert messages == [
        f"metadata file {tmp_path / 'metadata.toml'}: [a] title must be text; ignored"
    ]


def test_a_date_time_counts_as_its_day(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    write_corpus(
        tmp_path, {"a.txt": PROSE, "metadata.toml": "[a]\npublished = 2016-01-01T10:00:00\n"}
    )
    documents, messages = _read(tmp_path, caplog)
    assert documents[0].published == dt.date(2016, 1, 1)
    assert type(documents[0].published) is dt.date
    assert not messages


def test_a_published_value_that_is_not_a_date_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_corpus(tmp_path, {"a.txt": PROSE, "metadata.toml": '[a]\npublished = "soon"\n'})
    documents, messages = _read(tmp_path, caplog)
    assert documents[0].published is None
    assert messages == [
        f"metadata file {tmp_path / 'metadata.toml'}: [a] published must be a date; ignored"
    ]


def test_metadata_for_documents_the_corpus_lacks_is_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_corpus(
        tmp_path,
        {
            "a.txt": PROSE,
            "metadata.toml": '[a]\ntitle = "A"\n[gone]\ntitle = "B"\n[typo]\ntitle = "C"\n',
        },
    )
    _, messages = _read(tmp_path, caplog)
    assert messages == ["metadata file names documents that are not in the corpus: gone, typo"]


def test_an_unknown_field_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_corpus(tmp_path, {"a.txt": PROSE, "metadata.toml": '[a]\ntitel = "Typo"\n'})
    documents, messages = _read(tmp_path, caplog)
    assert documents[0].title == "Harbour News"
    assert len(messages) == 1 and "titel is not one of title, url, author, published" in messages[0]


def test_a_file_that_is_not_toml_is_one_warning_and_the_corpus_loads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_corpus(tmp_path, {"a.txt": PROSE, "metadata.toml": "[a\ntitle = "})
    documents, messages = _read(tmp_path, caplog)
    assert [d.doc_id for d in documents] == ["a"]
    assert len(messages) == 1 and messages[0].startswith("ignoring metadata file")


def test_a_table_of_the_wrong_shape_is_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_corpus(tmp_path, {"a.txt": PROSE, "metadata.toml": 'a = "not a table"\n'})
    _, messages = _read(tmp_path, caplog)
    assert messages == [
        f"metadata file {tmp_path / 'metadata.toml'}: 'a' is not a table of fields; ignored"
    ]


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2021-03-04", dt.date(2021, 3, 4)),
        ("2021-03-04T10:00:00Z", dt.date(2021, 3, 4)),
        ("13-Jun-2000", dt.date(2000, 6, 13)),
        ("Fri, 12 Mar 2021 10:00:00 GMT", dt.date(2021, 3, 12)),
        ("March 3, 2021", dt.date(2021, 3, 3)),
        ("someday", None),
    ],
)
def test_dates_in_metadata_fields_are_read_in_their_usual_spellings(
    value: str, day: dt.date | None
) -> None:
    assert parse_date(value) == day


@pytest.mark.parametrize(
    ("source", "title"),
    [
        ("getting_started.md", "Getting started"),
        ("docs/service-discovery/index.md", "Service discovery"),
        ("README.md", "README"),
    ],
)
def test_a_file_name_made_readable(source: str, title: str) -> None:
    assert readable_name(source) == title
