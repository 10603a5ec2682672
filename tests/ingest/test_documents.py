"""Reading a corpus folder: path IDs, skipping, metadata, and clear errors."""

import datetime as dt
import logging
from pathlib import Path

import pytest

from retrieval.errors import CorpusError
from retrieval.ingest.documents import (
    PREFERRED_FORMATS,
    document_id,
    document_paths,
    plain_relative,
)
from retrieval.ingest.formats import DOCUMENT_SUFFIXES
from retrieval.ingest.pipeline import read_documents
from retrieval.models import Document
from tests.conftest import write_corpus

PROSE = "The harbour opened in spring. Ships arrived from the north and the south.\n"


def _documents(root: Path) -> list[Document]:
    return [ingested.document for ingested in read_documents(root)]


def _ids(root: Path) -> list[str]:
    return [document.doc_id for document in _documents(root)]


def test_a_documents_id_is_its_path_without_extension(tmp_path: Path) -> None:
    # given files at the top and in nested folders, several named index
    write_corpus(
        tmp_path,
        {
            "000_top.txt": PROSE,
            "docs/index.md": PROSE,
            "docs/concepts/index.md": PROSE,
            "library/argparse.rst.txt": PROSE,
        },
    )
    # when the corpus is read
    # then each ID is the relative path without its extension, and top files keep their stem
    assert _ids(tmp_path) == [
        "000_top",
        "docs/concepts/index",
        "docs/index",
        "library/argparse.rst",
    ]


@pytest.mark.parametrize(
    ("source", "doc_id"),
    [
        ("guide.md", "guide"),
        ("docs/a.b/page.rst.txt", "docs/a.b/page.rst"),
        ("docs/.hidden", "docs/.hidden"),
        ("docs/trailing.", "docs/trailing."),
        ("no_suffix", "no_suffix"),
        ("a//b.md", "a/b"),
    ],
)
def test_an_id_drops_the_last_suffix_of_the_file_name(source: str, doc_id: str) -> None:
    # given a source path; when its ID is taken; then only the file name's suffix goes
    assert document_id(source) == doc_id


@pytest.mark.parametrize(
    "source", ["", ".", "..", "/abs.md", "a/../b.md", "a//b.md", "./a.md", "a/./b.md", "a/", "a\\b"]
)
def test_a_path_that_leaves_names_twice_or_is_absolute_is_not_plain(source: str) -> None:
    # given a source that is absolute, climbs out, or spells a path two ways
    # then it is not a plain path inside the corpus folder
    assert not plain_relative(source)


@pytest.mark.parametrize("source", ["a.md", "docs/..hidden/x.md", "café/ünï.md", "a b/c"])
def test_a_relative_path_of_named_parts_is_plain(source: str) -> None:
    assert plain_relative(source)


def test_hidden_files_are_skipped_silently(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_corpus(tmp_path, {"a.txt": PROSE, ".secret.txt": PROSE, ".git/notes.txt": PROSE})
    assert _ids(tmp_path) == ["a"]
    assert not caplog.records


def test_other_file_types_are_summed_up_in_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # given a tree with many images and some other files beside one document
    images = {f"img/figure{i}.svg": "<svg/>" for i in range(28)}
    write_corpus(tmp_path, {"a.txt": PROSE, **images, "data.csv": "x,y", "LICENSE": "MIT"})
    # when it is read
    with caplog.at_level(logging.INFO, "quotebot"):
        assert _ids(tmp_path) == ["a"]
    # then one line counts what was skipped, by type
    assert [r.getMessage() for r in caplog.records] == [
        "skipped 30 files: .svg ×28, (no extension) ×1, .csv ×1"
    ]


def test_of_two_files_that_differ_only_by_extension_the_structured_one_is_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # given a page beside its plain-text twin, as Debian's git-doc ships them
    write_corpus(tmp_path, {"x/report.txt": PROSE, "x/report.html": PROSE, "y.txt": PROSE})
    # when the corpus is walked
    with caplog.at_level(logging.WARNING, "quotebot"):
        paths = document_paths(tmp_path)
    # then the HTML page is read under the shared ID, and one warning sums up what was not
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["x/report.html", "y.txt"]
    assert [r.getMessage() for r in caplog.records] == [
        "skipped 1 file with the same name as a file of another format: x/report.txt (.html read)"
    ]


def test_many_files_passed_over_for_another_format_are_one_warning_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # given seven pages each beside a plain-text twin
    write_corpus(tmp_path, {f"p{i}.{ext}": PROSE for i in range(7) for ext in ("txt", "md")})
    # when the corpus is walked
    with caplog.at_level(logging.WARNING, "quotebot"):
        paths = document_paths(tmp_path)
    # then the Markdown pages are read, and one line names five twins and counts the rest
    assert [p.name for p in paths] == [f"p{i}.md" for i in range(7)]
    assert [r.getMessage() for r in caplog.records] == [
        "skipped 7 files with the same name as a file of another format: p0.txt (.md read), "
        "p1.txt (.md read), p2.txt (.md read), p3.txt (.md read), p4.txt (.md read) and 2 more"
    ]


def test_a_sphinx_builds_copies_of_its_sources_are_not_read(tmp_path: Path) -> None:
    # given a Sphinx HTML build: pages, the copies of their sources, the theme's files
    write_corpus(
        tmp_path,
        {
            "library/os.html": "<p>The os module is portable.</p>",
            "_sources/library/os.rst.txt": "The :mod:`os` module is portable.",
            "_static/LICENSE.txt": "Permission is granted.",
            "_modules/os.html": "<pre>def listdir(path): ...</pre>",
            "objects.inv": "",
        },
    )
    # when the corpus is walked
    paths = document_paths(tmp_path)
    # then only the pages are documents
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["library/os.html"]


def test_folders_named_like_sphinx_copies_elsewhere_are_read(tmp_path: Path) -> None:
    # given a corpus that is no Sphinx build, with a folder named _sources
    write_corpus(tmp_path, {"_sources/notes.txt": PROSE})
    # when the corpus is walked, then its files are documents
    assert [p.name for p in document_paths(tmp_path)] == ["notes.txt"]


def test_every_document_format_has_a_place_in_the_order_of_preference() -> None:
    assert sorted(PREFERRED_FORMATS) == sorted(DOCUMENT_SUFFIXES)


def test_files_with_one_name_in_different_folders_are_different_documents(
    tmp_path: Path,
) -> None:
    write_corpus(tmp_path, {"x/report.txt": PROSE, "y/report.md": PROSE})
    assert _ids(tmp_path) == ["x/report", "y/report"]


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        _ids(tmp_path / "nowhere")


def test_a_folder_without_documents_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"holds no documents"):
        _ids(tmp_path)


