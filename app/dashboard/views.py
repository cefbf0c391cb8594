"""The "my organisation" page: /dashboard."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.core.db import SessionDep
from app.core.templating import render
from app.dashboard import service
from app.events.views import dashboard_events
from app.matchmaking.contacts import meeting_offers
from app.needs import service as needs

router = APIRouter(include_in_schema=False)


@router.get("/dashboard", name="dashboard")
def dashboard(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    context: dict[str, Any] = {
        "organisation": user.organisation,
        "client": None,
        "provider": None,
        "staff": None,
    }
    next_step: service.NextStep | None = None
    if needs.is_client(user):
        client = service.client_overview(
            db_session=db_session, organisation_id=policy.require_kind(user, "client")
        )
        context["client"], next_step = client, service.client_next_step(client)
    elif needs.is_provider(user):
        provider = service.provider_overview(db_session=db_session, user=user)
        context["provider"], next_step = provider, service.provider_next_step(provider)
    context["meeting_offers"] = meeting_offers(db_session=db_session, user=user)
    if policy.is_organiser(user) or policy.is_platform_admin(user):
        staff = service.staff_overview(db_session=db_session)
        context["staff"] = staff
        next_step = next_step or service.staff_next_step(staff)
    context["next_step"] = next_step
    context["events_overview"] = dashboard_events(db_session=db_session, user=user)
    return render(request, "dashboard/index.html", context)
