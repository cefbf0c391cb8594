"""Use cases on needs. Functions flush; the request boundary commits.

When an anonymous client's name is shown (``client_identity_visible``) is decided here,
once, for the API and the pages alike; who may read or edit a need, in ``app/needs/auth.py``.

Others call:

- reading: ``get(db_session, need_id)`` (children and organisation loaded; any status:
  ``app.needs.auth`` checks who asks), ``list_for_organisation``, ``list_open(filters=
  NeedFilters(...), limit, offset)``, ``count_by_status``, ``load_open_for_matching`` (every
  open need as ``app.matching.NeedFeatures``, 7 queries);
- identity: ``visibility(db_session, needs, user) -> {need id: client visible}`` (one query
  for a whole page), ``client_identity_visible(need, viewer_organisation_id, ...)``,
  ``revealed_need_ids(db_session, provider_id, need_ids)``;
- shortlist: ``shortlist`` (idempotent), ``unshortlist``, ``shortlist_of(need_ids)``;
- interest: ``express_interest``, ``decide_interest(accept=True|False)``, ``get_interest``,
  ``interests_for_needs``, ``interests_of_provider``, ``provider_relations``;
- in contact: ``in_contact(client_id= | provider_id=)`` -> ``[InContact]`` (the accepted
  pairs, each with both contact persons), ``contact_persons(organisation_ids)``;
- writing: ``create``, ``update`` (``version`` checked, bumped), ``open_``, ``close``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Select, delete, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from app.accounts import policy
from app.accounts.models import User
from app.catalog import LANGUAGE_LEVELS, level_rank
from app.core.db import utcnow
from app.core.errors import Conflict, FieldError, NotFound
from app.i18n import gettext as _
from app.needs.models import (
    CountryPreference,
    InterestStatus,
    Need,
    NeedCertification,
    NeedCountry,
    NeedInterest,
    NeedLanguage,
    NeedMarket,
    NeedPriority,
    NeedService,
    NeedShortlist,
    NeedStatus,
)
from app.needs.schemas import NeedCreate, NeedUpdate
from app.organisations.models import Organisation, OrganisationKind

if TYPE_CHECKING:
    from app.matching import NeedFeatures

CHILDREN = (
    Need.services,
    Need.markets,
    Need.languages,
    Need.certifications,
    Need.countries,
    Need.priorities,
)


def _with_children(*, organisation: bool = True) -> list[_AbstractLoad]:
    options = [selectinload(rel) for rel in CHILDREN]
    if organisation:
        options.append(selectinload(Need.organisation))
    return options


# --- who is looking (rules from app.accounts.policy) ------------------------------------------


def is_provider(user: User | None) -> bool:
    return policy.organisation_kind(user) == OrganisationKind.provider.value


def is_client(user: User | None) -> bool:
    return policy.organisation_kind(user) == OrganisationKind.client.value


def revealed_need_ids(
    *, db_session: Session, provider_id: int, need_ids: Iterable[int] | None = None
) -> set[int]:
    """Needs whose client the provider may know: it was shortlisted, or its expression of
    interest was accepted. One query whatever the number of needs."""
    shortlisted = select(NeedShortlist.need_id).where(NeedShortlist.provider_id == provider_id)
    accepted = select(NeedInterest.need_id).where(
        NeedInterest.provider_id == provider_id,
        NeedInterest.status == InterestStatus.accepted.value,
    )
    if need_ids is not None:
        ids = list(need_ids)
        if not ids:
            return set()
        shortlisted = shortlisted.where(NeedShortlist.need_id.in_(ids))
        accepted = accepted.where(NeedInterest.need_id.in_(ids))
    return set(db_session.scalars(shortlisted.union(accepted)).all())


def client_identity_visible(
    need: Need,
    viewer_organisation_id: int | None,
    *,
    db_session: Session | None = None,
    revealed: set[int] | None = None,
    platform_admin: bool = False,
) -> bool:
    """The one rule for showing a need's client: always unless the need is anonymous; then
    only to the client itself, to platform admins, and to a provider the client shortlisted or whose
    expression of interest it accepted.

    Pass ``revealed`` (from :func:`revealed_need_ids`) when checking many needs; otherwise
    ``db_session`` is used to look the relation up.
    """
    if not need.anonymous or platform_admin:
        return True
    if viewer_organisation_id is None:
        return False
    if viewer_organisation_id == need.organisation_id:
        return True
    if revealed is None:
        if db_session is None:
            return False
        revealed = revealed_need_ids(
            db_session=db_session, provider_id=viewer_organisation_id, need_ids=[need.id]
        )
    return need.id in revealed


def visibility(*, db_session: Session, needs: Sequence[Need], user: User | None) -> dict[int, bool]:
    """{need id: client visible to ``user``} for many needs in at most one query."""
    admin = policy.is_platform_admin(user)
    organisation_id = user.organisation_id if user is not None and user.is_active else None
    revealed: set[int] = set()
    hidden = [n.id for n in needs if n.anonymous and n.organisation_id != organisation_id]
    if hidden and organisation_id is not None and not admin:
        revealed = revealed_need_ids(
            db_session=db_session, provider_id=organisation_id, need_ids=hidden
        )
    return {
        n.id: client_identity_visible(n, organisation_id, revealed=revealed, platform_admin=admin)
        for n in needs
    }


# --- reading -----------------------------------------------------------------------------


def get(*, db_session: Session, need_id: int) -> Need:
    """The need with its children and its organisation loaded."""
    need = db_session.scalar(select(Need).where(Need.id == need_id).options(*_with_children()))
    if need is None:
        raise NotFound(_("Need %(id)s not found.", id=need_id))
    return need


def _page(
    db_session: Session, query: Select[tuple[Need]], limit: int, offset: int
) -> tuple[list[Need], int]:
    total = db_session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db_session.scalars(query.options(*_with_children()).limit(limit).offset(offset)).all()
    return list(rows), total


def list_for_organisation(
    *,
    db_session: Session,
    organisation_id: int,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Need], int]:
    """A client's needs (every status unless ``status``), most recently changed first."""
    query = select(Need).where(Need.organisation_id == organisation_id)
    if status:
        query = query.where(Need.status == status)
    query = query.order_by(Need.updated_at.desc(), Need.id.desc())
    return _page(db_session, query, limit, offset)


