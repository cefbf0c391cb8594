"""What notifications add to every page: the unread count in the header, asked lazily (one
COUNT query, only when a page for a signed-in user draws its header)."""

from __future__ import annotations

from typing import Any

import jinja2
from fastapi import Request

from app.accounts.deps import OptionalUser
from app.core.db import SessionDep
from app.core.templating import env
from app.notifications import service

_STATE_KEY = "unread_notifications"


def provide_unread_count(request: Request, db_session: SessionDep, user: OptionalUser) -> None:
    """Leave on the request a function that counts the user's unread notifications once."""
    if user is None:
        return
    user_id = user.id
    cache: dict[str, int] = {}

    def count() -> int:
        if "n" not in cache:
            cache["n"] = service.count_unread(db_session=db_session, user_id=user_id)
        return cache["n"]

    request.state.unread_notifications = count


def unread_count(request: Request) -> int:
    """Return the signed-in user's unread count (0 for a visitor), counted once a request."""
    counter = getattr(request.state, _STATE_KEY, None)
    return int(counter()) if counter is not None else 0


@jinja2.pass_context
def _unread_notifications(context: Any) -> int:
    request = context.get("request")
    if request is None:
        return 0
    try:
        return unread_count(request)
    except Exception:  # an error page after a failed transaction: no count, still a page
        return 0


env.globals.update(unread_notifications=_unread_notifications)
