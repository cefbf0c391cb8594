"""Languages of the interface: catalogues, the current locale, and locale-aware formatting.

Every gettext domain found in ``app/locale/<lang>/LC_MESSAGES`` is loaded and merged
(``messages`` for the site, ``matching`` for score explanations, ...). The install compiles
the ``.po`` catalogues to ``.mo``; when a ``.mo`` is missing or older than its ``.po`` (a
developer just edited it), the ``.po`` is compiled in memory instead, so a page is never
shown with a stale catalogue.
"""

from __future__ import annotations

import gettext as gettext_module
import io
import logging
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).parent / "locale"
SUPPORTED_LOCALES = ("en", "fr")
DEFAULT_LOCALE = "en"
LOCALE_COOKIE = "lang"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


def _load_domain(po_path: Path) -> Translations:
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        with mo_path.open("rb") as fh:
            return Translations(fh, domain=po_path.stem)
    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=po_path.stem)


@cache
def get_translations(locale: str) -> gettext_module.NullTranslations:
    """All domains of one locale merged into one translations object (cached)."""
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    merged: Translations | None = None
    for po_path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        domain = _load_domain(po_path)
        if merged is None:
            merged = domain
        else:
            merged.merge(domain)
    return merged or gettext_module.NullTranslations()


def negotiate_locale(cookie_value: str | None, accept_language: str | None) -> str:
    """The user's explicit choice first, else the browser's Accept-Language, else English."""
    if cookie_value in SUPPORTED_LOCALES:
        return cookie_value
    if accept_language:
        preferred = []
        for part in accept_language.split(","):
            piece = part.split(";")[0].strip().replace("-", "_")
            if piece:
                preferred.append(piece)
        found = Locale.negotiate(preferred, list(SUPPORTED_LOCALES), sep="_")
        if found is not None:
            return str(found.language)
    return DEFAULT_LOCALE


def gettext(message: str, **variables: object) -> str:
    text = get_translations(current_locale.get()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = get_translations(current_locale.get()).ngettext(singular, plural, n)
    variables.setdefault("num", n)
    return text % variables


_ = gettext


def lazy_gettext(message: str) -> LazyString:
    return LazyString(message)


class LazyString:
    """A message translated when it is shown (for module-level labels)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)

    def __html__(self) -> str:  # Jinja: escape the translated text
        from markupsafe import escape

        return str(escape(str(self)))

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.message)


# --- locale-aware formatting (Jinja filters) ---------------------------------------------


def format_date(value: date | datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return dates.format_datetime(value, format=format, locale=current_locale.get())
    return dates.format_date(value, format=format, locale=current_locale.get())


def format_number(value: float | int | Decimal | None) -> str:
    if value is None:
        return ""
    return numbers.format_decimal(value, locale=current_locale.get())


def format_currency(value: float | Decimal | None, currency: str = "EUR") -> str:
    if value is None:
        return ""
    return numbers.format_currency(value, currency, locale=current_locale.get())


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return str(Locale.parse(current_locale.get()).territories.get(code.upper(), code))


def language_name(code: str | None) -> str:
    if not code:
        return ""
    return str(Locale.parse(current_locale.get()).languages.get(code.lower(), code))
