import zoneinfo

import pytest

from app.catalog import (
    CLIENT_MARKETS,
    COUNTRY_CODES,
    LANGUAGE_CODES,
    PROVIDER_COUNTRIES,
    country_choices,
    country_name,
    country_timezone,
    is_country,
    is_language,
    language_choices,
    language_name,
)


@pytest.mark.parametrize("code", ["FR", "MA", "CI", "MU", "GB", "CH"])
def test_valid_countries(code):
    assert is_country(code)


@pytest.mark.parametrize("code", ["fr", "XX", "FRA", "", None, 12, "UK", "EU"])
def test_invalid_countries(code):
    assert not is_country(code)


@pytest.mark.parametrize("code", ["fr", "en", "ar", "wo", "mg", "lb", "nl"])
def test_valid_languages(code):
    assert is_language(code)


@pytest.mark.parametrize("code", ["FR", "fra", "xx", "", None, "ber"])
def test_invalid_languages(code):
    assert not is_language(code)


def test_code_sets_sizes():
    assert len(COUNTRY_CODES) >= 249 and len(LANGUAGE_CODES) >= 180
    assert set(PROVIDER_COUNTRIES) <= COUNTRY_CODES
    assert set(CLIENT_MARKETS) <= COUNTRY_CODES
    assert len(CLIENT_MARKETS) == 10


def test_localised_country_names():
    assert country_name("MA", "fr") == "Maroc"
    assert country_name("MA", "en") == "Morocco"
    assert country_name("DE", "fr_FR") == "Allemagne"
    assert country_name("CI", "fr") in ("Côte d’Ivoire", "Côte d'Ivoire")
    assert country_name("GB", "en") == "United Kingdom"
    assert country_name("ZZZ", "fr") == "ZZZ"


def test_localised_language_names():
    assert language_name("fr", "en") == "French"
    assert language_name("fr", "fr") == "français"
    assert language_name("ar", "fr") == "arabe"
    assert language_name("nl", "en") == "Dutch"


def test_choices_sorted_and_complete():
    fr = country_choices("fr")
    assert len(fr) == len(COUNTRY_CODES)
    names = [n for _, n in fr]
    assert (
        names.index("Afrique du Sud")
        < names.index("Allemagne")
        < names.index("Égypte")
        < names.index("France")
    )
    assert country_choices("en", PROVIDER_COUNTRIES)[0] == ("MA", "Morocco")
    assert len(language_choices("fr")) == len(LANGUAGE_CODES)
    assert language_choices("en", ["de"]) == [("de", "German")]


@pytest.mark.parametrize("code", PROVIDER_COUNTRIES + CLIENT_MARKETS + ("US", "JP"))
def test_country_timezones_are_valid(code):
    zoneinfo.ZoneInfo(country_timezone(code))
    assert country_timezone("FR") == "Europe/Paris"
