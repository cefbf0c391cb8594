"""Use cases on call-centre profiles and the directory. Functions flush; the request
boundary commits.

Others call: ``get_profile``, ``get_by_organisation``, ``create_profile``,
``update_profile``, ``close_profile``, ``publish_profile``, ``search`` and
``load_all_for_matching`` (everything the scoring engine needs, for every listed provider,
in a constant number of queries).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import CTE, Select, SQLColumnExpression, exists, func, nulls_last, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad
from sqlalchemy.sql.elements import ColumnElement

from app.catalog import LANGUAGE_LEVELS, country_timezone, level_rank
from app.core.errors import Conflict, FieldError, NotFound
from app.i18n import gettext as _
from app.organisations.models import Organisation, OrganisationKind

if TYPE_CHECKING:
    from app.matching import ProviderFeatures
from app.providers.models import (
    ProfileStatus,
    ProviderCertification,
    ProviderChannel,
    ProviderLanguage,
    ProviderProfile,
    ProviderReference,
    ProviderSector,
    ProviderService,
    ProviderSite,
)
from app.providers.schemas import (
    DirectoryFilters,
    ProviderLanguageIn,
    ProviderProfileCreate,
    ProviderProfileUpdate,
    ProviderReferenceIn,
    ProviderSectorIn,
    ProviderSiteIn,
)

# Scalar fields copied as they are from the schemas to the profile.
_SCALARS = (
    "description_fr",
    "description_en",
    "hours",
    "price_min",
    "price_max",
    "min_contract_seats",
    "gdpr_dpa",
    "gdpr_scc",
    "gdpr_eu_hosting",
    "data_hosting_country",
    "bloctel_screening",
    "opt_in_only",
)
_SCALAR_DEFAULTS: dict[str, Any] = {
    "min_contract_seats": 0,
    "gdpr_dpa": False,
    "gdpr_scc": False,
    "gdpr_eu_hosting": False,
    "bloctel_screening": False,
    "opt_in_only": False,
}

SORTS = ("name", "seats", "price", "updated")


T = TypeVar("T", bound=tuple[Any, ...])


def field_errors(errors: dict[str, str]) -> FieldError:
    """A FieldError whose API ``loc`` follows dotted names: ``sites.1.city`` ->
    ``["body", "sites", 1, "city"]`` (the HTML form uses the dotted name)."""
    error = FieldError(errors)
    error.detail = [
        {"loc": ["body", *(int(p) if p.isdigit() else p for p in name.split("."))], "msg": msg}
        for name, msg in errors.items()
    ]
    return error


# --- reading ------------------------------------------------------------------------------


def _full_options() -> tuple[_AbstractLoad, ...]:
    return (
        joinedload(ProviderProfile.organisation),
        selectinload(ProviderProfile.sites),
        selectinload(ProviderProfile.languages),
        selectinload(ProviderProfile.services),
        selectinload(ProviderProfile.sectors),
        selectinload(ProviderProfile.channels),
        selectinload(ProviderProfile.certifications),
        selectinload(ProviderProfile.references),
    )


def get_profile(*, db_session: Session, provider_id: int) -> ProviderProfile:
    """The profile with everything loaded (any status); NotFound otherwise."""
    profile = db_session.scalar(
        select(ProviderProfile)
        .where(ProviderProfile.id == provider_id)
        .options(*_full_options())
        .execution_options(populate_existing=True)
    )
    if profile is None:
        raise NotFound(_("Call centre %(id)s not found.", id=provider_id))
    return profile


def get_by_organisation(*, db_session: Session, organisation_id: int) -> ProviderProfile | None:
    """The organisation's profile with everything loaded, or None when it has none yet."""
    return db_session.scalar(
        select(ProviderProfile)
        .where(ProviderProfile.organisation_id == organisation_id)
        .options(*_full_options())
        .execution_options(populate_existing=True)
    )


def seats_at(profile: ProviderProfile, when: date | None) -> int:
    """Seats free over all sites by ``when`` (now when None): a site counts its later seats
    once their date has come, else the seats free now."""
    return sum(_site_seats_at(site, when) for site in profile.sites)


