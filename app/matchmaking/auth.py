"""Who may see and do what in an event's matchmaking: the viewer's approved participation
and whether the viewer manages the event. The event itself, its visibility (drafts: their
organisers only) and the manager rule are app/events/auth.py's and app/accounts/policy.py's;
this module only adds the matchmaking rule (an approved participant, or a manager)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.core.db import SessionDep
from app.core.errors import PermissionDenied
from app.events import auth as event_auth
from app.events.auth import EventDep
from app.events.models import Event, Participation, ParticipationStatus
from app.i18n import gettext as _


def manages_event(user: User | None, event: Event) -> bool:
    """A member of the event's organiser organisation, or a platform admin."""
    return policy.can_manage_event(user, event.organiser_id)


def own_participation(
    *, db_session: Session, user: User | None, event: Event
) -> Participation | None:
    """The viewer's organisation's approved participation in ``event`` (None if none)."""
    if user is None or not user.is_active:
        return None
    row = event_auth.own_participation(db_session=db_session, event=event, user=user)
    return row if row is not None and row.status == ParticipationStatus.approved.value else None


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


def event_viewer(event: EventDep, db_session: SessionDep, user: CurrentUser) -> Viewer:
    """The viewer of the event of the path: an approved participant or a manager, else 403
    (404 first for an event that does not exist or a draft the user may not see)."""
    participation = own_participation(db_session=db_session, user=user, event=event)
    manager = manages_event(user, event)
    if participation is None and not manager:
        raise PermissionDenied(
            _("The participants' catalogue and the requests are for approved participants.")
        )
    return Viewer(user=user, event=event, participation=participation, manager=manager)


ViewerDep = Annotated[Viewer, Depends(event_viewer)]
