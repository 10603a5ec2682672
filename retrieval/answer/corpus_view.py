"""What the answerer learns about a corpus's sentences as it reads them, and where a
question's terms are found around its candidates.

A sentence's terms, neighbours, headings and form do not depend on the question, so
they are worked out the first time a question reaches the sentence and kept; each
question then only looks its own terms up (``locate``). When an update swaps in a new
index, what was learned about the documents it left unchanged is carried over (``carry``).
"""

from __future__ import annotations

import dataclasses
import functools
import weakref
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from retrieval.answer.evidence import is_changelog
from retrieval.answer.features import (
    OPENING_TERMS,
    Matches,
    QuestionProfile,
    SentenceFacts,
    TermMatcher,
    carries_on,
    is_short,
)
from retrieval.answer.memo import Key, Memo, Value
from retrieval.ingest.sentences import code_after
from retrieval.models import ANSWERABLE_KINDS, SECTION_SEPARATOR
from retrieval.search.analysis import analyze
from retrieval.search.backend import SearchBackend

_LEAD_SENTENCES = 5
# Bounds on what is kept, so memory stays flat however many questions a process answers.
_MEMO_SENTENCES = 1 << 16
_MEMO_DOCUMENTS = 1 << 14
_MEMO_SECTIONS = 1 << 14


