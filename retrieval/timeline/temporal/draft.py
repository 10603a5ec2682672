"""Intermediate results: a matched span with either a final value or a pending resolution.

Named tuples, not frozen dataclasses: the tagger makes several per expression, and a tuple
is made about three times faster.
"""

from __future__ import annotations

from typing import NamedTuple


class Pending(NamedTuple):
    """A value that needs a reference date before it can be written down.

    `base` is "dct" for deictic expressions (yesterday, last year) and "ref" for
    anaphoric ones (three years later, in June), which follow the narrative.
    `kind` selects the resolution: "offset" moves the base by `amount` `unit`s;
    "month", "weekday", "season", "quarter", "holiday" fill in a calendar slot
    (`slot`) in the year or week around the base; "reported_quarter" is the quarter a
    report discusses ("the latest quarter"). `suffix` is appended to a
    resolved day (a part of day such as "TMO" or a clock time "T10:30").
    """

    kind: str
    base: str
    amount: int = 0
    unit: str = "Y"
    slot: int | str = 0
    day: int = 0
    day_end: int = 0
    suffix: str = ""


class Draft(NamedTuple):
    """A candidate expression; `priority` breaks ties between overlapping candidates."""

    start: int
    end: int
    type: str
    value: str = ""
    mod: str | None = None
    pending: Pending | None = None
    range_end: str | None = None
    priority: int = 0
