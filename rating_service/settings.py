"""The one place that reads the environment: service settings (pydantic-settings)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-change-me"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RATING_", env_file=".env", extra="ignore")

    # DATABASE_URL is the conventional unprefixed name; RATING_DATABASE_URL works as well.
    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'rating.db'}",
        validation_alias=AliasChoices("DATABASE_URL", "RATING_DATABASE_URL", "database_url"),
    )
    environment: Literal["development", "test", "production"] = "development"
    secret_key: str = DEFAULT_SECRET
    default_lang: Literal["zh", "en"] = "zh"
    # Times are stored in UTC and shown in the bureau's time zone.
    timezone: str = "Asia/Shanghai"
    sqlite_busy_timeout_ms: int = 30_000
    sqlite_cache_kib: int = 65_536
    # Accounts: cookie sessions and API tokens expire; repeated failed logins lock the account a while.
    session_hours: int = 12
    api_token_days: int = 30
    login_free_failures: int = 5
    login_lock_seconds: int = 30  # doubles with every further failure
    login_lock_max_seconds: int = 900
    # Cookies carry the Secure flag in production (served over HTTPS there).
    secure_cookies: bool = False
    upload_limit_mb: int = 200
    # Issued documents: the issuing body, the document number prefix (枞住建信评〔2025〕12号), the public address
    # printed in verification QR codes, where PDFs are kept, and how many processes render them (0: one per CPU).
    issuer_name: str = "枞阳县住房和城乡建设局"
    document_prefix: str = "枞住建信评"
    public_base_url: str = "http://127.0.0.1:8000"
    documents_dir: Path = PROJECT_ROOT / "var" / "documents"
    render_processes: int = 0
    # Render every notice in the background right after publicize (tests turn it off and render on demand).
    render_on_publicize: bool = True
    # Appeal window after the notice date, in PRC working days (a cycle keeps the value it was created with).
    appeal_window_days: int = 5
    # An appeal must be decided within this many working days of filing (also copied into each cycle).
    decision_days: int = 10
    # Appeal attachments: kept outside any served folder, under generated names; PDF, JPG or PNG by content.
    attachments_dir: Path = PROJECT_ROOT / "var" / "attachments"
    attachment_limit_mb: int = 10
    attachments_per_appeal: int = 5
    # Public pages are served from a per-process cache; each process asks the database whether a public cycle
    # changed at most this often (the process that made a change sees it at once).
    disclosure_poll_seconds: float = 1.0
    # Right after a server starts nothing of the public data is built yet (it is built in the background): a public
    # request waits at most this long, counted from the start, and is then answered "preparing" (503, Retry-After).
    disclosure_build_wait_seconds: float = 1.0

    @model_validator(mode="after")
    def _refuse_default_secret_outside_development(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("RATING_SECRET_KEY must be set in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def to_local(value: dt.datetime) -> dt.datetime:
    """A stored time in the bureau's time zone (SQLite hands times back naive: they are UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(ZoneInfo(get_settings().timezone))
