import dataclasses

import pytest

from app.catalog import (
    CERTIFICATIONS,
    CHANNELS,
    CLIENT_MARKETS,
    GDPR_OFFERS,
    GDPR_REQUIREMENTS,
    HOURS,
    LANGUAGE_LEVELS,
    MARKET_LANGUAGES,
    OUTBOUND_SERVICES,
    PROVIDER_COUNTRIES,
    SECTORS,
    SERVICES,
    TAXONOMIES,
    Entry,
    Taxonomy,
    gdpr_offer_level,
    gdpr_satisfies,
    hours_covers,
    is_language,
    label,
    level_code,
    level_rank,
    normalise_locale,
)

ALL = list(TAXONOMIES.values())


@pytest.mark.parametrize("tax", ALL, ids=lambda t: t.name)
def test_codes_unique_snake_case_and_labelled_in_both_languages(tax):
    codes = [e.code for e in tax]
    assert len(codes) == len(set(codes)) > 0
    for e in tax:
        assert e.code == e.code.lower() and " " not in e.code and "-" not in e.code
        assert e.en.strip() and e.fr.strip()
        assert tax.label(e.code, "en") == e.en
        assert tax.label(e.code, "fr_FR") == e.fr
        assert tax[e.code] is e and e.code in tax
    assert tax.codes == tuple(codes)
    assert [c for c, _ in tax.choices("fr")] == codes
    assert all(tax.index(c) == i for i, c in enumerate(codes))


def test_codes_unique_across_frozen_entries():
    e = SERVICES["inbound_care"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.code = "x"  # type: ignore[misc]
    with pytest.raises(ValueError):
        Taxonomy("dup", (Entry("a", "A", "A"), Entry("a", "B", "B")))


def test_expected_contents():
    assert len(SERVICES) == 9 and "content_moderation" in SERVICES
    assert len(SECTORS) == 11 and "energy" in SECTORS and "technology" in SECTORS
    assert len(CHANNELS) == 7 and "postal_mail" in CHANNELS
    assert {"iso_27001", "pci_dss", "iso_18295_nf345", "hds"} <= set(CERTIFICATIONS.codes)
    assert set(SERVICES.codes) >= OUTBOUND_SERVICES
    assert set(GDPR_OFFERS.codes) == {"dpa", "scc", "eu_hosting"}


def test_label_helper_and_unknown_code():
    assert label("services", "back_office", "fr") == "Back-office"
    assert label("sectors", "energy", "en") == "Energy and renewables"
    assert label("countries", "MA", "fr") == "Maroc"
    assert label("languages", "de", "fr") == "allemand"
    assert SERVICES.label("no_such_code", "fr") == "no_such_code"
    assert normalise_locale("fr-BE") == "fr" and normalise_locale(None) == "en"
    assert normalise_locale("de") == "en"


def test_language_levels_ordered_with_rank():
    ranks = [e.rank for e in LANGUAGE_LEVELS]
    assert ranks == sorted(ranks) == list(range(1, 8))
    assert LANGUAGE_LEVELS.codes == ("a1", "a2", "b1", "b2", "c1", "c2", "native")
    assert level_rank("b2") == 4 and level_code(7) == "native"


def test_hours_ordering_and_windows():
    assert [h.rank for h in HOURS] == [1, 2, 3]
    assert HOURS["business"].weekly_hours == 45
    assert HOURS["extended"].weekly_hours == 6 * 14
    assert HOURS["24_7"].weekly_hours == 168
    assert hours_covers("24_7", "extended") and hours_covers("extended", "business")
    assert not hours_covers("business", "extended")

    def hour_set(code):
        return {(d, h) for d, s, e in HOURS[code].windows for h in range(s, e)}

    assert hour_set("business") < hour_set("extended") < hour_set("24_7")


def test_gdpr_levels_cumulative():
    assert [g.rank for g in GDPR_REQUIREMENTS] == [0, 1, 2, 3]
    assert gdpr_offer_level(False, True, True) == 0
    assert gdpr_offer_level(True, False, True) == 1
    assert gdpr_offer_level(True, True, False) == 2
    assert gdpr_offer_level(True, True, True) == 3
    assert gdpr_satisfies("none", dpa=False, scc=False, eu_hosting=False)
    assert gdpr_satisfies("dpa_scc", dpa=True, scc=True, eu_hosting=False)
    assert not gdpr_satisfies("eu_hosting", dpa=True, scc=True, eu_hosting=False)


def test_market_languages_valid():
    assert set(MARKET_LANGUAGES) == set(CLIENT_MARKETS)
    assert all(is_language(code) for langs in MARKET_LANGUAGES.values() for code in langs)
    assert len(PROVIDER_COUNTRIES) == 9
