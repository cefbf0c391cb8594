"""The participant catalogue of an event: whom the viewer may meet, filtered, scored for the
viewer and ranked, with a "recommended for you" list and the viewer's relation to each.

Identity of clients. A participant is an organisation that registered for the event, so its
name, country and city are shown to the other participants (registering is public within
the event). What stays private is the link between a client and an *anonymous need*: to a
call centre, a client's needs, the filters that match on needs, and the client's score and
reasons use only the client's needs whose identity ``app.needs`` lets that call centre see
(``client_identity_visible``: not anonymous, or revealed by a shortlist or an accepted
interest). A client whose only open needs are anonymous therefore shows with its name and
no needs, no score and no reasons, and is never in the call centre's recommended list —
otherwise the score's sentences would tie the anonymous need to the named company.
Organisers and platform admins see every participant and every need, and no score (they are
not a side of any meeting).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.orm import Session

from app.catalog import LANGUAGE_LEVELS, level_rank
from app.events.models import Participation, ParticipationStatus
from app.i18n import get_translations
from app.matching import NeedIndex, ProviderIndex, explain
from app.matching.sentences import criterion_label, part_sentence
from app.matchmaking import service
from app.matchmaking.auth import Viewer
from app.matchmaking.scoring import BestPair, best_for_needs, best_for_provider, event_weights
from app.matchmaking.service import Relation
from app.needs import service as needs_service
from app.needs.models import Need, NeedLanguage, NeedService, NeedStatus
from app.organisations.models import Organisation
from app.providers.models import (
    ProfileStatus,
    ProviderLanguage,
    ProviderProfile,
    ProviderSector,
    ProviderService,
    ProviderSite,
)

#: How many participants "recommended for you" lists.
RECOMMENDED_SIZE = 5
#: Reasons shown on a card: the criteria that earn the most points.
REASONS_SHOWN = 3
#: Needs named on a client's card.
NEEDS_SHOWN = 3


@dataclass(frozen=True)
class CatalogueFilters:
    """What the viewer narrows the catalogue to (None: no filter)."""

    q: str | None = None
    side: str | None = None  # "client" or "provider"
    country: str | None = None
    language: str | None = None
    min_level: str | None = None
    service: str | None = None
    sector: str | None = None
    seats_min: int | None = None
    sort: str = "score"  # "score" (best first, then name) or "name"


@dataclass(frozen=True)
class Reason:
    criterion: str
    label: str
    points: float
    max_points: float
    sentence: str


@dataclass
class CatalogueEntry:
    """One participant as the viewer sees it."""

    participation_id: int
    organisation_id: int
    name: str
    kind: str
    country: str
    city: str | None
    verified: bool
    seats_now: int | None = None
    seats_total: int | None = None
    languages: list[tuple[str, str]] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    needs: list[tuple[int, str]] = field(default_factory=list)  # visible open needs
    score: float | None = None
    reasons: list[Reason] = field(default_factory=list)
    relation: Relation = field(default_factory=Relation)
    best: BestPair | None = None


@dataclass
class CataloguePage:
    items: list[CatalogueEntry]
    total: int
    limit: int
    offset: int
    recommended: list[CatalogueEntry]
    scored: bool  # whether the viewer gets scores (a client or a call centre)


@dataclass(frozen=True)
class _Row:
    participation_id: int
    organisation_id: int
    name: str
    kind: str
    country: str
    city: str | None
    verified: bool
    profile_id: int | None
    seats_now: int | None
    seats_total: int | None


def _visible_needs(viewer_org: int | None) -> ColumnElement[bool]:
    """Needs whose client any participant may see in the filters: not anonymous (revealed
    anonymous needs are left out of filtering, on the safe side), or the viewer's own."""
    if viewer_org is None:
        return Need.anonymous.is_(False)
    return or_(Need.anonymous.is_(False), Need.organisation_id == viewer_org)


