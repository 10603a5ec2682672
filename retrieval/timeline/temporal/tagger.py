"""Find temporal expressions in a text and normalise them to TIMEX3 values.

Pipeline: every rule proposes candidates; the longest non-overlapping ones win;
modifiers ("early", "nearly") widen them; values are resolved left to right so
that anaphoric expressions follow the narrative; ranges and clock times are joined.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from retrieval.timeline.temporal import values
from retrieval.timeline.temporal.anchors import Stretches
from retrieval.timeline.temporal.draft import Draft
from retrieval.timeline.temporal.expression import TimeExpression
from retrieval.timeline.temporal.lexicon import APPROXIMATORS, PART_MODIFIERS
from retrieval.timeline.temporal.narrative import Narrative
from retrieval.timeline.temporal.patterns import (
    MODIFIER_LAST_WORDS,
    MODIFIER_PREFIX,
    RANGE_LINK,
    RANGE_OPENER,
    last_word,
)
from retrieval.timeline.temporal.relative import resolve
from retrieval.timeline.temporal.rules import RULES

_RELATIVE_STARTS = ("this", "that", "today", "tonight", "the same")
_SHOWN_FAULTS = 3
# The time of day in a TIMEX3 value: a clock time or a part of the day ("T14:30", "TEV").
_TIME_OF_DAY = re.compile(r"T(?:\d|MO|MI|AF|EV|NI|DT)")

log = logging.getLogger("quotebot")


@dataclass(slots=True)
class _Faults:
    """Expressions a failing rule dropped; reported once per text, so one odd phrase costs
    that phrase, never the document or the corpus.
    """

    dropped: list[str] = field(default_factory=list)

    def record(self, where: str, error: Exception) -> None:
        self.dropped.append(f"{where}: {type(error).__name__}: {error}")

    def report(self, source: str) -> None:
        if self.dropped:
            shown = "; ".join(ascii(fault)[1:-1] for fault in self.dropped[:_SHOWN_FAULTS])
            log.warning(
                "temporal tagger: dropped %d expression(s) in %s (%s)",
                len(self.dropped),
                ascii(source)[1:-1],
                shown,
            )


def _candidates(text: str, faults: _Faults) -> list[Draft]:
    """Every rule's drafts; rules scan only the stretches around anchors (see `anchors`)."""
    found: list[Draft] = []
    stretches = Stretches(text)
    for pattern, handler, kinds in RULES:
        finditer = pattern.finditer
        for start, end in stretches.around(kinds):
            for match in finditer(text, start, end):
                try:
                    draft = handler(match, text)
                except Exception as error:  # one odd phrase costs that phrase (see _Faults)
                    faults.record(f"{handler.__name__} on {match.group()[:40]!r}", error)
                    continue
                if draft is not None and draft.end > draft.start:
                    found.append(draft)
    return found


def _select(candidates: list[Draft]) -> list[Draft]:
    """Longest candidates first, then higher priority; drop anything overlapping a winner."""
    ranked = sorted(candidates, key=lambda d: (d.start - d.end, -d.priority, d.start))
    taken: list[Draft] = []
    occupied = bytearray()
    for draft in ranked:
        if len(occupied) < draft.end:
            occupied.extend(bytes(draft.end - len(occupied)))
        if any(occupied[draft.start : draft.end]):
            continue
        occupied[draft.start : draft.end] = b"\x01" * (draft.end - draft.start)
        taken.append(draft)
    return sorted(taken, key=lambda d: d.start)


def _widen(draft: Draft, text: str, floor: int) -> Draft:
    """Absorb a preceding "early"/"the end of" (part) or "nearly"/"at least" (approximation)."""
    if last_word(text, draft.start) not in MODIFIER_LAST_WORDS:
        return draft
    match = MODIFIER_PREFIX.search(text, max(floor, draft.start - 30), draft.start)
    if match is None:
        return draft
    head = text[draft.start : draft.end].lower()
    if match["part"] and draft.type in ("DATE", "TIME"):
        part = " ".join(match["part"].lower().split())
        if part in ("earlier", "later") and not head.startswith(_RELATIVE_STARTS):
            return draft
        start = match.start("part")
        if not part.startswith("the") and text[max(0, start - 4) : start].lower() == "the ":
            start -= 4
        return draft._replace(start=start, mod=PART_MODIFIERS[part])
    approx = " ".join((match["approx"] or "").lower().split())
    if approx and not head.startswith("the") and draft.type != "SET":
        return draft._replace(start=match.start("approx"), mod=APPROXIMATORS[approx])
    return draft


