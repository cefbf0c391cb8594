"""Who may call the notifications routes (run by tests/accounts/test_route_access.py).

Objects: ``client_member_notification`` is a notice to ``world``'s client member: everyone
else gets 404 for it, as for any id that is not theirs.
"""

from __future__ import annotations

from app.notifications.models import NotificationKind
from app.notifications.service import notify_user
from tests.accounts.world import Rule


def objects(db_session, world) -> dict[str, object]:
    row = notify_user(
        db_session=db_session,
        user=world.users["client_member"],
        kind=NotificationKind.request_received,
        params={"event_name": "Euroffshore Casablanca", "sender_name": "Atlas Contact"},
        link="/organisations",
    )
    db_session.commit()
    return {"client_member_notification": row.id}


RULES = [
    # --- API ---
    Rule("GET", "/api/v1/me/notifications", default=200, anonymous=401),
    Rule(
        "GET",
        "/api/v1/me/notifications",
        params={"unread_only": "true", "limit": "5"},
        default=200,
        anonymous=401,
    ),
    Rule("POST", "/api/v1/me/notifications/read-all", default=200, anonymous=401),
    Rule(
        "POST",
        "/api/v1/me/notifications/{client_member_notification}/read",
        default=404,
        anonymous=401,
        client_member=200,
        note="only the recipient sees or marks a notification",
    ),
    # --- pages ---
    Rule("GET", "/notifications", default=200, anonymous=303),
    Rule(
        "GET",
        "/notifications/{client_member_notification}",
        default=404,
        anonymous=303,
        client_member=303,
        note="opening marks it read and leads to its link",
    ),
    Rule("POST", "/notifications/read-all", default=303),
]
