"""Who may see and do what in an event's matchmaking: the event loaded by id, the viewer's
own approved participation, whether the viewer manages the event. Used by the router and
the views alike (the lead may later point these at ``app/events/auth.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.core.db import SessionDep
from app.core.errors import NotFound, PermissionDenied
from app.core.types import PathId
from app.events.models import Event, EventStatus, Participation, ParticipationStatus
from app.i18n import gettext as _


def manages_event(user: User | None, event: Event) -> bool:
    """A member of the event's organiser organisation, or a platform admin."""
    return policy.is_platform_admin(user) or policy.is_member(user, event.organiser_id)


def own_participation(
    *, db_session: Session, user: User | None, event: Event
) -> Participation | None:
    """The viewer's organisation's approved participation in ``event`` (None if none)."""
    if user is None or user.organisation_id is None or not user.is_active:
        return None
    return db_session.scalar(
        select(Participation).where(
            Participation.event_id == event.id,
            Participation.organisation_id == user.organisation_id,
            Participation.status == ParticipationStatus.approved.value,
        )
    )


def load_event(*, db_session: Session, user: User | None, event_id: int) -> Event:
    """The event, or 404 (a draft is visible only to those who manage it)."""
    event = db_session.get(Event, event_id)
    if event is None or (
        event.status == EventStatus.draft.value and not manages_event(user, event)
    ):
        raise NotFound(_("Event %(id)s not found.", id=event_id))
    return event


@dataclass(frozen=True)
class Viewer:
    """Who looks at an event's matchmaking: the user, the event, the user's approved
    participation (None for an organiser or admin who does not take part), and whether
    the user manages the event."""

    user: User
    event: Event
    participation: Participation | None
    manager: bool

    def require_participant(self) -> Participation:
        """The viewer's participation, or 403 (an organiser acting as nobody)."""
        if self.participation is None:
            raise PermissionDenied(_("Only an approved participant of this event can do this."))
        return self.participation


def event_viewer(db_session: SessionDep, user: CurrentUser, event_id: PathId) -> Viewer:
    """The viewer of the event ``event_id``: an approved participant or a manager, else 403."""
    event = load_event(db_session=db_session, user=user, event_id=event_id)
    participation = own_participation(db_session=db_session, user=user, event=event)
    manager = manages_event(user, event)
    if participation is None and not manager:
        raise PermissionDenied(
            _("The participants' catalogue and the requests are for approved participants.")
        )
    return Viewer(user=user, event=event, participation=participation, manager=manager)


ViewerDep = Annotated[Viewer, Depends(event_viewer)]
