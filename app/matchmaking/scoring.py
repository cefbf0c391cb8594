"""Scores between an event's clients and call centres, from the scoring engine.

A client and a call centre score as the best of the client's open needs against the call
centre's published profile (the engine scores needs, not companies). The event's weight set
applies when it has one. Whole vectors are scored at once by the engine's indexes; nothing
is scored pair by pair in a loop.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.events.models import Event
from app.matching import NeedFeatures, NeedIndex, ProviderFeatures, ProviderIndex, Weights
from app.needs import service as needs_service
from app.needs.models import Need, NeedStatus
from app.providers import service as providers_service
from app.providers.models import ProfileStatus, ProviderProfile
from app.recommendations.models import ScoringWeightSet
from app.recommendations.service import weights_of


@dataclass(frozen=True)
class BestPair:
    """The best score of a client against a call centre and the need that gives it."""

    score: float
    need_id: int
    profile_id: int


def event_weights(*, db_session: Session, event: Event) -> Weights:
    """The event's weights (its weight set's overrides on the defaults)."""
    weight_set = (
        db_session.get(ScoringWeightSet, event.weight_set_id) if event.weight_set_id else None
    )
    return weights_of(weight_set)


def best_for_needs(
    index: ProviderIndex, needs: Sequence[NeedFeatures], weights: Weights
) -> dict[int, BestPair]:
    """{profile id: best pair} of one client's ``needs`` against every call centre of
    ``index`` (excluded pairs left out)."""
    if not needs or not len(index):
        return {}
    matrix = index.score_matrix(list(needs), weights)
    filled = np.where(np.isnan(matrix), -1.0, matrix)
    best_row = filled.argmax(axis=0)
    best = filled[best_row, np.arange(filled.shape[1])]
    out: dict[int, BestPair] = {}
    for col in np.flatnonzero(best >= 0):
        profile_id = int(index.providers[col].id)  # type: ignore[call-overload]
        need_id = int(needs[int(best_row[col])].id)  # type: ignore[call-overload]
        out[profile_id] = BestPair(float(best[col]), need_id, profile_id)
    return out


def best_for_provider(
    index: NeedIndex,
    provider: ProviderFeatures,
    weights: Weights,
    need_owner: Mapping[int, int],
) -> dict[int, BestPair]:
    """{client organisation id: best pair} of the call centre ``provider`` against the needs
    of ``index`` named in ``need_owner`` ({need id: client organisation id})."""
    if not need_owner or not len(index):
        return {}
    scores, _bits = index.score_vector(provider, weights)
    out: dict[int, BestPair] = {}
    for i, need in enumerate(index.needs):
        owner = need_owner.get(int(need.id))  # type: ignore[call-overload]
        value = scores[i]
        if owner is None or np.isnan(value):
            continue
        found = out.get(owner)
        if found is None or value > found.score:
            out[owner] = BestPair(float(value), int(need.id), int(provider.id))  # type: ignore[call-overload]
    return out


def load_needs(*, db_session: Session, organisation_ids: Iterable[int]) -> list[NeedFeatures]:
    """The open needs of these client organisations as the engine sees them (7 queries)."""
    ids = list(organisation_ids)
    if not ids:
        return []
    needs = db_session.scalars(
        select(Need)
        .where(Need.status == NeedStatus.open.value, Need.organisation_id.in_(ids))
        .options(*(selectinload(rel) for rel in needs_service.CHILDREN))
        .order_by(Need.id)
    ).all()
    return [needs_service.need_features(n) for n in needs]


def load_providers(
    *, db_session: Session, organisation_ids: Iterable[int]
) -> list[ProviderFeatures]:
    """The published profiles of these call centres as the engine sees them (id = profile)."""
    ids = list(organisation_ids)
    if not ids:
        return []
    profile_ids = list(
        db_session.scalars(
            select(ProviderProfile.id).where(
                ProviderProfile.organisation_id.in_(ids),
                ProviderProfile.status == ProfileStatus.published.value,
            )
        )
    )
    if not profile_ids:
        return []
    return list(providers_service.load_all_for_matching(db_session=db_session, ids=profile_ids))


def event_pair_scores(
    *, db_session: Session, event: Event, client_orgs: Iterable[int], provider_orgs: Iterable[int]
) -> dict[tuple[int, int], float]:
    """{(client organisation id, call centre organisation id): best score} for every pair
    of the event the engine does not exclude, with the event's weights (one matrix)."""
    needs = load_needs(db_session=db_session, organisation_ids=client_orgs)
    providers = load_providers(db_session=db_session, organisation_ids=provider_orgs)
    if not needs or not providers:
        return {}
    owner_of_need: dict[Hashable, int] = {
        nid: org
        for nid, org in db_session.execute(
            select(Need.id, Need.organisation_id).where(Need.id.in_([n.id for n in needs]))
        )
    }
    owner_of_profile: dict[Hashable, int] = {
        pid: org
        for pid, org in db_session.execute(
            select(ProviderProfile.id, ProviderProfile.organisation_id).where(
                ProviderProfile.id.in_([p.id for p in providers])
            )
        )
    }
    weights = event_weights(db_session=db_session, event=event)
    matrix = ProviderIndex.build(providers).score_matrix(needs, weights)
    out: dict[tuple[int, int], float] = {}
    rows, cols = np.nonzero(~np.isnan(matrix))
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        key = (owner_of_need[needs[r].id], owner_of_profile[providers[c].id])
        value = float(matrix[r, c])
        if value > out.get(key, -1.0):
            out[key] = value
    return out
