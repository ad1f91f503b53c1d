"""One source of configuration: environment variables, prefix CASEBOOK_ (DATABASE_URL and REDIS_URL
keep their standard names)."""

import contextlib
import os
import secrets
import threading
from functools import cached_property
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine
from sqlmodel import Session

from casebook.db import database_key


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
    # The assistant's LLM backend: any OpenAI-compatible server; no URL = the built-in assistant only.
    llm_url: str | None = None
    llm_model: str | None = None
    llm_timeout: float = Field(default=20.0, gt=0)  # seconds before the built-in assistant answers instead
    llm_max_tokens: int = Field(default=600, gt=0)  # the longest answer the server is asked for, in tokens
    llm_prompt_chars: int | None = Field(
        default=None, ge=1_000
    )  # the prompt's size; None: the assistant's default
    default_language: str = "nl"
    # Live room, per user and per process (0 = no limit): open sockets, and events per second with bursts.
    room_max_connections_per_user: int = 5
    room_events_per_second: float = 10.0
    room_event_burst: int = 20
    # Questions to the assistant, per user and per process, in the room, the case panel and the API together
    # (0 = no limit): each reads the casebook and the Dutch model, so a stream of them would hold it for others.
    assistant_questions_per_minute: float = Field(default=20.0, ge=0)
    assistant_question_burst: int = Field(default=5, ge=1)
    # Cases the assistant's Dutch-reading model reads in the background at start, most recently changed first
    # (~0.1-0.15 s of one core each, in every process), so the first questions need not (0: none; each question
    # reads what it lacks). At most half the model's cache (search.multilingual.CACHE_SIZE, 20,000 texts),
    # which questions and recurrence share.
    assistant_warm_cases: int = Field(default=2000, ge=0, le=10_000)
    secure_cookies: bool = False
    # Login throttling (casebook/accounts/throttle.py): failures within the window before further attempts
    # are answered 429 without hashing, and how many Argon2 hashes (64 MiB each) may run at once.
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=20, ge=1)
    login_window_seconds: int = Field(default=300, ge=1)
    max_concurrent_password_hashes: int = Field(default=2, ge=1)
    # How long a new API token works (`casebook token create`); `casebook token revoke` ends one earlier.
    token_lifetime_days: int = Field(default=90, ge=1, le=3650)
    # Room transcripts are condensed into the casebook entry and deleted this many days after the session
    # ended (chat/retention.py); the server checks every housekeeping_seconds, `casebook retention run` now.
    transcript_retention_days: int = Field(default=30, ge=1, le=3650)
    housekeeping_seconds: float = Field(default=3600, gt=0)

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
        return _read_or_create_key(self.data_dir / "secret_key")


def _read_or_create_key(key_file: Path) -> str:
    """The key in `key_file`, created on first use. The key is written to a private temporary file, created
    with mode 0600 from the start (never readable by others, not even for a moment), and then linked into
    place: the link is atomic and never replaces, so when two processes start at once both end up with the
    key of whichever linked first, and nobody ever reads a half-written file."""
    if not key_file.exists():
        temporary = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(8)}")
        descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temporary, key_file)
            except FileExistsError:
                pass  # another process was first: use its key
        finally:
            temporary.unlink(missing_ok=True)
    elif key_file.stat().st_mode & 0o077:
        with contextlib.suppress(OSError):  # a key file put there by hand, readable by others: tighten it
            key_file.chmod(0o600)
    key = key_file.read_text().strip()
    if not key:
        raise RuntimeError(
            f"{key_file} is empty; delete it (users will have to log in again) or set CASEBOOK_SECRET_KEY"
        )
    return key


def get_settings() -> Settings:
    """The settings the environment gives: for entry points (the command line, `create_app()` without
    arguments). Code that serves a database asks `settings_for` instead."""
    return Settings()


_by_database: dict[str, Settings] = {}
_lock = threading.Lock()


def register(bind: Engine, settings: Settings) -> None:
    """`create_app(settings)` serves this database with these settings: every package deep down that needs a
    setting (text limit, embedding model, data dir) reads them through `settings_for`, never the environment
    behind the app's back."""
    with _lock:
        _by_database[database_key(bind)] = settings


def settings_for(db_session: Session) -> Settings:
    """The settings of the app serving this session's database; from the environment when no app does (a
    script or test working on a database directly)."""
    with _lock:
        found = _by_database.get(database_key(db_session.get_bind()))
    return found or get_settings()
