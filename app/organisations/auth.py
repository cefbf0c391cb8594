"""Who may create, read, edit or verify an organisation: the one place the JSON API and the
pages ask. Permission questions themselves come from ``app.accounts.policy``.

- any signed-in user reads an organisation's public profile (``readable_organisation``);
- its members and platform administrators edit it (``editable_organisation``);
- organisers and platform administrators verify it (``verifiable_organisation``);
- only platform administrators create one directly (``require_creator``; sign-up creates
  the others).

``ReadableOrganisation`` / ``EditableOrganisation`` / ``VerifiableOrganisation`` are the same
as route dependencies (the path's ``organisation_id``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.core.db import SessionDep
from app.core.types import PathId
from app.organisations import service
from app.organisations.models import Organisation

__all__ = [
    "EditableOrganisation",
    "ReadableOrganisation",
    "VerifiableOrganisation",
    "editable_organisation",
    "readable_organisation",
    "require_creator",
    "verifiable_organisation",
]


def require_creator(user: User | None) -> None:
    """Raise unless ``user`` may create an organisation directly."""
    policy.require_platform_admin(user)


def readable_organisation(db_session: Session, user: User, organisation_id: int) -> Organisation:
    """The organisation: its public profile is for every signed-in ``user``."""
    return service.get(db_session=db_session, organisation_id=organisation_id)


def editable_organisation(db_session: Session, user: User, organisation_id: int) -> Organisation:
    """The organisation if ``user`` is one of its members or a platform administrator."""
    organisation = service.get(db_session=db_session, organisation_id=organisation_id)
    policy.require_member(user, organisation.id)
    return organisation


def verifiable_organisation(db_session: Session, user: User, organisation_id: int) -> Organisation:
    """The organisation if ``user`` may mark it verified (organisers, platform admins)."""
    policy.require_organiser_or_admin(user)
    return service.get(db_session=db_session, organisation_id=organisation_id)


def _readable(db_session: SessionDep, user: CurrentUser, organisation_id: PathId) -> Organisation:
    return readable_organisation(db_session, user, organisation_id)


def _editable(db_session: SessionDep, user: CurrentUser, organisation_id: PathId) -> Organisation:
    return editable_organisation(db_session, user, organisation_id)


def _verifiable(db_session: SessionDep, user: CurrentUser, organisation_id: PathId) -> Organisation:
    return verifiable_organisation(db_session, user, organisation_id)


ReadableOrganisation = Annotated[Organisation, Depends(_readable)]
EditableOrganisation = Annotated[Organisation, Depends(_editable)]
VerifiableOrganisation = Annotated[Organisation, Depends(_verifiable)]
