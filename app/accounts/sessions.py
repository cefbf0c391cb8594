"""The browser session: a signed, HttpOnly, SameSite=Lax cookie carrying the user id and the
user's session version (bumping the version logs every browser out)."""

from __future__ import annotations

from starlette.responses import Response

from app.accounts.config import get_account_settings
from app.accounts.models import User
from app.accounts.security import InvalidToken, sign, unsign

SESSION_COOKIE = "eo_session"
_PURPOSE = "session"


def session_token(user: User) -> str:
    return sign(_PURPOSE, {"u": user.id, "v": user.session_version})


def read_session(token: str | None) -> tuple[int, int] | None:
    """(user id, session version) from a cookie value, or None when absent, bad or expired."""
    if not token:
        return None
    settings = get_account_settings()
    try:
        data = unsign(_PURPOSE, token, max_age_seconds=settings.session_max_age_days * 86400)
    except InvalidToken:
        return None
    if not isinstance(data, dict):
        return None
    user_id, version = data.get("u"), data.get("v")
    if not isinstance(user_id, int) or not isinstance(version, int):
        return None
    return user_id, version


def start_session(response: Response, user: User) -> None:
    settings = get_account_settings()
    response.set_cookie(
        SESSION_COOKIE,
        session_token(user),
        max_age=settings.session_max_age_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.cookies_secure,
        path="/",
    )


def end_session(response: Response) -> None:
    settings = get_account_settings()
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=settings.cookies_secure, path="/"
    )
