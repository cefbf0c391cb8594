"""Use cases on organisations. Functions flush; the request boundary commits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.requests import Request

from app.core.errors import Conflict, FieldError, NotFound
from app.i18n import gettext as _
from app.organisations.models import Organisation, OrganisationKind
from app.organisations.registration import InvalidRegistrationNumber, check_registration_number
from app.organisations.schemas import OrganisationCreate, OrganisationUpdate

if TYPE_CHECKING:
    from app.accounts.models import User

# What an organiser checks when verifying: changing one of them clears the verification.
IDENTITY_FIELDS = ("legal_name", "country", "registration_number")


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


def holder_of(
    *, db_session: Session, country: str, number: str | None, exclude_id: int | None = None
) -> Organisation | None:
    """The organisation holding this registration number, if any."""
    if not number:
        return None
    query = select(Organisation).where(
        Organisation.country == country, Organisation.registration_number == number
    )
    if exclude_id is not None:
        query = query.where(Organisation.id != exclude_id)
    return db_session.scalar(query)


def rival_claims(*, db_session: Session, organisation: Organisation) -> list[Organisation]:
    """The other side of a contested number: the holder (for a claimant), or the claimants
    (for a holder)."""
    if organisation.contested_registration_number:
        holder = holder_of(
            db_session=db_session,
            country=organisation.country,
            number=organisation.contested_registration_number,
            exclude_id=organisation.id,
        )
        return [holder] if holder is not None else []
    if not organisation.registration_number:
        return []
    return list(
        db_session.scalars(
            select(Organisation)
            .where(
                Organisation.country == organisation.country,
                Organisation.contested_registration_number == organisation.registration_number,
                Organisation.id != organisation.id,
            )
            .order_by(Organisation.created_at, Organisation.id)
        ).all()
    )


def _claim_or_keep(
    db_session: Session, organisation: Organisation, country: str, number: str | None
) -> str | None:
    """The number to store: ``number`` when free; when another organisation holds it, None,
    and the number waits as a contested claim."""
    holder = holder_of(
        db_session=db_session, country=country, number=number, exclude_id=organisation.id
    )
    if holder is None:
        organisation.contested_registration_number = None
        return number
    organisation.contested_registration_number = number
    return None


def _flush(db_session: Session) -> None:
    try:
        db_session.flush()
    except IntegrityError:  # lost a race with a concurrent insert of the same number
        raise FieldError(
            {"registration_number": _("An organisation with this registration number exists.")}
        ) from None


def create(*, db_session: Session, data: OrganisationCreate) -> Organisation:
    # A number another organisation already claims is accepted: the organisers decide
    # (verification_queue, decide_claim) rather than the first to type it.
    number, scheme = _checked_registration(data.country, data.registration_number)
    organisation = Organisation(
        kind=data.kind.value,
        legal_name=data.legal_name,
        country=data.country,
        city=data.city or None,
        registration_scheme=scheme,
        website=str(data.website) if data.website else None,
        size=data.size.value if data.size else None,
    )
    organisation.registration_number = _claim_or_keep(
        db_session, organisation, data.country, number
    )
    db_session.add(organisation)
    _flush(db_session)
    return organisation


def update(
    *,
    db_session: Session,
    organisation: Organisation,
    data: OrganisationUpdate,
    actor: User | None = None,
    request: Request | None = None,
) -> Organisation:
    """Apply the fields sent. Changing an identity field (legal name, country, registration
    number) of a verified organisation clears its verification, with an audit line: it
    goes back to the organisers' queue."""
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    country = changes.get("country") or organisation.country
    if "registration_number" in changes or "country" in changes:
        raw = changes.get("registration_number", organisation.registration_number)
        number, scheme = _checked_registration(country, raw)
        changes["registration_number"], changes["registration_scheme"] = number, scheme
        if number != organisation.registration_number or country != organisation.country:
            changes["registration_number"] = _claim_or_keep(
                db_session, organisation, country, number
            )
    if "legal_name" in changes and not changes["legal_name"]:
        raise FieldError({"legal_name": _("The legal name is required.")})
    if "country" in changes and changes["country"] is None:
        raise FieldError({"country": _("The country is required.")})
    changed_identity = [
        field
        for field in IDENTITY_FIELDS
        if field in changes and changes[field] != getattr(organisation, field)
    ]
    if organisation.contested_registration_number and "registration_number" not in changed_identity:
        changed_identity.append("registration_number")
    for field, value in changes.items():
        if field == "website" and value is not None:
            value = str(value)
        elif field == "size" and value is not None:
            value = value.value
        setattr(organisation, field, value)
    if organisation.verified and changed_identity:
        from app.accounts import audit  # accounts builds on organisations, not the reverse

        organisation.verified = False
        audit.record(
            db_session,
            action=audit.AuditAction.organisation_unverified,
            actor=actor,
            organisation_id=organisation.id,
            request=request,
            detail="identity changed: " + ", ".join(changed_identity),
        )
    _flush(db_session)
    return organisation


