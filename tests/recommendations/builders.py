"""Builders for the recommendation tests: call centres with chosen traits, a client need."""

from __future__ import annotations

from tests.needs.builders import need
from tests.providers.factories import profile


def centre(
    db_session,
    name: str,
    *,
    level: str = "c2",
    services=("inbound_care",),
    price=("14.00", "18.00"),
    seats_now: int = 60,
    country: str = "MA",
    city: str = "Rabat",
    **extra,
):
    """A published call centre speaking French at ``level``."""
    data = {
        "sites": [
            {"country": country, "city": city, "seats_total": 200, "seats_available_now": seats_now}
        ],
        "languages": [{"language": "fr", "level": level, "culture_markets": ["FR"]}],
        "services": list(services),
        "sectors": [{"sector": "energy", "years": 4}],
        "hours": "extended",
        "price_min": price[0],
        "price_max": price[1],
        "gdpr_dpa": True,
        "gdpr_scc": True,
        **extra,
    }
    return profile(db_session, name=name, **data)


__all__ = ["centre", "need"]
