"""One source of configuration: environment variables, prefix CASEBOOK_ (DATABASE_URL and REDIS_URL
keep their standard names)."""

import secrets
from functools import cached_property
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEBOOK_", extra="ignore")

    data_dir: Path = Path("./data")
    database_url: str | None = Field(default=None, validation_alias=AliasChoices("DATABASE_URL"))
    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("REDIS_URL"))
    secret_key: str | None = None
    max_text_bytes: int = 100_000
    max_request_bytes: int = 2_000_000
    embed_model: str | None = None
    embed_backend: str = "auto"  # auto | onnx-int8 | torch
    embed_cache_dir: Path | None = None  # where the converted (ONNX) model is kept; default ~/.cache/casebook
    llm_url: str | None = None
    llm_model: str | None = None
    default_language: str = "nl"
    secure_cookies: bool = False

    @property
    def sqlalchemy_url(self) -> str:
        """The configured database, or the embedded SQLite file inside the data dir."""
        if self.database_url:
            return self.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
        return f"sqlite:///{(self.data_dir / 'casebook.db').resolve()}"

    @cached_property
    def session_secret(self) -> str:
        """Signing key for session cookies; generated once per data dir so restarts keep users logged in."""
        if self.secret_key:
            return self.secret_key
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key_file = self.data_dir / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return key_file.read_text().strip()


def get_settings() -> Settings:
    return Settings()
