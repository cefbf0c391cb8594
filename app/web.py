"""Site-wide pages: home, language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app import i18n
from app.accounts.config import get_account_settings
from app.accounts.deps import OptionalUser
from app.core.db import SessionDep
from app.core.templating import render
from app.notifications.service import remember_locale

router = APIRouter(include_in_schema=False)


@router.get("/", name="home")
def home(request: Request) -> Response:
    return render(request, "home.html")


def _safe_next(url: str | None) -> str:
    # Only same-site relative paths: never an open redirect.
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/"


@router.post("/language", name="set_language")
def set_language(
    db_session: SessionDep,
    user: OptionalUser,
    lang: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
) -> RedirectResponse:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if lang in i18n.SUPPORTED_LOCALES:
        # The e-mails a signed-in user receives follow the language they chose.
        remember_locale(user=user, locale=lang)
        response.set_cookie(
            i18n.LOCALE_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=get_account_settings().cookies_secure,
        )
    return response