def set_verified(*, db_session: Session, organisation: Organisation, verified: bool) -> bool:
    """Set the verified flag; True when it changed (the caller records who did it).
    An organisation whose registration number another one claims is verified only once an
    organiser has decided the claim (409 before)."""
    if organisation.verified == verified:
        return False
    if verified and rival_claims(db_session=db_session, organisation=organisation):
        raise Conflict(
            _(
                "Another organisation claims this registration number: decide the claim "
                "in the verification queue first."
            )
        )
    organisation.verified = verified
    db_session.flush()
    return True


# --- the organisers' verification queue -------------------------------------------------


@dataclass(frozen=True)
class DuplicateClaim:
    """An organisation claiming a registration number another one holds: an organiser
    decides who keeps it."""

    claimant: Organisation
    holder: Organisation | None


def duplicate_claims(*, db_session: Session) -> list[DuplicateClaim]:
    """Every contested claim, oldest first, with the organisation holding the number."""
    claimants = db_session.scalars(
        select(Organisation)
        .where(Organisation.contested_registration_number.is_not(None))
        .order_by(Organisation.created_at, Organisation.id)
    ).all()
    return [
        DuplicateClaim(
            claimant=claimant,
            holder=holder_of(
                db_session=db_session,
                country=claimant.country,
                number=claimant.contested_registration_number,
                exclude_id=claimant.id,
            ),
        )
        for claimant in claimants
    ]


def unverified(*, db_session: Session, limit: int, offset: int) -> tuple[list[Organisation], int]:
    """Client and provider organisations awaiting verification, longest waiting first."""
    query = select(Organisation).where(
        Organisation.verified.is_(False), Organisation.kind != "organiser"
    )
    total = db_session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db_session.scalars(
        query.order_by(Organisation.updated_at, Organisation.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def decide_claim(
    *,
    db_session: Session,
    claimant: Organisation,
    grant: bool,
    actor: User,
    request: Request | None = None,
) -> Organisation:
    """Decide ``claimant``'s contested registration number. ``grant``: the claimant gets it
    and the holder loses it (number cleared, verification withdrawn); otherwise the claim
    is dropped. Each side gets an audit line."""
    from app.accounts import audit

    number = claimant.contested_registration_number
    if not number:
        raise NotFound(_("This organisation has no contested registration number."))
    holder = holder_of(
        db_session=db_session, country=claimant.country, number=number, exclude_id=claimant.id
    )
    claimant.contested_registration_number = None
    if grant:
        if holder is not None:
            holder.registration_number = None
            holder.registration_scheme = None
            holder.verified = False
            db_session.flush()  # the number is free before the claimant takes it
            audit.record(
                db_session,
                action=audit.AuditAction.registration_claim_decided,
                actor=actor,
                organisation_id=holder.id,
                request=request,
                detail=f"{claimant.country} {number} given to #{claimant.id} {claimant.legal_name}",
            )
        claimant.registration_number = number
        claimant.registration_scheme = _checked_registration(claimant.country, number)[1]
    audit.record(
        db_session,
        action=audit.AuditAction.registration_claim_decided,
        actor=actor,
        organisation_id=claimant.id,
        request=request,
        detail=f"{claimant.country} {number} " + ("granted" if grant else "refused"),
    )
    _flush(db_session)
    return claimant
