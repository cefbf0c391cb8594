"""Who is asking: the user behind a request, for routes and templates.

- ``OptionalUser``: the signed-in user or None.
- ``CurrentUser``: a signed-in user, else 401 JSON (API) or a 303 redirect to
  ``/login?next=...`` (pages).
- ``PlatformAdmin``: a signed-in platform administrator, else 403.

The API accepts ``Authorization: Bearer <personal access token>`` (declared in the OpenAPI
document as the ``PersonalAccessToken`` scheme) or the browser session cookie; pages accept
the session cookie only. ``load_user`` runs for every route (an application dependency), so
``request.state.user`` is always set and the page header knows who is signed in.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.accounts import policy
from app.accounts.models import ApiToken, User
from app.accounts.security import hash_api_token
from app.accounts.sessions import SESSION_COOKIE, read_session
from app.core.db import SessionDep, utcnow
from app.core.errors import NotAuthenticated, is_api_request
from app.i18n import gettext as _

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="PersonalAccessToken",
    description=(
        "A personal access token created in the account page (/account), sent as "
        "`Authorization: Bearer eo_...`. Without it, API calls act as the browser session "
        "(unsafe methods then need the `X-CSRF-Token` header) or as an anonymous visitor."
    ),
)


class LoginRequired(NotAuthenticated):
    """No signed-in user: 401 in the API, a redirect to the login page for pages."""


class InvalidAccessToken(NotAuthenticated):
    """A Bearer token that is unknown, revoked, or whose owner is deactivated."""


def _load_user(db_session: Session, user_id: int) -> User | None:
    return db_session.scalar(
        select(User)
        .options(joinedload(User.organisation))
        .where(User.id == user_id)
        .execution_options(populate_existing=True)
    )


def _user_from_token(db_session: Session, token: str) -> User | None:
    api_token = db_session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_api_token(token))
    )
    if api_token is None or api_token.revoked_at is not None:
        return None
    user = _load_user(db_session, api_token.user_id)
    if user is None or not user.is_active:
        return None
    now = utcnow()
    last = api_token.last_used_at
    if last is None or now - last > timedelta(minutes=5):
        api_token.last_used_at = now  # coarse, so that reads rarely write
    return user


def _user_from_cookie(db_session: Session, cookie: str | None) -> User | None:
    session = read_session(cookie)
    if session is None:
        return None
    user_id, version = session
    user = _load_user(db_session, user_id)
    if user is None or not user.is_active or user.session_version != version:
        return None
    return user


def load_user(
    request: Request,
    db_session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> User | None:
    """The user behind the request (None when anonymous); also stored on request.state."""
    if "user" in request.scope.get("state", {}):
        known: User | None = request.state.user
        return known
    user: User | None
    if credentials is not None and is_api_request(request):
        user = _user_from_token(db_session, credentials.credentials)
        if user is None:
            raise InvalidAccessToken(_("The access token is invalid, revoked or expired."))
        request.state.auth = "token"
    else:
        user = _user_from_cookie(db_session, request.cookies.get(SESSION_COOKIE))
        request.state.auth = "session" if user is not None else None
    request.state.user = user
    return user


OptionalUser = Annotated[User | None, Depends(load_user)]


def require_user(user: OptionalUser) -> User:
    if user is None:
        raise LoginRequired(_("Sign in to continue."))
    return user


CurrentUser = Annotated[User, Depends(require_user)]


def require_platform_admin(user: CurrentUser) -> User:
    policy.require_platform_admin(user)
    return user


PlatformAdmin = Annotated[User, Depends(require_platform_admin)]
