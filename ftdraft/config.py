"""Settings in one place: environment variables and `.env`, typed (see .env.example)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

EngineChoice = Literal["offline", "llm", "auto"]


def default_data_dir() -> Path:
    """A per-user data folder: $XDG_DATA_HOME/ftdraft or ~/.local/share/ftdraft."""
    import os

    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ftdraft"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Model endpoint: any OpenAI-compatible server.
    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    model: str = Field(default="gpt-4o-mini", alias="FTDRAFT_MODEL")
    engine: EngineChoice = Field(default="auto", alias="FTDRAFT_ENGINE")
    request_timeout: float = Field(default=30.0, gt=0, alias="FTDRAFT_REQUEST_TIMEOUT")
    total_budget: float = Field(default=60.0, gt=0, alias="FTDRAFT_TOTAL_BUDGET")
    max_retries: int = Field(default=2, ge=0, le=5, alias="FTDRAFT_MAX_RETRIES")
    temperature: float = Field(default=0.2, ge=0, le=2, alias="FTDRAFT_TEMPERATURE")
    max_tokens: int = Field(default=2000, gt=0, le=16000, alias="FTDRAFT_MAX_TOKENS")
    structured_output: Literal["json_schema", "json_mode"] = Field(
        default="json_schema", alias="FTDRAFT_STRUCTURED_OUTPUT"
    )
    # Retries happen in one place (ftdraft.llm.call_model): exponential backoff from retry_backoff seconds,
    # and a server's Retry-After is honoured up to max_retry_wait seconds (longer waits give up instead).
    retry_backoff: float = Field(default=0.5, ge=0, le=30, alias="FTDRAFT_RETRY_BACKOFF")
    max_retry_wait: float = Field(default=5.0, ge=0, le=60, alias="FTDRAFT_MAX_RETRY_WAIT")

    # Input limits and storage.
    max_notes_bytes: int = Field(default=200_000, gt=0, alias="FTDRAFT_MAX_NOTES_BYTES")
    database_url: str | None = Field(default=None, alias="FTDRAFT_DATABASE_URL")

    def resolved_engine(self, choice: EngineChoice | None = None) -> Literal["offline", "llm"]:
        """auto = the model when a key is set, else offline. An explicit 'llm' with no key stays 'llm'
        so the caller can say what is missing."""
        choice = choice or self.engine
        if choice == "auto":
            return "llm" if self.has_key else "offline"
        return choice

    @property
    def has_key(self) -> bool:
        return bool(self.openai_api_key and self.openai_api_key.get_secret_value().strip())

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        data = default_data_dir()
        data.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{data / 'ftdraft.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