def _site_seats_at(site: ProviderSite, when: date | None) -> int:
    if when is not None and site.available_from is not None and site.available_from <= when:
        return site.seats_available_later or 0
    return site.seats_available_now


# --- writing ------------------------------------------------------------------------------


def _check_duplicates(
    sites: Sequence[ProviderSiteIn] | None,
    languages: Sequence[ProviderLanguageIn] | None,
    sectors: Sequence[ProviderSectorIn] | None,
) -> None:
    errors: dict[str, str] = {}
    seen: dict[Any, int] = {}
    for i, site in enumerate(sites or ()):
        key = (site.country, site.city.casefold())
        if key in seen:
            errors[f"sites.{i}.city"] = _(
                "Duplicate site: %(city)s (%(country)s) is already site %(n)s.",
                city=site.city,
                country=site.country,
                n=seen[key] + 1,
            )
        else:
            seen[key] = i
    seen = {}
    for i, language in enumerate(languages or ()):
        if language.language in seen:
            errors[f"languages.{i}.language"] = _(
                "Duplicate language: %(code)s is already language %(n)s.",
                code=language.language,
                n=seen[language.language] + 1,
            )
        else:
            seen[language.language] = i
    seen = {}
    for i, sector in enumerate(sectors or ()):
        if sector.sector in seen:
            errors[f"sectors.{i}.sector"] = _("Duplicate sector: %(code)s.", code=sector.sector)
        seen.setdefault(sector.sector, i)
    if errors:
        raise field_errors(errors)


