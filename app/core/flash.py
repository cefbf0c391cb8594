"""One-time messages that survive a redirect ("Need published.", "Interest accepted.").

Any view calls ``flash(request, _("Saved."))`` and returns its ``RedirectResponse`` as
usual: ``FlashMiddleware`` puts the pending messages in a short-lived signed cookie on the
redirect, and the next HTML page shows them once (``templates/_flash.html``, included by
``base.html``, with ``role="status"`` so screen readers announce them) and deletes the
cookie. A page rendered directly (no redirect) shows the messages flashed during its own
request. Messages are translated when they are flashed: the person's language then.
"""

from __future__ import annotations

from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any, Literal

import jinja2
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import get_settings

FLASH_COOKIE = "eo_flash"
# A message waits at most this long for the next page (a redirect is followed at once).
MAX_AGE_SECONDS = 120
# A cookie stays under 4 kB: a few short messages.
MAX_MESSAGES = 3
MAX_LENGTH = 300
_PENDING = "flash_pending"
_SHOWN = "flash_shown"

FlashKind = Literal["success", "info", "error"]


@dataclass(frozen=True, slots=True)
class FlashMessage:
    text: str
    kind: FlashKind = "success"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt="euroffshore.flash")


def flash(request: Request, text: str, *, kind: FlashKind = "success") -> None:
    """Show ``text`` (already translated) on the next page this browser displays."""
    pending: list[FlashMessage] = request.scope.setdefault("state", {}).setdefault(_PENDING, [])
    if len(pending) < MAX_MESSAGES:
        pending.append(FlashMessage(str(text)[:MAX_LENGTH], kind))


def _decode(value: str | None) -> list[FlashMessage]:
    if not value:
        return []
    try:
        data: Any = _serializer().loads(value, max_age=MAX_AGE_SECONDS)
    except BadSignature:  # also SignatureExpired
        return []
    if not isinstance(data, list):
        return []
    messages = []
    for item in data[:MAX_MESSAGES]:
        if (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and item[1] in ("success", "info", "error")
        ):
            messages.append(FlashMessage(item[0][:MAX_LENGTH], item[1]))
    return messages


def _encode(messages: list[FlashMessage]) -> str:
    return _serializer().dumps([[m.text, m.kind] for m in messages[:MAX_MESSAGES]])


def _cookie_from_scope(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header: no message
                return None
            morsel = jar.get(FLASH_COOKIE)
            return morsel.value if morsel is not None else None
    return None


def messages_for(request: Request) -> list[FlashMessage]:
    """The messages this page shows: those carried over by the cookie, then this request's.
    Marks them shown, so that the middleware deletes the cookie."""
    state = request.scope.setdefault("state", {})
    shown = _decode(request.cookies.get(FLASH_COOKIE)) + list(state.get(_PENDING, []))
    state[_SHOWN] = True
    state[_PENDING] = []
    return shown


@jinja2.pass_context
def _flash_messages(context: Any) -> list[FlashMessage]:
    request = context.get("request")
    return messages_for(request) if request is not None else []


def install(env: jinja2.Environment) -> None:
    env.globals["flash_messages"] = _flash_messages


def _cookie_header(value: str, max_age: int) -> tuple[bytes, bytes]:
    secure = "; Secure" if get_settings().base_url.startswith("https://") else ""
    return (
        b"set-cookie",
        f"{FLASH_COOKIE}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax{secure}".encode(
            "latin-1"
        ),
    )


class FlashMiddleware:
    """Carries pending messages over a redirect and forgets them once a page showed them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        had_cookie = _cookie_from_scope(scope) is not None

        async def send_with_flash(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                pending: list[FlashMessage] = state.get(_PENDING, [])
                if 300 <= status < 400 and pending:
                    carried = _decode(_cookie_from_scope(scope)) if not state.get(_SHOWN) else []
                    headers.append(_cookie_header(_encode(carried + pending), MAX_AGE_SECONDS))
                elif had_cookie and state.get(_SHOWN):
                    headers.append(_cookie_header('""', 0))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_flash)
