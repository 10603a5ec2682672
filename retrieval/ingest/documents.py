"""Finding a corpus's documents: which files, under which IDs, never outside the folder.

A document's ID is its path relative to the corpus folder without the extension, with
``/`` separators (``docs/concepts/index``); a file at the top keeps its stem. Two files
that differ only by extension (a page and its rendering, as Debian's ``git-doc`` ships
``x.txt`` beside ``x.html``) would share an ID: one is read, a structured format before
plain text, with one warning summing them up. In a Sphinx HTML build the copies of the
page sources are not read. A missing folder is a ``CorpusError``. Files of other types
are summed up in one line; hidden files are skipped silently. A link whose target lies
outside the corpus folder is skipped with one warning line (unless
``follow_outside_links``), and folder links are never followed, so nothing outside the
folder is read. A file whose path in the corpus is not UTF-8 (``caf\\xe9.md`` from an old
archive) cannot have an ID: it is skipped with one warning to rename it. A folder that
cannot be listed (permissions, a path too long for the system) costs that folder, with
one warning.
"""

from __future__ import annotations

import logging
import os
import stat
from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from retrieval.errors import CorpusError
from retrieval.ingest.formats import DOCUMENT_SUFFIXES
from retrieval.ingest.metadata import METADATA_FILE

log = logging.getLogger("quotebot")

_SHOWN_SUFFIXES = 5
# Path parts that make a path absolute, climb out or name a folder twice ("a//b", "a/./b").
_NOT_PLAIN = frozenset({"", ".", ".."})
# A Sphinx HTML build holds these files at its top, and beside its pages copies of their
# sources (``_sources/x.rst.txt``, reST read as plain text), its theme's files and the
# highlighted code of the modules it documents: the pages would each be found twice, once
# with their markup, beside pages of code.
_SPHINX_MARKERS = frozenset({"objects.inv", "searchindex.js"})
_SPHINX_COPIES = frozenset({"_sources", "_static", "_modules"})
# Which of two files that differ only by extension is read: a structured source first, its
# rendering next, plain text (which states no structure) last.
PREFERRED_FORMATS = (
    ".md",
    ".markdown",
    ".mdx",
    ".rst",
    ".rest",
    ".html",
    ".htm",
    ".xhtml",
    ".pdf",
    ".txt",
    ".text",
)


def document_id(source: str) -> str:
    """The ID of the document at ``source`` (its path relative to the corpus folder).

    The suffix is cut as ``PurePosixPath.with_suffix("")`` cuts it, without building a
    path: the IDs of every file are worked out on every load of a large corpus.
    """
    if not plain_relative(source):
        return PurePosixPath(source).with_suffix("").as_posix()
    folder, slash, name = source.rpartition("/")
    dot = name.rfind(".")
    return folder + slash + (name[:dot] if 0 < dot < len(name) - 1 else name)


def relative_source(path: Path, root: Path) -> str:
    # The walk makes every path by joining onto the root: a string cut is then enough
    # (a corpus of thousands of files is walked on every update).
    text, prefix = str(path), str(root) + os.sep
    if os.sep == "/" and text.startswith(prefix) and prefix != "//":
        return text[len(prefix) :]
    return path.relative_to(root).as_posix()


def _utf8_name(source: str) -> bool:
    """Whether a path in the corpus is text: a name that is not UTF-8 cannot be an ID."""
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:  # os.fsdecode escaped its bytes
        return False
    return True


def plain_relative(source: str) -> bool:
    """A path inside the corpus folder: relative, no '..', no empty part, no backslash.

    The index cache accepts only such sources back, so a file named otherwise is skipped
    when the folder is walked rather than stopping the cache from being saved. Control
    characters may stand in a name: every adapter prints names through its sanitizer.
    """
    if not source or "\\" in source or "\x00" in source:
        return False
    return all(part not in _NOT_PLAIN for part in source.split("/"))


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, all links resolved, lies inside the (resolved) folder ``root``."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def document_paths(root: Path, follow_outside_links: bool = False) -> list[Path]:
    """Document files under ``root`` in a stable order; what is left out is reported."""
    if not root.is_dir():
        raise CorpusError(f"corpus folder {root} does not exist or is not a folder")
    real_root = root.resolve()
    found: list[tuple[Path, str]] = []
    skipped: Counter[str] = Counter()
    for path, is_link in _files(root):
        suffix = path.suffix.lower()
        source = relative_source(path, root)
        if source == METADATA_FILE:
            continue
        if suffix not in DOCUMENT_SUFFIXES:
            skipped[suffix or "(no extension)"] += 1
        elif not _utf8_name(source):
            shown = os.fsencode(path).decode("utf-8", "backslashreplace")
            log.warning("skipping %s: its name is not UTF-8 (rename the file)", shown)
        elif not plain_relative(source):
            log.warning("skipping %s: its name holds a backslash (rename the file)", path)
        elif _readable_kind(path, is_link, real_root, follow_outside_links):
            found.append((path, source))
    _report_skipped(skipped)
    return _one_per_id(found, root)


