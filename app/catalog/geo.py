"""Countries (ISO 3166-1 alpha-2) and languages (ISO 639-1) — validation from pycountry,
display names in the user's language from Babel (CLDR), and the markets the product
focuses on, with the reference time zone used for business-hours overlap.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import babel
import pycountry
from babel.core import get_global

from app.catalog.base import normalise_locale

__all__ = [
    "COUNTRY_CODES",
    "LANGUAGE_CODES",
    "PROVIDER_COUNTRIES",
    "CLIENT_MARKETS",
    "MARKET_LANGUAGES",
    "is_country",
    "is_language",
    "country_name",
    "language_name",
    "country_choices",
    "language_choices",
    "country_timezone",
    "COUNTRY_TIMEZONES",
]

#: Every ISO 3166-1 alpha-2 country code (upper case).
COUNTRY_CODES: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries)
#: Every ISO 639-1 language code (lower case), i.e. languages that have a two-letter code.
LANGUAGE_CODES: frozenset[str] = frozenset(
    lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")
)

#: The offshore countries the product focuses on (provider sites), in display order.
PROVIDER_COUNTRIES: tuple[str, ...] = ("MA", "TN", "SN", "CI", "TG", "BJ", "CM", "MG", "MU")
#: The European client markets, in display order.
CLIENT_MARKETS: tuple[str, ...] = ("FR", "BE", "CH", "ES", "LU", "DE", "IT", "NL", "PT", "GB")

#: Languages usually asked for each client market (first = main), a hint for forms.
MARKET_LANGUAGES: dict[str, tuple[str, ...]] = {
    "FR": ("fr",),
    "BE": ("fr", "nl", "de"),
    "CH": ("de", "fr", "it"),
    "ES": ("es",),
    "LU": ("fr", "de", "lb"),
    "DE": ("de",),
    "IT": ("it",),
    "NL": ("nl",),
    "PT": ("pt",),
    "GB": ("en",),
}

#: Reference IANA time zone per country: the capital's zone for the focus countries (and,
#: for others, the first zone CLDR lists for the territory). Used for business-hours
#: overlap: a market's business hours are 9:00–18:00 Monday–Friday in this zone.
COUNTRY_TIMEZONES: dict[str, str] = {
    "FR": "Europe/Paris",
    "BE": "Europe/Brussels",
    "CH": "Europe/Zurich",
    "ES": "Europe/Madrid",
    "LU": "Europe/Luxembourg",
    "DE": "Europe/Berlin",
    "IT": "Europe/Rome",
    "NL": "Europe/Amsterdam",
    "PT": "Europe/Lisbon",
    "GB": "Europe/London",
    "MA": "Africa/Casablanca",
    "TN": "Africa/Tunis",
    "SN": "Africa/Dakar",
    "CI": "Africa/Abidjan",
    "TG": "Africa/Lome",
    "BJ": "Africa/Porto-Novo",
    "CM": "Africa/Douala",
    "MG": "Indian/Antananarivo",
    "MU": "Indian/Mauritius",
}


def is_country(code: object) -> bool:
    """True for a valid ISO 3166-1 alpha-2 code (exact upper case, e.g. 'FR')."""
    return isinstance(code, str) and code in COUNTRY_CODES


def is_language(code: object) -> bool:
    """True for a valid ISO 639-1 code (exact lower case, e.g. 'fr')."""
    return isinstance(code, str) and code in LANGUAGE_CODES


@lru_cache(maxsize=16)
def _locale(locale: str | None) -> babel.Locale:
    return babel.Locale(normalise_locale(locale))


def country_name(code: str, locale: str | None = "en") -> str:
    """Localised country name ('CI', 'fr' -> 'Côte d’Ivoire'); falls back to pycountry,
    then to the code itself."""
    name = _locale(locale).territories.get(code)
    if name:
        return str(name)
    country = pycountry.countries.get(alpha_2=code) if isinstance(code, str) else None
    return country.name if country else str(code)


def language_name(code: str, locale: str | None = "en") -> str:
    """Localised language name ('wo', 'fr' -> 'wolof'); falls back to pycountry, then to the
    code itself."""
    name = _locale(locale).languages.get(code)
    if name:
        return str(name)
    lang = pycountry.languages.get(alpha_2=code) if isinstance(code, str) else None
    return lang.name if lang else str(code)


def country_choices(
    locale: str | None = "en", codes: Iterable[str] | None = None
) -> list[tuple[str, str]]:
    """``[(code, name)]`` sorted by localised name (all countries, or ``codes`` in order)."""
    if codes is not None:
        return [(c, country_name(c, locale)) for c in codes]
    items = [(c, country_name(c, locale)) for c in COUNTRY_CODES]
    return sorted(items, key=lambda item: _sort_key(item[1]))


def language_choices(
    locale: str | None = "en", codes: Iterable[str] | None = None
) -> list[tuple[str, str]]:
    """``[(code, name)]`` sorted by localised name (all ISO 639-1, or ``codes`` in order)."""
    if codes is not None:
        return [(c, language_name(c, locale)) for c in codes]
    items = [(c, language_name(c, locale)) for c in LANGUAGE_CODES]
    return sorted(items, key=lambda item: _sort_key(item[1]))


def _sort_key(name: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def country_timezone(code: str) -> str:
    """Reference IANA zone for a country (see ``COUNTRY_TIMEZONES``); 'UTC' if unknown."""
    zone = COUNTRY_TIMEZONES.get(code)
    if zone:
        return zone
    zones = get_global("territory_zones").get(code) or ()
    return zones[0] if zones else "UTC"
