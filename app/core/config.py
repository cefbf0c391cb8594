"""Application settings, read from the environment (prefix ``EUROFFSHORE_``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EUROFFSHORE_", env_file=".env", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///./euroffshore.db"
    secret_key: str = DEVELOPMENT_SECRET_KEY
    log_level: str = "INFO"
    base_url: str = "http://127.0.0.1:8000"
    # Echo every SQL statement to the log (debugging only).
    sql_echo: bool = False
    # Outgoing e-mail: smtp://user:password@host:port (smtps:// for TLS); unset = no e-mail,
    # notifications stay in the app only.
    smtp_url: str | None = None
    mail_from: str = "Euroffshore <no-reply@euroffshore.test>"
    # Seconds to wait for the SMTP server to connect and for each of its answers.
    smtp_timeout_s: float = 10.0
    # The e-mail outbox: a thread of the web process sends due e-mails every few seconds
    # when smtp_url is set; false when `euroffshore outbox send --loop` runs separately.
    outbox_worker: bool = True
    outbox_interval_s: float = 5.0
    outbox_batch_size: int = 50

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> Settings:
        if self.env == "production" and (
            self.secret_key == DEVELOPMENT_SECRET_KEY or len(self.secret_key) < 32
        ):
            raise ValueError(
                "EUROFFSHORE_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
