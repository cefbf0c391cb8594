"""Save the demo data: through the domain services (validation and rules of each team), or,
for large benchmark runs, with bulk inserts of the same validated rows.

``load(db_session=..., data=build(...))`` flushes; the caller commits.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from sqlalchemy import JSON, func, insert, select, text
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.accounts.models import MembershipRole, User
from app.accounts.security import hash_password, password_problem
from app.catalog import country_timezone
from app.core.db import Base, utcnow
from app.demo.generate import DemoData, slug
from app.needs import service as needs
from app.needs.models import (
    CountryPreference,
    Need,
    NeedCertification,
    NeedCountry,
    NeedInterest,
    NeedLanguage,
    NeedMarket,
    NeedPriority,
    NeedService,
    NeedShortlist,
)
from app.needs.schemas import NeedCreate
from app.organisations import service as organisations
from app.organisations.models import Organisation
from app.organisations.schemas import OrganisationCreate
from app.providers import service as providers
from app.providers.models import (
    ProviderCertification,
    ProviderChannel,
    ProviderLanguage,
    ProviderProfile,
    ProviderSector,
    ProviderService,
    ProviderSite,
)
from app.providers.schemas import ProviderProfileCreate

log = logging.getLogger(__name__)

#: Demo accounts only: never use this password for anything real.
DEMO_PASSWORD = "euroffshore-demo-2026"
DEMO_DOMAIN = "demo.euroffshore.test"
#: Above this many providers or needs, rows are bulk-inserted instead of going through the
#: services one by one (the same validated rows; the services' rules are applied by hand).
BULK_THRESHOLD = 500
ORGANISER: dict[str, Any] = {
    "kind": "organiser",
    "legal_name": "Euroffshore Events SARL",
    "country": "MA",
    "city": "Casablanca",
    "website": "https://www.euroffshore-events.example",
    "size": "10-49",
}


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    organisation: str


@dataclass
class LoadReport:
    providers: int = 0
    clients: int = 0
    needs: int = 0
    interests: int = 0
    shortlists: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    bulk: bool = False


def is_empty(db_session: Session) -> bool:
    """No organisation yet: a fresh database (what ``--if-empty`` checks)."""
    return (db_session.scalar(select(func.count()).select_from(Organisation)) or 0) == 0


#: (provider organisations, client organisations, need ids) as a loader saved them.
_Loaded: TypeAlias = (
    "tuple[Sequence[Organisation | _Stub], Sequence[Organisation | _Stub], list[int]]"
)


def _organisation_fields(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if not k.startswith("_") and k != "verified"}


def load(
    *, db_session: Session, data: DemoData, bulk: bool | None = None, accounts_too: bool = True
) -> LoadReport:
    if bulk is None:
        bulk = max(len(data.providers), len(data.needs)) > BULK_THRESHOLD
    report = LoadReport(bulk=bulk)
    loader = _load_bulk if bulk else _load_with_services
    provider_orgs, client_orgs, need_ids = loader(db_session, data)
    report.providers, report.clients, report.needs = (
        len(provider_orgs),
        len(client_orgs),
        len(need_ids),
    )
    report.interests, report.shortlists = len(data.interests), len(data.shortlists)
    if accounts_too:
        report.logins = _demo_accounts(db_session, data, provider_orgs, client_orgs)
    db_session.flush()
    return report


# --- through the services ------------------------------------------------------------------


def _load_with_services(db_session: Session, data: DemoData) -> _Loaded:
    provider_orgs: list[Organisation] = []
    for spec in data.providers:
        org = organisations.create(
            db_session=db_session,
            data=OrganisationCreate(**_organisation_fields(spec.organisation)),
        )
        org.verified = spec.organisation["verified"]
        providers.create_profile(
            db_session=db_session,
            data=ProviderProfileCreate(organisation_id=org.id, **spec.profile),
        )
        provider_orgs.append(org)
    client_orgs: list[Organisation] = []
    for client in data.clients:
        org = organisations.create(
            db_session=db_session, data=OrganisationCreate(**_organisation_fields(client))
        )
        org.verified = client["verified"]
        client_orgs.append(org)
    created: list[Need] = []
    for need_spec in data.needs:
        need = needs.create(
            db_session=db_session,
            organisation_id=client_orgs[need_spec.client].id,
            data=NeedCreate(**need_spec.data),
        )
        if need_spec.close:
            needs.close(db_session=db_session, need=need)
        created.append(need)
    for need_index, provider_index, status, message in data.interests:
        need, provider_id = created[need_index], provider_orgs[provider_index].id
        needs.express_interest(
            db_session=db_session, need=need, provider_id=provider_id, message=message
        )
        if status != "pending":
            needs.decide_interest(
                db_session=db_session,
                need=need,
                provider_id=provider_id,
                accept=status == "accepted",
            )
    for need_index, provider_index in data.shortlists:
        needs.shortlist(
            db_session=db_session,
            need=created[need_index],
            provider_id=provider_orgs[provider_index].id,
        )
    return provider_orgs, client_orgs, [n.id for n in created]


# --- bulk ------------------------------------------------------------------------------------


def _insert_returning_ids(db_session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert with explicit ids (after the current maximum): executemany without RETURNING
    is an order of magnitude faster; PostgreSQL's sequence is moved past them after."""
    if not rows:
        return []
    start = (db_session.scalar(select(func.max(model.id))) or 0) + 1
    ids = list(range(start, start + len(rows)))
    for row_id, row in zip(ids, rows):
        row["id"] = row_id
    _insert(db_session, model, rows)
    if db_session.get_bind().dialect.name == "postgresql":
        table = model.__tablename__
        db_session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        )
    return ids