def _set(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def _sync_sites(profile: ProviderProfile, sites: Sequence[ProviderSiteIn]) -> bool:
    """Match rows by (country, city) so that unchanged sites keep their id."""
    existing = {(s.country, s.city.casefold()): s for s in profile.sites}
    rows, changed = [], False
    for position, site in enumerate(sites):
        values = {
            "position": position,
            "country": site.country,
            "city": site.city,
            "timezone": site.timezone or country_timezone(site.country),
            "seats_total": site.seats_total,
            "seats_available_now": site.seats_available_now,
            "seats_available_later": site.seats_available_later,
            "available_from": site.available_from
            if site.seats_available_later is not None
            else None,
        }
        row = existing.pop((site.country, site.city.casefold()), None)
        if row is None:
            row, changed = ProviderSite(**values), True
        else:
            changed = _set(row, values) or changed
        rows.append(row)
    if existing or [id(r) for r in rows] != [id(r) for r in profile.sites]:
        changed = True
    profile.sites = rows
    profile.seats_total_sum = sum(s.seats_total for s in rows)
    profile.seats_now_sum = sum(s.seats_available_now for s in rows)
    return changed


def _sync_languages(profile: ProviderProfile, languages: Sequence[ProviderLanguageIn]) -> bool:
    existing = {row.language: row for row in profile.languages}
    rows, changed = [], False
    for position, language in enumerate(languages):
        values = {
            "position": position,
            "language": language.language,
            "level": language.level,
            "culture_markets": sorted(set(language.culture_markets)),
        }
        row = existing.pop(language.language, None)
        if row is None:
            row, changed = ProviderLanguage(**values), True
        else:
            changed = _set(row, values) or changed
        rows.append(row)
    if existing or [id(r) for r in rows] != [id(r) for r in profile.languages]:
        changed = True
    profile.languages = rows
    return changed


def _sync_codes(profile: ProviderProfile, attribute: str, model: Any, codes: Iterable[str]) -> bool:
    current = getattr(profile, attribute)
    wanted = list(dict.fromkeys(codes))  # de-duplicated, order kept
    if sorted(row.code for row in current) == sorted(wanted):
        return False
    by_code = {row.code: row for row in current}
    setattr(profile, attribute, [by_code.get(code) or model(code=code) for code in wanted])
    return True


def _sync_sectors(profile: ProviderProfile, sectors: Sequence[ProviderSectorIn]) -> bool:
    existing = {row.code: row for row in profile.sectors}
    rows, changed = [], False
    for sector in sectors:
        row = existing.pop(sector.sector, None)
        if row is None:
            row, changed = ProviderSector(code=sector.sector, years=sector.years), True
        else:
            changed = _set(row, {"years": sector.years}) or changed
        rows.append(row)
    changed = changed or bool(existing)
    profile.sectors = rows
    return changed


def _sync_references(profile: ProviderProfile, references: Sequence[ProviderReferenceIn]) -> bool:
    def key(r: Any) -> tuple[Any, ...]:
        return (r.client_name, r.anonymised, r.country, r.sector, r.description)

    if [key(r) for r in profile.references] == [key(r) for r in references]:
        return False
    profile.references = [
        ProviderReference(
            position=i,
            client_name=None if r.anonymised else r.client_name,
            anonymised=r.anonymised,
            country=r.country,
            sector=r.sector,
            description=r.description,
        )
        for i, r in enumerate(references)
    ]
    return True


def _apply(
    profile: ProviderProfile,
    changes: dict[str, Any],
    data: ProviderProfileCreate | ProviderProfileUpdate,
) -> bool:
    """Copy what ``changes`` names onto ``profile``; True if anything changed."""
    changed = False
    if changes.get("status") is not None and profile.status != changes["status"]:
        profile.status = changes["status"]
        changed = True
    for name in _SCALARS:
        if name in changes:
            value = changes[name]
            if value is None:
                value = _SCALAR_DEFAULTS.get(name)
            if getattr(profile, name) != value:
                setattr(profile, name, value)
                changed = True
    if data.sites is not None:
        changed = _sync_sites(profile, data.sites) or changed
    if data.languages is not None:
        changed = _sync_languages(profile, data.languages) or changed
    for attribute, model in (
        ("services", ProviderService),
        ("channels", ProviderChannel),
        ("certifications", ProviderCertification),
    ):
        codes = getattr(data, attribute)
        if codes is not None:
            changed = _sync_codes(profile, attribute, model, codes) or changed
    if data.sectors is not None:
        changed = _sync_sectors(profile, data.sectors) or changed
    if data.references is not None:
        changed = _sync_references(profile, data.references) or changed
    return changed


def _check_price_band(profile: ProviderProfile) -> None:
    # A partial update may send one end of the band: check it against the stored other end.
    low, high = profile.price_min, profile.price_max
    if low is not None and high is not None and low > high:
        raise field_errors(
            {
                "price_max": _(
                    "The maximum price (%(max)s) is below the minimum price (%(min)s).",
                    max=high,
                    min=low,
                )
            }
        )


def _flush(db_session: Session) -> None:
    try:
        db_session.flush()
    except IntegrityError as exc:  # lost a race with a concurrent write
        message = str(exc.orig)
        if "provider_sites" in message:
            raise field_errors(
                {"sites": _("Duplicate site: a site appears once per city.")}
            ) from None
        if "provider_languages" in message:
            raise field_errors({"languages": _("Duplicate language.")}) from None
        if "organisation_id" in message:
            raise Conflict(_("This call centre already has a profile.")) from None
        raise


def create_profile(*, db_session: Session, data: ProviderProfileCreate) -> ProviderProfile:
    organisation = db_session.get(Organisation, data.organisation_id)
    if organisation is None:
        raise field_errors(
            {"organisation_id": _("Organisation %(id)s not found.", id=data.organisation_id)}
        )
    if organisation.kind != OrganisationKind.provider.value:
        raise field_errors(
            {
                "organisation_id": _(
                    "Only a call centre (an organisation of kind provider) has a provider profile."
                )
            }
        )
    if (
        db_session.scalar(
            select(ProviderProfile.id).where(ProviderProfile.organisation_id == organisation.id)
        )
        is not None
    ):
        raise Conflict(_("This call centre already has a profile."))
    _check_duplicates(data.sites, data.languages, data.sectors)
    profile = ProviderProfile(
        organisation=organisation,
        status=data.status or ProfileStatus.draft.value,
        version=1,
        seats_total_sum=0,
        seats_now_sum=0,
        **{name: _SCALAR_DEFAULTS.get(name) for name in _SCALARS},
    )
    _apply(profile, data.model_dump(exclude={"organisation_id"}, exclude_unset=True), data)
    db_session.add(profile)
    _flush(db_session)
    return profile


def update_profile(
    *, db_session: Session, profile: ProviderProfile, data: ProviderProfileUpdate
) -> ProviderProfile:
    """Apply a partial update (a list sent replaces the whole list); bumps ``version``
    when anything changed. ``profile`` comes from ``get_profile`` (children loaded)."""
    _check_duplicates(data.sites, data.languages, data.sectors)
    if _apply(profile, data.model_dump(exclude_unset=True), data):
        _check_price_band(profile)
        profile.version += 1
    _flush(db_session)
    return profile


def _set_status(
    db_session: Session, profile: ProviderProfile, status: ProfileStatus
) -> ProviderProfile:
    if profile.status != status.value:
        profile.status = status.value
        profile.version += 1
        _flush(db_session)
    return profile


def close_profile(*, db_session: Session, profile: ProviderProfile) -> ProviderProfile:
    """Withdraw the profile from the directory (kept, and can be published again)."""
    return _set_status(db_session, profile, ProfileStatus.closed)


def publish_profile(*, db_session: Session, profile: ProviderProfile) -> ProviderProfile:
    return _set_status(db_session, profile, ProfileStatus.published)


# --- the directory ------------------------------------------------------------------------


def _later_seats(when: date) -> CTE:
    """Per profile with dated seats, what they change by ``when``: the seats free then are
    ``seats_now_sum`` plus this delta. Only the sites whose later seats have come count,
    so the grouped pass reads a fraction of the sites (most centres have no dated seats)."""
    return (
        select(
            ProviderSite.profile_id,
            func.sum(ProviderSite.seats_available_later - ProviderSite.seats_available_now).label(
                "delta"
            ),
        )
        .where(ProviderSite.available_from.is_not(None), ProviderSite.available_from <= when)
        .group_by(ProviderSite.profile_id)
        .cte("later_seats")  # one pass, shared by the filter, the count and the sort
    )


def _seats_expression(later: CTE | None) -> SQLColumnExpression[int]:
    """Seats free now, or by the date of ``later`` (outer-joined to the profiles)."""
    if later is None:
        return ProviderProfile.seats_now_sum
    return ProviderProfile.seats_now_sum + func.coalesce(later.c.delta, 0)


def _with_later(query: Select[T], later: CTE | None) -> Select[T]:
    if later is None:
        return query
    return query.outerjoin(later, later.c.profile_id == ProviderProfile.id)


def _has(model: Any, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(model.profile_id == ProviderProfile.id, *conditions)


def _conditions(filters: DirectoryFilters, later: CTE | None = None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if filters.country:
        where.append(_has(ProviderSite, ProviderSite.country.in_(filters.country)))
    if filters.language:
        conditions = [ProviderLanguage.language == filters.language]
        if filters.level:
            rank = level_rank(filters.level)
            conditions.append(
                ProviderLanguage.level.in_([e.code for e in LANGUAGE_LEVELS if e.rank >= rank])
            )
        where.append(_has(ProviderLanguage, *conditions))
    for model, codes in (
        (ProviderService, filters.service),
        (ProviderSector, filters.sector),
        (ProviderCertification, filters.certification),
    ):
        for code in dict.fromkeys(codes):
            where.append(_has(model, model.code == code))
    if filters.seats is not None:
        where.append(_seats_expression(later) >= filters.seats)
    if filters.price_max is not None:
        where.append(ProviderProfile.price_min.is_not(None))
        where.append(ProviderProfile.price_min <= filters.price_max)
    if filters.open_24_7:
        where.append(ProviderProfile.hours == "24_7")
    if filters.q:
        where.append(func.lower(Organisation.legal_name).contains(filters.q.lower()))
    return where


def _order(sort: str, query: Select[T], later: CTE | None = None) -> Select[T]:
    """``query`` with its ORDER BY (the seats by the date asked, when sorting by seats)."""
    name = (Organisation.legal_name, ProviderProfile.id)
    if sort == "seats":
        return query.order_by(_seats_expression(later).desc(), *name)
    return query.order_by(*_order_columns(sort))


def _order_columns(sort: str) -> list[Any]:
    name = (Organisation.legal_name, ProviderProfile.id)
    if sort == "price":
        return [nulls_last(ProviderProfile.price_min.asc()), *name]
    if sort == "updated":
        return [ProviderProfile.updated_at.desc(), ProviderProfile.id.desc()]
    return list(name)


def search(
    *,
    db_session: Session,
    filters: DirectoryFilters,
    sort: str = "name",
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[ProviderProfile], int]:
    """Published profiles matching ``filters`` (see ``DirectoryFilters``), one page of them
    in ``sort`` order (name, seats, price, updated), and how many match in all.

    The page's profiles come with their organisation, sites, languages, services and
    certifications loaded: a constant number of queries whatever the page size."""
    if sort not in SORTS:
        raise field_errors({"sort": _("Unknown sort order %(sort)s.", sort=repr(sort))})
    later = _later_seats(filters.seats_date) if filters.seats_date is not None else None
    where = [ProviderProfile.status == ProfileStatus.published.value, *_conditions(filters, later)]
    counted = _with_later(
        select(func.count(ProviderProfile.id)).select_from(ProviderProfile), later
    ).where(*where)
    if filters.q:  # the name is the organisation's (every profile has one: no join needed)
        counted = counted.join(ProviderProfile.organisation)
    # The count rides along with the page (evaluated once by the database): one round trip.
    total_column = counted.correlate(None).scalar_subquery().label("total")
    page = (
        _with_later(select(ProviderProfile, total_column).join(ProviderProfile.organisation), later)
        .where(*where)
        .options(
            contains_eager(ProviderProfile.organisation),
            selectinload(ProviderProfile.sites),
            selectinload(ProviderProfile.languages),
            selectinload(ProviderProfile.services),
            selectinload(ProviderProfile.certifications),
        )
    )
    rows = db_session.execute(_order(sort, page, later).limit(limit).offset(offset)).all()
    if rows:
        return [row[0] for row in rows], rows[0][1]
    # An empty page: nothing matches, or the offset is past the end (count them).
    total = (db_session.scalar(counted) or 0) if offset else 0
    return [], total


# --- the scoring engine's input -----------------------------------------------------------


def load_all_for_matching(
    *,
    db_session: Session,
    statuses: Sequence[str] = (ProfileStatus.published.value,),
    id_field: str = "profile",
    ids: Sequence[int] | None = None,
) -> list[ProviderFeatures]:
    """Every profile with a status in ``statuses`` (and, when ``ids`` is given, one of those
    profile ids) as ``app.matching.ProviderFeatures``, in seven queries whatever their
    number. ``id_field``: ``"profile"`` (default) or ``"organisation"`` says which primary
    key becomes ``ProviderFeatures.id``.

    Seats: ``seats_available_from`` is the latest date among the sites' later seats and
    ``seats_at_date`` the seats free over all sites once that date has come."""
    from app.matching import ProviderFeatures, Site  # the engine is pure; import on use

    wanted = [ProviderProfile.status.in_(list(statuses))]
    if ids is not None:
        wanted.append(ProviderProfile.id.in_(list(ids)))
    profiles = db_session.execute(
        select(
            ProviderProfile.id,
            ProviderProfile.organisation_id,
            ProviderProfile.hours,
            ProviderProfile.price_min,
            ProviderProfile.price_max,
            ProviderProfile.min_contract_seats,
            ProviderProfile.gdpr_dpa,
            ProviderProfile.gdpr_scc,
            ProviderProfile.gdpr_eu_hosting,
            ProviderProfile.bloctel_screening,
            ProviderProfile.opt_in_only,
            Organisation.verified,
        )
        .join(ProviderProfile.organisation)
        .where(*wanted)
        .order_by(ProviderProfile.id)
    ).all()
    if not profiles:
        return []
    # A few ids: name them; all of a status: a subquery (no 10,000-item IN list).
    listed = (
        [p.id for p in profiles] if ids is not None else select(ProviderProfile.id).where(*wanted)
    )

    sites: dict[int, list[Any]] = defaultdict(list)
    for row in db_session.execute(
        select(
            ProviderSite.profile_id,
            ProviderSite.country,
            ProviderSite.city,
            ProviderSite.timezone,
            ProviderSite.seats_total,
            ProviderSite.seats_available_now,
            ProviderSite.seats_available_later,
            ProviderSite.available_from,
        )
        .where(ProviderSite.profile_id.in_(listed))
        .order_by(ProviderSite.profile_id, ProviderSite.position)
    ):
        sites[row.profile_id].append(row)
    languages: dict[int, dict[str, int]] = defaultdict(dict)
    markets: dict[int, set[str]] = defaultdict(set)
    for spoken in db_session.execute(
        select(
            ProviderLanguage.profile_id,
            ProviderLanguage.language,
            ProviderLanguage.level,
            ProviderLanguage.culture_markets,
        ).where(ProviderLanguage.profile_id.in_(listed))
    ):
        languages[spoken.profile_id][spoken.language] = level_rank(spoken.level)
        markets[spoken.profile_id].update(spoken.culture_markets or ())
    codes: dict[str, dict[int, Any]] = {}
    for attribute, model in (
        ("services", ProviderService),
        ("channels", ProviderChannel),
        ("certifications", ProviderCertification),
    ):
        found: dict[int, set[str]] = defaultdict(set)
        for profile_id, code in db_session.execute(
            select(model.profile_id, model.code).where(model.profile_id.in_(listed))
        ):
            found[profile_id].add(code)
        codes[attribute] = found
    sectors: dict[int, dict[str, int]] = defaultdict(dict)
    for profile_id, code, years in db_session.execute(
        select(ProviderSector.profile_id, ProviderSector.code, ProviderSector.years).where(
            ProviderSector.profile_id.in_(listed)
        )
    ):
        sectors[profile_id][code] = years

    out = []
    for p in profiles:
        own_sites = sites.get(p.id, [])
        dates = [s.available_from for s in own_sites if s.available_from is not None]
        latest = max(dates) if dates else None
        out.append(
            ProviderFeatures(
                id=p.id if id_field == "profile" else p.organisation_id,
                sites=tuple(
                    Site(
                        country=s.country,
                        timezone=s.timezone,
                        city=s.city,
                        seats_total=s.seats_total,
                    )
                    for s in own_sites
                ),
                seats_total=sum(s.seats_total for s in own_sites),
                seats_available_now=sum(s.seats_available_now for s in own_sites),
                seats_available_from=latest,
                seats_at_date=sum(
                    s.seats_available_later
                    if s.available_from is not None
                    else s.seats_available_now
                    for s in own_sites
                )
                if latest
                else 0,
                languages=languages.get(p.id, {}),
                culture_markets=frozenset(markets.get(p.id, ())),
                services=frozenset(codes["services"].get(p.id, ())),
                sectors=sectors.get(p.id, {}),
                channels=frozenset(codes["channels"].get(p.id, ())),
                hours=p.hours or "business",
                price_min=p.price_min,
                price_max=p.price_max,
                min_contract_seats=p.min_contract_seats,
                certifications=frozenset(codes["certifications"].get(p.id, ())),
                gdpr_dpa=p.gdpr_dpa,
                gdpr_scc=p.gdpr_scc,
                gdpr_eu_hosting=p.gdpr_eu_hosting,
                bloctel_screening=p.bloctel_screening,
                opt_in_only=p.opt_in_only,
                verified=p.verified,
            )
        )
    return out
