"""Builders of needs for tests (they commit, like a finished earlier request)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.needs import service
from app.needs.schemas import NeedCreate


def future(days: int = 90) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def need_payload(**overrides) -> dict:
    return {
        "title": "Service client énergie – 40 conseillers",
        "description": "Contrats, relevés, facturation.",
        "services": ["inbound_care"],
        "sector": "energy",
        "target_markets": ["FR", "BE"],
        "languages": [{"language": "fr", "min_level": "c1"}],
        "seats": 40,
        "start_date": future(),
        "duration_months": 24,
        "hours": "extended",
        "budget_max": "22.50",
        "gdpr": "dpa_scc",
        **overrides,
    }


def need(db_session: Session, organisation_id: int, **overrides):
    created = service.create(
        db_session=db_session,
        organisation_id=organisation_id,
        data=NeedCreate(**need_payload(**overrides)),
    )
    db_session.commit()
    return created
