"""What accounts add to every page: template globals (``csrf_input()``, ``csrf_token()``,
``current_user()``) and the redirect of anonymous visitors to the login page."""

from __future__ import annotations

from urllib.parse import quote

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts import csrf, policy
from app.accounts.deps import LoginRequired
from app.accounts.models import User
from app.core.db import get_session_factory
from app.core.errors import is_api_request
from app.core.flash import flash
from app.core.templating import env
from app.i18n import gettext as _


@jinja2.pass_context
def _csrf_input(context: jinja2.runtime.Context) -> Markup:
    return csrf.csrf_input(context["request"])


@jinja2.pass_context
def _csrf_token(context: jinja2.runtime.Context) -> str:
    return csrf.csrf_token(context["request"])


def _usable(user: User) -> User:
    """The signed-in user, readable even on an error page.

    A failed request rolls its session back (which expires every loaded object) and closes
    it before the error page is drawn; the header would then read a detached, expired user.
    Such a user is read again, with its organisation, in a short session of its own."""
    state = sa_inspect(user)
    if not (state.detached and state.expired_attributes):
        return user
    identity = state.identity
    if identity is None:  # never flushed: nothing to reload
        return user
    with get_session_factory()() as session:
        fresh = session.scalar(
            select(User).options(joinedload(User.organisation)).where(User.id == identity[0])
        )
        session.expunge_all()
    return fresh if fresh is not None else user


@jinja2.pass_context
def _current_user(context: jinja2.runtime.Context) -> User | None:
    request = context.get("request")
    if request is None:
        return None
    state = request.scope.setdefault("state", {})
    user: User | None = state.get("user")
    if user is not None:
        state["user"] = user = _usable(user)
    return user


env.globals.update(
    csrf_input=_csrf_input,
    csrf_token=_csrf_token,
    current_user=_current_user,
    policy=policy,
)


def login_url(request: Request) -> str:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    if request.method not in ("GET", "HEAD"):
        target = request.url.path  # a form's page: GET it again after signing in
    return "/login?next=" + quote(target, safe="/")


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)  # registered for LoginRequired only
    if is_api_request(request):
        return JSONResponse(
            {"error": exc.code, "detail": exc.detail},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    flash(request, _("Please sign in to see this page."), kind="info")
    return RedirectResponse(login_url(request), status_code=303)


def install_handlers(app: FastAPI) -> None:
    """401 JSON with WWW-Authenticate for the API; 303 to /login?next=... for pages."""
    app.add_exception_handler(LoginRequired, _login_required)
