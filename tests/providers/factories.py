"""Builders of call-centre profiles for tests (each call makes a distinct organisation).

They commit like a finished earlier request (see ``tests/factories.py``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.providers import service
from app.providers.models import ProviderProfile
from app.providers.schemas import ProviderProfileCreate
from tests import factories


def full_profile_data(**overrides: Any) -> dict[str, Any]:
    """A complete, valid profile (the API's JSON shape, without ``organisation_id``)."""
    return {
        "status": "published",
        "description_fr": "Centre de 300 positions à Rabat.",
        "description_en": "A 300-seat centre in Rabat.",
        "sites": [
            {
                "country": "MA",
                "city": "Rabat",
                "seats_total": 300,
                "seats_available_now": 40,
                "seats_available_later": 90,
                "available_from": "2027-01-15",
            },
            {
                "country": "MA",
                "city": "Fès",
                "timezone": "Africa/Casablanca",
                "seats_total": 80,
                "seats_available_now": 10,
            },
        ],
        "languages": [
            {"language": "fr", "level": "c2", "culture_markets": ["FR", "BE"]},
            {"language": "es", "level": "b2", "culture_markets": ["ES"]},
        ],
        "services": ["inbound_care", "outbound_telesales"],
        "sectors": [{"sector": "energy", "years": 8}, {"sector": "telecom", "years": 3}],
        "channels": ["phone", "email"],
        "hours": "extended",
        "price_min": "14.50",
        "price_max": "19.00",
        "min_contract_seats": 10,
        "certifications": ["iso_27001"],
        "gdpr_dpa": True,
        "gdpr_scc": True,
        "gdpr_eu_hosting": False,
        "data_hosting_country": "MA",
        "bloctel_screening": True,
        "opt_in_only": False,
        "references": [
            {
                "client_name": "Énergie Verte SA",
                "country": "FR",
                "sector": "energy",
                "description": "Inbound care since 2021",
            },
            {"anonymised": True, "client_name": "Secret Telecom", "country": "BE"},
        ],
        **overrides,
    }


def provider_organisation(db_session: Session, **overrides: Any):
    return factories.organisation(
        db_session, **{"kind": "provider", "country": "MA", "city": "Rabat", **overrides}
    )


def profile(db_session: Session, *, name: str | None = None, **data: Any) -> ProviderProfile:
    """A profile for a new provider organisation; ``data`` as in the API (minimal default:
    one published site)."""
    organisation = provider_organisation(db_session, **({"legal_name": name} if name else {}))
    payload = {
        "status": "published",
        "sites": [{"country": "MA", "city": "Rabat", "seats_total": 50, "seats_available_now": 10}],
        **data,
        "organisation_id": organisation.id,
    }
    created = service.create_profile(
        db_session=db_session, data=ProviderProfileCreate.model_validate(payload)
    )
    db_session.commit()
    return created