@dataclass(frozen=True)
class NeedFilters:
    """Filters of the open-needs list (all optional, combined with AND)."""

    service: str | None = None
    sector: str | None = None
    language: str | None = None
    # Only needs whose minimum level for ``language`` is at most this one (what I speak).
    level: str | None = None
    market: str | None = None
    min_seats: int | None = None
    max_seats: int | None = None
    q: str | None = None
    organisation_id: int | None = None


def _filtered(query: Select[tuple[Need]], filters: NeedFilters) -> Select[tuple[Need]]:
    if filters.service:
        query = query.where(
            exists().where(NeedService.need_id == Need.id, NeedService.service == filters.service)
        )
    if filters.sector:
        query = query.where(Need.sector == filters.sector)
    if filters.language:
        condition = [
            NeedLanguage.need_id == Need.id,
            NeedLanguage.language == filters.language.lower(),
        ]
        if filters.level:
            rank = level_rank(filters.level)
            allowed = [e.code for e in LANGUAGE_LEVELS if e.rank <= rank]
            condition.append(NeedLanguage.min_level.in_(allowed))
        query = query.where(exists().where(*condition))
    if filters.market:
        query = query.where(
            exists().where(
                NeedMarket.need_id == Need.id, NeedMarket.country == filters.market.upper()
            )
        )
    if filters.min_seats is not None:
        query = query.where(Need.seats >= filters.min_seats)
    if filters.max_seats is not None:
        query = query.where(Need.seats <= filters.max_seats)
    if filters.q:
        pattern = f"%{filters.q.lower()}%"
        query = query.where(
            or_(func.lower(Need.title).like(pattern), func.lower(Need.description).like(pattern))
        )
    if filters.organisation_id is not None:
        query = query.where(Need.organisation_id == filters.organisation_id)
    return query


def list_open(
    *,
    db_session: Session,
    filters: NeedFilters | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Need], int]:
    """Open needs matching ``filters``, most recently published first (children loaded:
    a constant number of queries whatever the page size)."""
    query = _filtered(
        select(Need).where(Need.status == NeedStatus.open.value), filters or NeedFilters()
    )
    query = query.order_by(Need.published_at.desc(), Need.id.desc())
    return _page(db_session, query, limit, offset)