def _insert(db_session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Bulk insert without ORM bookkeeping: COPY on PostgreSQL (one statement, so the
    statement-level triggers run once, not once per row), executemany on SQLite."""
    if not rows:
        return
    table = model.__table__
    connection = db_session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    names = ", ".join(f'"{name}"' for name in columns)
    driver = connection.connection.driver_connection
    assert driver is not None  # a live psycopg connection under PostgreSQL
    cursor = driver.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])
    cursor.close()


def _load_bulk(db_session: Session, data: DemoData) -> _Loaded:
    now = utcnow()
    stamps = {"created_at": now, "updated_at": now}
    org_rows = []
    for spec in [p.organisation for p in data.providers] + data.clients:
        checked = OrganisationCreate(**_organisation_fields(spec))  # the API's rules
        org_rows.append(
            {
                "kind": checked.kind.value,
                "legal_name": checked.legal_name,
                "country": checked.country,
                "city": checked.city,
                "website": str(checked.website) if checked.website else None,
                "size": checked.size.value if checked.size else None,
                "verified": spec["verified"],
                **stamps,
            }
        )
    org_ids = _insert_returning_ids(db_session, Organisation, org_rows)
    provider_ids = org_ids[: len(data.providers)]
    client_ids = org_ids[len(data.providers) :]

    profile_rows, profiles = [], []
    for org_id, provider_spec in zip(provider_ids, data.providers, strict=True):
        p = ProviderProfileCreate(organisation_id=org_id, **provider_spec.profile)
        profiles.append(p)
        profile_rows.append(
            {
                "organisation_id": org_id,
                "status": p.status or "draft",
                "version": 1,
                "description_fr": p.description_fr,
                "description_en": p.description_en,
                "hours": p.hours,
                "price_min": p.price_min,
                "price_max": p.price_max,
                "min_contract_seats": p.min_contract_seats or 0,
                "gdpr_dpa": bool(p.gdpr_dpa),
                "gdpr_scc": bool(p.gdpr_scc),
                "gdpr_eu_hosting": bool(p.gdpr_eu_hosting),
                "data_hosting_country": p.data_hosting_country,
                "bloctel_screening": bool(p.bloctel_screening),
                "opt_in_only": bool(p.opt_in_only),
                "seats_total_sum": sum(s.seats_total for s in p.sites or ()),
                "seats_now_sum": sum(s.seats_available_now for s in p.sites or ()),
                **stamps,
            }
        )
    profile_ids = _insert_returning_ids(db_session, ProviderProfile, profile_rows)
    sites: list[dict[str, Any]] = []
    languages: list[dict[str, Any]] = []
    codes: dict[type[Base], list[dict[str, Any]]] = {
        ProviderService: [],
        ProviderChannel: [],
        ProviderCertification: [],
    }
    sectors = []
    for profile_id, p in zip(profile_ids, profiles):
        for position, s in enumerate(p.sites or ()):
            sites.append(
                {
                    "profile_id": profile_id,
                    "position": position,
                    "country": s.country,
                    "city": s.city,
                    "timezone": s.timezone or country_timezone(s.country),
                    "seats_total": s.seats_total,
                    "seats_available_now": s.seats_available_now,
                    "seats_available_later": s.seats_available_later,
                    "available_from": s.available_from
                    if s.seats_available_later is not None
                    else None,
                }
            )
        for position, lang in enumerate(p.languages or ()):
            languages.append(
                {
                    "profile_id": profile_id,
                    "position": position,
                    "language": lang.language,
                    "level": lang.level,
                    "culture_markets": sorted(set(lang.culture_markets)),
                }
            )
        for model, values in (
            (ProviderService, p.services),
            (ProviderChannel, p.channels),
            (ProviderCertification, p.certifications),
        ):
            codes[model] += [
                {"profile_id": profile_id, "code": c} for c in dict.fromkeys(values or ())
            ]
        sectors += [
            {"profile_id": profile_id, "code": s.sector, "years": s.years} for s in p.sectors or ()
        ]
    _insert(db_session, ProviderSite, sites)
    _insert(db_session, ProviderLanguage, languages)
    for code_model, rows in codes.items():
        _insert(db_session, code_model, rows)
    _insert(db_session, ProviderSector, sectors)

    need_rows, checked_needs = [], []
    for need_spec in data.needs:
        n = NeedCreate(**need_spec.data)
        checked_needs.append(n)
        if n.status == "open" and (not n.services or not n.languages):
            raise ValueError(f"demo need {n.title!r} cannot be published")
        status = "closed" if need_spec.close else n.status
        need_rows.append(
            {
                "organisation_id": client_ids[need_spec.client],
                "title": n.title,
                "description": n.description,
                "sector": n.sector,
                "seats": n.seats,
                "start_date": n.start_date,
                "duration_months": n.duration_months,
                "hours": n.hours,
                "budget_max": n.budget_max,
                "gdpr": n.gdpr,
                "outbound_fr_consumers": n.outbound_fr_consumers,
                "min_capacity_share": n.min_capacity_share,
                "status": status,
                "anonymous": n.anonymous,
                "version": 2 if need_spec.close else 1,
                "published_at": now if n.status == "open" else None,
                **stamps,
            }
        )
    need_ids = _insert_returning_ids(db_session, Need, need_rows)
    children: dict[Any, list[dict[str, Any]]] = {
        NeedService: [],
        NeedMarket: [],
        NeedLanguage: [],
        NeedCertification: [],
        NeedCountry: [],
        NeedPriority: [],
    }
    for need_id, n in zip(need_ids, checked_needs):
        children[NeedService] += [{"need_id": need_id, "service": c} for c in n.services]
        children[NeedMarket] += [{"need_id": need_id, "country": c} for c in n.target_markets]
        children[NeedLanguage] += [
            {
                "need_id": need_id,
                "language": row.language,
                "min_level": row.min_level,
                "position": i,
            }
            for i, row in enumerate(n.languages)
        ]
        children[NeedCertification] += [
            {"need_id": need_id, "certification": c} for c in n.required_certifications
        ]
        children[NeedCountry] += [
            {"need_id": need_id, "country": c, "preference": CountryPreference.preferred.value}
            for c in n.preferred_countries
        ] + [
            {"need_id": need_id, "country": c, "preference": CountryPreference.excluded.value}
            for c in n.excluded_countries
        ]
        children[NeedPriority] += [{"need_id": need_id, "criterion": c} for c in n.priorities]
    for model, rows in children.items():
        _insert(db_session, model, rows)
    _insert(
        db_session,
        NeedInterest,
        [
            {
                "need_id": need_ids[ni],
                "provider_id": provider_ids[pi],
                "status": status,
                "message": message,
                "created_at": now,
                "decided_at": None if status == "pending" else now,
            }
            for ni, pi, status, message in data.interests
        ],
    )
    _insert(
        db_session,
        NeedShortlist,
        [
            {"need_id": need_ids[ni], "provider_id": provider_ids[pi], "created_at": now}
            for ni, pi in data.shortlists
        ],
    )
    orgs = {
        o.id: o
        for o in db_session.scalars(
            select(Organisation).where(Organisation.id.in_(org_ids[:3] + client_ids[:3]))
        )
    }
    return (
        [orgs.get(i) or _Stub(i) for i in provider_ids],
        [orgs.get(i) or _Stub(i) for i in client_ids],
        need_ids,
    )


@dataclass(frozen=True)
class _Stub:
    """An organisation id whose row was not loaded (bulk runs load only the few needed)."""

    id: int


# --- demo accounts ----------------------------------------------------------------------------


def _legal_name(db_session: Session, organisation_id: int) -> str:
    found = db_session.get(Organisation, organisation_id)
    return found.legal_name if found is not None else ""


def _demo_accounts(
    db_session: Session,
    data: DemoData,
    provider_orgs: Sequence[Organisation | _Stub],
    client_orgs: Sequence[Organisation | _Stub],
) -> list[DemoLogin]:
    """Accounts for the first clients and call centres, an organiser and a platform admin,
    all with the demo password (hashed once)."""
    assert password_problem(DEMO_PASSWORD) is None
    password_hash = hash_password(DEMO_PASSWORD)
    organiser = organisations.create(db_session=db_session, data=OrganisationCreate(**ORGANISER))
    organiser.verified = True
    people: list[tuple[str, str, Organisation | _Stub | None, bool]] = []
    for i, client in enumerate(client_orgs[:3]):
        people.append(("client", f"client{i + 1}@{DEMO_DOMAIN}", client, False))
    for i, centre in enumerate(provider_orgs[:3]):
        people.append(("call centre", f"centre{i + 1}@{DEMO_DOMAIN}", centre, False))
    people.append(("organiser", f"organiser@{DEMO_DOMAIN}", organiser, False))
    people.append(("platform admin", f"admin@{DEMO_DOMAIN}", None, True))
    logins: list[DemoLogin] = []
    for role, email, org, admin in people:
        accounts.create_user(
            db_session=db_session,
            email=email,
            password=DEMO_PASSWORD,
            organisation_id=org.id if org is not None else None,
            role=MembershipRole.admin,
            is_platform_admin=admin,
            password_hash=password_hash,
        )
        name = ""
        if org is not None:
            name = getattr(org, "legal_name", None) or _legal_name(db_session, org.id)
        logins.append(DemoLogin(role=role, email=email, organisation=name))
    return logins


def existing_logins(db_session: Session) -> list[DemoLogin]:
    """The demo accounts already in the database (printed again by ``--if-empty``)."""
    rows = db_session.execute(
        select(User.email, User.is_platform_admin, Organisation.legal_name, Organisation.kind)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(User.email.like(f"%@{DEMO_DOMAIN}"))
        .order_by(User.id)
    ).all()
    roles = {"client": "client", "provider": "call centre", "organiser": "organiser"}
    return [
        DemoLogin(
            role="platform admin" if admin else roles.get(kind, kind or ""),
            email=email,
            organisation=name or "",
        )
        for email, admin, name, kind in rows
    ]


__all__ = ["load", "is_empty", "existing_logins", "DEMO_PASSWORD", "LoadReport", "slug"]
