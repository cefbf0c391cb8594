"""Taxonomies as code: services, sectors, channels, hours coverage, certifications,
language levels, GDPR levels, countries and languages — with English and French labels.

Every taxonomy is an ordered :class:`Taxonomy` of frozen entries ``(code, en, fr)``; the
``code`` is the stable snake_case string stored in the database.

>>> from app.catalog import SERVICES, label
>>> SERVICES.label("back_office", "fr")
'Back-office'
>>> label("sectors", "energy", "en")
'Energy and renewables'
"""

from typing import Any

from app.catalog.base import Entry, Taxonomy, normalise_locale
from app.catalog.geo import (
    CLIENT_MARKETS,
    COUNTRY_CODES,
    COUNTRY_TIMEZONES,
    LANGUAGE_CODES,
    MARKET_LANGUAGES,
    PROVIDER_COUNTRIES,
    country_choices,
    country_name,
    country_timezone,
    is_country,
    is_language,
    language_choices,
    language_name,
)
from app.catalog.taxonomies import (
    CERTIFICATIONS,
    CHANNELS,
    GDPR_OFFERS,
    GDPR_REQUIREMENTS,
    HOURS,
    LANGUAGE_LEVELS,
    MAX_LEVEL_RANK,
    NATIVE_RANK,
    OUTBOUND_SERVICES,
    SECTORS,
    SERVICES,
    HoursEntry,
    LevelEntry,
    RankedEntry,
    gdpr_offer_level,
    gdpr_satisfies,
    hours_covers,
    level_code,
    level_rank,
)

#: Every code taxonomy by name.
TAXONOMIES: dict[str, Taxonomy[Any]] = {
    t.name: t
    for t in (
        SERVICES,
        SECTORS,
        CHANNELS,
        HOURS,
        CERTIFICATIONS,
        LANGUAGE_LEVELS,
        GDPR_REQUIREMENTS,
        GDPR_OFFERS,
    )
}


def label(taxonomy: str, code: str, locale: str | None = "en") -> str:
    """Label of ``code`` in taxonomy ``taxonomy`` (e.g. 'services'), in ``locale``.

    Also accepts 'countries' and 'languages' (localised names from CLDR)."""
    if taxonomy == "countries":
        return country_name(code, locale)
    if taxonomy == "languages":
        return language_name(code, locale)
    return TAXONOMIES[taxonomy].label(code, locale)


__all__ = [
    "Entry",
    "Taxonomy",
    "RankedEntry",
    "LevelEntry",
    "HoursEntry",
    "normalise_locale",
    "SERVICES",
    "SECTORS",
    "CHANNELS",
    "HOURS",
    "CERTIFICATIONS",
    "LANGUAGE_LEVELS",
    "GDPR_REQUIREMENTS",
    "GDPR_OFFERS",
    "OUTBOUND_SERVICES",
    "TAXONOMIES",
    "label",
    "NATIVE_RANK",
    "MAX_LEVEL_RANK",
    "level_rank",
    "level_code",
    "hours_covers",
    "gdpr_offer_level",
    "gdpr_satisfies",
    "COUNTRY_CODES",
    "LANGUAGE_CODES",
    "PROVIDER_COUNTRIES",
    "CLIENT_MARKETS",
    "MARKET_LANGUAGES",
    "COUNTRY_TIMEZONES",
    "is_country",
    "is_language",
    "country_name",
    "language_name",
    "country_choices",
    "language_choices",
    "country_timezone",
]
