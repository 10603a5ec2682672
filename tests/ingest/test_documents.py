"""Reading a corpus folder: IDs, decoding, skipping, metadata, and clear errors."""

import datetime as dt
import logging
import tracemalloc
from pathlib import Path

import pytest

from retrieval.errors import CorpusError
from retrieval.ingest.documents import load_documents
from tests.conftest import write_corpus

PROSE = "The harbour opened in spring. Ships arrived from the north and the south.\n"


def _ids(root: Path) -> list[str]:
    return [document.doc_id for document in load_documents(root)]


def test_txt_and_md_files_in_subfolders_are_documents(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"a.txt": PROSE, "nested/b.md": PROSE})
    assert _ids(tmp_path) == ["a", "b"]


def test_hidden_files_are_skipped_silently(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_corpus(tmp_path, {"a.txt": PROSE, ".secret.txt": PROSE, ".git/notes.txt": PROSE})
    assert _ids(tmp_path) == ["a"]
    assert not caplog.records


def test_other_file_types_are_skipped_with_one_warning_each(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_corpus(tmp_path, {"a.txt": PROSE, "photo.png": b"\x89PNG", "data.csv": "x,y"})
    with caplog.at_level(logging.WARNING, "quotebot"):
        assert _ids(tmp_path) == ["a"]
    assert len(caplog.records) == 2


def test_two_files_with_one_stem_name_both_paths(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"x/report.txt": PROSE, "y/report.md": PROSE})
    with pytest.raises(CorpusError, match=r"report.*x/report\.txt.*y/report\.md"):
        _ids(tmp_path)


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        _ids(tmp_path / "nowhere")


def test_a_folder_without_documents_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"holds no \.txt or \.md documents"):
        _ids(tmp_path)


def test_a_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"a.txt": "\ufeff".encode() + PROSE.encode()})
    assert next(load_documents(tmp_path)).text == PROSE


def test_non_utf8_bytes_are_replaced_with_a_warning_naming_the_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_corpus(tmp_path, {"latin.txt": "Caf\xe9 society met in the square.".encode("latin-1")})
    with caplog.at_level(logging.WARNING, "quotebot"):
        document = next(load_documents(tmp_path))
    assert document.text == "Caf\ufffd society met in the square."
    assert "latin.txt" in caplog.text


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
            "a.txt": PROSE,
            "metadata.toml": '[a]\ntitle = "Harbour news"\nurl = "https://example.org/a"\n'
            'published = 2019-04-02\nauthor = "R. Vale"\n',
        },
    )
    document = next(load_documents(tmp_path))
    assert (document.title, document.url, document.published, document.author) == (
        "Harbour news",
        "https://example.org/a",
        dt.date(2019, 4, 2),
        "R. Vale",
    )


def test_a_broken_metadata_file_is_a_clear_error(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"a.txt": PROSE, "metadata.toml": "[a\ntitle = "})
    with pytest.raises(CorpusError, match="metadata file"):
        _ids(tmp_path)


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
    assert next(load_documents(tmp_path)).published == published


def test_a_labelled_release_date_wins_over_a_page_clock(tmp_path: Path) -> None:
    text = f"07:00 (GMT) - Friday 01/02/2021\n\nReleased at: 10:00, 25/06/2018\n\n{PROSE}"
    write_corpus(tmp_path, {"a.txt": text})
    assert next(load_documents(tmp_path)).published == dt.date(2018, 6, 25)


def test_the_title_is_a_repeated_heading_else_the_first_heading(tmp_path: Path) -> None:
    write_corpus(
        tmp_path,
        {
            "a.txt": f"City Desk\n\nHarbour Reopens\n\nHarbour Reopens\n\n{PROSE}",
            "b.txt": f"Harbour Reopens\n\n{PROSE}",
            "c.txt": PROSE,
        },
    )
    titles = [d.title for d in load_documents(tmp_path)]
    assert titles[:2] == ["Harbour Reopens", "Harbour Reopens"]
    assert titles[2].startswith("The harbour opened in spring.")


def test_a_50_mb_file_loads_without_several_copies_in_memory(tmp_path: Path) -> None:
    # given a 50 MB document
    paragraph = (PROSE * 6).strip() + "\n\n"
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(50_000_000 // len(paragraph)):
            handle.write(paragraph)
    size = path.stat().st_size
    # when it is loaded
    tracemalloc.start()
    document = next(load_documents(tmp_path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # then it is all there, and at most the file's bytes and its text were held at once
    assert len(document.text) == size
    assert peak < 2.5 * size


def test_a_markdown_heading_title_loses_its_markup(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"a.md": f"# The *Harbour* Story\n\n{PROSE}"})
    assert next(load_documents(tmp_path)).title == "The Harbour Story"


def test_a_page_title_line_with_a_site_name_gives_the_title(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"a.txt": f"Harbour Reopens After Storm | The Coast Post\n\n{PROSE}"})
    assert next(load_documents(tmp_path)).title == "Harbour Reopens After Storm"
