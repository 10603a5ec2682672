"""The answerer: verbatim quotes with document IDs, or a plain abstention."""

import json
import random
from pathlib import Path

import pytest

from retrieval.answer.answerer import AnswerOptions
from retrieval.errors import InvalidQuery, UnknownDocument
from retrieval.ingest.clean_span import collapse_whitespace
from retrieval.ingest.fidelity import faithful
from retrieval.models import SentenceKind
from retrieval.search.corpus_cache import IndexOptions
from retrieval.service import QAService
from tests.conftest import write_corpus

DATA = Path(__file__).resolve().parents[1] / "data"


def _dev_questions() -> list[str]:
    path = DATA / "dev_questions.jsonl"
    if not path.exists():
        return []
    return [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line]


def _sampled_questions(service: QAService, count: int) -> list[str]:
    """Questions made of a few words of random prose sentences."""
    corpus = service.corpus
    body = [s.text for s in corpus.sentences if s.kind is SentenceKind.BODY]
    chooser = random.Random(7)
    questions = []
    for sentence in chooser.sample(body, min(count, len(body))):
        words = sentence.split()
        chosen = chooser.sample(words, min(len(words), 4))
        questions.append("What about " + " ".join(chosen) + "?")
    return questions


def test_every_quote_is_its_source_slice_over_hundreds_of_questions(
    seeds_service: QAService,
) -> None:
    # given a few hundred questions about the seeds
    questions = _dev_questions() + _sampled_questions(seeds_service, 250)
    assert len(questions) >= 250
    quoted = 0
    for question in questions:
        # when each is answered (a sample of only common words is rightly refused)
        try:
            answer = seeds_service.ask(question, top=5)
        except InvalidQuery:
            continue
        # then every quote is the original file's [start:end] with whitespace collapsed
        for quote in answer.quotes:
            original = (seeds_service.status().corpus / quote.source).read_text(encoding="utf-8")
            assert collapse_whitespace(original[quote.start : quote.end]) == quote.text
            assert quote.source.startswith(quote.doc_id)
            quoted += 1
    assert quoted > 250


def test_a_question_the_sources_answer_gets_the_answering_sentence(
    seeds_service: QAService,
) -> None:
    answer = seeds_service.ask("How many Americans remained unaccounted for in Southeast Asia?")
    assert not answer.abstained
    assert "1,679" in answer.quotes[0].text
    assert answer.quotes[0].doc_id == "002_d6c62ff19fc9144c"


def test_a_question_about_absent_things_abstains_with_nearest_sources(
    seeds_service: QAService,
) -> None:
    answer = seeds_service.ask("What is the boiling point of liquid nitrogen in kelvin?")
    assert answer.abstained
    assert answer.quotes == []


def test_abstaining_still_names_the_nearest_documents(seeds_service: QAService) -> None:
    answer = seeds_service.ask("Which orchestra toured the Vietnamese countryside with violins?")
    assert answer.abstained
    assert answer.nearest and all(n.doc_id in seeds_service.doc_ids() for n in answer.nearest)


def test_quotes_can_be_limited_to_given_documents(seeds_service: QAService) -> None:
    answer = seeds_service.ask(
        "When was the embargo on lethal weapons lifted?", docs=["001_1f37cc2d15cd2da9"]
    )
    assert {q.doc_id for q in answer.quotes} <= {"001_1f37cc2d15cd2da9"}


def test_an_unknown_document_id_names_the_closest_ones(seeds_service: QAService) -> None:
    with pytest.raises(UnknownDocument, match="002_d6c62ff19fc9144c"):
        seeds_service.ask("What happened?", docs=["002_d6c62ff19fc9144x"])


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("why " * 300, "1,000"),
        ("What is it that they were?", "only common words"),
        ("🚀🔥🎉 ??", "only symbols or emoji"),
    ],
)
def test_unusable_questions_get_a_clear_message(
    seeds_service: QAService, question: str, message: str
) -> None:
    with pytest.raises(InvalidQuery, match=message):
        seeds_service.ask(question)


@pytest.mark.parametrize(
    "question",
    [
        "¿Cuándo se levantó el embargo de armas?",
        "武器禁运是什么时候解除的？",
        "embargo 🚀🔥 lifted??",
        "**When** was the _embargo_ `lifted`? [link](http://x.y)",
        "@everyone <@123456> when was the embargo lifted",
        "when\x00 was\x1b[31m the embargo\x07 lifted",
    ],
)
def test_odd_questions_are_answered_or_abstained_never_raised(
    seeds_service: QAService, question: str
) -> None:
    answer = seeds_service.ask(question)
    assert answer.abstained or answer.quotes


