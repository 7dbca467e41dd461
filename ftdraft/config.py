"""Settings in one place: environment variables and `.env`, typed (see .env.example)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

EngineChoice = Literal["offline", "llm", "auto"]
StepKind = Literal["extract", "draft"]
# Reply token caps per step: (plain model, reasoning model). Only the tokens a reply uses are billed.
STEP_TOKENS: dict[StepKind, tuple[int, int]] = {"extract": (8000, 25000), "draft": (3000, 12000)}


def default_data_dir() -> Path:
    """A per-user data folder: $XDG_DATA_HOME/ftdraft or ~/.local/share/ftdraft."""
    import os

    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ftdraft"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Model endpoint: any OpenAI-compatible server (docs/model-config.md has one section per server kind).
    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    # Azure OpenAI: classic deployments need an api-version (the SDK's own variable names).
    azure_openai_endpoint: str | None = Field(default=None, alias="AZURE_OPENAI_ENDPOINT")
    azure_openai_api_key: SecretStr | None = Field(default=None, alias="AZURE_OPENAI_API_KEY")
    openai_api_version: str | None = Field(default=None, alias="OPENAI_API_VERSION")
    model: str = Field(default="gpt-4o-mini", alias="FTDRAFT_MODEL")
    engine: EngineChoice = Field(default="auto", alias="FTDRAFT_ENGINE")
    # auto: from the model name (o1/o3/o4, gpt-5: OpenAI reasoning models; deepseek-r1, qwq, qwen3, ...:
    # thinking models); on/off when the name does not say (an Azure deployment name, a renamed local model).
    reasoning: Literal["auto", "on", "off"] = Field(default="auto", alias="FTDRAFT_REASONING")
    request_timeout: float = Field(default=30.0, gt=0, alias="FTDRAFT_REQUEST_TIMEOUT")
    total_budget: float = Field(default=60.0, gt=0, alias="FTDRAFT_TOTAL_BUDGET")
    max_retries: int = Field(default=2, ge=0, le=5, alias="FTDRAFT_MAX_RETRIES")
    temperature: float = Field(default=0.2, ge=0, le=2, alias="FTDRAFT_TEMPERATURE")
    # The cap on every reply; unset: per step (STEP_TOKENS), more for reasoning models, whose hidden
    # reasoning counts against the cap too.
    max_tokens: int | None = Field(default=None, gt=0, le=200_000, alias="FTDRAFT_MAX_TOKENS")
    structured_output: Literal["json_schema", "json_mode"] = Field(
        default="json_schema", alias="FTDRAFT_STRUCTURED_OUTPUT"
    )
    # Retries happen in one place (ftdraft.llm.interface.call_model): exponential backoff from retry_backoff
    # seconds, and a server's Retry-After is honoured up to max_retry_wait seconds (and the time left in the
    # budget); a longer wait stops the model path at once and says so.
    retry_backoff: float = Field(default=0.5, ge=0, le=30, alias="FTDRAFT_RETRY_BACKOFF")
    max_retry_wait: float = Field(default=30.0, ge=0, le=600, alias="FTDRAFT_MAX_RETRY_WAIT")

    # Input limits and storage.
    max_notes_bytes: int = Field(default=200_000, gt=0, alias="FTDRAFT_MAX_NOTES_BYTES")
    # sqlite:///path/to/ftdraft.db (default: <data dir>/ftdraft.db) or postgresql://user:password@host:5432/db
    # (pip install 'ftdraft[postgres]'); see docs/deploy.md.
    database_url: str | None = Field(default=None, alias="FTDRAFT_DATABASE_URL")
    # Sign-in (OpenID Connect) is set up in Streamlit's secrets ([auth], docs/deploy.md). auto: sign-in when [auth]
    # exists, else single-user local mode; required: a page without [auth] stops instead of serving everyone.
    sign_in: Literal["auto", "required"] = Field(default="auto", alias="FTDRAFT_SIGN_IN")

    # The FM's own identity (issue 10): signs the drafts, names the FM in the customer blurb and the FTOP entry
    # when the engagement does not. Unknown: the drafts show "[your name]" and the facts carry a flag.
    fm_name: str | None = Field(default=None, alias="FTDRAFT_FM_NAME")
    fm_email: str | None = Field(default=None, alias="FTDRAFT_FM_EMAIL")

    def resolved_engine(self, choice: EngineChoice | None = None) -> Literal["offline", "llm"]:
        """auto = the model when a key is set, else offline. An explicit 'llm' with no key stays 'llm'
        so the caller can say what is missing."""
        choice = choice or self.engine
        if choice == "auto":
            return "llm" if self.has_key else "offline"
        return choice

    @property
    def has_key(self) -> bool:
        keys = (self.openai_api_key, self.azure_openai_api_key)
        return any(k is not None and k.get_secret_value().strip() for k in keys)

    def reply_tokens(self, step: StepKind, reasoning: bool, notes_chars: int = 0) -> int:
        """The token cap of one reply for `step`: FTDRAFT_MAX_TOKENS when set, else STEP_TOKENS, and for the
        extraction of a long note (notes_chars: its length) up to half a token per character of the notes,
        at most 32,000 (a server whose model writes less says so in a 400 and gets its limit). Sources: the
        extraction of a long note runs past 2,000 tokens, and a reasoning model's hidden reasoning counts
        against the cap (OpenAI's reasoning guide advises reserving ~25,000 tokens)."""
        if self.max_tokens is not None:
            return self.max_tokens
        base = STEP_TOKENS[step][1 if reasoning else 0]
        return max(base, min(notes_chars // 2, 32_000)) if step == "extract" else base

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        data = default_data_dir()
        data.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{data / 'ftdraft.db'}"


def fm_file() -> Path:
    """Where the app remembers the FM's name and email from its sidebar: <data dir>/fm.json."""
    return default_data_dir() / "fm.json"


def remember_fm(name: str | None, email: str | None, path: Path | None = None) -> None:
    """Keep the FM's name and email (typed in the app's sidebar) for the next session; blanks forget them."""
    import json

    path = path or fm_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"name": (name or "").strip(), "email": (email or "").strip()}
    path.write_text(json.dumps(data), encoding="utf-8")


def with_remembered_fm(settings: Settings, path: Path | None = None) -> Settings:
    """The settings with the FM the sidebar remembered, which wins over FTDRAFT_FM_NAME / FTDRAFT_FM_EMAIL
    (it is what the FM typed last). A missing or unreadable file changes nothing."""
    import json

    path = path or fm_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return settings
    if not isinstance(data, dict):
        return settings
    name, email = str(data.get("name") or "").strip(), str(data.get("email") or "").strip()
    update = {k: v for k, v in (("fm_name", name), ("fm_email", email)) if v}
    return settings.model_copy(update=update) if update else settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment and .env. Raises ConfigError naming the variable when one is
    invalid (e.g. FTDRAFT_MAX_TOKENS=abc), never a traceback."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        from .errors import ConfigError

        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "a setting"
        raise ConfigError(f"{name}: {err['msg']}. Fix it in the environment or .env (see .env.example).") from None
