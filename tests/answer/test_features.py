"""What the answerer measures about candidate sentences, and which it reads."""

from pathlib import Path

from retrieval.answer.answerer import Candidate
from retrieval.answer.features import FEATURES
from retrieval.answer.question import parse_question
from retrieval.search.corpus_cache import IndexOptions
from retrieval.service import QAService
from tests.conftest import write_corpus

_GUIDE = """# Rules

## Recording rules

Recording rules precompute expensive expressions and save the results.
Dashboards load faster when they query recording rules instead.

## Alerting

Alerts fire when an expression holds for a while.
"""


def _candidates(tmp_path: Path, files: dict[str, str], question: str) -> dict[str, Candidate]:
    write_corpus(tmp_path / "corpus", files)
    service = QAService.open(tmp_path / "corpus", IndexOptions(), tmp_path / "cache")
    search = service._state.search
    _, _, found = service._state.answerer.candidates(parse_question(question))
    return {search.sentence(c.index).text: c for c in found}


def _feature(candidate: Candidate, name: str) -> float:
    return float(candidate.features[FEATURES.index(name)])


def test_a_sentence_opening_with_the_question_words_is_about_them(tmp_path: Path) -> None:
    # given a sentence whose subject is the asked-about thing and one that only mentions it
    found = _candidates(tmp_path, {"guide.md": _GUIDE}, "What do recording rules do?")
    subject = found["Recording rules precompute expensive expressions and save the results."]
    mention = found["Dashboards load faster when they query recording rules instead."]
    # then only the first opens with the question's words
    assert _feature(subject, "opening") == 1.0
    assert _feature(mention, "opening") == 0.0


def test_a_page_titled_by_the_question_contributes_its_opening(tmp_path: Path) -> None:
    # given a page named "Widgets" whose opening defines them, and many pages that use
    # the word more often
    busy = " ".join(f"The widget count {n} is shown on widget panel {n}." for n in range(30))
    files = {f"panel{n}.md": f"# Panel {n}\n\n{busy}\n" for n in range(30)}
    files["widgets.md"] = "# Widgets\n\nA widget is a small reusable part of a page.\n\n" + (
        "## Layout\n\nPanels line up in a grid.\n" * 3
    )
    # when asked what a widget is
    found = _candidates(tmp_path, files, "What is a widget?")
    # then the defining opening of the titled page is among the candidates
    assert "A widget is a small reusable part of a page." in found


def test_the_opening_of_a_page_titled_by_the_question_is_marked(tmp_path: Path) -> None:
    # given a page titled "Widgets" and another page that mentions widgets
    files = {
        "widgets.md": "# Widgets\n\nA widget is a small reusable part of a page.\n",
        "panels.md": "# Panels\n\nA panel holds a widget and a caption.\n",
    }
    # when asked what a widget is
    found = _candidates(tmp_path, files, "What is a widget?")
    # then only the titled page's opening is the opening of a page named for it
    assert _feature(found["A widget is a small reusable part of a page."], "title_lead") == 1.0
    assert _feature(found["A panel holds a widget and a caption."], "title_lead") == 0.0


def test_a_why_question_prefers_a_section_headed_as_a_rationale(tmp_path: Path) -> None:
    # given the same word in a "Rationale" section and in a "Specification" section
    guide = (
        "# Widgets\n\n## Rationale\n\nWidgets keep pages small and easy to change.\n\n"
        "## Specification\n\nWidgets are declared in a widget file.\n"
    )
    # when asked why
    found = _candidates(tmp_path, {"guide.md": guide}, "Why have widgets?")
    # then only the first sits under a heading that names a reason
    assert _feature(found["Widgets keep pages small and easy to change."], "heading_cue") == 1.0
    assert _feature(found["Widgets are declared in a widget file."], "heading_cue") == 0.0


_RELEASE_NOTE = "# Release notes\n\n## 2.0\n\nThe exporter now listens on a socket by default.\n"
_MANUAL = "# Exporter\n\nThe exporter listens on port 9100 unless told otherwise.\n"


def test_a_release_note_is_marked_for_a_question_that_asks_neither_when_nor_which_version(
    tmp_path: Path,
) -> None:
    # given a release note and a manual page that both say where the exporter listens
    files = {"changelog.md": _RELEASE_NOTE, "exporter.md": _MANUAL}
    # when asked where it listens
    found = _candidates(tmp_path, files, "Where does the exporter listen?")
    # then only the release note's sentence is marked as one
    assert _feature(found["The exporter now listens on a socket by default."], "changelog") == 1.0
    assert (
        _feature(found["The exporter listens on port 9100 unless told otherwise."], "changelog")
        == 0.0
    )


def test_a_release_note_is_not_marked_for_a_question_about_a_version(tmp_path: Path) -> None:
    # given the same release note
    files = {"changelog.md": _RELEASE_NOTE, "exporter.md": _MANUAL}
    # when asked in which version something changed
    found = _candidates(tmp_path, files, "In which version does the exporter listen on a socket?")
    # then its sentence is not held against it
    assert _feature(found["The exporter now listens on a socket by default."], "changelog") == 0.0
