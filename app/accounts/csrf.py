"""Protection against cross-site request forgery, for every state-changing request.

Each browser gets a random secret in an HttpOnly cookie (``eo_csrf``). Pages put a token
derived from it (signed) in every form: ``{{ csrf_input() }}``. The middleware refuses any
POST/PUT/PATCH/DELETE whose token does not match, before a route runs, so no route can
forget the check:

- pages (anything outside ``/api/``): the ``csrf_token`` form field or the ``X-CSRF-Token``
  header must carry a valid token — anonymous forms (login, sign-up, language) included;
- the API: a request authenticated with ``Authorization: Bearer`` is not exposed to CSRF
  (browsers never add that header on their own) and needs no token; a request carrying the
  session cookie needs the ``X-CSRF-Token`` header; a request with neither is anonymous
  and left to the route (which answers 401 where sign-in is needed).
"""

from __future__ import annotations

import secrets
from typing import Any

from markupsafe import Markup, escape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.accounts.config import get_account_settings
from app.accounts.security import InvalidToken, constant_time_equal, sign, unsign
from app.accounts.sessions import SESSION_COOKIE
from app.core.forms import MAX_FORM_FIELD_BYTES, MAX_FORM_FIELDS
from app.core.limits import read_body, replaying
from app.i18n import gettext as _

CSRF_COOKIE = "eo_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_PURPOSE = "csrf"
# A form left open longer than this must be reloaded.
TOKEN_MAX_AGE = 7 * 86400
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def token_for_secret(secret: str) -> str:
    return sign(_PURPOSE, secret)


def token_matches(token: str | None, secret: str | None) -> bool:
    if not token or not secret:
        return False
    try:
        value = unsign(_PURPOSE, token, max_age_seconds=TOKEN_MAX_AGE)
    except InvalidToken:
        return False
    return isinstance(value, str) and constant_time_equal(value, secret)


def _secret_of(scope: Scope) -> str | None:
    secret = scope.get("state", {}).get("csrf_secret")
    return secret if isinstance(secret, str) else None


def csrf_token(request: Request) -> str:
    """The token to send with a state-changing request from this browser."""
    secret = _secret_of(request.scope)
    if secret is None:  # outside the middleware (should not happen in the app)
        secret = secrets.token_urlsafe(32)
        request.scope.setdefault("state", {})["csrf_secret"] = secret
    return token_for_secret(secret)


def csrf_input(request: Request) -> Markup:
    return Markup('<input type="hidden" name="%s" value="%s">') % (
        CSRF_FIELD,
        escape(csrf_token(request)),
    )


def _plausible_secret(value: str | None) -> bool:
    return (
        value is not None
        and 20 <= len(value) <= 100
        and value.replace("-", "").replace("_", "").isalnum()
    )


class CSRFMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        cookie = request.cookies.get(CSRF_COOKIE)
        new_secret = cookie is None or not _plausible_secret(cookie)
        secret = secrets.token_urlsafe(32) if cookie is None or new_secret else cookie
        scope.setdefault("state", {})["csrf_secret"] = secret

        if scope["method"] not in SAFE_METHODS:
            try:
                verdict, receive = await self._check(request, secret, receive)
            except HTTPException as exc:  # an unparsable form: too many or too large fields
                await self._bad_form(scope, receive, send, request, exc)
                return
            if verdict is not None:
                await self._refuse(scope, receive, send, request, verdict)
                return

        async def send_with_cookie(message: Message) -> None:
            if new_secret and message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                cookie = f"{CSRF_COOKIE}={secret}; HttpOnly; Path=/; SameSite=Lax"
                if get_account_settings().cookies_secure:
                    cookie += "; Secure"
                headers.append((b"set-cookie", cookie.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    async def _check(
        self, request: Request, secret: str, receive: Receive
    ) -> tuple[str | None, Receive]:
        """(None, receive) when the request may go on, else (reason, receive)."""
        path = request.url.path
        is_api = path.startswith("/api/")
        authorization = request.headers.get("authorization", "")
        if is_api and authorization[:7].lower() == "bearer ":
            return None, receive
        if is_api and SESSION_COOKIE not in request.cookies:
            return None, receive  # anonymous: no ambient authority to abuse
        if token_matches(request.headers.get(CSRF_HEADER), secret):
            return None, receive
        if is_api:
            return _("Send the X-CSRF-Token header, or use a personal access token."), receive
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in _FORM_TYPES:
            return _("This form has expired. Reload the page and try again."), receive
        body = await read_body(receive)
        replay = replaying(body, receive)
        form = await Request(request.scope, receive=replaying(body, receive)).form(
            max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FORM_FIELD_BYTES
        )
        try:
            token = form.get(CSRF_FIELD)
            ok = token_matches(token if isinstance(token, str) else None, secret)
        finally:
            await form.close()
        if ok:
            return None, replay
        return _("This form has expired. Reload the page and try again."), replay

    async def _bad_form(
        self, scope: Scope, receive: Receive, send: Send, request: Request, exc: HTTPException
    ) -> None:
        status = 413 if exc.status_code == 413 else 400
        detail = (
            exc.detail
            if status == 413
            else _("This form could not be read: %(why)s", why=exc.detail)
        )
        response: Any
        if request.url.path.startswith("/api/"):
            code = "payload_too_large" if status == 413 else "bad_request"
            response = JSONResponse({"error": code, "detail": detail}, status_code=status)
        else:
            from app.core.templating import render_error_page

            response = render_error_page(request, status, detail)
        await response(scope, receive, send)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, request: Request, reason: str
    ) -> None:
        response: Any
        if request.url.path.startswith("/api/"):
            response = JSONResponse({"error": "csrf_failed", "detail": reason}, status_code=403)
        else:
            from app.core.templating import render_error_page

            response = render_error_page(request, 403, reason)
        await response(scope, receive, send)
