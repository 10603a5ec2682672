"""Rules for durations ("three years", "the past five years", "for months") and sets
("daily", "every Tuesday", "twice a year"), written as TimeML does.
"""

from __future__ import annotations

import re

from retrieval.timeline.temporal.draft import Draft
from retrieval.timeline.temporal.lexicon import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    NUMBERS,
    SEASONS,
    SET_WORDS,
    WEEKDAYS,
)
from retrieval.timeline.temporal.reading import (
    duration_value,
    month_number,
    quantity,
    text_before,
)

_RATE_BEFORE = re.compile(
    r"(?:\d|\b(?:million|billion|thousand|hundred|dozen|once|twice)|[a-z]{2,}(?<![aeiu]s)(?<!ss)s)"
    r"\s+$",
    re.IGNORECASE,
)


_AGE_AFTER = re.compile(r"(?:\s+|-)old\b", re.IGNORECASE)


def duration(m: re.Match[str], text: str) -> Draft | None:
    """ "three years", "the past five years", "20-year", "a few days", "2 1/2 hours"."""
    quantity_text = " ".join(m["quantity"].lower().split())
    unit_word = m["unit"].lower()
    if text[m.start("quantity") - 1 : m.start("quantity")] in (",", ".", "$") or (
        m.start("quantity") > 0 and text[m.start("quantity") - 1].isdigit()
    ):
        return None
    if _AGE_AFTER.match(text, m.end("plural") if m["plural"] else m.end("unit")):
        return None
    single = quantity_text in ("a", "an", "one")
    if quantity_text in ("a", "an") and not m["det"] and _RATE_BEFORE.search(text_before(text, m)):
        return None
    if unit_word == "second" and single:
        return None
    if unit_word == "quarter" and (
        text.startswith(" of", m.end()) or (single and not m["relation"])
    ):
        return None
    amount = quantity(quantity_text)
    if amount is None and not m["plural"]:
        return None
    if amount is not None and m["tail"] and "half" in m["tail"].lower():
        amount += 0.5
    if quantity_text in NUMBERS and NUMBERS[quantity_text] >= 100 and not m["plural"]:
        return None
    start = m.start()
    adjectival = text[m.end("quantity") : m.start("unit")] == "-"
    indefinite = (m["det"] or "").lower() in ("a", "an") and quantity_text not in (
        "few",
        "couple of",
    )
    if adjectival or indefinite:
        start = m.start("quantity")
    value = duration_value(amount, unit_word)
    mod = "APPROX" if m["tail"] and "or so" in m["tail"].lower() else None
    if quantity_text.startswith(("a couple", "couple")):
        mod = "APPROX"
    return Draft(start, m.end(), "DURATION", value, mod=mod, priority=3)


def vague_duration(m: re.Match[str], _: str) -> Draft | None:
    """ "for years", "in recent months", "the coming weeks" -> PXY, PXM, PXW."""
    group = "core" if m["core"] else "bare"
    words = m[group].lower().split()
    unit_word = words[-1].removesuffix("s").removesuffix("ie") or words[-1]
    unit_word = "century" if words[-1] == "centuries" else unit_word
    value = duration_value(None, unit_word)
    return Draft(m.start(group), m.end(group), "DURATION", value, priority=2)


# Frequency adjectives that describe the noun after them ("the quarterly dividend", "its
# annual meeting") rather than say when something happens; "paid quarterly" is a SET.
_NOUN_FREQUENCIES = frozenset({"quarterly", "annual", "semiannual", "yearly"})
_NOUN_AFTER = re.compile(r"\s+[a-z]")


def set_expression(m: re.Match[str], text: str) -> Draft | None:
    """ "daily", "annually", "every year", "each Tuesday", "twice a week" as TimeML SETs."""
    if m["word"] and m["word"].lower() in _NOUN_FREQUENCIES and _NOUN_AFTER.match(text, m.end()):
        return None
    if m["word"]:
        return Draft(m.start(), m.end(), "SET", SET_WORDS[m["word"].lower()], priority=3)
    if m["times"]:
        unit_word = m["times_unit"].lower()
        return Draft(m.start(), m.end(), "SET", duration_value(1, unit_word), priority=5)
    token = m["unit"]
    word = token.rstrip(".").lower()
    if word in WEEKDAYS:
        value = f"XXXX-WXX-{WEEKDAYS.index(word) + 1}"
    elif word in MONTHS or word in MONTH_ABBREVIATIONS:
        value = f"XXXX-{month_number(token):02d}"
    elif word in SEASONS:
        value = f"XXXX-{SEASONS[word]}"
    else:
        amount = quantity(m["quantity"]) if m["quantity"] else 1.0
        amount = (amount or 1.0) * (2 if m["other"] else 1)
        value = duration_value(amount, word)
    return Draft(m.start(), m.end(), "SET", value, priority=5)
