"""Temporal tagger: finds dates, times, durations and sets in English text (TimeML TIMEX3)."""

from retrieval.timeline.temporal.expression import TimeExpression
from retrieval.timeline.temporal.tagger import tag
from retrieval.timeline.temporal.values import granularity, period

__all__ = ["TimeExpression", "granularity", "period", "tag"]