def test_the_same_sentence_in_two_documents_is_one_quote_with_also_in(tmp_path: Path) -> None:
    # given two documents that state the same sentence
    shared = "The lighthouse keeper retired in 1987 after forty years of service."
    write_corpus(
        tmp_path / "corpus",
        {
            "a.txt": f"Coastal history is long. {shared} The light was automated.",
            "b.txt": f"Many towns changed. {shared} Tourism grew afterwards.",
        },
    )
    service = QAService.open(tmp_path / "corpus", IndexOptions(), tmp_path / "cache")
    # when asked about it
    answer = service.ask("When did the lighthouse keeper retire?")
    # then one quote carries both document IDs
    first = answer.quotes[0]
    assert first.text == shared
    assert {first.doc_id, *first.also_in} == {"a", "b"}
    assert [q.text for q in answer.quotes].count(shared) == 1


def test_a_glossary_entry_for_a_word_every_page_uses_answers_what_it_is(tmp_path: Path) -> None:
    # given pages that use a word more often than the glossary entry that defines it
    pages = {
        f"page{n}.md": f"# Page {n}\n\nThe widget on page {n} holds a widget and one more widget.\n"
        for n in range(5)
    }
    glossary = (
        "# Glossary\n\n## gadget\n\nA small tool with one use.\n\n"
        "## widget\n\nA control that draws itself and reacts to input.\n\n"
        "## gizmo\n\nA device whose name its maker forgot.\n"
    )
    write_corpus(tmp_path / "corpus", {**pages, "glossary.md": glossary})
    options = AnswerOptions(threshold=0.0, candidate_chunks=2)
    service = QAService.open(tmp_path / "corpus", IndexOptions(), tmp_path / "cache", options)
    # when asked what the word is
    answer = service.ask("What is a widget?")
    # then the glossary's definition comes first
    assert answer.quotes[0].text == "A control that draws itself and reacts to input."


def test_a_unique_prefix_of_a_document_id_is_enough(seeds_service: QAService) -> None:
    answer = seeds_service.ask("When was the embargo lifted?", docs=["002"])
    assert {q.doc_id for q in answer.quotes} <= {"002_d6c62ff19fc9144c"}


def test_an_unknown_id_with_nothing_close_points_to_the_list(seeds_service: QAService) -> None:
    with pytest.raises(UnknownDocument, match="quotebot docs"):
        seeds_service.ask("What happened?", docs=["zzz"])


@pytest.mark.parametrize("name", ["heldout", "blind", "newswire", "reference"])
def test_quotes_are_verbatim_on_every_bundled_question_set(name: str, tmp_path: Path) -> None:
    # given a corpus of another style (wrapped, markdown, web page, news wire) and its questions
    root = DATA / name
    service = QAService.open(root / "corpus", IndexOptions(), tmp_path)
    questions = [
        json.loads(line)["q"]
        for line in (root / "questions.jsonl").read_text(encoding="utf-8").splitlines()
        if line
    ]
    # when every question is answered
    for question in questions:
        for quote in service.ask(question, top=5).quotes:
            # then each quote's words are the words of its source file's slice, markup aside
            original = (root / "corpus" / quote.source).read_text(encoding="utf-8")
            assert faithful(original[quote.start : quote.end], quote.text)


@pytest.mark.parametrize(
    "question",
    [
        "How many goals did Messi score in 2012?",
        "What is the boiling point of water at sea level?",
        "What does the ? operator do in Rust?",
        "What is a string slice?",
    ],
)
def test_questions_about_other_subjects_abstain(seeds_service: QAService, question: str) -> None:
    # given questions written for other collections (a footballer, physics, a programming book)
    answer = seeds_service.ask(question)
    # then the answerer refuses, with a confidence well below one half
    assert answer.abstained
    assert answer.confidence < 0.2


def test_a_well_covered_question_gets_a_high_confidence(seeds_service: QAService) -> None:
    answer = seeds_service.ask("How many Americans remained unaccounted for in Southeast Asia?")
    assert 0.5 < answer.confidence <= 1.0
