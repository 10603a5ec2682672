"""The Discord bot answering from two live Xapian shards, with no corpus folder."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.wiring import open_service
from retrieval.ingest.corpus import build_corpus
from retrieval.search.corpus_cache import IndexOptions
from tests.bot.discord_bot.test_service import ASKER, SEED_IDS, Scenario, collapsed, quoted_passages
from tests.conftest import SEEDS
from tests.fakes.discord_api import slash
from tests.fakes.harness import RunningBot, embed_text, next_interaction_id, running_bot
from tests.fakes.harness import settings_for as harness_settings
from tests.search.xapian.servers import ServedCorpus, require_xapian, served


@pytest.fixture(scope="module")
def seeds_on_shards(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedCorpus]:
    require_xapian()
    corpus = build_corpus(SEEDS, IndexOptions().chunks)
    yield from served(corpus, tmp_path_factory.mktemp("shards"), 2)


def play_on_shards(
    scenario: Scenario, shards: ServedCorpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = harness_settings(
        tmp_path / "cache",
        corpus=tmp_path / "no-corpus-here",
        search_backend="xapian",
        xapian_remotes=shards.addresses,
    )
    service = open_service(settings)

    async def main() -> None:
        async with running_bot(service, settings, monkeypatch) as bot:
            await scenario(bot)

    asyncio.run(main())


def test_an_answer_from_the_shards_quotes_the_seed_files_verbatim(
    seeds_on_shards: ServedCorpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        question = {"question": "When was the arms embargo lifted?"}
        _, followup = await bot.exchange(slash("ask", question, ASKER, next_interaction_id()), 2)

        fields = followup.body["embeds"][0]["fields"]
        assert fields
        for field in fields:
            doc_id = field["name"].split(" ")[1]
            original = collapsed((SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8"))
            for passage in quoted_passages(field["value"]):
                assert collapsed(passage) in original

    play_on_shards(scenario, seeds_on_shards, tmp_path, monkeypatch)


def test_sources_from_the_shards_lists_the_five_seeds(
    seeds_on_shards: ServedCorpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(bot: RunningBot) -> None:
        (reply,) = await bot.exchange(slash("sources", {}, ASKER, next_interaction_id()))

        text = embed_text(reply.body["data"])
        assert all(f"`{doc_id}`" in text for doc_id in SEED_IDS)

    play_on_shards(scenario, seeds_on_shards, tmp_path, monkeypatch)
