"""The providers service: directory filters and sorts, seat sums kept in sync, versions,
and the scoring engine's loader."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.matching import ProviderFeatures
from app.providers import service
from app.providers.models import ProviderProfile
from app.providers.schemas import DirectoryFilters, ProviderProfileUpdate
from tests.providers.factories import full_profile_data, profile


def _site(city, total, now, later=None, when=None, country="MA"):
    site = {"country": country, "city": city, "seats_total": total, "seats_available_now": now}
    if later is not None:
        site.update(seats_available_later=later, available_from=when)
    return site


def _names(db_session, sort="name", **filters) -> list[str]:
    items, total = service.search(
        db_session=db_session, filters=DirectoryFilters(**filters), sort=sort, limit=100
    )
    assert total == len(items)
    return [p.organisation.legal_name for p in items]


@pytest.fixture
def centres(db_session):
    profile(
        db_session,
        name="Atlas",
        sites=[_site("Rabat", 200, 20, 120, "2027-03-01"), _site("Fès", 50, 15)],
        languages=[{"language": "fr", "level": "native"}, {"language": "es", "level": "b1"}],
        services=["inbound_care", "back_office"],
        sectors=[{"sector": "energy"}],
        certifications=["iso_27001", "pci_dss"],
        hours="24_7",
        price_min="12",
        price_max="15",
    )
    profile(
        db_session,
        name="Baobab",
        sites=[_site("Dakar", 100, 60, country="SN")],
        languages=[{"language": "fr", "level": "c1"}],
        services=["inbound_care"],
        sectors=[{"sector": "telecom", "years": 4}],
        certifications=["iso_27001"],
        hours="extended",
        price_min="9",
        price_max="11",
    )
    profile(
        db_session,
        name="Carthage",
        sites=[_site("Tunis", 80, 0, 80, "2027-01-10", country="TN")],
        languages=[{"language": "de", "level": "c2"}, {"language": "fr", "level": "b2"}],
        services=["technical_support"],
        hours="business",
    )
    profile(
        db_session,
        name="Draft Centre",
        status="draft",
        languages=[{"language": "fr", "level": "native"}],
    )


def test_only_published_profiles_are_listed(db_session, centres):
    assert _names(db_session) == ["Atlas", "Baobab", "Carthage"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": ["MA"]}, ["Atlas"]),
        ({"country": ["SN", "TN"]}, ["Baobab", "Carthage"]),
        ({"language": "fr"}, ["Atlas", "Baobab", "Carthage"]),
        ({"language": "fr", "level": "c1"}, ["Atlas", "Baobab"]),
        ({"language": "fr", "level": "native"}, ["Atlas"]),
        ({"language": "es", "level": "b2"}, []),
        ({"service": ["inbound_care"]}, ["Atlas", "Baobab"]),
        ({"service": ["inbound_care", "back_office"]}, ["Atlas"]),
        ({"sector": ["telecom"]}, ["Baobab"]),
        ({"certification": ["iso_27001"]}, ["Atlas", "Baobab"]),
        ({"certification": ["iso_27001", "pci_dss"]}, ["Atlas"]),
        ({"seats": 35}, ["Atlas", "Baobab"]),
        ({"seats": 36}, ["Baobab"]),
        # By 2027-02-01 Carthage's 80 seats are free, Atlas's later seats not yet.
        ({"seats": 70, "seats_date": "2027-02-01"}, ["Carthage"]),
        ({"seats": 135, "seats_date": "2027-03-01"}, ["Atlas"]),
        ({"price_max": "10"}, ["Baobab"]),
        ({"price_max": "12"}, ["Atlas", "Baobab"]),
        ({"open_24_7": True}, ["Atlas"]),
        ({"q": "bAo"}, ["Baobab"]),
        (
            {
                "language": "fr",
                "level": "b2",
                "service": ["inbound_care"],
                "seats": 50,
                "country": ["SN", "MA"],
                "certification": ["iso_27001"],
                "price_max": "20",
            },
            ["Baobab"],
        ),
    ],
)
def test_each_filter_and_their_combination(db_session, centres, filters, expected):
    assert _names(db_session, **filters) == expected


@pytest.mark.parametrize(
    ("sort", "filters", "expected"),
    [
        ("name", {}, ["Atlas", "Baobab", "Carthage"]),
        ("seats", {}, ["Baobab", "Atlas", "Carthage"]),
        ("seats", {"seats_date": "2027-06-01"}, ["Atlas", "Carthage", "Baobab"]),
        ("price", {}, ["Baobab", "Atlas", "Carthage"]),  # no price: last
    ],
)
def test_sorts(db_session, centres, sort, filters, expected):
    assert _names(db_session, sort=sort, **filters) == expected


def test_recently_updated_first(db_session, centres):
    carthage = service.get_profile(
        db_session=db_session,
        provider_id=service.search(
            db_session=db_session, filters=DirectoryFilters(q="carth"), limit=1
        )[0][0].id,
    )
    service.update_profile(
        db_session=db_session, profile=carthage, data=ProviderProfileUpdate(description_en="New")
    )
    db_session.commit()
    assert _names(db_session, sort="updated")[0] == "Carthage"


def test_pagination_counts_every_match(db_session, centres):
    items, total = service.search(
        db_session=db_session, filters=DirectoryFilters(), sort="name", limit=2, offset=2
    )
    assert total == 3
    assert [p.organisation.legal_name for p in items] == ["Carthage"]


def test_seat_sums_follow_every_change_of_the_sites(db_session):
    created = profile(db_session, sites=[_site("Rabat", 100, 10), _site("Fès", 40, 40)])
    loaded = service.get_profile(db_session=db_session, provider_id=created.id)
    assert (loaded.seats_total_sum, loaded.seats_now_sum) == (140, 50)
    service.update_profile(
        db_session=db_session,
        profile=loaded,
        data=ProviderProfileUpdate(sites=[_site("Fès", 40, 5), _site("Oujda", 10, 10)]),
    )
    db_session.commit()
    again = db_session.get(ProviderProfile, created.id)
    assert (again.seats_total_sum, again.seats_now_sum) == (50, 15)
    assert again.version == 2
    assert service.seats_at(loaded, None) == 15


def test_load_all_for_matching_gives_the_engine_its_features(db_session, centres, count_queries):
    with count_queries() as counter:
        features = service.load_all_for_matching(db_session=db_session)
    assert counter.count == 7
    by_name = {f.id: f for f in features}
    assert len(features) == 3 and all(isinstance(f, ProviderFeatures) for f in features)
    atlas = next(f for f in by_name.values() if "ma" in {c.lower() for c in f.countries})
    assert atlas.seats_total == 250
    assert atlas.seats_available_now == 35
    assert atlas.seats_available_from == date(2027, 3, 1)
    assert atlas.seats_at_date == 135
    assert dict(atlas.languages) == {"fr": 7, "es": 3}
    assert atlas.services == frozenset({"inbound_care", "back_office"})
    assert dict(atlas.sectors) == {"energy": 0}
    assert atlas.hours == "24_7"
    assert (atlas.price_min, atlas.price_max) == (12.0, 15.0)
    assert atlas.certifications == frozenset({"iso_27001", "pci_dss"})
    assert [s.timezone for s in atlas.sites] == ["Africa/Casablanca", "Africa/Casablanca"]


def test_loader_query_count_does_not_grow_with_the_providers(db_session, count_queries):
    for i in range(12):
        profile(db_session, name=f"C{i}", **full_profile_data())
    with count_queries() as counter:
        features = service.load_all_for_matching(db_session=db_session, id_field="organisation")
    assert counter.count == 7
    assert len(features) == 12
    assert features[0].culture_markets == frozenset({"FR", "BE", "ES"})
    assert features[0].gdpr_scc is True and features[0].bloctel_screening is True


def test_price_is_kept_exactly(db_session):
    created = profile(db_session, price_min="14.55", price_max="14.55")
    assert db_session.get(ProviderProfile, created.id).price_min == Decimal("14.55")
