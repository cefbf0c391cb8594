"""Jinja environment shared by every HTML view: translations, filters, static URLs."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from app import i18n
from app.core import flash

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=jinja2.select_autoescape(),
    extensions=["jinja2.ext.i18n"],
)
templates = Jinja2Templates(env=env)
env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
env.trim_blocks = True
env.lstrip_blocks = True
env.filters.update(
    date=i18n.format_date,
    number=i18n.format_number,
    currency=i18n.format_currency,
    country=i18n.country_name,
    language=i18n.language_name,
)


@lru_cache(maxsize=256)
def _fingerprint(path: str) -> str:
    file = STATIC_DIR / path
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()[:12]
    except OSError:
        return "0"


def static_url(path: str) -> str:
    """URL of a static file with its content hash, so it can be cached for a year."""
    return f"/static/{path}?v={_fingerprint(path)}"


flash.install(env)
env.globals.update(
    static_url=static_url,
    supported_locales=i18n.SUPPORTED_LOCALES,
    language_names=i18n.LANGUAGE_NAMES,
    current_locale=lambda: i18n.current_locale.get(),
)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    ctx = {"request": request, "locale": i18n.current_locale.get(), **(context or {})}
    return templates.TemplateResponse(
        request, template, ctx, status_code=status_code, headers=headers
    )


def render_error_page(
    request: Request, status_code: int, detail: Any, headers: dict[str, str] | None = None
) -> HTMLResponse:
    message = detail if isinstance(detail, str) else None
    template = "errors/404.html" if status_code == 404 else "errors/error.html"
    return render(
        request,
        template,
        {"status_code": status_code, "message": message},
        status_code=status_code,
        headers=headers,
    )
