"""Settings: documented defaults, the override order, and secrets kept secret."""

import tomllib
from pathlib import Path

import pytest

from bot.settings import DEFAULT_CONFIG, Settings, SettingsError, bundled_corpus, load_settings


def test_the_documented_defaults_match_the_built_in_ones() -> None:
    # given the config file shipped with the repo and the class an installed wheel uses
    documented = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    built_in = Settings.model_fields
    # then every documented key exists with the same default
    for key, value in documented.items():
        default = built_in[key].default
        if key == "cache_dir":
            value = value or None
        assert default == value, key


def test_environment_overrides_the_config_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEBOT_CHUNK_TOKENS", "128")
    assert load_settings().chunk_tokens == 128


def test_a_dotenv_file_overrides_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("QUOTEBOT_ANSWER_TOP=5\n", encoding="utf-8")
    assert load_settings().answer_top == 5


def test_flags_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEBOT_CORPUS", "elsewhere")
    assert load_settings(corpus=Path("flagged")).corpus == Path("flagged")


def test_the_token_never_appears_when_settings_are_printed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QUOTEBOT_DISCORD_TOKEN", "MTIz.secret-part.xyz")
    settings = load_settings()
    assert "secret-part" not in repr(settings) and "secret-part" not in str(settings)
    assert settings.discord_token is not None


def test_an_invalid_value_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEBOT_BM25_B", "1.5")
    with pytest.raises(SettingsError, match="bm25_b"):
        load_settings()


def test_a_broken_config_file_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("chunk_tokens = [", encoding="utf-8")
    monkeypatch.setenv("QUOTEBOT_CONFIG", str(broken))
    with pytest.raises(SettingsError, match=r"broken\.toml"):
        load_settings()


def test_the_default_corpus_is_the_bundled_seeds_wherever_quotebot_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    corpus = load_settings().corpus
    assert corpus.is_absolute()
    assert corpus == bundled_corpus()
    assert sorted(path.name for path in corpus.glob("*.txt"))[0].startswith("000_")


def test_an_installed_wheel_s_package_data_seeds_win(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a package folder that carries the seeds as package data
    (tmp_path / "bot" / "seeds").mkdir(parents=True)
    monkeypatch.setattr("bot.settings.PACKAGE", tmp_path / "bot")
    # then they are the default corpus
    assert bundled_corpus() == tmp_path / "bot" / "seeds"


@pytest.mark.parametrize("level", ["debug", " Warning ", "ERROR"])
def test_log_levels_are_read_in_any_case(level: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEBOT_LOG_LEVEL", level)
    assert load_settings().log_level == level.strip().upper()


@pytest.mark.parametrize("level", ["verbose", "", "20"])
def test_an_unknown_log_level_is_refused(level: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEBOT_LOG_LEVEL", level)
    with pytest.raises(SettingsError, match="log_level: must be one of DEBUG"):
        load_settings()