def count_by_status(*, db_session: Session, organisation_id: int | None = None) -> dict[str, int]:
    query = select(Need.status, func.count()).group_by(Need.status)
    if organisation_id is not None:
        query = query.where(Need.organisation_id == organisation_id)
    counts = {s.value: 0 for s in NeedStatus}
    counts.update({status: count for status, count in db_session.execute(query).all()})
    return counts


# --- writing -----------------------------------------------------------------------------


def _client_organisation(db_session: Session, organisation_id: int) -> Organisation:
    organisation = db_session.get(Organisation, organisation_id)
    if organisation is None:
        raise FieldError(
            {"organisation_id": _("Organisation %(id)s not found.", id=organisation_id)}
        )
    if organisation.kind != OrganisationKind.client.value:
        raise FieldError({"organisation_id": _("Only a client company can post a need.")})
    return organisation


R = TypeVar("R")


def _reuse(
    existing: Iterable[R],
    key: Callable[[R], Hashable],
    wanted: Iterable[Hashable],
    make: Callable[[Any], R],
) -> list[R]:
    """The rows for ``wanted`` keys, reusing existing rows with the same key (replacing a row
    by a new one with the same primary or unique key would insert before deleting)."""
    by_key = {key(row): row for row in existing}
    return [by_key.get(k) or make(k) for k in wanted]


def _set_children(need: Need, values: dict[str, Any]) -> None:
    """Replace the child rows named in ``values`` (a key absent: left unchanged)."""
    if "services" in values:
        need.services = _reuse(
            need.services, lambda r: r.service, values["services"], lambda k: NeedService(service=k)
        )
    if "target_markets" in values:
        need.markets = _reuse(
            need.markets,
            lambda r: r.country,
            values["target_markets"],
            lambda k: NeedMarket(country=k),
        )
    if "languages" in values:
        rows = _reuse(
            need.languages,
            lambda r: r.language,
            [row["language"] for row in values["languages"]],
            lambda k: NeedLanguage(language=k),
        )
        for position, (row, wanted) in enumerate(zip(rows, values["languages"])):
            row.min_level, row.position = wanted["min_level"], position
        need.languages = rows
    if "required_certifications" in values:
        need.certifications = _reuse(
            need.certifications,
            lambda r: r.certification,
            values["required_certifications"],
            lambda k: NeedCertification(certification=k),
        )
    if "preferred_countries" in values or "excluded_countries" in values:
        preferred = values.get("preferred_countries", need.preferred_countries)
        excluded = values.get("excluded_countries", need.excluded_countries)
        both = set(preferred) & set(excluded)
        if both:
            field = (
                "excluded_countries" if "excluded_countries" in values else ("preferred_countries")
            )
            raise FieldError(
                {
                    field: _(
                        "A country cannot be both preferred and excluded: %(codes)s.",
                        codes=", ".join(sorted(both)),
                    )
                }
            )
        wanted = {c: CountryPreference.preferred.value for c in preferred}
        wanted.update({c: CountryPreference.excluded.value for c in excluded})
        country_rows = _reuse(
            need.countries, lambda r: r.country, list(wanted), lambda k: NeedCountry(country=k)
        )
        for country_row in country_rows:
            country_row.preference = wanted[country_row.country]
        need.countries = country_rows
    if "priorities" in values:
        need.priorities = _reuse(
            need.priorities,
            lambda r: r.criterion,
            values["priorities"],
            lambda k: NeedPriority(criterion=k),
        )


_SCALARS = (
    "title",
    "description",
    "sector",
    "seats",
    "start_date",
    "duration_months",
    "hours",
    "budget_max",
    "gdpr",
    "outbound_fr_consumers",
    "min_capacity_share",
    "anonymous",
)


def _check_publishable(need: Need) -> None:
    """An open need says at least what is done and in which language."""
    errors = {}
    if not need.services:
        errors["services"] = _("Choose at least one service before publishing.")
    if not need.languages:
        errors["languages"] = _("Add at least one language before publishing.")
    if errors:
        raise FieldError(errors)


def _flush(db_session: Session) -> None:
    try:
        db_session.flush()
    except IntegrityError as exc:  # a database rule the checks above did not foresee
        raise Conflict(
            _("The need could not be saved: %(reason)s", reason=str(exc.orig).splitlines()[0])
        ) from None