class CorpusView:
    """The answerable sentences of one search backend, with their facts kept once read."""

    def __init__(self, search: SearchBackend) -> None:
        self._search = search
        # The memos reach this view's readers weakly: a strong reference would make a cycle
        # that only the cyclic collector frees, with all the memo kept, after an index swap.
        self._facts = Memo(_weakly(self._read), _MEMO_SENTENCES)
        self._subjects = Memo(search.subjects, _MEMO_DOCUMENTS)
        self._headings = Memo(_weakly(self._read_heading_terms), _MEMO_SECTIONS)
        self._changelogs = Memo(_weakly(self._read_changelog), _MEMO_DOCUMENTS)
        self._titles: dict[str, frozenset[str]] | None = None
        self._titled_by: dict[str, list[str]] = {}
        self._carried: _Carried | None = None

    def carry(self, older: CorpusView, moved: Mapping[str, int]) -> None:
        """Takes over what ``older`` learned about the documents in ``moved``, unchanged
        since and their sentences now ``moved[doc_id]`` places further on, so that the
        questions after an update do not each meet an empty memo.

        Sentence facts are taken over as questions reach them: moving a full memo at once
        (65,536 entries) held the interpreter for a second while questions waited.
        """
        self._carried = _Carried(older._facts.entries(), dict(moved))
        for doc_id, subject in older._subjects.entries().items():
            if doc_id in moved:
                self._subjects.put(doc_id, subject)
        for section, heading in older._headings.entries().items():
            if section[0] in moved:
                self._headings.put(section, heading)
        if older._titles is not None:
            self._know_titles(_titled(self._search.titles(), older._titles, moved))

    def facts(self, index: int) -> SentenceFacts:
        """The facts of the answerable sentence at corpus index ``index``."""
        return self._facts(index)

    def topical(self, doc_id: str, terms: Sequence[str]) -> list[bool]:
        """Which of ``terms`` run through the document (its subject, "the museum"):
        found in a large share of its prose sentences, and in more than one (worked out at
        index time: ``retrieval.search.subjects``)."""
        subjects = self._subjects(doc_id)
        return [term in subjects for term in terms]

    def titled(self, terms: Sequence[str]) -> list[str]:
        """The documents whose whole title is among ``terms`` ("Models" for "What is a
        model?"): a page named for what is asked about. Longest title first, then the
        one named by the rarest words."""
        titles = self._title_terms()
        wanted = set(terms)
        found = {doc_id for term in wanted for doc_id in self._titled_by.get(term, ())}
        matching = [doc_id for doc_id in found if titles[doc_id] <= wanted]
        return sorted(
            matching,
            key=lambda doc_id: (
                -len(titles[doc_id]),
                sum(map(self._search.doc_freq, titles[doc_id])),
                doc_id,
            ),
        )

    def _title_terms(self) -> dict[str, frozenset[str]]:
        """Every document's title terms, and which documents each term titles (read once:
        a few words per document)."""
        if self._titles is None:
            return self._know_titles(_titled(self._search.titles(), {}, {}))
        return self._titles

    def _know_titles(self, titles: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
        # The index by term first: a thread that finds the titles finds it too.
        self._titled_by = _titled_by(titles)
        self._titles = titles
        return titles

    def code_after(self, index: int) -> str | None:
        """The code block right after the sentence at ``index``, in the same document."""
        following = index + 1
        if following not in self._search.sentence_range(self._search.sentence(index).doc_id):
            return None
        return code_after([self._search.sentence(index), self._search.sentence(following)], 0)

    def _read(self, index: int) -> SentenceFacts:
        sentence = self._search.sentence(index)
        carried = self._carried_facts(index, sentence.doc_id)
        if carried is not None:
            return carried
        text = sentence.text
        return SentenceFacts(
            text=text,
            doc_id=sentence.doc_id,
            terms=tuple(analyze(text)),
            previous=self._neighbour(index, -1),
            following=self._neighbour(index, 1),
            heading=self._heading_terms(sentence.doc_id, sentence.section),
            title=self._heading_terms(sentence.doc_id, ""),
            lead=max(0.0, 1.0 - self._ordinal(index) / _LEAD_SENTENCES),
            continues=carries_on(text),
            short=is_short(text),
            asks=text.rstrip().endswith("?"),
            code_follows=self.code_after(index) is not None,
            opens_section=self._opens_section(index),
            own_heading=innermost_heading(sentence.section),
            changelog=self._changelogs(sentence.doc_id),
        )

    def _carried_facts(self, index: int, doc_id: str) -> SentenceFacts | None:
        """What the index before the last update knew of this sentence, if its document is
        unchanged; the old memo is let go once this one is full."""
        carried = self._carried
        if carried is None:
            return None
        if self._facts.full:
            self._carried = None
            return None
        shift = carried.moved.get(doc_id)
        if shift is None:
            return None
        found = carried.facts.get(index - shift)
        return _shifted(found, shift) if found is not None and found.doc_id == doc_id else None

    def _neighbour(self, index: int, step: int) -> int | None:
        """The answerable sentence ``step`` away, when it is in the same document."""
        other = index + step
        if other not in self._search.sentence_range(self._search.sentence(index).doc_id):
            return None
        return other if self._search.sentence(other).kind in ANSWERABLE_KINDS else None

    def _heading_terms(self, doc_id: str, section: str) -> tuple[str, ...]:
        """Terms of a section path and its document's title (shared by its sentences)."""
        return self._headings((doc_id, section))

    def _read_heading_terms(self, place: tuple[str, str]) -> tuple[str, ...]:
        doc_id, section = place
        title = self._search.document(doc_id).title
        return tuple(dict.fromkeys(analyze(f"{section} {title}")))

    def _read_changelog(self, doc_id: str) -> bool:
        document = self._search.document(doc_id)
        return is_changelog(document.title, document.source)

    def _ordinal(self, index: int) -> int:
        """How many answerable sentences of its document come before this one (counted
        up to ``_LEAD_SENTENCES``)."""
        before = 0
        for other in self._search.sentence_range(self._search.sentence(index).doc_id):
            if other >= index or before >= _LEAD_SENTENCES:
                break
            before += self._search.sentence(other).kind in ANSWERABLE_KINDS
        return before

    def _opens_section(self, index: int) -> bool:
        """Whether no answerable sentence of the same section comes before this one."""
        sentence = self._search.sentence(index)
        for other in reversed(range(self._search.sentence_range(sentence.doc_id).start, index)):
            earlier = self._search.sentence(other)
            if earlier.section != sentence.section:
                return True
            if earlier.kind in ANSWERABLE_KINDS:
                return False
        return True


@functools.lru_cache(maxsize=_MEMO_SECTIONS)
def innermost_heading(section: str) -> frozenset[str]:
    """The terms of the last heading of a section path ("Glossary > builder" gives builder)."""
    return frozenset(analyze(section.rsplit(SECTION_SEPARATOR, 1)[-1]))


def _weakly(method: Callable[[Key], Value]) -> Callable[[Key], Value]:
    """``method``, called through a weak reference to its object (which owns the caller)."""
    reference = weakref.WeakMethod(method)
    return lambda key: reference()(key)  # type: ignore[misc]


@dataclasses.dataclass(frozen=True, slots=True)
class _Carried:
    """The sentence facts of the index an update replaced, and how far each unchanged
    document's sentences moved."""

    facts: dict[int, SentenceFacts]
    moved: dict[str, int]


def _shifted(facts: SentenceFacts, shift: int) -> SentenceFacts:
    if not shift:
        return facts
    return dataclasses.replace(
        facts,
        previous=None if facts.previous is None else facts.previous + shift,
        following=None if facts.following is None else facts.following + shift,
    )


def _titled(
    titles: Mapping[str, str], known: Mapping[str, frozenset[str]], kept: Mapping[str, int]
) -> dict[str, frozenset[str]]:
    """Each document's title terms: those of ``kept`` documents from ``known``."""
    return {
        doc_id: known[doc_id] if doc_id in kept else frozenset(analyze(title))
        for doc_id, title in titles.items()
    }


def _titled_by(titles: Mapping[str, frozenset[str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for doc_id, terms in titles.items():
        for term in terms:
            found.setdefault(term, []).append(doc_id)
    return found


def locate(view: CorpusView, profile: QuestionProfile, indices: Sequence[int]) -> Matches:
    """Where the question's terms are for each candidate: in it, its neighbours, its
    headings, its document's subject (each sentence and section looked at once)."""
    matcher = TermMatcher(list(profile.weights))
    absent = ([0] * matcher.size, [False] * matcher.size)
    sentences: dict[int, tuple[list[int], list[bool]]] = {}
    headings: dict[tuple[str, ...], tuple[list[int], list[bool]]] = {}
    topical: dict[str, list[bool]] = {}

    def sentence(index: int | None) -> tuple[list[int], list[bool]]:
        if index is None:
            return absent
        found = sentences.get(index)
        if found is None:
            found = sentences[index] = matcher.counts(view.facts(index).terms)
        return found

    def heading(terms: tuple[str, ...]) -> tuple[list[int], list[bool]]:
        found = headings.get(terms)
        if found is None:
            found = headings[terms] = matcher.counts(terms)
        return found

    def subject(doc_id: str) -> list[bool]:
        found = topical.get(doc_id)
        if found is None:
            found = topical[doc_id] = view.topical(doc_id, list(profile.weights))
        return found

    facts = [view.facts(index) for index in indices]
    own = [sentence(index) for index in indices]
    openings = [matcher.counts(f.terms[:OPENING_TERMS])[0] for f in facts]
    before = [sentence(f.previous) for f in facts]
    after = [sentence(f.following) for f in facts]
    above = [heading(f.heading) for f in facts]
    titles = [heading(f.title) for f in facts]
    return Matches(
        sentence=np.array([counts for counts, _ in own], dtype=int),
        sentence_soft=np.array([soft for _, soft in own], dtype=bool),
        opening=np.array(openings, dtype=bool).reshape(len(facts), matcher.size),
        previous=np.array([counts for counts, _ in before], dtype=bool),
        previous_soft=np.array([soft for _, soft in before], dtype=bool),
        following=np.array([counts for counts, _ in after], dtype=bool),
        following_soft=np.array([soft for _, soft in after], dtype=bool),
        heading=np.array([counts for counts, _ in above], dtype=bool),
        heading_soft=np.array([soft for _, soft in above], dtype=bool),
        title=np.array([counts for counts, _ in titles], dtype=bool),
        topical=np.array([subject(f.doc_id) for f in facts], dtype=bool),
    )
