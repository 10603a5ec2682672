"""What identifies a cache, and a look at one that opens nothing but its manifest and headers.

Kept apart from the cache's builder and loader so ``quotebot health`` imports only this:
the options, the digest of the code that shapes a cache, where a corpus's cache lives, and
the check itself, all well under a second on any corpus.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from retrieval.ingest.chunks import ChunkOptions
from retrieval.search.manifest import MANIFEST_NAME, read_manifest
from retrieval.search.store import StoreError, read_meta

# Bump when the cache layout changes; code changes are caught by _code_digest.
CACHE_VERSION = 4
# The code that decides what a cache holds (record types included): editing any of it
# invalidates caches.
_CODE = ("ingest", "search", "timeline", "models.py")


@dataclass(frozen=True, slots=True)
class IndexOptions:
    """Every setting that shapes the index; all are part of the fingerprint."""

    chunks: ChunkOptions = field(default_factory=ChunkOptions)
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25
    follow_outside_links: bool = False


@dataclass(frozen=True, slots=True)
class CacheHealth:
    """What a look at the cache found, without opening the index."""

    problem: str | None
    documents: int = 0
    pending: int = 0
    updated: str = ""
    cache_bytes: int = 0


def settings_digest(options: IndexOptions) -> str:
    """A digest of the options and of quotebot's own ingestion code."""
    digest = hashlib.sha256(f"v{CACHE_VERSION}|{json.dumps(asdict(options))}".encode())
    digest.update(_code_digest())
    return digest.hexdigest()


@cache
def _code_digest() -> bytes:
    """A digest of the ingestion code, so an upgraded quotebot never reads an old cache."""
    library = Path(__file__).parent.parent
    digest = hashlib.sha256()
    for name in _CODE:
        modules = (
            [library / name] if name.endswith(".py") else sorted((library / name).rglob("*.py"))
        )
        for module in modules:
            digest.update(module.relative_to(library).as_posix().encode() + b"\0")
            digest.update(module.read_bytes())
    return digest.digest()


def corpus_directory(root: Path, cache_dir: Path) -> Path:
    """One cache folder per corpus folder, never inside the (maybe read-only) corpus."""
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]
    return cache_dir / f"corpus-{key}"


def check_cache(root: Path, options: IndexOptions, cache_dir: Path) -> CacheHealth:
    """Whether the cache is there, intact and built with these settings.

    ``pending`` counts the indexed files that changed or went away since (by stat only);
    a running service applies them, ``quotebot index`` does otherwise.
    """
    directory = corpus_directory(root, cache_dir)
    try:
        if not root.is_dir():
            raise StoreError(f"corpus folder {root} does not exist or is not a folder")
        manifest = read_manifest(directory / MANIFEST_NAME)
        if manifest.settings != settings_digest(options):
            return CacheHealth("the index cache was built with other settings or code")
        paths = manifest.paths(directory)
        for path in paths:
            read_meta(path)
        size = sum(path.stat().st_size for path in paths)
    except (StoreError, OSError) as error:
        return CacheHealth(str(error))
    pending = 0
    for source, record in manifest.files.items():
        try:
            pending += not record.state.same_stat((root / source).stat())
        except OSError:
            pending += 1
    return CacheHealth(None, len(manifest.files), pending, manifest.updated, size)