def create(*, db_session: Session, organisation_id: int, data: NeedCreate) -> Need:
    """A new need of the client ``organisation_id`` (a draft unless ``data.status`` is
    'open'). The start date was checked not to be in the past by the schema."""
    _client_organisation(db_session, organisation_id)
    values = data.model_dump(mode="python")
    need = Need(
        organisation_id=organisation_id,
        status=NeedStatus.draft.value,
        version=1,
        **{k: values[k] for k in _SCALARS},
    )
    need.services, need.markets, need.languages = [], [], []
    need.certifications, need.countries, need.priorities = [], [], []
    _set_children(need, values)
    if data.status == NeedStatus.open.value:
        _check_publishable(need)
        need.status = NeedStatus.open.value
        need.published_at = utcnow()
    db_session.add(need)
    _flush(db_session)
    db_session.expire(need)  # reload the children in their display order
    return get(db_session=db_session, need_id=need.id)


def update(*, db_session: Session, need: Need, data: NeedUpdate) -> Need:
    """Change the fields sent (lists are replaced); bumps ``version``. ``need`` must have
    been loaded by :func:`get`."""
    values = data.model_dump(mode="python", exclude_unset=True)
    expected = values.pop("version", None)
    if expected is not None and expected != need.version:
        raise Conflict(
            _(
                "This need was changed by someone else (version %(current)s, you edited version "
                "%(yours)s). Reload it and apply your changes again.",
                current=need.version,
                yours=expected,
            )
        )
    for required in ("title", "seats", "start_date", "gdpr", "min_capacity_share"):
        if required in values and values[required] is None:
            raise FieldError({required: _("This field is required.")})
    for flag in ("outbound_fr_consumers", "anonymous"):
        if flag in values and values[flag] is None:
            values.pop(flag)
    if (
        values.get("start_date")
        and values["start_date"] != need.start_date
        and (values["start_date"] < date.today())
    ):
        raise FieldError({"start_date": _("The start date cannot be in the past.")})
    for field in _SCALARS:
        if field in values:
            setattr(need, field, values[field])
    _set_children(need, values)
    if need.status == NeedStatus.open.value:
        _check_publishable(need)
    need.version += 1
    need.updated_at = utcnow()
    _flush(db_session)
    db_session.expire(need)
    return get(db_session=db_session, need_id=need.id)


def open_(*, db_session: Session, need: Need) -> Need:
    """Publish a draft, or reopen a closed need."""
    if need.status == NeedStatus.open.value:
        return need
    _check_publishable(need)
    need.status = NeedStatus.open.value
    need.published_at = utcnow()
    need.version += 1
    _flush(db_session)
    return need


def close(*, db_session: Session, need: Need) -> Need:
    """Close a need (no more in the open list; kept with its history)."""
    if need.status == NeedStatus.closed.value:
        return need
    need.status = NeedStatus.closed.value
    need.version += 1
    _flush(db_session)
    return need


# --- shortlist and expressions of interest ------------------------------------------------


def _provider(db_session: Session, provider_id: int) -> Organisation:
    provider = db_session.get(Organisation, provider_id)
    if provider is None or provider.kind != OrganisationKind.provider.value:
        raise FieldError(
            {"provider_id": _("Organisation %(id)s is not a call centre.", id=provider_id)}
        )
    return provider


def shortlist(*, db_session: Session, need: Need, provider_id: int) -> NeedShortlist:
    """The client shortlists a provider for its need (idempotent). Reveals the client."""
    _provider(db_session, provider_id)
    row = db_session.scalar(
        select(NeedShortlist).where(
            NeedShortlist.need_id == need.id, NeedShortlist.provider_id == provider_id
        )
    )
    if row is None:
        row = NeedShortlist(need_id=need.id, provider_id=provider_id, created_at=utcnow())
        db_session.add(row)
        try:
            with db_session.begin_nested():
                db_session.flush()
        except IntegrityError:  # shortlisted concurrently: the same outcome
            row = db_session.scalar(
                select(NeedShortlist).where(
                    NeedShortlist.need_id == need.id, NeedShortlist.provider_id == provider_id
                )
            )
    return row  # type: ignore[return-value]


