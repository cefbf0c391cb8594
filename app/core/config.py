"""Application settings, read from the environment (prefix ``EUROFFSHORE_``)."""

from __future__ import annotations

import ipaddress
import math
from collections import Counter
from functools import lru_cache
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-change-me"
# secrets.token_urlsafe(32) carries 256 bits; anything under 128 is guessable offline.
MIN_SECRET_BITS = 128
MIN_SECRET_LENGTH = 32

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def secret_entropy_bits(secret: str) -> float:
    """A generous estimate of a secret's entropy: its length times the Shannon entropy of
    its characters (``"a" * 36`` scores 0; ``secrets.token_urlsafe(32)`` about 200)."""
    if not secret:
        return 0.0
    counts = Counter(secret)
    per_char = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values())
    return per_char * len(secret)


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
    # Agenda builds run as huey tasks: on Redis when redis_url is set, else in a SQLite file
    # (huey_path, by default beside a SQLite database). A consumer thread runs in the web
    # process unless agenda_worker is false (then `euroffshore worker` runs them).
    redis_url: str | None = None
    huey_path: str | None = None
    agenda_worker: bool = True
    # Request bodies larger than this are refused with 413 before they are read.
    max_body_bytes: int = 1024 * 1024
    # Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is
    # believed. Empty: the peer's address is the client's, whatever headers say.
    trusted_proxies: str = ""
    # SQLite only: how long a write waits for another one to finish (milliseconds).
    sqlite_busy_timeout_ms: int = 15000

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.env != "production":
            self.trusted_proxy_networks()  # a typo fails at start, not at the first request
            return self
        if self.secret_key == DEVELOPMENT_SECRET_KEY or len(self.secret_key) < MIN_SECRET_LENGTH:
            raise ValueError(
                "EUROFFSHORE_SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters in production"
            )
        if secret_entropy_bits(self.secret_key) < MIN_SECRET_BITS:
            raise ValueError(
                "EUROFFSHORE_SECRET_KEY is too predictable (estimated "
                f"{secret_entropy_bits(self.secret_key):.0f} bits, at least {MIN_SECRET_BITS} "
                "needed): generate one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        if not self.base_url.startswith("https://"):
            raise ValueError(
                "EUROFFSHORE_BASE_URL must be the public https:// address in production "
                f"(got {self.base_url!r}): cookies are marked Secure and HSTS is sent only "
                "behind https"
            )
        self.trusted_proxy_networks()
        return self

    def trusted_proxy_networks(self) -> tuple[IPNetwork, ...]:
        """The proxies of ``trusted_proxies``; raises ValueError naming a bad entry."""
        networks: list[IPNetwork] = []
        for part in self.trusted_proxies.replace(" ", ",").split(","):
            if not part:
                continue
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise ValueError(
                    f"EUROFFSHORE_TRUSTED_PROXIES: {part!r} is not an address or network"
                ) from None
        return tuple(networks)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