def _resolved(draft: Draft, text: str, dct: dt.date | None, narrative: Narrative) -> TimeExpression:
    """One draft's value, read against the narrative so far, which it then moves on."""
    value, anchor, range_end = draft.value, None, draft.range_end
    through_story = False
    if draft.pending is not None:
        story = narrative.fresh_story(text, draft.start)
        ref = narrative.reference_for(draft.pending)
        value, anchor = resolve(draft.pending, dct, ref, story, text, draft.start)
        through_story = story is not None and anchor == story
        if draft.pending.day_end and values.granularity(value) == "day":
            range_end = value[:8] + f"{draft.pending.day_end:02d}"
    narrative.update(draft, value, through_story, text)
    return TimeExpression(
        draft.start,
        draft.end,
        text[draft.start : draft.end],
        draft.type,
        value,
        draft.mod,
        anchor,
        range_end,
    )


def _resolve_all(
    drafts: list[Draft], text: str, dct: dt.date | None, faults: _Faults
) -> list[TimeExpression]:
    """Resolve left to right, keeping track of the narrative's reference time."""
    narrative = Narrative(dct)
    resolved: list[TimeExpression] = []
    for draft in drafts:
        try:
            resolved.append(_resolved(draft, text, dct, narrative))
        except Exception as error:  # one odd phrase costs that phrase (see _Faults)
            faults.record(f"resolving {text[draft.start : draft.end][:40]!r}", error)
    return resolved


def _join_time_and_date(
    first: TimeExpression, second: TimeExpression, text: str
) -> TimeExpression | None:
    """ "10 p.m. Wednesday", "noon Thursday": a clock time followed by the day it falls on."""
    gap = text[first.end : second.start]
    if first.type != "TIME" or second.type != "DATE" or gap.strip(" ,") not in ("", "on"):
        return None
    clock = _TIME_OF_DAY.search(first.value)
    if values.granularity(second.value) != "day" or clock is None:
        return None
    value = second.value + first.value[clock.start() :]
    return TimeExpression(
        first.start,
        second.end,
        text[first.start : second.end],
        "TIME",
        value,
        first.mod,
        second.anchor,
    )


def _join_range(first: TimeExpression, second: TimeExpression, text: str) -> TimeExpression | None:
    """ "between 2004 and 2013", "from 2000 until 2015": one expression, two values."""
    gap = text[first.end : second.start]
    link = RANGE_LINK.fullmatch(gap)
    if link is None or first.type != "DATE" or second.type != "DATE" or first.range_end:
        return None
    connector = gap.strip().lower()
    opener = RANGE_OPENER.search(text, max(0, first.start - 10), first.start)
    if opener is None:
        return None
    opens_with = opener.group(0).split()[0].lower()
    if (opens_with == "between") != (connector == "and"):
        return None
    return TimeExpression(
        first.start,
        second.end,
        text[first.start : second.end],
        "DATE",
        first.value,
        first.mod,
        first.anchor,
        second.value,
    )


def _join(expressions: list[TimeExpression], text: str) -> list[TimeExpression]:
    joined: list[TimeExpression] = []
    for expression in expressions:
        if joined:
            merged = _join_time_and_date(joined[-1], expression, text) or _join_range(
                joined[-1], expression, text
            )
            if merged is not None:
                joined[-1] = merged
                continue
        joined.append(expression)
    return joined


def tag(text: str, dct: dt.date | None = None, source: str = "text") -> list[TimeExpression]:
    """All temporal expressions in `text`, sorted by start, resolved against `dct`.

    Never raises on any text: an expression whose rule fails is dropped, and the drops are
    logged in one warning naming `source` (the document).
    """
    if isinstance(dct, dt.datetime):
        dct = dct.date()
    faults = _Faults()
    drafts = _select(_candidates(text, faults))
    widened: list[Draft] = []
    for draft in drafts:
        floor = widened[-1].end if widened else 0
        widened.append(_widen(draft, text, floor))
    expressions = _join(_resolve_all(widened, text, dct, faults), text)
    faults.report(source)
    return expressions
