"""Site-wide pages: home, language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from app import i18n
from app.accounts.config import get_account_settings
from app.core.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", name="home")
def home(request: Request):
    return render(request, "home.html")


def _safe_next(url: str | None) -> str:
    # Only same-site relative paths: never an open redirect.
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/"


@router.post("/language", name="set_language")
def set_language(lang: Annotated[str, Form()], next: Annotated[str | None, Form()] = None):
    response = RedirectResponse(_safe_next(next), status_code=303)
    if lang in i18n.SUPPORTED_LOCALES:
        response.set_cookie(
            i18n.LOCALE_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=get_account_settings().cookies_secure,
        )
    return response
