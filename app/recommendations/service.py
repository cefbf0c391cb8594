"""Use cases of recommendations: call centres ranked for a need, needs that fit a call
centre, and the organisers' weight sets. Functions flush; the request boundary commits.

The scoring itself is ``app.matching`` (pure); this module feeds it from the database
through the per-process index caches (``cache.py``), applies who-may-see-what, and turns
the engine's matches into explained results in the user's language (one shape for the API
and the pages). Queries per call are constant: the cache's marker, the page's call
centres (or needs) and their relations.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.accounts import policy
from app.accounts.models import User
from app.core.errors import Conflict, FieldError, NotFound, PermissionDenied
from app.i18n import get_translations
from app.i18n import gettext as _
from app.matching import (
    CRITERIA,
    Match,
    NeedFeatures,
    NeedIndex,
    ProviderFeatures,
    ProviderIndex,
    Weights,
    explain,
)
from app.matching.sentences import (
    Voice,
    criterion_label,
    exclusion_sentence,
    explanation,
    missing_sentences,
    reason_label,
)
from app.needs import service as needs_service
from app.needs.models import Need, NeedShortlist, NeedStatus
from app.organisations.models import Organisation, OrganisationKind
from app.providers.models import ProfileStatus, ProviderProfile
from app.recommendations.cache import load_providers_by_ids
from app.recommendations.models import ScoringWeightSet
from app.recommendations.schemas import (
    MatchCriterion,
    MatchExcludedNeed,
    MatchExcludedProvider,
    MatchExclusionReason,
    MatchHint,
    MatchNeed,
    MatchPart,
    MatchProvider,
    MatchWeights,
    NeedMatch,
    NeedMatchesPage,
    ProviderMatch,
    ProviderMatchesPage,
    WeightSetIn,
    WeightSetRead,
    WeightSetUpdate,
)

#: Top of the need page's section (the full list is paginated).
SECTION_SIZE = 10


# --- who may see what ---------------------------------------------------------------------


def can_see_need_matches(user: User | None, need: Need) -> bool:
    """The client's own members and platform admins (drafts included); organisers for open
    needs (they prepare the events)."""
    if policy.can_read_private(user, need.organisation_id):
        return True
    return policy.is_organiser(user) and need.status == NeedStatus.open.value


def ensure_can_see_need_matches(user: User | None, need: Need) -> None:
    """404 for anyone else (the matches of a need are the client's private data); 409 for a
    closed need (no longer scored)."""
    if not can_see_need_matches(user, need):
        raise NotFound(_("Need %(id)s not found.", id=need.id))
    if need.status == NeedStatus.closed.value:
        raise Conflict(_("This need is closed: reopen it to see recommended call centres."))


def can_see_provider_matches(user: User | None, profile: ProviderProfile) -> bool:
    """The call centre's own members and platform admins."""
    return policy.can_read_private(user, profile.organisation_id)


def ensure_can_see_provider_matches(user: User | None, profile: ProviderProfile) -> None:
    if not can_see_provider_matches(user, profile):
        raise NotFound(_("Call centre %(id)s not found.", id=profile.id))


# --- weights ------------------------------------------------------------------------------


def get_weight_set(*, db_session: Session, weight_set_id: int) -> ScoringWeightSet:
    found = db_session.get(ScoringWeightSet, weight_set_id)
    if found is None:
        raise NotFound(_("Weight set %(id)s not found.", id=weight_set_id))
    return found


def list_weight_sets(
    *, db_session: Session, organisation_id: int | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[ScoringWeightSet], int]:
    query = select(ScoringWeightSet)
    if organisation_id is not None:
        query = query.where(ScoringWeightSet.organisation_id == organisation_id)
    total = db_session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db_session.scalars(
        query.options(selectinload(ScoringWeightSet.organisation))
        .order_by(ScoringWeightSet.name, ScoringWeightSet.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def can_manage_weight_sets(user: User | None) -> bool:
    return policy.is_organiser(user) or policy.is_platform_admin(user)


def can_edit_weight_set(user: User | None, weight_set: ScoringWeightSet) -> bool:
    return (
        policy.is_organiser(user) and policy.is_member(user, weight_set.organisation_id)
    ) or policy.is_platform_admin(user)


def _owner_for_new_set(db_session: Session, user: User, organisation_id: int | None) -> int:
    policy.require_organiser_or_admin(user)
    if not policy.is_platform_admin(user):
        if organisation_id not in (None, user.organisation_id):
            raise PermissionDenied(_("You can only create weight sets for your own organisation."))
        return user.organisation_id  # type: ignore[return-value]
    if organisation_id is None:
        raise FieldError({"organisation_id": _("Name the organiser organisation.")})
    owner = db_session.get(Organisation, organisation_id)
    if owner is None or owner.kind != OrganisationKind.organiser.value:
        raise FieldError(
            {
                "organisation_id": _(
                    "Organisation %(id)s is not an event organiser.", id=organisation_id
                )
            }
        )
    return owner.id


def _flush(db_session: Session) -> None:
    try:
        with db_session.begin_nested():
            db_session.flush()
    except IntegrityError:
        raise FieldError(
            {"name": _("Your organisation already has a weight set with this name.")}
        ) from None


def create_weight_set(*, db_session: Session, user: User, data: WeightSetIn) -> ScoringWeightSet:
    owner = _owner_for_new_set(db_session, user, data.organisation_id)
    row = ScoringWeightSet(organisation_id=owner, name=data.name, weights=dict(data.weights))
    db_session.add(row)
    _flush(db_session)
    return row


def update_weight_set(
    *, db_session: Session, user: User, weight_set: ScoringWeightSet, data: WeightSetUpdate
) -> ScoringWeightSet:
    ensure_can_edit_weight_set(user, weight_set)
    if data.name is not None:
        weight_set.name = data.name
    if data.weights is not None:
        weight_set.weights = dict(data.weights)
    _flush(db_session)
    return weight_set


def delete_weight_set(*, db_session: Session, user: User, weight_set: ScoringWeightSet) -> None:
    ensure_can_edit_weight_set(user, weight_set)
    db_session.delete(weight_set)
    db_session.flush()


def ensure_can_edit_weight_set(user: User | None, weight_set: ScoringWeightSet) -> None:
    if not can_edit_weight_set(user, weight_set):
        raise PermissionDenied(_("Only the organiser that owns this weight set can change it."))


def weights_of(weight_set: ScoringWeightSet | None) -> Weights:
    """The defaults merged with a weight set's overrides (the event's weights)."""
    return Weights().merged(weight_set.weights if weight_set is not None else None)


def weight_set_read(row: ScoringWeightSet) -> WeightSetRead:
    return WeightSetRead(
        id=row.id,
        organisation_id=row.organisation_id,
        name=row.name,
        weights=dict(row.weights or {}),
        effective=weights_of(row).base(),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _weights_out(
    weights: Weights, weight_set: ScoringWeightSet | None, priorities: frozenset[str] = frozenset()
) -> MatchWeights:
    applied = weights.merged(None, priorities)
    return MatchWeights(
        weight_set_id=weight_set.id if weight_set else None,
        weight_set_name=weight_set.name if weight_set else None,
        base=weights.base(),
        priorities=[c for c in CRITERIA if c in priorities],
        priority_factor=weights.priority_factor,
        effective=applied.effective(),
    )


# --- explanations -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Language:
    locale: str

    @property
    def gettext(self) -> Callable[[str], str]:
        return get_translations(self.locale).gettext


def need_voice(user: User | None, need: Need) -> Voice:
    """Who reads a need's matches: its client ("you" is the client) or staff (third person)."""
    return "client" if policy.is_member(user, need.organisation_id) else "staff"


def provider_voice(user: User | None, profile: ProviderProfile) -> Voice:
    """Who reads a call centre's matches: the centre itself ("you") or staff."""
    return "provider" if policy.is_member(user, profile.organisation_id) else "staff"


def _parts_and_left_out(
    match: Match, lang: _Language, voice: Voice = "client"
) -> tuple[float, list[MatchPart], list[MatchCriterion]]:
    ex = explanation(match, lang.gettext, lang.locale, voice)
    parts = [
        MatchPart(
            criterion=p.criterion,
            label=p.label,
            points=p.points,
            max_points=p.max_points,
            sentence=p.sentence,
        )
        for p in ex.parts
    ]
    left_out = [
        MatchCriterion(criterion=c, label=criterion_label(c, lang.gettext)) for c in match.left_out
    ]
    assert ex.score is not None  # pages list scored matches only; excluded ones have none
    return ex.score, parts, left_out


def _reasons(match: Match, lang: _Language, voice: Voice = "client") -> list[MatchExclusionReason]:
    return [
        MatchExclusionReason(
            reason=e.reason,
            label=reason_label(e.reason, lang.gettext),
            sentence=exclusion_sentence(e, lang.gettext, lang.locale, voice),
        )
        for e in match.exclusions
    ]


def _provider_cards(
    db_session: Session,
    index: ProviderIndex,
    profile_ids: Sequence[int],
    need_id: int | None = None,
) -> tuple[dict[int, MatchProvider], set[int]]:
    """({profile id: card}, organisation ids shortlisted for ``need_id``) in one query; the
    cities come from the index (the sites' cities, in order)."""
    if not profile_ids:
        return {}, set()
    ids = list(dict.fromkeys(profile_ids))
    query = (
        select(
            ProviderProfile.id,
            ProviderProfile.organisation_id,
            Organisation.legal_name,
            Organisation.country,
            Organisation.verified,
        )
        .join(Organisation, Organisation.id == ProviderProfile.organisation_id)
        .where(ProviderProfile.id.in_(ids))
    )
    if need_id is not None:
        query = query.add_columns(NeedShortlist.id.label("shortlist_id")).outerjoin(
            NeedShortlist,
            (NeedShortlist.need_id == need_id)
            & (NeedShortlist.provider_id == ProviderProfile.organisation_id),
        )
    cards, shortlisted = {}, set()
    for row in db_session.execute(query):
        features = index.get(row.id)
        cities = (
            list(dict.fromkeys(s.city for s in features.sites if s.city))
            if features is not None
            else []
        )
        cards[row.id] = MatchProvider(
            id=row.id,
            organisation_id=row.organisation_id,
            name=row.legal_name,
            country=row.country,
            cities=cities,
            verified=bool(row.verified),
        )
        if need_id is not None and row.shortlist_id is not None:
            shortlisted.add(row.organisation_id)
    return cards, shortlisted


# --- call centres for a need --------------------------------------------------------------


def need_for_matching(
    *, db_session: Session, need_index: NeedIndex, need_id: int
) -> tuple[Need, NeedFeatures]:
    """The need row (for the access rules) and its features: an open need's come from the
    process's need index (one query in all), a draft's are loaded with its children."""
    need = db_session.get(Need, need_id)
    if need is None:
        raise NotFound(_("Need %(id)s not found.", id=need_id))
    features = need_index.get(need.id) if need.status == NeedStatus.open.value else None
    if features is None:
        need = needs_service.get(db_session=db_session, need_id=need_id)
        features = needs_service.need_features(need)
    return need, features


def need_matches(
    *,
    db_session: Session,
    index: ProviderIndex,
    need: Need,
    features: NeedFeatures | None = None,
    weight_set: ScoringWeightSet | None = None,
    limit: int = 20,
    offset: int = 0,
    include_excluded: bool = False,
    excluded_offset: int = 0,
    locale: str = "en",
    voice: Voice = "client",
) -> NeedMatchesPage:
    """Call centres ranked for ``need`` (the caller checked ``ensure_can_see_need_matches``),
    each with its score, its parts and their sentences; optionally a page of the excluded
    ones with their reasons; what the need could add. ``features``: the need as the engine
    sees it (see :func:`need_for_matching`); computed from ``need``'s children if None.
    ``voice``: who reads the sentences (:func:`need_voice`)."""
    lang = _Language(locale)
    if features is None:
        features = needs_service.need_features(need)
    weights = weights_of(weight_set)
    page = index.score(
        features, weights, limit=limit, offset=offset, include_excluded=include_excluded
    )
    excluded = page.excluded[excluded_offset : excluded_offset + limit]
    cards, shortlisted = _provider_cards(
        db_session,
        index,
        [cast(int, m.provider_id) for m in page.items] + [cast(int, e.id) for e in excluded],
        need_id=need.id,
    )
    items = []
    for match in page.items:
        card = cards.get(cast(int, match.provider_id))
        if card is None:  # unpublished since the index was read: skip it
            continue
        score, parts, left_out = _parts_and_left_out(match, lang, voice)
        items.append(
            ProviderMatch(
                provider=card,
                score=score,
                parts=parts,
                left_out=left_out,
                shortlisted=card.organisation_id in shortlisted,
            )
        )
    excluded_out = []
    for entry in excluded:
        card = cards.get(cast(int, entry.id))
        provider = index.get(entry.id)
        if card is None or provider is None:
            continue
        excluded_out.append(
            MatchExcludedProvider(
                provider=card, reasons=_reasons(explain(features, provider, weights), lang, voice)
            )
        )
    return NeedMatchesPage(
        need_id=need.id,
        items=items,
        total=page.total,
        limit=limit,
        offset=offset,
        excluded_total=page.excluded_total,
        excluded=excluded_out,
        excluded_offset=excluded_offset,
        weights=_weights_out(weights, weight_set, features.priorities),
        left_out=[
            MatchCriterion(criterion=c, label=criterion_label(c, lang.gettext))
            for c in page.left_out
        ],
        missing=[
            MatchHint(field=f, sentence=s)
            for f, s in zip(page.missing, _missing_sentences(page.missing, lang), strict=True)
        ],
    )


def _missing_sentences(fields: Sequence[str], lang: _Language) -> list[str]:
    # one sentence per field, in the order of the fields (the engine's texts)
    return [(missing_sentences([f], lang.gettext) or [f])[0] for f in fields]


# --- needs for a call centre --------------------------------------------------------------


def provider_features(*, db_session: Session, profile: ProviderProfile) -> ProviderFeatures:
    """The profile as the engine sees it, whatever its status (seven small queries: the
    provider pages never need the index of every call centre)."""
    found = load_providers_by_ids(
        db_session, [profile.id], statuses=[s.value for s in ProfileStatus]
    )
    if not found:
        raise NotFound(_("Call centre %(id)s not found.", id=profile.id))
    return found[0]


def _need_cards(
    db_session: Session, need_ids: Sequence[Hashable], user: User | None
) -> dict[int, MatchNeed]:
    if not need_ids:
        return {}
    needs = db_session.scalars(
        select(Need).where(Need.id.in_(list(need_ids))).options(selectinload(Need.organisation))
    ).all()
    visible = needs_service.visibility(db_session=db_session, needs=list(needs), user=user)
    return {
        n.id: MatchNeed(
            id=n.id,
            title=n.title,
            client_name=n.organisation.legal_name if visible.get(n.id) else None,
            client_country=n.organisation.country,
            seats=n.seats,
            start_date=n.start_date,
            anonymous=n.anonymous,
        )
        for n in needs
    }


def provider_matches(
    *,
    db_session: Session,
    need_index: NeedIndex,
    profile: ProviderProfile,
    user: User | None,
    weight_set: ScoringWeightSet | None = None,
    limit: int = 20,
    offset: int = 0,
    include_excluded: bool = False,
    excluded_offset: int = 0,
    locale: str = "en",
    voice: Voice | None = None,
) -> ProviderMatchesPage:
    """Open needs ranked for the call centre ``profile`` (the caller checked
    ``ensure_can_see_provider_matches``); an anonymous client's name only as the needs'
    identity rule allows. Sentences speak to the centre ("you") when ``user`` is one of its
    members, else of it (``voice`` overrides)."""
    lang = _Language(locale)
    voice = voice or provider_voice(user, profile)
    features = provider_features(db_session=db_session, profile=profile)
    weights = weights_of(weight_set)
    page = need_index.score(
        features, weights, limit=limit, offset=offset, include_excluded=include_excluded
    )
    excluded = page.excluded[excluded_offset : excluded_offset + limit]
    ids = [cast(int, m.need_id) for m in page.items] + [cast(int, e.id) for e in excluded]
    cards = _need_cards(db_session, ids, user)
    shortlisted, interests = needs_service.provider_relations(
        db_session=db_session, provider_id=profile.organisation_id, need_ids=ids
    )
    items = []
    for match in page.items:
        card = cards.get(cast(int, match.need_id))
        if card is None:
            continue
        score, parts, left_out = _parts_and_left_out(match, lang, voice)
        items.append(
            NeedMatch(
                need=card,
                score=score,
                parts=parts,
                left_out=left_out,
                interest=interests.get(card.id),
                shortlisted=card.id in shortlisted,
            )
        )
    excluded_out = []
    for entry in excluded:
        card = cards.get(cast(int, entry.id))
        need = need_index.get(entry.id)
        if card is None or need is None:
            continue
        excluded_out.append(
            MatchExcludedNeed(
                need=card, reasons=_reasons(explain(need, features, weights), lang, voice)
            )
        )
    return ProviderMatchesPage(
        provider_id=profile.id,
        items=items,
        total=page.total,
        limit=limit,
        offset=offset,
        excluded_total=page.excluded_total,
        excluded=excluded_out,
        excluded_offset=excluded_offset,
        weights=_weights_out(weights, weight_set),
    )
