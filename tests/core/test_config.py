"""Settings refuse unsafe production configurations."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.core.config import DEVELOPMENT_SECRET_KEY, Settings


def test_development_accepts_the_default_secret():
    assert Settings(env="development").secret_key == DEVELOPMENT_SECRET_KEY


def test_production_refuses_the_default_secret():
    with pytest.raises(ValidationError, match="EUROFFSHORE_SECRET_KEY"):
        Settings(env="production")


def test_production_refuses_a_short_secret():
    with pytest.raises(ValidationError, match="EUROFFSHORE_SECRET_KEY"):
        Settings(env="production", secret_key="short")


def test_production_accepts_a_real_secret(monkeypatch):
    monkeypatch.setenv("EUROFFSHORE_ENV", "production")
    monkeypatch.setenv("EUROFFSHORE_SECRET_KEY", "kR3v9-Qz_8pLmN2xWcT7yHbJ4sEfUaGd6oViK1rZq0M")
    monkeypatch.setenv("EUROFFSHORE_BASE_URL", "https://euroffshore.example")
    assert Settings().env == "production"


def test_production_refuses_a_repetitive_secret():
    with pytest.raises(ValidationError, match="too predictable"):
        Settings(env="production", secret_key="a" * 36, base_url="https://e.example")


def test_production_refuses_a_plain_http_base_url():
    secret = "kR3v9-Qz_8pLmN2xWcT7yHbJ4sEfUaGd6oViK1rZq0M"
    with pytest.raises(ValidationError, match="EUROFFSHORE_BASE_URL"):
        Settings(env="production", secret_key=secret)


def test_bad_trusted_proxy_is_refused_at_start():
    with pytest.raises(ValidationError, match="EUROFFSHORE_TRUSTED_PROXIES"):
        Settings(trusted_proxies="10.0.0.0/8, not-an-address")


def test_database_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("EUROFFSHORE_DATABASE_URL", "postgresql+psycopg://u:p@db/x")
    assert Settings().database_url == "postgresql+psycopg://u:p@db/x"
