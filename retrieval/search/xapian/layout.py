"""How quotebot lays a corpus out in Xapian shards: names, keys, terms and slots.

Only chunks are Xapian documents, so the database's statistics (document count, average
length, term frequencies) are exactly BM25's chunk statistics. Everything else a query needs
(documents, their sentences, chunks and events, the catalogue) is kept in the database's
metadata, which Xapian serves remotely but leaves out of its statistics.
"""

from __future__ import annotations

import hashlib
import re

FORMAT = 1
SHARD_NAME = "shard-{}"
SHARD_PATTERN = re.compile(r"shard-([1-9][0-9]*)")

# Metadata keys.
INFO_KEY = "quotebot:shard"
DOCUMENT_KEY = "doc:{}"
CATALOG_KEY = "catalog:{}"
EVENTS_KEY = "events:{}"
SENTENCE_BLOCK_KEY = "sentences:{}"

# Sentences are mapped to their documents in blocks of this many corpus indices.
SENTENCE_BLOCK = 4096
# Catalogue entries per metadata value, so no value grows with the corpus.
CATALOG_PAGE = 1000
EVENT_PAGE = 5000

# Value slot holding the chunk's corpus index, which breaks score ties as in-process.
CHUNK_ORDER_SLOT = 0

# Boolean-term prefixes. Analysed terms are casefolded, so no analysed term starts with an
# ASCII capital and none of these can collide with one.
DOCUMENT_PREFIX = "Q"
CHUNK_PREFIX = "C"
HASHED_PREFIX = "H"
# Xapian refuses terms over 245 bytes; longer analysed terms are stored as a digest.
MAX_TERM_BYTES = 240


def document_key(doc_id: str) -> str:
    """A short, fixed-length key for a document ID (IDs are paths of any length)."""
    return hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:32]


def shard_of(doc_id: str, shards: int) -> int:
    """The shard (1-based) that holds ``doc_id``: a stable hash, the same on every machine."""
    digest = hashlib.sha256(doc_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shards + 1


def index_term(term: str) -> str:
    """The Xapian term for an analysed term; over-long ones become a digest."""
    if len(term) <= MAX_TERM_BYTES // 4 or len(term.encode("utf-8")) <= MAX_TERM_BYTES:
        return term
    return HASHED_PREFIX + hashlib.sha256(term.encode("utf-8")).hexdigest()


def document_term(doc_id: str) -> str:
    return DOCUMENT_PREFIX + document_key(doc_id)


def chunk_term(index: int) -> str:
    return f"{CHUNK_PREFIX}{index}"
