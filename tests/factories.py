"""Builders of valid domain objects for tests (each call makes a distinct one).

Each builder commits, like a finished earlier request: inside the test transaction that only
releases a savepoint, so a later failed request cannot roll the fixture data back.
"""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from app.organisations import service as organisations
from app.organisations.models import Organisation
from app.organisations.schemas import OrganisationCreate

_counter = itertools.count(1)


def organisation(db_session: Session, **overrides) -> Organisation:
    n = next(_counter)
    data = {
        "kind": "client",
        "legal_name": f"Test Company {n}",
        "country": "FR",
        "city": "Lyon",
        **overrides,
    }
    created = organisations.create(db_session=db_session, data=OrganisationCreate(**data))
    db_session.commit()  # as a finished earlier request would (releases the test savepoint)
    return created
