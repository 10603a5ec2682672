"""Which document a person means by what they typed.

IDs are paths (``docs/concepts/index``), long to type, so a person may give the ID in
any case, a unique prefix of it, or a unique tail of its path: the file stem
(``argparse`` for ``library/argparse``) or more of it (``concepts/index``), else a
unique prefix of the stem. Anything else names the candidates, so the next try works.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence

from retrieval.errors import UnknownDocument

_SHOWN = 3


def _stem(doc_id: str) -> str:
    return doc_id.rsplit("/", 1)[-1]


def _rules(wanted: str) -> list[Callable[[str], bool]]:
    return [
        lambda doc_id: doc_id == wanted,
        lambda doc_id: doc_id.startswith(wanted),
        lambda doc_id: doc_id.endswith("/" + wanted),
        lambda doc_id: _stem(doc_id).startswith(wanted),
    ]


def resolve_doc_id(value: str, known: Sequence[str], listing_hint: str) -> str:
    """The one known ID that ``value`` means; raises UnknownDocument naming the candidates.

    ``listing_hint`` tells the person where the IDs are listed ("/sources lists them").
    """
    typed = value.strip()
    if typed in known:
        return typed
    wanted = typed.casefold()
    folded = [(doc_id.casefold(), doc_id) for doc_id in known]
    if not wanted:
        raise UnknownDocument(f"unknown document ''; {listing_hint}")
    for rule in _rules(wanted):
        matches = [doc_id for key, doc_id in folded if rule(key)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            more = len(matches) - _SHOWN
            shown = ", ".join(matches[:_SHOWN]) + (f" (or {more} more)" if more > 0 else "")
            raise UnknownDocument(f"unknown document {typed!r}; did you mean {shown}?")
    close = difflib.get_close_matches(typed, list(known), n=_SHOWN, cutoff=0.3)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; {listing_hint}"
    raise UnknownDocument(f"unknown document {typed!r}{hint}")
