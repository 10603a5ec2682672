"""Settings: documented defaults, the override order, and secrets kept secret."""

import tomllib
from pathlib import Path

import pytest

from bot.settings import DEFAULT_CONFIG, Settings, SettingsError, load_settings


def test_the_documented_defaults_match_the_built_in_ones() -> None:
    # given the config file shipped with the repo and the class an installed wheel uses
    documented = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    built_in = Settings.model_fields
    # then every documented key exists with the same default
    for key, value in documented.items():
        default = built_in[key].default
        if key == "corpus":
            default = str(default)
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
