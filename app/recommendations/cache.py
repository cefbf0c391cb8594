"""Per-process caches of the scoring engine's indexes, kept in step with the database.

Each app process keeps a ``ProviderIndex`` of the published call centres and a
``NeedIndex`` of the open needs. On every request the cache reads ONE counter
(``matching_versions``, a primary-key lookup); database triggers bump it in the same
transaction as any change of a provider profile, a need, or an organisation's ``verified``
flag or its deletion, whoever writes (migration 0006). When it moved, a second query reads
every row's state (id, version, updated_at, verified) and only the rows whose state
differs are loaded and re-encoded (``index.updated``); the first request builds the index.
So a change made through any process is seen by all of them, and deletions and closures
(rows gone from the state) leave the index.

Without the counter row (a database not migrated yet) the marker falls back to an
aggregate over the rows (count, sum of versions, max id, max updated_at...).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from app.catalog import CLIENT_MARKETS
from app.matching import NeedIndex, ProviderFeatures, ProviderIndex
from app.needs import service as needs_service
from app.needs.models import Need, NeedStatus
from app.organisations.models import Organisation
from app.providers import service as providers_service
from app.providers.models import (
    ProfileStatus,
    ProviderProfile,
)
from app.recommendations.models import MatchingVersion

log = logging.getLogger(__name__)

__all__ = ["ProviderIndexStore", "NeedIndexStore", "Caches"]


@dataclass
class _State:
    index: Any
    marker: tuple[Any, ...]
    rows: dict[Hashable, tuple[Any, ...]]  # id -> state of every indexed row


@dataclass
class Stats:
    """What a cache did (for the tests, the logs and the benchmark)."""

    builds: int = 0
    refreshes: int = 0
    checks: int = 0
    last_build_seconds: float = 0.0
    last_changed: int = 0
    history: list[str] = field(default_factory=list)


class _Store:
    """Common logic: ``get(db_session)`` returns an index at least as new as the database
    was when the marker was read. Thread safe (sync routes run in a thread pool)."""

    def __init__(self) -> None:
        self._state: _State | None = None
        self._lock = threading.Lock()
        self.stats = Stats()

    # the subclass says how to read the database
    def _marker(self, db_session: Session) -> tuple[Any, ...]:
        raise NotImplementedError

    def _rows(self, db_session: Session) -> dict[Hashable, tuple[Any, ...]]:
        raise NotImplementedError

    def _build(self, db_session: Session) -> Any:
        raise NotImplementedError

    def _changed(self, db_session: Session, index: Any, ids: set[Hashable]) -> Sequence[Any]:
        raise NotImplementedError

    def _updated(self, index: Any, upserts: Sequence[Any], removed: set[Hashable]) -> Any:
        raise NotImplementedError

    def get(self, db_session: Session) -> Any:
        marker = tuple(self._marker(db_session))
        state = self._state
        self.stats.checks += 1
        if state is not None and state.marker == marker:
            return state.index
        with self._lock:
            state = self._state
            if state is not None and state.marker == marker:
                return state.index
            started = time.perf_counter()
            rows = self._rows(db_session)
            if state is None:
                index = self._build(db_session)
                indexed = {getattr(x, "id", None) for x in _items(index)}
                self._state = _State(index, marker, {k: v for k, v in rows.items() if k in indexed})
                self.stats.builds += 1
                self.stats.last_changed = len(indexed)
                self.stats.history.append("build")
            else:
                changed = {k for k, v in rows.items() if state.rows.get(k) != v}
                removed = set(state.rows) - set(rows)
                index = state.index
                if changed or removed:
                    upserts = list(self._changed(db_session, index, changed))
                    found = {x.id for x in upserts}
                    # a changed row the loader did not return left the index (closed...)
                    removed |= changed - found
                    index = self._updated(index, upserts, removed)
                    self.stats.refreshes += 1
                    self.stats.history.append("refresh")
                kept = {x.id for x in _items(index)}
                self._state = _State(index, marker, {k: v for k, v in rows.items() if k in kept})
                self.stats.last_changed = len(changed | removed)
            self.stats.last_build_seconds = time.perf_counter() - started
            log.info(
                "%s: %s in %.3f s (%s rows changed)",
                type(self).__name__,
                self.stats.history[-1] if self.stats.history else "check",
                self.stats.last_build_seconds,
                self.stats.last_changed,
            )
            return self._state.index

    def invalidate(self) -> None:
        with self._lock:
            self._state = None


def _counter(db_session: Session, name: str) -> int | None:
    return db_session.scalar(select(MatchingVersion.version).where(MatchingVersion.name == name))


def _items(index: Any) -> Sequence[Any]:
    return index.providers if isinstance(index, ProviderIndex) else index.needs


class ProviderIndexStore(_Store):
    """Published call centres (``ProviderFeatures.id`` = the profile id)."""

    def _marker(self, db_session: Session) -> tuple[Any, ...]:
        version = _counter(db_session, "providers")
        if version is not None:
            return (version,)
        verified = Organisation.verified.is_(True)
        return tuple(
            db_session.execute(
                select(
                    func.count(ProviderProfile.id),
                    func.coalesce(func.sum(ProviderProfile.version), 0),
                    func.max(ProviderProfile.id),
                    func.max(ProviderProfile.updated_at),
                    func.coalesce(func.sum(case((verified, 1), else_=0)), 0),
                    func.coalesce(func.sum(case((verified, Organisation.id), else_=0)), 0),
                    func.max(Organisation.updated_at),
                ).join(Organisation, Organisation.id == ProviderProfile.organisation_id)
            ).one()
        )

    def _rows(self, db_session: Session) -> dict[Hashable, tuple[Any, ...]]:
        return {
            row.id: (row.version, row.updated_at, row.verified)
            for row in db_session.execute(
                select(
                    ProviderProfile.id,
                    ProviderProfile.version,
                    ProviderProfile.updated_at,
                    Organisation.verified,
                )
                .join(Organisation, Organisation.id == ProviderProfile.organisation_id)
                .where(ProviderProfile.status == ProfileStatus.published.value)
            )
        }

    def _build(self, db_session: Session) -> ProviderIndex:
        providers = providers_service.load_all_for_matching(db_session=db_session)
        return ProviderIndex.build(providers, markets=CLIENT_MARKETS)

    def _changed(self, db_session: Session, index: Any, ids: set[Hashable]) -> Sequence[Any]:
        if not ids:
            return []
        if len(ids) > max(50, len(index) // 4):  # many: one pass of the providers' loader
            return [
                p
                for p in providers_service.load_all_for_matching(db_session=db_session)
                if p.id in ids
            ]
        return load_providers_by_ids(db_session, sorted(cast(set[int], ids)))

    def _updated(
        self, index: ProviderIndex, upserts: Sequence[Any], removed: set[Hashable]
    ) -> ProviderIndex:
        return index.updated(upserts=upserts, removed_ids=removed)


class NeedIndexStore(_Store):
    """Open needs (``NeedFeatures.id`` = the need id)."""

    def _marker(self, db_session: Session) -> tuple[Any, ...]:
        version = _counter(db_session, "needs")
        if version is not None:
            return (version,)
        return tuple(
            db_session.execute(
                select(
                    func.count(Need.id),
                    func.coalesce(func.sum(Need.version), 0),
                    func.max(Need.id),
                    func.max(Need.updated_at),
                )
            ).one()
        )

    def _rows(self, db_session: Session) -> dict[Hashable, tuple[Any, ...]]:
        return {
            row.id: (row.version, row.updated_at)
            for row in db_session.execute(
                select(Need.id, Need.version, Need.updated_at).where(
                    Need.status == NeedStatus.open.value
                )
            )
        }

    def _build(self, db_session: Session) -> NeedIndex:
        return NeedIndex.build(needs_service.load_open_for_matching(db_session=db_session))

    def _changed(self, db_session: Session, index: Any, ids: set[Hashable]) -> Sequence[Any]:
        if not ids:
            return []
        needs = db_session.scalars(
            select(Need)
            .where(Need.id.in_(list(ids)), Need.status == NeedStatus.open.value)
            .options(*(selectinload(rel) for rel in needs_service.CHILDREN))
            .order_by(Need.id)
            .execution_options(populate_existing=True)
        ).all()
        return [needs_service.need_features(n) for n in needs]

    def _updated(
        self, index: NeedIndex, upserts: Sequence[Any], removed: set[Hashable]
    ) -> NeedIndex:
        return index.updated(upserts=upserts, removed_ids=removed)


def load_providers_by_ids(
    db_session: Session,
    ids: Sequence[int],
    statuses: Sequence[str] = (ProfileStatus.published.value,),
) -> list[ProviderFeatures]:
    """The profiles ``ids`` with a status in ``statuses`` as ``ProviderFeatures``, so that
    refreshing one changed profile does not read all of them."""
    if not ids:
        return []
    return providers_service.load_all_for_matching(
        db_session=db_session, statuses=statuses, ids=ids
    )


@dataclass
class Caches:
    """The caches of one app process (kept on ``app.state``)."""

    providers: ProviderIndexStore = field(default_factory=ProviderIndexStore)
    needs: NeedIndexStore = field(default_factory=NeedIndexStore)


def caches_of(app_state: Any, factory: Callable[[], Caches] = Caches) -> Caches:
    found = getattr(app_state, "recommendations_caches", None)
    if found is None:
        found = factory()
        app_state.recommendations_caches = found
    return found
