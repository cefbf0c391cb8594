"""Builders of users and tokens, and helpers to act as a user in a TestClient.

    from tests.accounts.factories import user, log_in, api_token
    member = user(db_session, kind="provider")          # a new provider org, its admin
    colleague = user(db_session, organisation=member.organisation, role="member")
    log_in(client, member)                               # session cookie (+ CSRF header)
    headers = {"Authorization": f"Bearer {api_token(db_session, member)}"}

Each builder commits, like a finished earlier request (see tests/factories.py).
"""

from __future__ import annotations

import itertools
from functools import cache

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.accounts import service
from app.accounts.csrf import CSRF_COOKIE, CSRF_HEADER, token_for_secret
from app.accounts.models import MembershipRole, User
from app.accounts.security import hash_password
from app.accounts.sessions import SESSION_COOKIE, session_token
from app.organisations.models import Organisation
from tests import factories

DEFAULT_PASSWORD = "Casablanca Rabat 2026!"
_counter = itertools.count(1)
_TEST_CSRF_SECRET = "test-csrf-secret-0123456789abcdef"


@cache
def _hash(password: str) -> str:
    # argon2 is slow on purpose: hash each test password once per run.
    return hash_password(password)


def user(
    db_session: Session,
    *,
    organisation: Organisation | None = None,
    kind: str = "client",
    role: str = "admin",
    password: str = DEFAULT_PASSWORD,
    email: str | None = None,
    is_platform_admin: bool = False,
    is_active: bool = True,
) -> User:
    """A user of ``organisation`` (default: a new organisation of ``kind``, whose admin it
    is). ``is_platform_admin=True`` without organisation makes a platform administrator."""
    n = next(_counter)
    if organisation is None and not is_platform_admin:
        organisation = factories.organisation(db_session, kind=kind)
    created = service.create_user(
        db_session=db_session,
        email=email or f"user{n}@example.org",
        password=password,
        organisation_id=organisation.id if organisation else None,
        role=MembershipRole(role),
        is_platform_admin=is_platform_admin,
        password_hash=_hash(password),
    )
    created.is_active = is_active
    db_session.commit()
    return db_session.scalar(
        select(User).options(joinedload(User.organisation)).where(User.id == created.id)
    )


def platform_admin(db_session: Session, **overrides) -> User:
    return user(db_session, is_platform_admin=True, **overrides)


def api_token(db_session: Session, owner: User, name: str = "tests") -> str:
    """A personal access token of ``owner`` (the clear value, for a Bearer header)."""
    _token, clear = service.create_api_token(db_session=db_session, user=owner, name=name)
    db_session.commit()
    return clear


def prime_csrf(client: TestClient) -> str:
    """Give the test browser its CSRF cookie and send the matching X-CSRF-Token header on
    every request, as a page's forms would. Returns the token."""
    client.cookies.set(CSRF_COOKIE, _TEST_CSRF_SECRET)
    token = token_for_secret(_TEST_CSRF_SECRET)
    client.headers[CSRF_HEADER] = token
    return token


def log_in(client: TestClient, who: User) -> TestClient:
    """Sign the test browser in as ``who`` (session cookie) with CSRF primed."""
    prime_csrf(client)
    client.cookies.set(SESSION_COOKIE, session_token(who))
    return client


def log_out(client: TestClient) -> TestClient:
    client.cookies.delete(SESSION_COOKIE)
    return client
