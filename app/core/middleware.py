"""Per-request context: the interface language."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app import i18n


class LocaleMiddleware:
    """Chooses the request's locale (cookie, then Accept-Language) for templates and messages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        locale = i18n.negotiate_locale(
            request.cookies.get(i18n.LOCALE_COOKIE), request.headers.get("accept-language")
        )
        scope.setdefault("state", {})["locale"] = locale
        token = i18n.current_locale.set(locale)
        try:
            await self.app(scope, receive, send)
        finally:
            i18n.current_locale.reset(token)
