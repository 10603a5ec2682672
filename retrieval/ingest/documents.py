"""Finding a corpus's documents: which files, under which IDs, never outside the folder.

A document's ID is its path relative to the corpus folder without the extension, with
``/`` separators (``docs/concepts/index``); a file at the top keeps its stem. Every
problem a person can fix (a missing folder, two files that differ only by extension) is
a ``CorpusError``. Files of other types are summed up in one line; hidden files are
skipped silently. A link whose target lies outside the corpus folder is skipped with
one warning line (unless ``follow_outside_links``), and folder links are never followed,
so nothing outside the folder is read. A file whose path in the corpus is not UTF-8
(``caf\\xe9.md`` from an old archive) cannot have an ID: it is skipped with one warning to
rename it. A folder that cannot be listed (permissions, a path too long for the system)
costs that folder, with one warning.
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


def document_id(source: str) -> str:
    """The ID of the document at ``source`` (its path relative to the corpus folder)."""
    return PurePosixPath(source).with_suffix("").as_posix()


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
    found: list[Path] = []
    skipped: Counter[str] = Counter()
    for path in _files(root):
        suffix = path.suffix.lower()
        if path.parent == root and path.name == METADATA_FILE:
            continue
        if suffix not in DOCUMENT_SUFFIXES:
            skipped[suffix or "(no extension)"] += 1
        elif not _utf8_name(relative_source(path, root)):
            shown = os.fsencode(path).decode("utf-8", "backslashreplace")
            log.warning("skipping %s: its name is not UTF-8 (rename the file)", shown)
        elif _readable_kind(path, real_root, follow_outside_links):
            found.append(path)
    _report_skipped(skipped)
    found.sort(key=lambda path: relative_source(path, root))
    _check_unique_ids(found, root)
    return found


def _files(root: Path) -> Iterator[Path]:
    """Every file under ``root`` that is not hidden, walked without recursion.

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
        for entry in entries:
            if entry.name.startswith("."):
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
                yield path


def _readable_kind(path: Path, real_root: Path, follow_outside_links: bool) -> bool:
    """A regular file, and inside the corpus unless links out of it are allowed."""
    try:
        if path.is_symlink() and not follow_outside_links and not is_inside(path, real_root):
            log.warning("skipping %s: a link to a file outside the corpus folder", path)
            return False
        mode = path.stat().st_mode
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


def _check_unique_ids(paths: list[Path], root: Path) -> None:
    seen: dict[str, Path] = {}
    for path in paths:
        doc_id = document_id(relative_source(path, root))
        if doc_id in seen:
            raise CorpusError(
                f"{seen[doc_id]} and {path} differ only by extension, so both would have "
                f"the ID {doc_id!r}; rename or remove one"
            )
        seen[doc_id] = path
