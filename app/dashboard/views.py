"""The "my organisation" page: /dashboard."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.core.db import SessionDep
from app.core.templating import render
from app.dashboard import service
from app.needs import service as needs

router = APIRouter(include_in_schema=False)


@router.get("/dashboard", name="dashboard")
def dashboard(request: Request, db_session: SessionDep, user: CurrentUser) -> HTMLResponse:
    context: dict[str, object] = {
        "organisation": user.organisation,
        "client": None,
        "provider": None,
        "staff": None,
    }
    next_step: service.NextStep | None = None
    if needs.is_client(user):
        client = service.client_overview(
            db_session=db_session, organisation_id=user.organisation_id
        )
        context["client"], next_step = client, service.client_next_step(client)
    elif needs.is_provider(user):
        provider = service.provider_overview(db_session=db_session, user=user)
        context["provider"], next_step = provider, service.provider_next_step(provider)
    if policy.is_organiser(user) or policy.is_platform_admin(user):
        staff = service.staff_overview(db_session=db_session)
        context["staff"] = staff
        next_step = next_step or service.staff_next_step(staff)
    context["next_step"] = next_step
    return render(request, "dashboard/index.html", context)