def _files(root: Path) -> Iterator[tuple[Path, bool]]:
    """Every file under ``root`` that is not hidden, and whether it is a link, walked
    without recursion.

    A folder that cannot be listed (no permission, a path too long for the system) is
    one warning; folder links are not followed.
    """
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            _unlisted_folder(error)
            continue
        built_by_sphinx = any(entry.name in _SPHINX_MARKERS for entry in entries)
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if built_by_sphinx and entry.name in _SPHINX_COPIES:
                log.info("skipping %s: Sphinx's copies of the pages (the HTML is read)", entry.path)
                continue
            path = Path(entry.path)
            try:
                is_folder = entry.is_dir()
                is_link = entry.is_symlink()
            except OSError as error:
                log.warning("skipping %s: %s", path, error.strerror or error)
                continue
            if is_folder and is_link:
                log.warning("skipping %s: a link to a folder (folder links are not followed)", path)
            elif is_folder:
                folders.append(path)
            else:
                yield path, is_link


def _readable_kind(path: Path, is_link: bool, real_root: Path, follow_outside_links: bool) -> bool:
    """A regular file, and inside the corpus unless links out of it are allowed."""
    try:
        if is_link and not follow_outside_links and not is_inside(path, real_root):
            log.warning("skipping %s: a link to a file outside the corpus folder", path)
            return False
        mode = os.stat(path).st_mode
    except OSError as error:
        log.warning("skipping %s: %s", path, error.strerror or error)
        return False
    if not stat.S_ISREG(mode):
        log.warning("skipping %s: not a regular file", path)
        return False
    return True


def _unlisted_folder(error: OSError) -> None:
    log.warning("skipping folder %s: %s", error.filename, error.strerror or error)


def _report_skipped(skipped: Counter[str]) -> None:
    """One line for every file that is not a document ("skipped 28 files: .svg ×28")."""
    if not skipped:
        return
    kinds = sorted(skipped.items(), key=lambda kind: (-kind[1], kind[0]))
    shown = ", ".join(f"{suffix} ×{count}" for suffix, count in kinds[:_SHOWN_SUFFIXES])
    if len(kinds) > _SHOWN_SUFFIXES:
        shown += f", {len(kinds) - _SHOWN_SUFFIXES} more types"
    total = sum(skipped.values())
    log.info("skipped %d file%s: %s", total, "" if total == 1 else "s", shown)


def _one_per_id(found: list[tuple[Path, str]], root: Path) -> list[Path]:
    """The files (with their sources) in ID order, one per ID: of files that differ only
    by extension, the one whose format comes first in ``PREFERRED_FORMATS`` (then by
    name); one warning sums up the rest, since a tree that ships every page twice would
    otherwise fill the screen."""
    chosen: dict[str, tuple[Path, str]] = {}
    passed_over: list[tuple[Path, Path]] = []
    for path, source in found:
        doc_id = document_id(source)
        other = chosen.setdefault(doc_id, (path, source))
        if other[0] is not path:
            kept, skipped = sorted((other, (path, source)), key=lambda item: _preference(item[0]))
            chosen[doc_id] = kept
            passed_over.append((skipped[0], kept[0]))
    if passed_over:
        _report_passed_over(passed_over, root)
    return [path for path, _ in sorted(chosen.values(), key=lambda item: item[1])]


def _report_passed_over(passed_over: list[tuple[Path, Path]], root: Path) -> None:
    passed_over.sort(key=lambda pair: relative_source(pair[0], root))
    shown = ", ".join(
        f"{relative_source(skipped, root)} ({kept.suffix} read)"
        for skipped, kept in passed_over[:_SHOWN_SUFFIXES]
    )
    more = len(passed_over) - _SHOWN_SUFFIXES
    if more > 0:
        shown += f" and {more} more"
    total = len(passed_over)
    log.warning(
        "skipped %d file%s with the same name as a file of another format: %s",
        total,
        "" if total == 1 else "s",
        shown,
    )


def _preference(path: Path) -> tuple[int, str]:
    return PREFERRED_FORMATS.index(path.suffix.lower()), path.name
