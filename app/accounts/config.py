"""Settings of accounts (environment, prefix ``EUROFFSHORE_``), next to the core settings."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from app.core.config import get_settings


class AccountSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EUROFFSHORE_", env_file=".env", extra="ignore")

    # None: Secure cookies exactly when EUROFFSHORE_BASE_URL is https.
    secure_cookies: bool | None = None
    session_max_age_days: int = 14
    invitation_max_age_days: int = 7
    password_reset_max_age_hours: int = 2
    # Login throttling: failures counted over a window, per account and per client address.
    login_window_minutes: int = 15
    login_max_failures_per_account: int = 5
    login_max_failures_per_ip: int = 20
    # Password reset requests, per address typed and per client address, over the window.
    reset_max_per_account: int = 3
    reset_max_per_ip: int = 10
    # Sign-ups per client address over an hour.
    signup_window_minutes: int = 60
    signup_max_per_ip: int = 5

    @property
    def cookies_secure(self) -> bool:
        if self.secure_cookies is not None:
            return self.secure_cookies
        return get_settings().base_url.startswith("https://")


@lru_cache
def get_account_settings() -> AccountSettings:
    return AccountSettings()
