"""Use cases on organisations. Functions flush; the request boundary commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.errors import FieldError, NotFound
from app.i18n import gettext as _
from app.organisations.models import Organisation, OrganisationKind
from app.organisations.registration import InvalidRegistrationNumber, check_registration_number
from app.organisations.schemas import OrganisationCreate, OrganisationUpdate


def get(*, db_session: Session, organisation_id: int) -> Organisation:
    organisation = db_session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_("Organisation %(id)s not found.", id=organisation_id))
    return organisation


def list_(
    *,
    db_session: Session,
    limit: int,
    offset: int,
    kind: str | None = None,
    country: str | None = None,
    q: str | None = None,
    verified: bool | None = None,
) -> tuple[list[Organisation], int]:
    query = select(Organisation)
    if verified is not None:
        query = query.where(Organisation.verified.is_(verified))
        if not verified:  # what is left to verify: organisers are staff, not verified
            query = query.where(Organisation.kind != OrganisationKind.organiser.value)
    if kind:
        query = query.where(Organisation.kind == kind)
    if country:
        query = query.where(Organisation.country == country.upper())
    if q:
        query = query.where(func.lower(Organisation.legal_name).contains(q.lower()))
    total = db_session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db_session.scalars(
        query.order_by(Organisation.legal_name, Organisation.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def _checked_registration(country: str, number: str | None) -> tuple[str | None, str | None]:
    if not number:
        return None, None
    try:
        checked = check_registration_number(country, number)
    except InvalidRegistrationNumber as exc:
        raise FieldError({"registration_number": str(exc)}) from None
    return checked.number, checked.scheme


def _ensure_unique_registration(
    db_session: Session, country: str, number: str | None, exclude_id: int | None = None
) -> None:
    if not number:
        return
    query = select(Organisation.id).where(
        Organisation.country == country, Organisation.registration_number == number
    )
    if exclude_id is not None:
        query = query.where(Organisation.id != exclude_id)
    if db_session.scalar(query) is not None:
        raise FieldError(
            {"registration_number": _("An organisation with this registration number exists.")}
        )


def _flush(db_session: Session) -> None:
    try:
        db_session.flush()
    except IntegrityError:  # lost a race with a concurrent insert of the same number
        raise FieldError(
            {"registration_number": _("An organisation with this registration number exists.")}
        ) from None


def create(*, db_session: Session, data: OrganisationCreate) -> Organisation:
    number, scheme = _checked_registration(data.country, data.registration_number)
    _ensure_unique_registration(db_session, data.country, number)
    organisation = Organisation(
        kind=data.kind.value,
        legal_name=data.legal_name,
        country=data.country,
        city=data.city or None,
        registration_number=number,
        registration_scheme=scheme,
        website=str(data.website) if data.website else None,
        size=data.size.value if data.size else None,
    )
    db_session.add(organisation)
    _flush(db_session)
    return organisation


def update(
    *, db_session: Session, organisation: Organisation, data: OrganisationUpdate
) -> Organisation:
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    country = changes.get("country") or organisation.country
    if "registration_number" in changes or "country" in changes:
        raw = changes.get("registration_number", organisation.registration_number)
        number, scheme = _checked_registration(country, raw)
        _ensure_unique_registration(db_session, country, number, exclude_id=organisation.id)
        changes["registration_number"], changes["registration_scheme"] = number, scheme
    if "legal_name" in changes and not changes["legal_name"]:
        raise FieldError({"legal_name": _("The legal name is required.")})
    if "country" in changes and changes["country"] is None:
        raise FieldError({"country": _("The country is required.")})
    for field, value in changes.items():
        if field == "website" and value is not None:
            value = str(value)
        elif field == "size" and value is not None:
            value = value.value
        setattr(organisation, field, value)
    _flush(db_session)
    return organisation


def set_verified(*, db_session: Session, organisation: Organisation, verified: bool) -> bool:
    """Set the verified flag; True when it changed (the caller records who did it)."""
    if organisation.verified == verified:
        return False
    organisation.verified = verified
    db_session.flush()
    return True
