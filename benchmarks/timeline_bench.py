"""Timeline speed: event extraction in MB/s, and a warm `quotebot timeline` beside a warm
`quotebot ask`, in one run.

Usage: python benchmarks/timeline_bench.py [--articles 48] [--runs 7] [--corpus DIR ...]
                                          [--against GITREF [--rounds 5]]

It writes a seeded corpus of fictional history articles (Markdown with headings, lists and a
code block; dated sentences with several dates, ranges, centuries, BC years and relative
dates), then reports, each on one core:
- event extraction (`document_events`) and the tagger alone, in MB/s of sentence text;
- ingestion (documents to chunks and events, then the index) with and without events, in MB/s
  of files;
- in one process, through the service as `quotebot` calls it: `ask`, a whole timeline and a
  topical one, each first in a fresh service over the warm index cache (the timeline then
  arranges the cached event records) and then warm (the same service, called again);
- whole processes, cache warm: `quotebot ask` and `quotebot timeline`, median of --runs.
Extra --corpus folders (e.g. the docs corpora) get the extraction figures too.
--against GITREF measures event extraction with the timeline code of that commit beside the
current code, in the same run: the two run in turns (--rounds each, in their own processes,
with the same ingestion code), and the best CPU time of each is reported.
CPU seconds (`time.process_time`) are reported beside wall time: on a shared machine the
wall clock measures the neighbours.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from unittest.mock import patch

from retrieval.ingest.chunks import ChunkOptions
from retrieval.ingest.corpus import Corpus, build_corpus
from retrieval.search.corpus_cache import IndexOptions, build_index, load_corpus
from retrieval.service import QAService
from retrieval.timeline.temporal import tag
from retrieval.timeline.temporal.lexicon import MONTHS
from retrieval.timeline.timelines import corpus_events

_PLACES = [
    "Alderholm",
    "Varesk",
    "Tannery",
    "Cove",
    "Brightwater",
    "Lowmere",
    "Ostrava",
    "Quillan",
    "Harrowgate",
    "Selvik",
    "Marlow",
    "Ferrant",
    "Dunmore",
    "Calder",
    "Ystrad",
    "Penhallow",
    "Rhoswen",
    "Carrick",
    "Velland",
    "Ashby",
]
_BODIES = [
    "the harbour board",
    "the river authority",
    "the city council",
    "the guild of weavers",
    "the provincial assembly",
    "the railway company",
    "the abbey",
    "the university senate",
    "the mining cooperative",
    "the lighthouse trust",
    "the shipping line",
    "the cathedral chapter",
]
_ACTS = [
    "opened a new quay",
    "rebuilt the stone bridge",
    "signed a trade charter",
    "closed the old mill",
    "founded a grammar school",
    "dredged the estuary",
    "raised the tolls on the turnpike",
    "granted a market charter",
    "built a telegraph office",
    "drained the northern marshes",
    "extended the tram line",
    "restored the town walls",
    "lost its royal licence",
    "held its first public election",
    "moved the archives to a new building",
]
_FOLLOWS = [
    "which went into force",
    "which was repealed",
    "and the works were finished",
    "and the first ships arrived",
    "which was renewed",
    "and the last tenants left",
]
_MONTHS = [month.capitalize() for month in MONTHS]
_UNDATED = (
    "Local accounts describe the change as slow and often contested.",
    "Merchants complained that the new rules favoured the larger houses.",
    "The records of the period survive only in part, in the parish registers.",
    "Travellers wrote of crowded streets and a busy waterfront.",
    "Historians still disagree about who paid for most of the work.",
    "Much of the trade passed through the hands of a few families on the quay.",
    "The surviving letters speak of floods, debts and quarrels over water rights.",
    "Few buildings from that time still stand, though the street plan remains.",
    "Visitors can still see the old customs house beside the fish market.",
    "The population grew quickly as workers arrived from the surrounding villages.",
)


def _date(rng: random.Random, year: int) -> str:
    form = rng.randrange(4)
    if form == 0:
        return f"in {year}"
    if form == 1:
        return f"in {rng.choice(_MONTHS)} {year}"
    if form == 2:
        return f"on {rng.randint(1, 28)} {rng.choice(_MONTHS)} {year}"
    return f"in the spring of {year}"


def _sentence(rng: random.Random, place: str, year: int) -> tuple[str, int]:
    body, act = rng.choice(_BODIES), rng.choice(_ACTS)
    kind = rng.randrange(9)
    later = year + rng.randint(1, 12)
    if kind == 0:
        text = f"{body.capitalize()} of {place} {act} {_date(rng, year)}, "
        text += f"{rng.choice(_FOLLOWS)} {_date(rng, later)}."
    elif kind == 1:
        text = f"Between {year} and {later}, {body} {act} and kept the accounts in {place}."
    elif kind == 2:
        text = f"{rng.randint(2, 9)} years later, {body} of {place} {act}."
        later = year
    elif kind == 3:
        century = year // 100 + 1
        text = f"In the {century}th century, {body} of {place} {act} several times."
    elif kind == 4:
        text = f"The chronicles say that {body} {act} in {rng.randint(40, 700)} BC near {place}."
    else:
        text = f"{_date(rng, year).capitalize()}, {body} of {place} {act}."
    return text, later


def article(rng: random.Random, number: int) -> str:
    """One Markdown article: a heading, dated and undated paragraphs, a list, a code block."""
    place = rng.choice(_PLACES)
    year = rng.randint(1650, 1990)
    lines = [f"# A history of {place} ({number})", ""]
    for section in range(rng.randint(5, 9)):
        lines += [f"## Part {section + 1}", ""]
        paragraph = []
        for _ in range(rng.randint(8, 14)):
            if rng.random() < 0.55:
                paragraph.append(rng.choice(_UNDATED))
                continue
            sentence, year = _sentence(rng, place, year)
            paragraph.append(sentence)
        lines += [" ".join(paragraph), ""]
    lines += ["Key dates:", ""]
    lines += [f"- {rng.choice(_ACTS)}: {rng.randint(1, 28)} {rng.choice(_MONTHS)} {year}", ""]
    lines += ["```toml", f'founded = "{year}"', 'edition = "2024"', "```", ""]
    return "\n".join(lines)


def write_corpus(root: Path, articles: int, seed: int = 12) -> Path:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for number in range(articles):
        (root / f"history_{number:02d}.md").write_text(article(rng, number), encoding="utf-8")
    return root


def _timed(step: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    step()
    return time.perf_counter() - wall, time.process_time() - cpu


def _best(step: Callable[[], object], rounds: int = 3) -> tuple[float, float]:
    runs = [_timed(step) for _ in range(rounds)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def _sentence_megabytes(corpus: Corpus) -> float:
    return sum(len(s.text.encode()) for s in corpus.sentences) / 1e6


def extraction(label: str, root: Path) -> None:
    corpus = build_corpus(root, ChunkOptions())
    size = _sentence_megabytes(corpus)
    text = "\n\n".join(s.text for s in corpus.sentences)
    _, events_cpu = _best(lambda: corpus_events(corpus))
    _, tagger_cpu = _best(lambda: tag(text))
    count = len(corpus_events(corpus))
    print(
        f"{label}: {size:.2f} MB of sentences, {count} events; "
        f"events {size / events_cpu:.1f} MB/s, tagger alone {size / tagger_cpu:.1f} MB/s (CPU)"
    )


_REPOSITORY = Path(__file__).resolve().parent.parent


def _timeline_tree(ref: str, into: Path) -> Path:
    """This checkout's retrieval/ with retrieval/timeline/ as it was at commit ``ref``."""
    shutil.copytree(_REPOSITORY / "retrieval", into / "retrieval")
    shutil.rmtree(into / "retrieval" / "timeline")
    archive = subprocess.run(
        ["git", "-C", str(_REPOSITORY), "archive", ref, "retrieval/timeline"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def extraction_worker(root: Path, repeats: int) -> None:
    """Event extraction on ``root``, ``repeats`` times, as one JSON line (for --against)."""
    corpus = build_corpus(root, ChunkOptions())
    seconds = [_timed(lambda: corpus_events(corpus))[1] for _ in range(repeats)]
    count = len(corpus_events(corpus))
    print(json.dumps({"megabytes": _sentence_megabytes(corpus), "cpu": seconds, "events": count}))


@dataclass(frozen=True)
class _Extraction:
    megabytes: float
    cpu: float
    events: int


def _worker_run(root: Path, tree: Path | None, repeats: int) -> _Extraction:
    """The best CPU time of event extraction in a fresh process, with ``tree``'s code first."""
    environment = dict(os.environ)
    if tree is not None:
        environment["PYTHONPATH"] = os.pathsep.join([str(tree), str(_REPOSITORY)])
    command = [sys.executable, __file__, "--extraction-worker", str(root), "--runs", str(repeats)]
    done = subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
    measured = json.loads(done.stdout.splitlines()[-1])
    return _Extraction(measured["megabytes"], min(measured["cpu"]), measured["events"])


def against(ref: str, roots: list[tuple[str, Path]], rounds: int, scratch: Path) -> None:
    tree = _timeline_tree(ref, scratch / "against")
    print(f"event extraction, timeline code of {ref} against the current code ({rounds} rounds):")
    for label, root in roots:
        runs: dict[str, list[_Extraction]] = {ref: [], "current": []}
        for _ in range(rounds):
            runs[ref].append(_worker_run(root, tree, 3))
            runs["current"].append(_worker_run(root, None, 3))
        before, after = (min(runs[name], key=lambda run: run.cpu) for name in (ref, "current"))
        old_rate, new_rate = before.megabytes / before.cpu, after.megabytes / after.cpu
        print(
            f"  {label}: {after.megabytes:.2f} MB, {before.events} -> {after.events} events; "
            f"{old_rate:.2f} -> {new_rate:.2f} MB/s ({new_rate / old_rate:.2f}x, CPU)"
        )


def ingestion(root: Path) -> None:
    files = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6

    def ingest() -> None:
        build_index(build_corpus(root, ChunkOptions()), IndexOptions())

    def ingest_without_events() -> None:
        with patch("retrieval.timeline.events.document_events", lambda document, sentences: []):
            ingest()

    _, with_events_cpu = _best(ingest)
    _, plain_cpu = _best(ingest_without_events)
    print(
        f"ingestion of {files:.2f} MB: {files / plain_cpu:.2f} MB/s without events, "
        f"{files / with_events_cpu:.2f} MB/s with events (CPU)"
    )


_QUESTION = "When was the stone bridge rebuilt?"
_CALLS: dict[str, Callable[[QAService], object]] = {
    "ask": lambda service: service.ask(_QUESTION),
    "timeline": lambda service: service.timeline(),
    "timeline bridge tolls": lambda service: service.timeline("bridge tolls"),
}


def _first_and_warm(
    call: Callable[[QAService], object], fresh: Callable[[], QAService]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Wall and CPU seconds of ``call``: first in a fresh service (best of 3), then warm."""
    services = [fresh() for _ in range(3)]
    runs = [_timed(partial(call, service)) for service in services]
    first = min(r[0] for r in runs), min(r[1] for r in runs)
    return first, _best(partial(call, services[-1]), rounds=5)


def in_process(root: Path, cache: Path) -> None:
    def fresh() -> QAService:
        return QAService.local(load_corpus(root, IndexOptions(), cache))

    measured = {name: _first_and_warm(call, fresh) for name, call in _CALLS.items()}
    events = len(fresh().timeline().events)
    print(f"in one process, through the service (the whole timeline has {events} entries):")
    for label, which in (("first call", 0), ("warm", 1)):
        ask_cpu = measured["ask"][which][1]
        for name, figures in measured.items():
            wall, cpu = figures[which]
            ratio = "" if name == "ask" else f", {cpu / ask_cpu:.1f}x ask"
            print(f"  {label:10s} {name:22s} {wall * 1e3:8.1f} ms ({cpu * 1e3:.1f} CPU){ratio}")


def _process_seconds(arguments: list[str], environment: dict[str, str], runs: int) -> float:
    quotebot = Path(sys.executable).with_name("quotebot")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [str(quotebot), *arguments], env=environment, check=True, capture_output=True
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def processes(root: Path, cache: Path, runs: int) -> None:
    environment = {**os.environ, "QUOTEBOT_CACHE_DIR": str(cache)}
    corpus = ["--corpus", str(root)]
    subprocess.run(
        [str(Path(sys.executable).with_name("quotebot")), "index", *corpus],
        env=environment,
        check=True,
        capture_output=True,
    )
    ask = _process_seconds(["ask", _QUESTION, *corpus], environment, runs)
    timeline = _process_seconds(["timeline", *corpus], environment, runs)
    topical = _process_seconds(["timeline", "bridge", *corpus], environment, runs)
    print(f"whole processes, cache warm, median of {runs}:")
    print(f"  quotebot ask              {ask:6.2f} s")
    print(f"  quotebot timeline         {timeline:6.2f} s  ({timeline / ask:.1f}x ask)")
    print(f"  quotebot timeline bridge  {topical:6.2f} s  ({topical / ask:.1f}x ask)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=48)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--corpus", type=Path, action="append", default=[], metavar="DIR")
    parser.add_argument("--against", metavar="GITREF", help="timeline code to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--extraction-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.extraction_worker:
        extraction_worker(args.extraction_worker, args.runs)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        root = write_corpus(Path(scratch) / "histories", args.articles)
        cache = Path(scratch) / "cache"
        extraction(f"{args.articles} generated articles", root)
        for extra in args.corpus:
            extraction(str(extra), extra)
        if args.against:
            roots = [(f"{args.articles} generated articles", root)]
            roots += [(str(extra), extra) for extra in args.corpus]
            against(args.against, roots, args.rounds, Path(scratch))
        ingestion(root)
        in_process(root, cache)
        processes(root, cache, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
