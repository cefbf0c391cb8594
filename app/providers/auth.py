"""Who may read or edit a call centre's profile: the one place the JSON API and the pages
ask. Permission questions themselves come from ``app.accounts.policy``.

- ``readable(user, profile)`` / ``editable(user, profile)`` check a profile already loaded;
- ``ReadableProfile`` / ``EditableProfile`` are route dependencies: the profile of the
  path's ``provider_id``, loaded and checked (a route taking one needs no other check).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.core.db import SessionDep
from app.core.types import MAX_ID
from app.providers import service
from app.providers.models import ProfileStatus, ProviderProfile

__all__ = [
    "EditableProfile",
    "ProviderId",
    "ReadableProfile",
    "editable",
    "readable",
    "require_creator",
]

ProviderId = Annotated[int, Path(ge=1, le=MAX_ID, description="Profile id")]


def _is_published(profile: ProviderProfile) -> bool:
    return profile.status == ProfileStatus.published.value


def readable(user: User | None, profile: ProviderProfile) -> ProviderProfile:
    """Published profiles are for every signed-in user; drafts and closed ones only for the
    centre's members (others get 404: their existence does not leak)."""
    if not _is_published(profile):
        policy.require_member(user, profile.organisation_id, hide=True)
    return profile


def editable(user: User | None, profile: ProviderProfile) -> ProviderProfile:
    """The centre's own members (and platform administrators) edit its profile; others get
    403 on a published profile and 404 on one they may not even see."""
    policy.require_member(user, profile.organisation_id, hide=not _is_published(profile))
    return profile


def require_creator(user: User | None, organisation_id: int) -> None:
    """Only the organisation's members (and platform administrators) create its profile."""
    policy.require_member(user, organisation_id)


def readable_profile(
    user: CurrentUser, db_session: SessionDep, provider_id: ProviderId
) -> ProviderProfile:
    """The profile of the path's ``provider_id`` if ``user`` may read it."""
    return readable(user, service.get_profile(db_session=db_session, provider_id=provider_id))


def editable_profile(
    user: CurrentUser, db_session: SessionDep, provider_id: ProviderId
) -> ProviderProfile:
    """The profile of the path's ``provider_id`` if ``user`` may edit it."""
    return editable(user, service.get_profile(db_session=db_session, provider_id=provider_id))


ReadableProfile = Annotated[ProviderProfile, Depends(readable_profile)]
EditableProfile = Annotated[ProviderProfile, Depends(editable_profile)]
