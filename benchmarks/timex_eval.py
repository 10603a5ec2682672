"""TempEval-3 Task A style evaluation of the temporal tagger on TimeML (.tml) corpora.

Usage: python benchmarks/timex_eval.py [CORPUS_DIR] [--split timebank|aquaint|all] [--errors N]
                                      [--breakdown]

Relaxed match = any character overlap with a gold TIMEX3 (one-to-one), strict match =
identical extent. Type and value accuracy are measured over relaxed matches and
value F1 = relaxed F1 x value accuracy, as in TempEval-3; values are compared up to
spelling ("199" = "199X", "2000-W7" = "2000-W07", "T17" = "T17:00"). TimeML annotates
each end of a range as its own TIMEX3, so our range expressions are split at the connector.
--breakdown counts the value errors by kind: a duration or set read as a date (or the other
way), a value at another granularity (a week for a month), a period anchored elsewhere (same
granularity, another date), or a placeholder ("XXXX", "PAST_REF") on one side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.timeline.temporal import TimeExpression, granularity, tag

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / ".." / "shared/data/timeml/TBAQ-cleaned"
SPLITS = {"timebank": ("TimeBank",), "aquaint": ("AQUAINT",), "all": ("TimeBank", "AQUAINT")}
REFERENCE = (
    ("HeidelTime (TE-3 platinum)", 0.9030, 0.8134, 0.7761),
    ("SUTime (TE-3 platinum)", 0.9032, 0.7957, 0.6738),
)
_TAG = re.compile(r"<[^>]*>")
_TIMEX = re.compile(r"<TIMEX3\b([^>]*)>(.*?)</TIMEX3>", re.DOTALL)
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_DCT = re.compile(r"<DCT>\s*<TIMEX3\b[^>]*\bvalue=\"(\d{4})-?(\d{2})-?(\d{2})")
_RANGE_CONNECTOR = re.compile(r"\s*(?:-|–|\bto\b|\bthrough\b|\buntil\b|\btill\b|\band\b)\s*", re.I)
_DECADE_OR_CENTURY = re.compile(r"^(\d{2,3})X+$")
_SHORT_WEEK = re.compile(r"-W(\d)(?!\d)")
_HOUR_ONLY = re.compile(r"T(\d{2})$")
_PLACEHOLDER = re.compile(r"X|_REF$")
# What names the period, for grouping value errors: the first of these words in the gold text.
# (Weekdays come first: "Friday" also ends in "day".)
_HEADS = re.compile(
    r"\b(?:(?P<weekday>(?:mon|tues|wednes|thurs|fri|satur|sun)day)|(?P<month>jan|feb|mar|apr|may|"
    r"jun|jul|aug|sep|oct|nov|dec)\w*|(?P<quarter>quarter|half|period)|(?P<week>week\w*)"
    r"|(?P<year>year\w*|\d{4})|(?P<day>day|today|yesterday|tomorrow|night|morning|evening))\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass(slots=True)
class Document:
    name: str
    text: str
    dct: dt.date | None
    gold: list[Span]


@dataclass(slots=True)
class Score:
    gold: int = 0
    system: int = 0
    relaxed: int = 0
    strict: int = 0
    type_ok: int = 0
    value_ok: int = 0
    characters: int = 0
    seconds: float = 0.0
    false_positives: list[tuple[str, Span]] = field(default_factory=list)
    false_negatives: list[tuple[str, Span]] = field(default_factory=list)
    value_errors: list[tuple[str, Span, Span]] = field(default_factory=list)
    extent_errors: list[tuple[str, Span, Span]] = field(default_factory=list)


def parse(path: Path) -> Document:
    """Text between <TEXT> tags with markup stripped, gold TIMEX3 offsets in that text."""
    raw = path.read_text(encoding="utf-8")
    body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")]
    pieces: list[str] = []
    gold: list[Span] = []
    cursor = 0
    length = 0
    for match in _TIMEX.finditer(body):
        before = _TAG.sub("", body[cursor : match.start()])
        pieces.append(before)
        length += len(before)
        inner = _TAG.sub("", match.group(2))
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        gold.append(
            Span(
                length,
                length + len(inner),
                attributes.get("type", ""),
                attributes.get("value", ""),
                inner,
            )
        )
        pieces.append(inner)
        length += len(inner)
        cursor = match.end()
    pieces.append(_TAG.sub("", body[cursor:]))
    dct_match = _DCT.search(raw)
    dct = dt.date(*map(int, dct_match.groups())) if dct_match else None
    return Document(path.name, "".join(pieces), dct, gold)


def as_spans(expression: TimeExpression) -> list[Span]:
    """Our spans in TimeML terms: a range becomes its two endpoints."""
    whole = Span(
        expression.start, expression.end, expression.type, expression.value, expression.text
    )
    if not expression.range_end:
        return [whole]
    connector = None
    for connector in _RANGE_CONNECTOR.finditer(expression.text):
        if connector.start() > 0:
            break
    if connector is None or connector.start() == 0:
        return [whole]
    cut, resume = expression.start + connector.start(), expression.start + connector.end()
    return [
        Span(
            expression.start,
            cut,
            expression.type,
            expression.value,
            expression.text[: connector.start()],
        ),
        Span(
            resume,
            expression.end,
            expression.type,
            expression.range_end,
            expression.text[connector.end() :],
        ),
    ]


def canonical(value: str) -> str:
    """One spelling per TIMEX3 value: "199X" -> "199", "2000-W7" -> "2000-W07", "T17" -> "T17:00".

    These pairs name the same period; gold files use both spellings.
    """
    value = _DECADE_OR_CENTURY.sub(r"\1", value)
    value = _SHORT_WEEK.sub(r"-W0\1", value)
    return _HOUR_ONLY.sub(r"T\1:00", value)


def same_value(gold: str, system: str) -> bool:
    """Exact TIMEX3 value match up to spelling (see `canonical`)."""
    return canonical(gold) == canonical(system)


def score_document(document: Document, score: Score) -> None:
    started = time.process_time()
    expressions = tag(document.text, document.dct)
    score.seconds += time.process_time() - started
    score.characters += len(document.text.encode("utf-8"))
    system = [span for expression in expressions for span in as_spans(expression)]
    score.gold += len(document.gold)
    score.system += len(system)
    unmatched = list(system)
    for gold in document.gold:
        overlapping = [s for s in unmatched if s.start < gold.end and gold.start < s.end]
        if not overlapping:
            score.false_negatives.append((document.name, gold))
            continue
        best = max(overlapping, key=lambda s: min(s.end, gold.end) - max(s.start, gold.start))
        unmatched.remove(best)
        score.relaxed += 1
        if (best.start, best.end) == (gold.start, gold.end):
            score.strict += 1
        else:
            score.extent_errors.append((document.name, gold, best))
        score.type_ok += best.type == gold.type
        if same_value(gold.value, best.value):
            score.value_ok += 1
        else:
            score.value_errors.append((document.name, gold, best))
    score.false_positives.extend((document.name, span) for span in unmatched)


def _head(text: str) -> str:
    match = _HEADS.search(text)
    return (match.lastgroup or "other") if match else "other"


def error_kind(gold: Span, system: Span) -> str:
    """What went wrong with a value, in the categories `--breakdown` counts."""
    dated = {"DATE", "TIME"}
    if (gold.type in dated) != (system.type in dated) or (
        gold.type not in dated and gold.type != system.type
    ):
        return f"{system.type.lower()} for {gold.type.lower()}"
    if _PLACEHOLDER.search(gold.value) or _PLACEHOLDER.search(system.value):
        return "placeholder"
    if gold.type in dated:
        ours, theirs = granularity(system.value), granularity(gold.value)
        if ours != theirs:
            return f"{ours} for {theirs}"
        return f"anchoring: {theirs}"
    return "amount"


def print_breakdown(score: Score) -> None:
    kinds = Counter(error_kind(g, s) for _, g, s in score.value_errors)
    heads = Counter((error_kind(g, s), _head(g.text)) for _, g, s in score.value_errors)
    print(f"\n-- value errors by kind ({len(score.value_errors)}) --")
    for kind, count in kinds.most_common():
        named = ", ".join(f"{head} {n}" for (k, head), n in heads.most_common() if k == kind)
        print(f"{count:5d}  {kind:24} ({named})")


def f1(matched: int, system: int, gold: int) -> tuple[float, float, float]:
    precision = matched / system if system else 0.0
    recall = matched / gold if gold else 0.0
    total = precision + recall
    return precision, recall, (2 * precision * recall / total if total else 0.0)


def report(split: str, score: Score) -> None:
    rp, rr, rf = f1(score.relaxed, score.system, score.gold)
    sp, sr, sf = f1(score.strict, score.system, score.gold)
    type_accuracy = score.type_ok / score.relaxed if score.relaxed else 0.0
    value_accuracy = score.value_ok / score.relaxed if score.relaxed else 0.0
    megabytes_per_second = score.characters / 1e6 / score.seconds if score.seconds else 0.0
    print(f"\n== {split}: {score.gold} gold, {score.system} system TIMEX3 ==")
    print(
        f"{'system':28} {'relaxed P/R/F1':>22} {'strict P/R/F1':>22}"
        f" {'type':>6} {'value':>6} {'valF1':>6}"
    )
    print(
        f"{'quotebot':28} {rp:6.2%} {rr:6.2%} {rf:6.2%}  {sp:6.2%} {sr:6.2%} {sf:6.2%}"
        f" {type_accuracy:6.2%} {value_accuracy:6.2%} {rf * value_accuracy:6.2%}"
    )
    for name, relaxed, strict, value_f1 in REFERENCE:
        print(
            f"{name:28} {'':14}{relaxed:6.2%}  {'':14}{strict:6.2%} {'':6} {'':6} {value_f1:6.2%}"
        )
    print(
        f"throughput: {megabytes_per_second:.2f} MB/s of text on one core (CPU time)"
        f" ({score.characters} bytes)"
    )


def print_errors(score: Score, count: int) -> None:
    def show(title: str, rows: list[str]) -> None:
        print(f"\n-- {title} ({len(rows)}) --")
        for row in rows[:count]:
            print(row)

    show(
        "false positives",
        [f"{n}\t{s.text!r}\t{s.type}\t{s.value}" for n, s in score.false_positives],
    )
    show(
        "false negatives",
        [f"{n}\t{s.text!r}\t{s.type}\t{s.value}" for n, s in score.false_negatives],
    )
    show(
        "extent errors (gold | ours)",
        [f"{n}\t{g.text!r} | {s.text!r}" for n, g, s in score.extent_errors],
    )
    show(
        "value errors (gold | ours)",
        [
            f"{n}\t{g.text!r}\t{g.type} {g.value} | {s.type} {s.value}"
            for n, g, s in score.value_errors
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="TBAQ-cleaned dir"
    )
    parser.add_argument(
        "--split", choices=sorted(SPLITS), default=None, help="default: each and all"
    )
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="print N sample errors")
    parser.add_argument("--breakdown", action="store_true", help="count the value errors by kind")
    args = parser.parse_args(argv)
    splits = [args.split] if args.split else ["timebank", "aquaint", "all"]
    for split in splits:
        paths = sorted(p for sub in SPLITS[split] for p in (args.corpus / sub).glob("*.tml"))
        if not paths:
            print(f"no .tml files for {split} under {args.corpus}", file=sys.stderr)
            return 1
        score = Score()
        for path in paths:
            score_document(parse(path), score)
        report(split, score)
        if args.breakdown and split == splits[-1]:
            print_breakdown(score)
        if args.errors and split == splits[-1]:
            print_errors(score, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
