"""Settings: config/quotebot.toml defaults, then .env, then QUOTEBOT_* variables, then flags."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from retrieval.answer.answerer import AnswerOptions
from retrieval.errors import QuotebotError
from retrieval.search.xapian.remote import Remote

PACKAGE = Path(__file__).resolve().parent
DEFAULT_CONFIG = PACKAGE.parent / "config" / "quotebot.toml"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def bundled_corpus() -> Path:
    """The seeds shipped with quotebot, wherever it runs from.

    An installed wheel carries them as package data (``bot/seeds``); a source checkout or
    an editable install has them beside the package (``seeds/``).
    """
    installed = PACKAGE / "seeds"
    return installed if installed.is_dir() else PACKAGE.parent / "seeds"


class SettingsError(QuotebotError):
    """A setting has a value quotebot cannot use."""


class Settings(BaseSettings):
    """Every knob of quotebot, validated once at start-up."""

    model_config = SettingsConfigDict(
        env_prefix="QUOTEBOT_", env_file=".env", extra="ignore", validate_default=True
    )

    corpus: Path = Field(default_factory=bundled_corpus)
    cache_dir: Path | None = None
    follow_outside_links: bool = False
    chunk_tokens: int = Field(192, ge=16, le=8192)
    chunk_overlap: int = Field(1, ge=0, le=8)
    bm25_k1: float = Field(1.5, ge=0)
    bm25_b: float = Field(0.75, ge=0, le=1)
    bm25_epsilon: float = Field(0.25, ge=0)
    answer_top: int = Field(3, ge=1, le=10)
    abstain_threshold: float = Field(AnswerOptions().threshold, ge=0, le=1)
    discord_token: SecretStr | None = None
    discord_guild_id: int = Field(0, ge=0)
    discord_shard_count: int = Field(0, ge=0)
    discord_message_content: bool = False
    watch: bool = True
    watch_debounce_seconds: float = Field(1.0, gt=0, le=60)
    cooldown_questions: int = Field(5, ge=1)
    cooldown_seconds: float = Field(30.0, gt=0)
    log_level: str = "INFO"
    search_backend: Literal["local", "xapian"] = "local"
    # The K-th entry serves shard-K; the environment takes them comma-separated.
    xapian_remotes: Annotated[list[str], NoDecode] = []
    xapian_timeout_seconds: float = Field(1.5, gt=0, le=60)

    @field_validator("cache_dir", mode="before")
    @classmethod
    def _empty_means_default(cls, value: Any) -> Any:
        return None if value in ("", None) else value

    @field_validator("corpus", mode="before")
    @classmethod
    def _names_a_folder(cls, value: Any) -> Any:
        """An empty path would silently mean the working directory."""
        if isinstance(value, str) and not value.strip():
            raise ValueError("must name a folder (leave it unset for the bundled seeds)")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("xapian_remotes", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("xapian_remotes")
    @classmethod
    def _host_and_port(cls, value: list[str]) -> list[str]:
        return [str(Remote.parse(remote)) for remote in value]

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config = _config_file()
        if config is None:
            return init_settings, env_settings, dotenv_settings
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config)
        return init_settings, env_settings, dotenv_settings, toml


def _config_file() -> Path | None:
    """QUOTEBOT_CONFIG if set, else the repo's defaults file when present.

    An installed wheel has no config folder; the field defaults mirror it.
    """
    chosen = os.environ.get("QUOTEBOT_CONFIG")
    if chosen:
        return Path(chosen)
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def load_settings(**overrides: Any) -> Settings:
    """Build settings, turning every problem into one readable line."""
    config = _config_file()
    if config is not None and not config.is_file():
        raise SettingsError(f"config file {config} cannot be read")
    cleaned = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**cleaned)
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "settings"
        message = first["msg"].removeprefix("Value error, ")
        raise SettingsError(f"invalid setting {name}: {message}") from None
    except (OSError, ValueError) as error:
        raise SettingsError(f"config file {config} cannot be read: {error}") from None
