"""Walking a corpus folder: never outside it, whatever links and depths it holds."""

import logging
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval.ingest.documents import document_paths
from retrieval.ingest.pipeline import read_documents
from tests.conftest import write_corpus

PROSE = "The harbour opened in spring. Ships arrived from the north and the south.\n"
UNNAMED = "its name is not UTF-8 (rename the file)"
SECRET = "root:x:0:0:secret outside the corpus:/root:/bin/bash\n"


def test_a_link_to_a_file_outside_the_corpus_is_skipped_with_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # given a corpus with a link to a file outside it
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": PROSE})
    (tmp_path / "passwd").write_text(SECRET)
    (corpus / "passwd.txt").symlink_to(tmp_path / "passwd")
    # when it is read
    with caplog.at_level(logging.WARNING, "quotebot"):
        documents = [i.document for i in read_documents(corpus)]
    # then the link is skipped, said once, and nothing of its target is read
    assert [d.doc_id for d in documents] == ["a"]
    assert [r.getMessage() for r in caplog.records] == [
        f"skipping {corpus / 'passwd.txt'}: a link to a file outside the corpus folder"
    ]


def test_the_setting_allows_links_out_of_the_corpus(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": PROSE})
    (tmp_path / "notes.txt").write_text(PROSE)
    (corpus / "notes.txt").symlink_to(tmp_path / "notes.txt")
    assert [p.name for p in document_paths(corpus, follow_outside_links=True)] == [
        "a.txt",
        "notes.txt",
    ]


def test_a_link_to_a_file_inside_the_corpus_is_read(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"docs/a.txt": PROSE})
    (corpus / "latest.txt").symlink_to(corpus / "docs" / "a.txt")
    assert [i.document.doc_id for i in read_documents(corpus)] == ["docs/a", "latest"]


def test_folder_links_are_never_followed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": PROSE})
    write_corpus(tmp_path / "elsewhere", {"b.txt": PROSE})
    (corpus / "more").symlink_to(tmp_path / "elsewhere")
    with caplog.at_level(logging.WARNING, "quotebot"):
        assert [p.name for p in document_paths(corpus)] == ["a.txt"]
    assert "folder links are not followed" in caplog.text


def _nest(root: Path, name: str, depth: int) -> None:
    """``depth`` folders named ``name``, one in the other, with a document at the bottom.

    Made relative to open folders, so the whole path may pass the system's limit.
    """
    descriptor = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=descriptor)
            inner = os.open(name, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        flags = os.O_WRONLY | os.O_CREAT
        with os.fdopen(os.open("deep.txt", flags, dir_fd=descriptor), "w") as handle:
            handle.write(PROSE)
    finally:
        os.close(descriptor)


def test_a_path_too_long_for_the_system_costs_that_folder_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # given a corpus with a document on top and a folder nested past the system's path limit
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": PROSE})
    _nest(corpus, "d" * 200, 30)
    # when it is read
    with caplog.at_level(logging.WARNING, "quotebot"):
        ids = [i.document.doc_id for i in read_documents(corpus)]
    # then the rest loads, and the folder out of reach is one warning
    assert ids == ["a"]
    assert len(caplog.records) == 1 and "too long" in caplog.text.lower()


def _flatten(root: Path, name: str) -> None:
    """Remove a deep nest one level at a time (recursive removal would run out of stack)."""
    level = 0
    current = root / name
    while current.is_dir():
        (current / "deep.txt").unlink(missing_ok=True)
        inner = current / name
        if inner.is_dir():
            level += 1
            inner.rename(root / f"level{level}")
        current.rmdir()
        current = root / f"level{level}"


def test_a_very_deep_tree_is_walked_without_recursion(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": PROSE})
    _nest(corpus, "d", 1500)
    try:
        assert len(document_paths(corpus)) == 2
    finally:
        _flatten(corpus, "d")


_ENTRY = st.tuples(
    st.lists(st.sampled_from(["f1", "f2"]), min_size=0, max_size=2),
    st.sampled_from(["a", "b", "c", "d"]),
    st.sampled_from(["file", "link-in", "link-out", "link-out-folder", "link-in-folder", "broken"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_ENTRY, min_size=1, max_size=12))
def test_no_random_tree_of_links_reads_outside_the_corpus(
    tmp_path_factory: pytest.TempPathFactory, entries: list[tuple[list[str], str, str]]
) -> None:
    # given a random tree of files and links, some pointing out of the corpus
    base = tmp_path_factory.mktemp("tree")
    corpus = base / "corpus"
    outside = write_corpus(base / "outside", {"secret.txt": SECRET, "dir/secret.txt": SECRET})
    write_corpus(corpus, {"anchor.txt": PROSE})
    for folders, name, kind in entries:
        folder = corpus.joinpath(*folders)
        folder.mkdir(parents=True, exist_ok=True)
        is_folder_link = kind.endswith("-folder")
        path = folder / (f"link-{name}" if is_folder_link else f"{name}.txt")
        if path.exists() or path.is_symlink():
            continue
        if kind == "file":
            path.write_text(PROSE)
        elif kind == "link-in":
            path.symlink_to(corpus / "anchor.txt")
        elif kind == "link-out":
            path.symlink_to(outside / "secret.txt")
        elif kind == "link-out-folder":
            path.symlink_to(outside / "dir", target_is_directory=True)
        elif kind == "link-in-folder":
            path.symlink_to(corpus, target_is_directory=True)
        else:
            path.symlink_to(corpus / "missing.txt")
    # when it is read
    documents = [i.document for i in read_documents(corpus)]
    # then every document lies inside the corpus once links are resolved, and no secret is read
    real = corpus.resolve()
    assert all(d.path.resolve().is_relative_to(real) for d in documents)
    assert not any("secret" in d.text for d in documents)


def test_a_file_whose_name_is_not_utf8_is_skipped_with_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # given a corpus with a file named in Latin-1 ("café.md" as an old archive holds it)
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": PROSE})
    with open(os.fsencode(corpus) + b"/caf\xe9.md", "wb") as named:
        named.write(PROSE.encode())
    # when it is read
    with caplog.at_level(logging.WARNING, "quotebot"):
        documents = [i.document for i in read_documents(corpus)]
    # then the rest loads and the warning shows the name without a surrogate
    assert [d.doc_id for d in documents] == ["a"]
    assert [r.getMessage() for r in caplog.records] == [f"skipping {corpus}/caf\\xe9.md: {UNNAMED}"]


def test_a_file_whose_name_holds_a_backslash_is_skipped_with_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # given a corpus with a file whose name the index cache could not store as a source
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": PROSE})
    (corpus / "back\\slash.md").write_text(PROSE)
    # when it is read
    with caplog.at_level(logging.WARNING, "quotebot"):
        documents = [i.document for i in read_documents(corpus)]
    # then the rest loads and one warning names the file
    assert [d.doc_id for d in documents] == ["a"]
    assert [r.getMessage() for r in caplog.records] == [
        f"skipping {corpus}/back\\slash.md: its name holds a backslash (rename the file)"
    ]
