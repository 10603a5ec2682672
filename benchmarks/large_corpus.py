"""A reproducible large corpus of real-looking documents, generated, never committed.

    python benchmarks/large_corpus.py OUT --megabytes 300 [--seed 7] [--source /usr/share/doc]

Paragraphs of real prose come from a local documentation tree (by default /usr/share/doc:
READMEs, changelogs, copyright files, gzipped or not), which every Debian-based machine and
the project's container have. Each generated document (about 100 KB, so 300 MB is about
3,000 files, in nested folders, half Markdown) is a heading, then paragraphs drawn from
that pool in a seeded order, with a few synthetic dated sentences mixed in so timelines
have events. The same seed and source give the same corpus, byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
from collections.abc import Iterator
from pathlib import Path

DOCUMENT_BYTES = 100_000
_MIN_PARAGRAPH = 80
_MONTHS = "January February March April May June July August September October November December"
_SUBJECTS = ("the maintainers", "the project", "the committee", "the release team", "upstream")
_VERBS = ("published", "rewrote", "announced", "retired", "merged", "audited", "moved")
_OBJECTS = ("the manual", "the network stack", "the build system", "the parser", "the archive")
_LETTERS = re.compile(r"[A-Za-z]")
# Control characters other than tab and newline: a paragraph carrying them came from a
# binary file (NUL padding, escape sequences), and one NUL makes a whole document binary.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def paragraphs(source: Path) -> list[str]:
    """Prose paragraphs of the text files under ``source``, in a stable order."""
    found: list[str] = []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        text = _text(path)
        if text is None:
            continue
        for block in re.split(r"\n\s*\n", text):
            block = block.strip()
            if (
                len(block) >= _MIN_PARAGRAPH
                and _mostly_letters(block)
                and not _CONTROL.search(block)
            ):
                found.append(block)
    return found


def _text(path: Path) -> str | None:
    try:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        return data.decode("utf-8").replace("\r\n", "\n")
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile):
        return None


def _mostly_letters(block: str) -> bool:
    return len(_LETTERS.findall(block)) > 0.6 * len(block)


def _dated(rng: random.Random) -> str:
    month = rng.choice(_MONTHS.split())
    return (
        f"In {month} {rng.randint(1950, 2024)}, {rng.choice(_SUBJECTS)} "
        f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)} after {rng.randint(2, 40)} reviews."
    )


def documents(
    pool: list[str], megabytes: float, seed: int, document_bytes: int = DOCUMENT_BYTES
) -> Iterator[tuple[str, str]]:
    """(relative path, text) pairs of about ``document_bytes``, adding up to ``megabytes``."""
    rng = random.Random(seed)
    written = number = 0
    while written < megabytes * 1_000_000:
        markdown = number % 2 == 1
        heading = " ".join(rng.choice(pool).split()[:6])
        parts = [f"# {heading}" if markdown else heading]
        size = len(parts[0])
        while size < document_bytes:
            part = _dated(rng) if rng.random() < 0.08 else rng.choice(pool)
            parts.append(part)
            size += len(part) + 2
        text = "\n\n".join(parts) + "\n"
        folder = f"part-{number // 200:03d}/group-{number // 20 % 10}"
        yield f"{folder}/doc-{number:05d}.{'md' if markdown else 'txt'}", text
        written += len(text.encode())
        number += 1


def generate(
    out: Path, megabytes: float, seed: int, source: Path, document_bytes: int = DOCUMENT_BYTES
) -> int:
    """Writes the corpus into ``out``; returns how many documents."""
    pool = paragraphs(source)
    if not pool:
        raise SystemExit(f"no prose found under {source}")
    count = 0
    for relative, text in documents(pool, megabytes, seed, document_bytes):
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--megabytes", type=float, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--source", type=Path, default=Path("/usr/share/doc"))
    parser.add_argument("--document-kb", type=int, default=DOCUMENT_BYTES // 1000)
    args = parser.parse_args()
    count = generate(args.out, args.megabytes, args.seed, args.source, args.document_kb * 1000)
    print(f"{count} documents, {args.megabytes:g} MB in {args.out}")


if __name__ == "__main__":
    main()
