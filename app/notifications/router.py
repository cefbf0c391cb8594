"""JSON API of the signed-in user's notifications: /api/v1/me/notifications."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.deps import CurrentUser
from app.core.db import SessionDep
from app.core.errors import API_ERROR_RESPONSES
from app.core.pagination import Page, PageDep
from app.core.types import PathId
from app.notifications import service
from app.notifications.messages import absolute_url, in_app_text
from app.notifications.models import Notification
from app.notifications.schemas import NotificationRead, ReadAllResult

router = APIRouter(
    prefix="/me/notifications", tags=["notifications"], responses=API_ERROR_RESPONSES
)


def _read(row: Notification) -> NotificationRead:
    return NotificationRead(
        id=row.id,
        kind=row.kind,
        text=in_app_text(row),
        link=row.link,
        url=absolute_url(row.link),
        event_id=row.event_id,
        created_at=row.created_at,
        read_at=row.read_at,
        unread=row.read_at is None,
    )


@router.get(
    "",
    response_model=Page[NotificationRead],
    summary="List my notifications, newest first (text in the request's language)",
)
def list_notifications(
    db_session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    unread_only: Annotated[bool, Query(description="Only the unread ones")] = False,
) -> Page[NotificationRead]:
    rows, total = service.list_for_user(
        db_session=db_session,
        user_id=user.id,
        unread_only=unread_only,
        limit=page.limit,
        offset=page.offset,
    )
    return Page[NotificationRead](
        items=[_read(r) for r in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.post("/read-all", response_model=ReadAllResult, summary="Mark all my notifications read")
def read_all(db_session: SessionDep, user: CurrentUser) -> ReadAllResult:
    marked = service.mark_all_read(db_session=db_session, user_id=user.id)
    return ReadAllResult(marked=marked, unread=0)


@router.post(
    "/{notification_id}/read",
    response_model=NotificationRead,
    summary="Mark one of my notifications read (404 for anyone else's)",
)
def read_one(
    db_session: SessionDep, user: CurrentUser, notification_id: PathId
) -> NotificationRead:
    row = service.mark_read(db_session=db_session, user_id=user.id, notification_id=notification_id)
    return _read(row)
