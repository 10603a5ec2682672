"""Building shards: every document in one shard, with everything a query needs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from retrieval.ingest.corpus import Corpus, build_corpus
from retrieval.search.catalog import DocumentCounts, document_info
from retrieval.search.corpus_cache import IndexOptions
from tests.conftest import SEEDS, write_corpus
from tests.search.xapian.servers import require_xapian

pytestmark = pytest.mark.usefixtures("_xapian")


@pytest.fixture
def _xapian() -> None:
    require_xapian()


@pytest.fixture(scope="module")
def seeds_corpus() -> Corpus:
    return build_corpus(SEEDS, IndexOptions().chunks)


def _build(corpus: Corpus, out: Path, shards: int, workers: int = 1):  # type: ignore[no-untyped-def]
    from retrieval.search.xapian.build import build_shards

    return build_shards(corpus, IndexOptions(), out, shards, workers)


def _metadata(out: Path, shard: int, key: str) -> bytes:
    import xapian

    return xapian.Database(str(out / f"shard-{shard}")).get_metadata(key)


def test_each_document_goes_to_the_shard_its_id_hashes_to(
    seeds_corpus: Corpus, tmp_path: Path
) -> None:
    from retrieval.search.xapian.layout import DOCUMENT_KEY, document_key, shard_of

    built = _build(seeds_corpus, tmp_path, 3)
    for document in seeds_corpus.documents:
        key = DOCUMENT_KEY.format(document_key(document.doc_id))
        holders = [k for k in (1, 2, 3) if _metadata(tmp_path, k, key)]
        assert holders == [shard_of(document.doc_id, 3)]
    assert sum(built.chunks_per_shard) == len(seeds_corpus.chunks)


def test_a_document_record_gives_back_its_sentences_and_chunks(
    seeds_corpus: Corpus, tmp_path: Path
) -> None:
    from retrieval.search.xapian.layout import DOCUMENT_KEY, document_key, shard_of
    from retrieval.search.xapian.records import DocumentRecord, parse

    _build(seeds_corpus, tmp_path, 2)
    for document in seeds_corpus.documents:
        raw = _metadata(
            tmp_path,
            shard_of(document.doc_id, 2),
            DOCUMENT_KEY.format(document_key(document.doc_id)),
        )
        record = parse(DocumentRecord, raw, "record")
        span = seeds_corpus.sentence_range(document.doc_id)
        # The bot has no corpus folder: the path stays relative, as the source.
        assert record.document() == dataclasses.replace(document, path=Path(document.source))
        assert record.sentence_range == span
        assert [record.sentence(i) for i in span] == [seeds_corpus.sentences[i] for i in span]
        first = record.first_chunk
        assert [record.chunk(first + n) for n in range(len(record.chunks))] == [
            c for c in seeds_corpus.chunks if c.doc_id == document.doc_id
        ]


def test_the_catalogue_lists_every_document_as_the_in_process_service_does(
    seeds_corpus: Corpus, tmp_path: Path
) -> None:
    from retrieval.search.xapian.layout import CATALOG_KEY
    from retrieval.search.xapian.records import CatalogPage, parse

    _build(seeds_corpus, tmp_path, 2)
    pages = [_metadata(tmp_path, shard, CATALOG_KEY.format(0)) for shard in (1, 2)]
    entries = [entry for page in pages for entry in parse(CatalogPage, page, "page").entries]
    listed = [entry.info for entry in sorted(entries, key=lambda e: e.order)]
    expected = [
        document_info(
            d,
            (seeds_corpus.sentences[i] for i in seeds_corpus.sentence_range(d.doc_id)),
            DocumentCounts(
                seeds_corpus.chars(d.doc_id),
                len(seeds_corpus.sentence_range(d.doc_id)),
                sum(c.doc_id == d.doc_id for c in seeds_corpus.chunks),
            ),
        )
        for d in seeds_corpus.documents
    ]
    assert listed == expected


def test_rebuilding_with_fewer_shards_removes_the_extra_ones(
    seeds_corpus: Corpus, tmp_path: Path
) -> None:
    _build(seeds_corpus, tmp_path, 3)
    _build(seeds_corpus, tmp_path, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shard-1", "shard-2"]


def test_a_folder_that_is_not_a_shard_is_never_replaced(
    seeds_corpus: Corpus, tmp_path: Path
) -> None:
    (tmp_path / "shard-1").mkdir()
    (tmp_path / "shard-1" / "notes.txt").write_text("mine", encoding="utf-8")
    from retrieval.search.xapian.build import ShardBuildError

    with pytest.raises(ShardBuildError, match="not a Xapian shard"):
        _build(seeds_corpus, tmp_path, 1)
    assert (tmp_path / "shard-1" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_an_over_long_word_is_indexed_under_its_digest(tmp_path: Path) -> None:
    import xapian

    from retrieval.search.analysis import analyze
    from retrieval.search.xapian.layout import index_term

    word = "x" * 300
    root = write_corpus(tmp_path / "corpus", {"long.txt": f"A {word} appears once here."})
    _build(build_corpus(root, IndexOptions().chunks), tmp_path / "out", 1)
    [term] = analyze(word)
    database = xapian.Database(str(tmp_path / "out" / "shard-1"))
    assert database.get_termfreq(index_term(term)) == 1


def test_a_record_with_offsets_outside_its_text_is_refused() -> None:
    from retrieval.search.xapian.records import DocumentRecord, ShardRecordError, parse

    raw = (
        b'{"doc_id":"a","source":"a.txt","title":"A","url":null,"published":null,"author":null,"encoding":"utf-8",'
        b'"text":"short","first_sentence":0,"sentences":[[0,99,"body","","short"]],'
        b'"first_chunk":0,"chunks":[]}'
    )
    with pytest.raises(ShardRecordError, match="outside the text"):
        parse(DocumentRecord, raw, "record")


@pytest.mark.parametrize(("shards", "workers"), [(1, 2), (2, 2), (2, 3)])
def test_shards_written_in_parts_by_several_processes_hold_what_one_process_writes(
    seeds_corpus: Corpus, tmp_path: Path, shards: int, workers: int
) -> None:
    import xapian

    from retrieval.search.xapian.layout import INFO_KEY

    _build(seeds_corpus, tmp_path / "one", shards, workers=1)
    _build(seeds_corpus, tmp_path / "many", shards, workers=workers)
    for shard in range(1, shards + 1):
        one, many = (xapian.Database(str(tmp_path / n / f"shard-{shard}")) for n in ("one", "many"))
        assert [one.get_document(d).get_data() for d in range(1, one.get_doccount() + 1)] == [
            many.get_document(d).get_data() for d in range(1, many.get_doccount() + 1)
        ]
        terms = [item.term for item in one.allterms()]
        assert terms == [item.term for item in many.allterms()]
        for term in terms:
            assert [(p.docid, p.wdf, p.doclength) for p in one.postlist(term)] == [
                (p.docid, p.wdf, p.doclength) for p in many.postlist(term)
            ]
        keys = [k for k in one.metadata_keys() if k != INFO_KEY.encode()]
        assert keys == [k for k in many.metadata_keys() if k != INFO_KEY.encode()]
        assert all(one.get_metadata(k) == many.get_metadata(k) for k in keys)