def test_a_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"a.txt": "\ufeff".encode() + PROSE.encode()})
    assert _documents(tmp_path)[0].text == PROSE


def test_empty_and_binary_files_are_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_corpus(tmp_path, {"a.txt": PROSE, "empty.txt": " \n\n", "blob.txt": b"\x00\x01\x02"})
    with caplog.at_level(logging.WARNING, "quotebot"):
        assert _ids(tmp_path) == ["a"]
    assert "empty.txt" in caplog.text and "blob.txt" in caplog.text


def test_metadata_file_gives_title_url_date_and_author(tmp_path: Path) -> None:
    write_corpus(
        tmp_path,
        {
            "docs/a.txt": PROSE,
            "metadata.toml": '["docs/a"]\ntitle = "Harbour news"\nurl = "https://example.org/a"\n'
            'published = 2019-04-02\nauthor = "R. Vale"\n',
        },
    )
    document = _documents(tmp_path)[0]
    assert (document.title, document.url, document.published, document.author) == (
        "Harbour news",
        "https://example.org/a",
        dt.date(2019, 4, 2),
        "R. Vale",
    )


@pytest.mark.parametrize(
    ("stamp", "published"),
    [
        ("Released at: 09:15, 21/03/2017", dt.date(2017, 3, 21)),
        ("Page last modified: 02-11-2012 10:00:01 ZULU", dt.date(2012, 11, 2)),
        ("Aug. 4, 2013  |  2 comments", dt.date(2013, 8, 4)),
    ],
)
def test_publication_date_is_read_from_a_stamp_or_byline(
    tmp_path: Path, stamp: str, published: dt.date
) -> None:
    write_corpus(tmp_path, {"a.txt": f"Harbour News\n\n{stamp}\n\n{PROSE}"})
    assert _documents(tmp_path)[0].published == published


def test_a_labelled_release_date_wins_over_a_page_clock(tmp_path: Path) -> None:
    text = f"07:00 (GMT) - Friday 01/02/2021\n\nReleased at: 10:00, 25/06/2018\n\n{PROSE}"
    write_corpus(tmp_path, {"a.txt": text})
    assert _documents(tmp_path)[0].published == dt.date(2018, 6, 25)


def test_the_title_is_a_repeated_heading_else_the_first_heading(tmp_path: Path) -> None:
    write_corpus(
        tmp_path,
        {
            "a.txt": f"City Desk\n\nHarbour Reopens\n\nHarbour Reopens\n\n{PROSE}",
            "b.txt": f"Harbour Reopens\n\n{PROSE}",
            "c.txt": PROSE,
        },
    )
    titles = [d.title for d in _documents(tmp_path)]
    assert titles[:2] == ["Harbour Reopens", "Harbour Reopens"]
    assert titles[2].startswith("The harbour opened in spring.")


def test_a_markdown_heading_title_loses_its_markup(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"a.md": f"# The *Harbour* Story\n\n{PROSE}"})
    assert _documents(tmp_path)[0].title == "The Harbour Story"


def test_a_page_title_line_with_a_site_name_gives_the_title(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"a.txt": f"Harbour Reopens After Storm | The Coast Post\n\n{PROSE}"})
    assert _documents(tmp_path)[0].title == "Harbour Reopens After Storm"


def test_without_a_title_the_file_name_is_made_readable(tmp_path: Path) -> None:
    # given pages that state no title, one of them an index page
    write_corpus(tmp_path, {"getting_started.md": PROSE, "service-discovery/index.md": PROSE})
    # when they are read
    # then the file name, or an index page's folder, is the title
    assert [d.title for d in _documents(tmp_path)] == ["Getting started", "Service discovery"]
