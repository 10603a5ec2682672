"""Temporal tagger: finds dates, times, durations and sets in English text (TimeML TIMEX3)."""

from retrieval.temporal.expression import TimeExpression
from retrieval.temporal.tagger import tag
from retrieval.temporal.values import granularity, period

__all__ = ["TimeExpression", "granularity", "period", "tag"]
