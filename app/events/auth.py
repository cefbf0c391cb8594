"""Who may see or manage an event, as dependencies shared by the API and the pages.

- ``EventDep``: the event of the path (``event_id``), seen by the signed-in user; 404 when
  it does not exist or is a draft the user may not manage.
- ``ManagedEventDep``: the same event, for the organisers who run it (members of its
  organiser organisation) and platform administrators; 403 for anyone else.
- ``own_participation(...)``: the current user's organisation's registration for an event;
  ``OwnParticipationDep`` requires it (404 without one).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.core.db import SessionDep
from app.core.errors import NotFound
from app.core.types import PathId
from app.events import service
from app.events.models import Event, Participation
from app.i18n import gettext as _


def load_event(event_id: PathId, db_session: SessionDep, user: CurrentUser) -> Event:
    """The event of the path, if the user may see it (drafts: its organisers only)."""
    event = service.get_event(db_session=db_session, event_id=event_id)
    if not service.can_see(user, event):
        raise NotFound(_("This event does not exist."))
    return event


EventDep = Annotated[Event, Depends(load_event)]


def load_managed_event(event: EventDep, user: CurrentUser) -> Event:
    """The event of the path, for the organisers who run it and platform administrators."""
    policy.require_event_manager(user, event.organiser_id)
    return event


ManagedEventDep = Annotated[Event, Depends(load_managed_event)]


def own_participation(*, db_session: Session, event: Event, user: User) -> Participation | None:
    """The registration of the user's organisation for this event, if any."""
    return service.registration_of(
        db_session=db_session, event_id=event.id, organisation_id=user.organisation_id
    )


def require_own_participation(
    event: EventDep, db_session: SessionDep, user: CurrentUser
) -> Participation:
    """The user's organisation's registration for the event of the path (404 without one)."""
    participation = own_participation(db_session=db_session, event=event, user=user)
    if participation is None:
        raise NotFound(_("Your organisation is not registered for this event."))
    return participation


OwnParticipationDep = Annotated[Participation, Depends(require_own_participation)]


def load_registration(
    registration_id: PathId, event: EventDep, db_session: SessionDep, user: CurrentUser
) -> Participation:
    """A registration of the event of the path, for its own organisation and the event's
    organisers (404 for anyone else: registration details are private)."""
    row = service.get_registration(
        db_session=db_session, event_id=event.id, registration_id=registration_id
    )
    if not (
        policy.can_manage_event(user, event.organiser_id)
        or policy.is_member(user, row.organisation_id)
    ):
        raise NotFound(_("This registration does not exist."))
    return row


RegistrationDep = Annotated[Participation, Depends(load_registration)]
