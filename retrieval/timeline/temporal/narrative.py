"""The narrative's reference times, tracked as a text is read from left to right.

Deictic expressions ("yesterday") count from the document date; anaphoric ones ("three
years later", "the same year") from the last date mentioned; a month without a year
("in June") takes the year of the story being told nearby, else the document's.
"""

from __future__ import annotations

import datetime as dt
import re

from retrieval.timeline.temporal import values
from retrieval.timeline.temporal.draft import Draft, Pending
from retrieval.timeline.temporal.patterns import SENTENCE_BOUNDARY, WordBefore
from retrieval.timeline.temporal.relative import KEEP, looks_future

# How far (in characters) an explicitly written date keeps setting the year of the story.
STORY_REACH = 300
_RESOLVED_GRANULARITIES = frozenset({"year", "month", "day", "time", "week", "season", "quarter"})
_COMPARISON = re.compile(r"\b(?:from|than|compared|versus|vs\.|against|over|with)\b", re.I)
_SCENE_BEFORE = WordBefore(
    "in during throughout around circa early late mid spring summer fall autumn winter",
    r"[-\s]+",
    reach=150,
)

# A date after a determiner names a thing ("the August 1988 cease-fire", "the Dec. 21, 1988,
# bombing"), not the time of the story around it.
_ATTRIBUTIVE_BEFORE = WordBefore("the a an its their his her", r"\s+", reach=8)


def _sets_scene(text: str, position: int) -> bool:
    """Whether a bare year tells when things happen ("The strike began in 1995") rather
    than a point of comparison ("profit rose from $5 million in 1995"), a bound ("since
    1990", "by 1992") or an attribute ("its 1990 budget").
    """
    if not _SCENE_BEFORE(text, position):
        return False
    window = text[max(0, position - 150) : position]
    boundary = max(window.rfind(". "), window.rfind("\n"), window.rfind("? "), window.rfind("! "))
    return _COMPARISON.search(window, boundary + 1) is None


class Narrative:
    """The reference times that relative expressions resolve against, as the text unfolds.

    `ref` is the last date mentioned (explicitly or deictically); `story` is the last
    explicitly written date, which names the year of a nearby "in June" for a while.
    A deictic mention ("yesterday") brings the text back to the document's present.
    """

    def __init__(self, dct: dt.date | None) -> None:
        self.ref = dct.isoformat() if dct else None
        self.story: str | None = None
        self.story_end = 0
        self.quarter: str | None = None

    def fresh_story(self, text: str, position: int) -> str | None:
        """The story's date if it was set in this or the previous sentence of the paragraph."""
        if self.story is None or position - self.story_end > STORY_REACH:
            return None
        between = text[self.story_end : position]
        if "\n\n" in between or len(SENTENCE_BOUNDARY.findall(between)) > 1:
            return None
        return None if looks_future(text, position) else self.story

    def reference_for(self, pending: Pending) -> str | None:
        """ "The quarter" means the quarter last talked about, not the last date."""
        if (pending.kind == "quarter" and not pending.slot) or pending.kind == "reported_quarter":
            return self.quarter
        if pending.slot == KEEP and self.quarter:
            return self.quarter
        return self.ref

    def update(self, draft: Draft, value: str, through_story: bool, text: str) -> None:
        """Move the reference times past a resolved expression; comparisons do not move them."""
        date_part = value.split("T")[0]
        if draft.type not in ("DATE", "TIME"):
            return
        if values.granularity(date_part) not in _RESOLVED_GRANULARITIES:
            return
        pending = draft.pending
        if pending is not None and (
            pending.kind == "period_of_year"
            or (pending.kind == "offset" and (pending.base == "ref" or pending.slot == KEEP))
        ):
            return
        self.ref = date_part
        if values.granularity(date_part) == "quarter":
            self.quarter = date_part
        sets_scene = not _ATTRIBUTIVE_BEFORE(text, draft.start) and (
            values.granularity(date_part) != "year" or _sets_scene(text, draft.start)
        )
        if (pending is None and sets_scene) or through_story:
            self.story, self.story_end = date_part, draft.end
        else:
            self.story = None
