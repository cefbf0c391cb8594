"""Passwords (argon2), signed tokens (sessions, invitations, resets, CSRF) and personal
access tokens. No database access here."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.core.config import get_settings
from app.i18n import gettext as _

# The library's defaults (RFC 9106 "low memory" profile). Tests swap in a cheaper one via
# ``use_hasher`` — never production.
_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256

# The most used passwords of at least 10 characters (public breach lists), lower-cased.
COMMON_PASSWORDS = frozenset(
    """
    1234567890 0123456789 12345678910 1111111111 0987654321 1q2w3e4r5t 1qaz2wsx3edc
    qwertyuiop qwerty1234 qwertyuiop1 1234qwerty azertyuiop password12 password123
    password1234 passw0rd123 motdepasse motdepasse1 motdepasse123 iloveyou12 abcdefghij
    abcd123456 a123456789 123456789a 1234567890a aaaaaaaaaa zaq12wsxcv 123qweasdzxc
    football12 baseball12 princess12 sunshine12 welcome123 welcome1234 letmein123 admin12345
    administrator changeme123 trustno1234 1q2w3e4r5t6y qazwsxedcrfv azerty1234 azerty123456
    soleil1234 bonjour123 marseille13 casablanca1 casablanca123 euroffshore euroffshore1
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


class WeakPassword(ValueError):
    """The password is refused; the message says why."""


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """Why ``password`` is too weak, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password must have at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("The password must have at most %(n)s characters.", n=MAX_PASSWORD_LENGTH)
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS:
        return _("This password is one of the most common ones: choose another.")
    if len(set(password)) < 4:
        return _("The password repeats too few different characters.")
    if email:
        local = email.lower().split("@")[0]
        if lowered == email.lower() or (len(local) >= 4 and local in lowered):
            return _("The password must not contain your e-mail address.")
    if re.fullmatch(r"\d+", password):
        return _("The password must not be only digits.")
    return None


def check_password_strength(password: str, *, email: str | None = None) -> None:
    problem = password_problem(password, email=email)
    if problem:
        raise WeakPassword(problem)


def use_hasher(hasher: PasswordHasher) -> None:
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


# How many argon2 computations run at once (each takes ~0.3 s and 64 MiB, on up to 4
# threads of its own): a burst of logins queues here instead of taking all the memory.
# EUROFFSHORE_PASSWORD_HASH_CONCURRENCY; default: CPUs - 1. The hashing threads run at a
# lower scheduling priority (nice +10; on Linux, a thread's own), so that the event loop and
# the other requests get the CPU first: a login may wait, a page should not.
HASH_NICENESS = 10


def _default_concurrency() -> int:
    configured = os.environ.get("EUROFFSHORE_PASSWORD_HASH_CONCURRENCY")
    if configured:
        return max(1, int(configured))
    return max(1, (os.cpu_count() or 2) - 1)


def _lower_priority() -> None:
    # Linux: the nice value is per thread, inherited by argon2's own lane threads. Another
    # OS, or not allowed: the same priority as the rest.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_NICENESS)


def _new_pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(
        max_workers=max(1, workers), thread_name_prefix="argon2", initializer=_lower_priority
    )


_pool = _new_pool(_default_concurrency())
T = TypeVar("T")


def set_hash_concurrency(n: int) -> None:
    """Allow ``n`` password hashes at once (tests and benchmarks)."""
    global _pool
    _pool = _new_pool(n)  # the previous pool finishes its work and is collected


def _bounded(work: Callable[[], T]) -> T:
    """Run ``work`` on a hashing thread and wait for it (the caller is a threadpool thread
    of a plain ``def`` handler, never the event loop)."""
    return _pool.submit(work).result()


def hash_password(password: str) -> str:
    return _bounded(lambda: _hasher.hash(password))


# A valid hash of a random password: unknown e-mails are verified against it, so that an
# unknown account costs the same time as a wrong password (no enumeration by timing).
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        ok = _bounded(lambda: _hasher.verify(password_hash or _DUMMY_HASH, password))
        return ok and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# --- signed tokens ------------------------------------------------------------------------


class InvalidToken(Exception):
    """A signed token that is tampered with, for another purpose, or expired."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt=f"euroffshore.{purpose}")


def sign(purpose: str, payload: Any) -> str:
    return _serializer(purpose).dumps(payload)


def unsign(purpose: str, token: str, *, max_age_seconds: int) -> Any:
    try:
        return _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        raise InvalidToken(expired=True) from None
    except BadSignature:
        raise InvalidToken(expired=False) from None


# --- personal access tokens ----------------------------------------------------------------

API_TOKEN_PREFIX = "eo_"


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_api_token(token: str) -> str:
    # Tokens are 256 random bits: a fast hash is enough, and lets us look them up by hash.
    return hashlib.sha256(token.encode()).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
