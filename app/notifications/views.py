"""HTML pages of the signed-in user's notifications: the list, opening one, mark all read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts.deps import CurrentUser
from app.core.db import SessionDep
from app.core.templating import render
from app.core.types import PathId
from app.notifications import service
from app.notifications.messages import in_app_text
from app.notifications.web import unread_count

router = APIRouter(include_in_schema=False)

PER_PAGE = 20
MAX_PAGE = 100_000


def _safe_link(link: str | None) -> str:
    # Only same-site paths: a notification never redirects elsewhere.
    if link and link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    return "/notifications"


def _local(moment: datetime, timezone: str | None) -> datetime:
    # The viewer's own clock when the account names a time zone, else UTC.
    if not timezone:
        return moment
    try:
        return moment.astimezone(ZoneInfo(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        return moment


@router.get("/notifications", name="notifications")
def list_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    rows, total = service.list_for_user(
        db_session=db_session, user_id=user.id, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    # The header's counter, so that the page and its header cost one COUNT together.
    unread = unread_count(request)
    items = [
        {"row": row, "text": in_app_text(row), "at": _local(row.created_at, user.timezone)}
        for row in rows
    ]
    return render(
        request,
        "notifications/list.html",
        {
            "items": items,
            "total": total,
            "unread": unread,
            "page": page,
            "pages": max(1, -(-total // PER_PAGE)),
            "base_query": "",
        },
    )


@router.get("/notifications/{notification_id}", name="notification_open")
def open_notification(
    db_session: SessionDep, user: CurrentUser, notification_id: PathId
) -> RedirectResponse:
    row = service.mark_read(db_session=db_session, user_id=user.id, notification_id=notification_id)
    return RedirectResponse(_safe_link(row.link), status_code=303)


@router.post("/notifications/read-all", name="notifications_read_all")
def read_all(db_session: SessionDep, user: CurrentUser) -> RedirectResponse:
    service.mark_all_read(db_session=db_session, user_id=user.id)
    return RedirectResponse("/notifications", status_code=303)
