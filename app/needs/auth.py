"""Who may read or edit a need: the one place the JSON API and the pages ask. Permission
questions themselves come from ``app.accounts.policy``.

- ``can_view`` / ``can_edit`` answer; ``ensure_can_view`` / ``ensure_can_edit`` raise
  (a private draft is a 404 to outsiders; a visible need they may not change, a 403);
- ``readable_need`` / ``editable_need`` load the need and check it, and
  ``ReadableNeed`` / ``EditableNeed`` are the same as route dependencies (the path's
  ``need_id``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.core.db import SessionDep
from app.core.errors import NotFound, PermissionDenied
from app.core.types import PathId
from app.i18n import gettext as _
from app.needs import service
from app.needs.models import Need, NeedStatus

__all__ = [
    "EditableNeed",
    "ReadableNeed",
    "can_edit",
    "can_view",
    "editable_need",
    "ensure_can_edit",
    "ensure_can_view",
    "readable_need",
]


def can_view(need: Need, user: User | None) -> bool:
    """Drafts are private to the client organisation (and platform admins); open and closed
    needs are visible to every signed-in user."""
    if policy.can_read_private(user, need.organisation_id):
        return True
    return user is not None and user.is_active and need.status != NeedStatus.draft.value


def can_edit(need: Need, user: User | None) -> bool:
    """Only members of the client organisation (or a platform admin) change its needs."""
    return policy.can_edit_organisation(user, need.organisation_id)


def ensure_can_view(need: Need, user: User | None) -> None:
    """Raise unless ``user`` may read ``need``."""
    if need.status == NeedStatus.draft.value:
        # A private draft is reported as missing: its existence is not disclosed.
        policy.require_member(user, need.organisation_id, hide=True)
    elif not can_view(need, user):
        raise NotFound(_("Need %(id)s not found.", id=need.id))


def ensure_can_edit(need: Need, user: User | None) -> None:
    """Raise unless ``user`` may change ``need``."""
    ensure_can_view(need, user)
    if not can_edit(need, user):
        raise PermissionDenied(_("Only the client's own members can change this need."))


def readable_need(db_session: Session, user: User, need_id: int) -> Need:
    """The need (children and organisation loaded) if ``user`` may read it."""
    need = service.get(db_session=db_session, need_id=need_id)
    ensure_can_view(need, user)
    return need


def editable_need(db_session: Session, user: User, need_id: int) -> Need:
    """The need (children and organisation loaded) if ``user`` may change it."""
    need = service.get(db_session=db_session, need_id=need_id)
    ensure_can_edit(need, user)
    return need


def _readable_dependency(db_session: SessionDep, user: CurrentUser, need_id: PathId) -> Need:
    return readable_need(db_session, user, need_id)


def _editable_dependency(db_session: SessionDep, user: CurrentUser, need_id: PathId) -> Need:
    return editable_need(db_session, user, need_id)


ReadableNeed = Annotated[Need, Depends(_readable_dependency)]
EditableNeed = Annotated[Need, Depends(_editable_dependency)]
