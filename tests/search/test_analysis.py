"""The analyzer: the same terms for chunks, sentences and questions."""

from __future__ import annotations

import pytest

from retrieval.search import analysis
from retrieval.search.analysis import STOP_WORDS, analyze, tokenize


def test_words_are_casefolded_and_stemmed() -> None:
    assert analyze("Running RUNS") == ["run", "run"]


def test_stop_words_are_dropped() -> None:
    assert analyze("the cat and the hat") == ["cat", "hat"]


def test_a_stop_word_only_question_has_no_terms() -> None:
    assert analyze("What was it, and where was it?") == []


def test_numbers_stay_whole() -> None:
    assert analyze("1,288 people paid 6.15 in 2014") == ["1,288", "peopl", "paid", "6.15", "2014"]


def test_a_currency_amount_with_a_prefix_stays_whole() -> None:
    assert analyze("It cost US$18.") == ["cost", "us$18"]


def test_trailing_number_punctuation_is_not_part_of_the_number() -> None:
    assert analyze("In 2014.") == ["2014"]


def test_hyphenated_words_are_indexed_whole_and_as_parts() -> None:
    assert analyze("pro-Vietnam") == ["pro-vietnam", "pro", "vietnam"]


def test_stop_word_parts_of_hyphenated_words_are_dropped() -> None:
    assert analyze("state-of-the-art") == ["state-of-the-art", "state", "art"]


def test_possessives_match_the_plain_word() -> None:
    given = analyze("nation")
    assert analyze("Nation's") == given
    assert analyze("Nation\u2019s") == given
    assert analyze("nations'") == analyze("nations")


def test_curly_and_straight_apostrophes_are_alike() -> None:
    assert analyze("O\u2019Brien") == analyze("O'Brien") == ["o'brien"]


def test_contractions_are_stop_words_whatever_the_apostrophe() -> None:
    assert analyze("don't don\u2019t") == []


def test_quotes_do_not_stick_to_words() -> None:
    assert analyze("\u201cfreedom\u201d 'freedom' \"freedom\"") == ["freedom"] * 3


def test_compatibility_characters_are_normalized() -> None:
    assert analyze("\ufb01nance \uff21\uff22\uff23") == analyze("finance ABC")


def test_punctuation_splits_words() -> None:
    assert tokenize("snake, end. (paren)") == ["snake", "end", "paren"]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("the __init__ method", ["__init__", "init", "method"]),
        ("http_requests_total", ["http_requests_total", "http", "request", "total"]),
        ("cargo build --release", ["cargo", "build", "--release", "releas"]),
        ("python3 -m venv", ["python3", "-m", "venv"]),
        ("Rc<T> and Vec<String>", ["rc<t>", "rc", "vec<string>", "vec", "string"]),
        ("run manage.py", ["run", "manage.py", "manag", "py"]),
        ("std::io", ["std::io", "std", "io"]),
        ("what does the ? operator do?", ["?", "oper"]),
    ],
)
def test_code_like_tokens_are_kept_whole_beside_their_words(text: str, terms: list[str]) -> None:
    assert analyze(text) == terms


def test_a_generic_type_with_a_space_in_it_is_one_term() -> None:
    assert analyze("returns Box<dyn Error> here") == [
        "return",
        "box<dynerror>",
        "box",
        "dyn",
        "error",
    ]


def test_a_lone_operator_is_a_term_only_before_a_word() -> None:
    assert analyze("a | b | c") == ["|", "b", "|", "c"]
    assert analyze("the result ||") == ["result"]


@pytest.mark.parametrize(
    "text",
    [
        "a Vec< T> b, Box<dyn Error>",
        "x<y z> and x<y",
        "use && then || \t? end ?",
        "-- --release ---- -m",
        "U.S. 6.15 1,288 US$18 don\u2019t std::io __init__",
        "tab\tand\u00a0no-break\u2028line",
    ],
)
def test_pieces_give_the_terms_of_the_whole_text_scan(text: str) -> None:
    scanned = [term for token in tokenize(text) for term in analysis._TERMS[token]]
    assert analyze(text) == analyze(text) == scanned


def test_acronyms_and_decimals_are_not_code() -> None:
    assert analyze("the U.S. rose 6.15 percent") == ["us", "rose", "6.15", "percent"]


def test_a_question_mark_that_ends_a_sentence_is_not_a_term() -> None:
    assert analyze("Is it true? Yes.") == ["true", "yes"]


def test_non_latin_words_are_kept() -> None:
    assert analyze("Hà Nội 東京") == ["hà", "nội", "東京"]


def test_analysis_is_deterministic_across_calls() -> None:
    text = "The committee's pro-Vietnam report cost US$18 million in 2014."
    assert analyze(text) == analyze(text)


def test_stop_words_are_a_lowercase_frozenset() -> None:
    assert isinstance(STOP_WORDS, frozenset)
    assert all(word == word.casefold() for word in STOP_WORDS)
    assert {"the", "and", "of", "is"} <= STOP_WORDS


def test_the_term_memo_holds_at_most_two_generations(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a memo whose generations hold four tokens
    monkeypatch.setattr(analysis, "_GENERATION", 4)
    memo = analysis._TermCache(analysis._TokenAnalyzer())
    # when many distinct tokens are analyzed
    words = [f"word{number}s" for number in range(50)]
    found = [memo[word] for word in words]
    # then it keeps at most two generations, and the terms are the analyzer's
    assert len(memo) + len(memo._older) <= 8
    assert found == [tuple(analyze(word)) for word in words]


def test_a_token_of_the_older_generation_is_not_analyzed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a memo whose current generation just rolled over
    monkeypatch.setattr(analysis, "_GENERATION", 4)
    memo = analysis._TermCache(analysis._TokenAnalyzer())
    for word in ["ferries", "harbours", "islands", "bridges", "rivers"]:
        memo[word]
    analyzed: list[str] = []
    real = memo._analyze
    memo._analyze = lambda token: analyzed.append(token) or real(token)  # type: ignore[method-assign]
    # when a token remembered before the rollover is looked up
    assert memo["ferries"] == ("ferri",)
    # then it comes back from the older generation, not from the analyzer
    assert analyzed == []


def test_a_dotted_name_with_a_curly_apostrophe_is_code_like() -> None:
    assert analyze("conf.d’s files") == ["conf.d's", "conf", "file"]