def unshortlist(*, db_session: Session, need: Need, provider_id: int) -> bool:
    """Remove a provider from the shortlist; True if it was there."""
    result = db_session.execute(
        delete(NeedShortlist).where(
            NeedShortlist.need_id == need.id, NeedShortlist.provider_id == provider_id
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]  # a DELETE gives a CursorResult


def shortlist_of(*, db_session: Session, need_ids: Sequence[int]) -> list[NeedShortlist]:
    if not need_ids:
        return []
    return list(
        db_session.scalars(
            select(NeedShortlist)
            .where(NeedShortlist.need_id.in_(list(need_ids)))
            .options(selectinload(NeedShortlist.provider))
            .order_by(NeedShortlist.created_at, NeedShortlist.id)
        ).all()
    )


def express_interest(
    *, db_session: Session, need: Need, provider_id: int, message: str = ""
) -> NeedInterest:
    """A provider tells the client it is interested in an open need. Asking again while
    pending updates the message; a decided expression cannot be sent again."""
    _provider(db_session, provider_id)
    if need.status != NeedStatus.open.value:
        raise Conflict(_("Only an open need can receive expressions of interest."))
    row = db_session.scalar(
        select(NeedInterest).where(
            NeedInterest.need_id == need.id, NeedInterest.provider_id == provider_id
        )
    )
    if row is not None:
        if row.status != InterestStatus.pending.value:
            raise Conflict(_("The client already answered this expression of interest."))
        row.message = message
        _flush(db_session)
        return row
    row = NeedInterest(
        need_id=need.id,
        provider_id=provider_id,
        message=message,
        status=InterestStatus.pending.value,
        created_at=utcnow(),
    )
    db_session.add(row)
    try:
        with db_session.begin_nested():
            db_session.flush()
    except IntegrityError:
        raise Conflict(_("This call centre has already expressed interest.")) from None
    return row


def get_interest(*, db_session: Session, need_id: int, provider_id: int) -> NeedInterest:
    row = db_session.scalar(
        select(NeedInterest)
        .where(NeedInterest.need_id == need_id, NeedInterest.provider_id == provider_id)
        .options(selectinload(NeedInterest.provider))
    )
    if row is None:
        raise NotFound(_("No expression of interest from organisation %(id)s.", id=provider_id))
    return row


def decide_interest(
    *, db_session: Session, need: Need, provider_id: int, accept: bool
) -> NeedInterest:
    """The client accepts (reveals itself) or declines a provider's expression of interest."""
    row = get_interest(db_session=db_session, need_id=need.id, provider_id=provider_id)
    row.status = (InterestStatus.accepted if accept else InterestStatus.declined).value
    row.decided_at = utcnow()
    _flush(db_session)
    return row


def interests_for_needs(
    *, db_session: Session, need_ids: Sequence[int], status: str | None = None
) -> list[NeedInterest]:
    if not need_ids:
        return []
    query = (
        select(NeedInterest)
        .where(NeedInterest.need_id.in_(list(need_ids)))
        .options(selectinload(NeedInterest.provider))
        .order_by(NeedInterest.created_at, NeedInterest.id)
    )
    if status:
        query = query.where(NeedInterest.status == status)
    return list(db_session.scalars(query).all())


def interests_of_provider(*, db_session: Session, provider_id: int) -> list[NeedInterest]:
    """A provider's expressions of interest with their needs (and the needs' clients)."""
    return list(
        db_session.scalars(
            select(NeedInterest)
            .where(NeedInterest.provider_id == provider_id)
            .options(selectinload(NeedInterest.need).selectinload(Need.organisation))
            .order_by(NeedInterest.created_at.desc(), NeedInterest.id.desc())
        ).all()
    )


def provider_relations(
    *, db_session: Session, provider_id: int, need_ids: Sequence[int]
) -> tuple[set[int], dict[int, str]]:
    """(need ids where the provider is shortlisted, {need id: interest status})."""
    if not need_ids:
        return set(), {}
    ids = list(need_ids)
    shortlisted = set(
        db_session.scalars(
            select(NeedShortlist.need_id).where(
                NeedShortlist.provider_id == provider_id, NeedShortlist.need_id.in_(ids)
            )
        ).all()
    )
    interests = {
        need_id: status
        for need_id, status in db_session.execute(
            select(NeedInterest.need_id, NeedInterest.status).where(
                NeedInterest.provider_id == provider_id, NeedInterest.need_id.in_(ids)
            )
        ).all()
    }
    return shortlisted, interests


# --- the scoring engine's view ------------------------------------------------------------


def need_features(need: Need) -> NeedFeatures:
    """The need as :class:`app.matching.NeedFeatures` (children must be loaded)."""
    from app.matching import NeedFeatures

    return NeedFeatures(
        id=need.id,
        services=frozenset(need.service_codes),
        sector=need.sector,
        target_markets=frozenset(need.market_codes),
        languages={row.language: level_rank(row.min_level) for row in need.languages},
        seats=need.seats,
        start_date=need.start_date,
        hours=need.hours,
        budget_max=float(need.budget_max) if need.budget_max is not None else None,
        required_certifications=frozenset(need.certification_codes),
        gdpr=need.gdpr,
        outbound_fr_consumers=need.outbound_fr_consumers,
        excluded_countries=frozenset(need.excluded_countries),
        preferred_countries=frozenset(need.preferred_countries),
        min_capacity_share=need.min_capacity_share,
        priorities=frozenset(need.priority_codes),
    )


def load_open_for_matching(*, db_session: Session) -> list[NeedFeatures]:
    """Every open need as ``NeedFeatures``, in id order, in 7 queries whatever their number."""
    needs = db_session.scalars(
        select(Need)
        .where(Need.status == NeedStatus.open.value)
        .options(*_with_children(organisation=False))
        .order_by(Need.id)
    ).all()
    return [need_features(n) for n in needs]


# --- in contact: accepted expressions of interest ------------------------------------------


def has_interest(*, db_session: Session, need_id: int, provider_id: int) -> bool:
    """Whether the provider already expressed interest in the need (any status)."""
    return bool(
        db_session.scalar(
            select(
                exists().where(
                    NeedInterest.need_id == need_id, NeedInterest.provider_id == provider_id
                )
            )
        )
    )


def organisation_name(*, db_session: Session, organisation_id: int) -> str:
    """The legal name of an organisation ('' when it does not exist)."""
    return (
        db_session.scalar(select(Organisation.legal_name).where(Organisation.id == organisation_id))
        or ""
    )


@dataclass(frozen=True)
class ContactPerson:
    """Who to write to at an organisation: its first active administrator (else member)."""

    organisation_id: int
    email: str


@dataclass(frozen=True)
class InContact:
    """A client and a call centre in contact about a need: the client accepted the centre's
    expression of interest, so each side sees the other's name and contact person."""

    need: Need  # its organisation (the client) loaded
    provider: Organisation
    client_contact: ContactPerson | None
    provider_contact: ContactPerson | None
    accepted_at: datetime | None

    @property
    def client(self) -> Organisation:
        return self.need.organisation


def contact_persons(
    *, db_session: Session, organisation_ids: Iterable[int]
) -> dict[int, ContactPerson]:
    """{organisation id: contact person} for many organisations in one query."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return {}
    rows = db_session.execute(
        select(User.organisation_id, User.email)
        .where(User.organisation_id.in_(ids), User.is_active.is_(True))
        # Administrators first ("admin" < "member"), then the oldest account.
        .order_by(User.organisation_id, User.role, User.id)
    ).all()
    found: dict[int, ContactPerson] = {}
    for organisation_id, email in rows:
        found.setdefault(organisation_id, ContactPerson(organisation_id, email))
    return found


def in_contact(
    *,
    db_session: Session,
    client_id: int | None = None,
    provider_id: int | None = None,
    need_id: int | None = None,
) -> list[InContact]:
    """The pairs in contact (accepted expressions of interest), newest first: those of a
    client organisation, of a call centre, of a need, or every pair when none is given.
    Three queries whatever the number of pairs."""
    query = (
        select(NeedInterest)
        .where(NeedInterest.status == InterestStatus.accepted.value)
        .options(
            selectinload(NeedInterest.provider),
            selectinload(NeedInterest.need).selectinload(Need.organisation),
        )
        .order_by(NeedInterest.decided_at.desc(), NeedInterest.id.desc())
    )
    if client_id is not None:
        query = query.join(Need, Need.id == NeedInterest.need_id).where(
            Need.organisation_id == client_id
        )
    if provider_id is not None:
        query = query.where(NeedInterest.provider_id == provider_id)
    if need_id is not None:
        query = query.where(NeedInterest.need_id == need_id)
    rows = list(db_session.scalars(query).all())
    people = contact_persons(
        db_session=db_session,
        organisation_ids=[r.provider_id for r in rows] + [r.need.organisation_id for r in rows],
    )
    return [
        InContact(
            need=r.need,
            provider=r.provider,
            client_contact=people.get(r.need.organisation_id),
            provider_contact=people.get(r.provider_id),
            accepted_at=r.decided_at,
        )
        for r in rows
    ]