def _need_exists(viewer_org: int | None, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(
        Need.organisation_id == Organisation.id,
        Need.status == NeedStatus.open.value,
        _visible_needs(viewer_org),
        *conditions,
    )


def _conditions(
    filters: CatalogueFilters, viewer_org: int | None, everything: bool
) -> list[ColumnElement[bool]]:
    wanted: list[ColumnElement[bool]] = []
    need_org = None if everything else viewer_org
    if filters.q:
        wanted.append(Organisation.legal_name.ilike(f"%{filters.q.strip()}%"))
    if filters.side in ("client", "provider"):
        wanted.append(Organisation.kind == filters.side)
    if filters.country:
        # An organisation's country, or for a call centre the country of one of its sites.
        code = filters.country.upper()
        has_site = exists().where(
            ProviderSite.profile_id == ProviderProfile.id, ProviderSite.country == code
        )
        wanted.append(or_(Organisation.country == code, has_site))
    if filters.language:
        levels = [e.code for e in LANGUAGE_LEVELS]
        if filters.min_level in LANGUAGE_LEVELS.codes:
            rank = level_rank(filters.min_level)
            levels = [e.code for e in LANGUAGE_LEVELS if e.rank >= rank]
        provider_speaks = exists().where(
            ProviderLanguage.profile_id == ProviderProfile.id,
            ProviderLanguage.language == filters.language,
            ProviderLanguage.level.in_(levels),
        )
        client_asks = _need_exists(
            need_org,
            exists().where(
                NeedLanguage.need_id == Need.id, NeedLanguage.language == filters.language
            ),
        )
        wanted.append(or_(and_(ProviderProfile.id.is_not(None), provider_speaks), client_asks))
    if filters.service:
        provider_offers = exists().where(
            ProviderService.profile_id == ProviderProfile.id,
            ProviderService.code == filters.service,
        )
        client_asks = _need_exists(
            need_org,
            exists().where(NeedService.need_id == Need.id, NeedService.service == filters.service),
        )
        wanted.append(or_(and_(ProviderProfile.id.is_not(None), provider_offers), client_asks))
    if filters.sector:
        provider_knows = exists().where(
            ProviderSector.profile_id == ProviderProfile.id, ProviderSector.code == filters.sector
        )
        client_asks = _need_exists(need_org, Need.sector == filters.sector)
        wanted.append(or_(and_(ProviderProfile.id.is_not(None), provider_knows), client_asks))
    if filters.seats_min is not None:
        wanted.append(
            and_(
                ProviderProfile.id.is_not(None), ProviderProfile.seats_now_sum >= filters.seats_min
            )
        )
    return wanted


def _kinds_for(viewer: Viewer, viewer_kind: str | None) -> list[str] | None:
    """Which kinds of participant the viewer may meet (None: all)."""
    if viewer.participation is None or viewer.event.pairing == "any":
        return None
    if viewer_kind == "client":
        return ["provider"]
    if viewer_kind == "provider":
        return ["client"]
    return []


def _rows(
    db_session: Session, viewer: Viewer, viewer_kind: str | None, filters: CatalogueFilters
) -> list[_Row]:
    viewer_org = viewer.participation.organisation_id if viewer.participation else None
    query = (
        select(
            Participation.id,
            Organisation.id,
            Organisation.legal_name,
            Organisation.kind,
            Organisation.country,
            Organisation.city,
            Organisation.verified,
            ProviderProfile.id,
            ProviderProfile.seats_now_sum,
            ProviderProfile.seats_total_sum,
        )
        .join(Organisation, Organisation.id == Participation.organisation_id)
        .outerjoin(
            ProviderProfile,
            and_(
                ProviderProfile.organisation_id == Organisation.id,
                ProviderProfile.status == ProfileStatus.published.value,
            ),
        )
        .where(
            Participation.event_id == viewer.event.id,
            Participation.status == ParticipationStatus.approved.value,
        )
    )
    if viewer.participation is not None:
        query = query.where(Participation.id != viewer.participation.id)
    kinds = _kinds_for(viewer, viewer_kind)
    if kinds is not None:
        query = query.where(Organisation.kind.in_(kinds) if kinds else false())
    everything = viewer.participation is None  # organisers see all needs
    query = query.where(*_conditions(filters, viewer_org, everything))
    return [_Row(*row) for row in db_session.execute(query)]


def _viewer_kind(db_session: Session, viewer: Viewer) -> str | None:
    if viewer.participation is None:
        return None
    return db_session.scalar(
        select(Organisation.kind).where(Organisation.id == viewer.participation.organisation_id)
    )


def _scores(
    db_session: Session,
    viewer: Viewer,
    viewer_kind: str | None,
    rows: Sequence[_Row],
    provider_index: ProviderIndex,
    need_index: NeedIndex,
) -> tuple[dict[int, BestPair], bool]:
    """({participation id: best pair}, whether the viewer is scored at all)."""
    if viewer.participation is None or viewer_kind not in ("client", "provider"):
        return {}, False
    weights = event_weights(db_session=db_session, event=viewer.event)
    my_org = viewer.participation.organisation_id
    if viewer_kind == "client":
        own = [
            f
            for nid in db_session.scalars(
                select(Need.id).where(
                    Need.organisation_id == my_org, Need.status == NeedStatus.open.value
                )
            )
            if (f := need_index.get(nid)) is not None
        ]
        by_profile = best_for_needs(provider_index, own, weights)
        return {
            r.participation_id: by_profile[r.profile_id]
            for r in rows
            if r.profile_id is not None and r.profile_id in by_profile
        }, True
    profile_id = db_session.scalar(
        select(ProviderProfile.id).where(
            ProviderProfile.organisation_id == my_org,
            ProviderProfile.status == ProfileStatus.published.value,
        )
    )
    features = provider_index.get(profile_id) if profile_id is not None else None
    clients = {r.organisation_id: r.participation_id for r in rows if r.kind == "client"}
    if features is None or not clients:
        return {}, True
    needs = db_session.execute(
        select(Need.id, Need.organisation_id, Need.anonymous).where(
            Need.organisation_id.in_(list(clients)), Need.status == NeedStatus.open.value
        )
    ).all()
    hidden = [nid for nid, _org, anonymous in needs if anonymous]
    revealed = (
        needs_service.revealed_need_ids(db_session=db_session, provider_id=my_org, need_ids=hidden)
        if hidden
        else set()
    )
    owner = {nid: org for nid, org, anonymous in needs if not anonymous or nid in revealed}
    by_org = best_for_provider(need_index, features, weights, owner)
    return {clients[org]: pair for org, pair in by_org.items()}, True


def _details(
    db_session: Session, viewer: Viewer, entries: Sequence[CatalogueEntry], rows: dict[int, _Row]
) -> None:
    """Fill the cards' profile facts and visible needs (constant queries for the page)."""
    profile_ids: dict[int, list[CatalogueEntry]] = defaultdict(list)
    for e in entries:
        pid = rows[e.participation_id].profile_id
        if pid is not None:
            profile_ids[pid].append(e)
    if profile_ids:
        ids = list(profile_ids)
        for pid, lang, level in db_session.execute(
            select(ProviderLanguage.profile_id, ProviderLanguage.language, ProviderLanguage.level)
            .where(ProviderLanguage.profile_id.in_(ids))
            .order_by(ProviderLanguage.profile_id, ProviderLanguage.position)
        ):
            for e in profile_ids[pid]:
                e.languages.append((lang, level))
        for pid, code in db_session.execute(
            select(ProviderService.profile_id, ProviderService.code)
            .where(ProviderService.profile_id.in_(ids))
            .order_by(ProviderService.code)
        ):
            for e in profile_ids[pid]:
                e.services.append(code)
        for pid, code in db_session.execute(
            select(ProviderSector.profile_id, ProviderSector.code)
            .where(ProviderSector.profile_id.in_(ids))
            .order_by(ProviderSector.code)
        ):
            for e in profile_ids[pid]:
                e.sectors.append(code)
    clients: dict[int, list[CatalogueEntry]] = defaultdict(list)
    for e in entries:
        if e.kind == "client":
            clients[e.organisation_id].append(e)
    if not clients:
        return
    needs = db_session.scalars(
        select(Need)
        .where(Need.organisation_id.in_(list(clients)), Need.status == NeedStatus.open.value)
        .order_by(Need.id)
    ).all()
    visible = needs_service.visibility(db_session=db_session, needs=list(needs), user=viewer.user)
    for need in needs:
        if not visible.get(need.id):
            continue
        for entry in clients[need.organisation_id]:
            if len(entry.needs) < NEEDS_SHOWN:
                entry.needs.append((need.id, need.title))
            if need.sector and need.sector not in entry.sectors:
                entry.sectors.append(need.sector)


def _reasons(
    db_session: Session,
    viewer: Viewer,
    entries: Sequence[CatalogueEntry],
    provider_index: ProviderIndex,
    need_index: NeedIndex,
    locale: str,
) -> None:
    """Score and the sentences of the criteria that earn the most points, for each scored
    card (sentences only for the parts shown: formatting them is most of the cost)."""
    scored = [e for e in entries if e.best is not None]
    if not scored:
        return
    weights = event_weights(db_session=db_session, event=viewer.event)
    gettext = get_translations(locale).gettext
    done: dict[int, tuple[float | None, list[Reason]]] = {}
    for entry in scored:
        if entry.participation_id not in done:
            best = entry.best
            assert best is not None
            need = need_index.get(best.need_id)
            provider = provider_index.get(best.profile_id)
            if need is None or provider is None:
                continue
            match = explain(need, provider, weights)
            score, shown = match.display()
            top = sorted(zip(match.parts, shown, strict=True), key=lambda pair: -pair[1].points)[
                :REASONS_SHOWN
            ]
            done[entry.participation_id] = (
                score,
                [
                    Reason(
                        part.criterion,
                        criterion_label(part.criterion, gettext),
                        rounded.points,
                        rounded.max_points,
                        part_sentence(part, gettext, locale),
                    )
                    for part, rounded in top
                ],
            )
        entry.score, entry.reasons = done[entry.participation_id]


def catalogue(
    *,
    db_session: Session,
    viewer: Viewer,
    provider_index: ProviderIndex,
    need_index: NeedIndex,
    filters: CatalogueFilters,
    limit: int = 20,
    offset: int = 0,
    locale: str = "en",
    now: datetime | None = None,
) -> CataloguePage:
    """The participants the viewer may meet that pass ``filters``, best score first (or by
    name), a page of them with their facts, score, reasons and relation to the viewer, and
    the viewer's recommended list (best scores it has neither asked, declined nor refused).
    The queries are a constant number whatever the number of participants."""
    service.expire_due_requests(db_session=db_session, now=now, event_id=viewer.event.id)
    viewer_kind = _viewer_kind(db_session, viewer)
    rows = _rows(db_session, viewer, viewer_kind, filters)
    best, scored = _scores(db_session, viewer, viewer_kind, rows, provider_index, need_index)
    by_id = {r.participation_id: r for r in rows}

    def rank(r: _Row) -> tuple[float, str, int]:
        pair = best.get(r.participation_id)
        value = pair.score if pair is not None and filters.sort != "name" else -1.0
        return (-value, r.name.casefold(), r.participation_id)

    ordered = sorted(rows, key=rank)
    page_rows = ordered[offset : offset + limit]
    rels = (
        service.relations(
            db_session=db_session, event_id=viewer.event.id, me=viewer.participation.id
        )
        if viewer.participation is not None
        else {}
    )
    recommended_rows: list[_Row] = []
    if scored:
        by_score = sorted(
            (r for r in rows if r.participation_id in best),
            key=lambda r: (-best[r.participation_id].score, r.name.casefold()),
        )
        for r in by_score:
            rel = rels.get(r.participation_id, Relation())
            if rel.request_status is not None:
                continue
            if rel.my_preference == "no_thanks" or rel.their_no_thanks:
                continue
            recommended_rows.append(r)
            if len(recommended_rows) == RECOMMENDED_SIZE:
                break

    def entry(r: _Row) -> CatalogueEntry:
        pair = best.get(r.participation_id)
        return CatalogueEntry(
            participation_id=r.participation_id,
            organisation_id=r.organisation_id,
            name=r.name,
            kind=r.kind,
            country=r.country,
            city=r.city,
            verified=bool(r.verified),
            seats_now=r.seats_now,
            seats_total=r.seats_total,
            score=round(pair.score, 1) if pair else None,
            relation=rels.get(r.participation_id, Relation()),
            best=pair,
        )

    items = [entry(r) for r in page_rows]
    recommended = [entry(r) for r in recommended_rows]
    _details(db_session, viewer, items + recommended, by_id)
    _reasons(db_session, viewer, items + recommended, provider_index, need_index, locale)
    return CataloguePage(
        items=items,
        total=len(rows),
        limit=limit,
        offset=offset,
        recommended=recommended,
        scored=scored,
    )
