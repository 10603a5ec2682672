"""Temporal tagger: finds dates, times, durations and sets in English text (TimeML TIMEX3)."""

from retrieval.timeline.temporal.anchors import may_hold_date
from retrieval.timeline.temporal.expression import TimeExpression
from retrieval.timeline.temporal.tagger import tag
from retrieval.timeline.temporal.values import day_span, granularity, period

__all__ = ["TimeExpression", "day_span", "granularity", "may_hold_date", "period", "tag"]
