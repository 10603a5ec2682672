"""Bytes to text: UTF-8 first, byte order marks, detected legacy encodings, decided once."""

import codecs
import logging
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.ingest.decoding import NotText, decode, decode_as
from retrieval.search.corpus_cache import IndexOptions, load_corpus
from retrieval.service import QAService
from tests.conftest import write_corpus

CAFE = "Café society met in the square every evening. The café served crêpes and thé.\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig", "utf-32"])
def test_text_with_a_byte_order_mark_is_read(codec: str) -> None:
    decoded = decode(CAFE.encode(codec))
    assert decoded.text == CAFE and decoded.encoding == codec


def test_a_legacy_encoding_is_detected_not_replaced() -> None:
    decoded = decode(CAFE.encode("latin-1"))
    assert decoded.text == CAFE
    assert decoded.replaced_at is None


def test_shift_jis_is_detected() -> None:
    text = "東京の港は朝早くから船で賑わっています。漁師たちは魚を市場へ運びます。\n"
    assert decode(text.encode("shift_jis")).text == text


def test_a_few_stray_bytes_in_utf8_are_replaced_not_guessed_away() -> None:
    data = CAFE.encode() + b"\xff" + CAFE.encode()
    decoded = decode(data)
    assert decoded.text == CAFE + "\ufffd" + CAFE
    assert decoded.replaced_at == len(CAFE.encode())


def test_binary_data_is_not_text() -> None:
    with pytest.raises(NotText):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")


def test_binary_data_that_opens_with_a_utf16_byte_order_mark_is_not_text() -> None:
    # given random bytes behind a UTF-16 byte order mark, as some binary formats begin
    data = codecs.BOM_UTF16_LE + random.Random(7).randbytes(4000)
    # then they are not read as a page of broken characters
    with pytest.raises(NotText):
        decode(data)


def test_utf16_text_with_one_broken_unit_is_still_read() -> None:
    # given UTF-16 text with one lone surrogate in it
    data = CAFE.encode("utf-16") + b"\x00\xd8" + CAFE.encode("utf-16-le")
    # then it reads, the broken unit replaced
    assert decode(data).text == CAFE + "\ufffd" + CAFE


@given(st.binary(max_size=300))
def test_the_recorded_decision_gives_the_same_text_again(data: bytes) -> None:
    # given any bytes that decode
    try:
        decoded = decode(data)
    except NotText:
        return
    # when they are decoded again the recorded way
    # then the text is the same, so every offset still points where it did
    assert decode_as(data, decoded.encoding) == decoded.text


def test_a_latin1_word_can_be_found(tmp_path: Path) -> None:
    # given a corpus whose one document is in Latin-1
    write_corpus(tmp_path / "corpus", {"cafe.txt": CAFE.encode("latin-1")})
    service = QAService.open(tmp_path / "corpus", IndexOptions(), tmp_path / "cache")
    # when a question names its accented word
    answer = service.ask("What did the café serve?")
    # then the sentence is quoted as written
    assert answer.quotes[0].text == "The café served crêpes and thé."


def test_the_bad_bytes_warning_is_given_once_not_on_every_load_from_the_cache(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # given a document with a stray byte, loaded once
    data = CAFE.encode() + b"\xff" + CAFE.encode()
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": data})
    with caplog.at_level(logging.WARNING, "quotebot"):
        load_corpus(corpus, IndexOptions(), tmp_path / "cache")
        first = len(caplog.records)
        # when it is loaded again, from the cache
        loaded = load_corpus(corpus, IndexOptions(), tmp_path / "cache")
    # then the warning came with the first reading only, and the recorded decoding is reused
    assert first == 1 and len(caplog.records) == 1
    assert loaded.from_cache
    assert loaded.corpus.documents[0].encoding == "utf-8/replace"
