"""Recognise misspelled month names ("Augsut") where the surrounding text is clearly a date."""

from __future__ import annotations

from functools import lru_cache

from retrieval.timeline.temporal.lexicon import MONTHS


def _distance(a: str, b: str) -> int:
    """Optimal-string-alignment edit distance (Damerau-Levenshtein with adjacent swaps)."""
    rows = [list(range(len(b) + 1))]
    for i, char_a in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _tolerance(month: str) -> int:
    """Short month names tolerate only a swap; otherwise ordinary words would turn into months."""
    if len(month) <= 5:
        return 0
    return 1 if len(month) <= 7 else 2


def _is_swap(word: str, month: str) -> bool:
    return (
        len(word) == len(month)
        and sorted(word) == sorted(month)
        and sum(a != b for a, b in zip(word, month, strict=True)) == 2
    )


@lru_cache(maxsize=4096)
def corrected_month(word: str) -> int | None:
    """Month number (1-12) a near-miss spelling stands for, or None when it is no month."""
    lowered = word.lower()
    if lowered in MONTHS:
        return None
    for number, month in enumerate(MONTHS, 1):
        if lowered[0] != month[0] or abs(len(lowered) - len(month)) > 2:
            continue
        if _is_swap(lowered, month) or 0 < _distance(lowered, month) <= _tolerance(month):
            return number
    return None
