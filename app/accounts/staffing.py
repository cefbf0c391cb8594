"""The team of any organisation, for its administrators and for platform administrators:
``/organisations/{id}/team``. An administrator who created an organisation (an organiser,
say) invites its first person here; that person becomes the organisation's administrator
(see ``service.accept_invitation``) and invites the rest of the staff from ``/team``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, EmailStr
from sqlalchemy.orm import Session

from app.accounts import policy, service
from app.accounts.deps import CurrentUser
from app.accounts.models import MembershipRole, User
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import FieldError
from app.core.forms import PostedForm, parse_form, values_of
from app.core.templating import render
from app.core.types import PathId
from app.i18n import gettext as _
from app.i18n import lazy_gettext
from app.notifications import service as notifications
from app.organisations import service as organisations

router = APIRouter(include_in_schema=False)


class _EmailOnly(BaseModel):
    email: EmailStr


ROLE_LABELS = {
    MembershipRole.member.value: lazy_gettext("Member"),
    MembershipRole.admin.value: lazy_gettext("Organisation admin"),
}


def _context(db_session: Session, user: User, organisation_id: int, **extra: Any) -> dict[str, Any]:
    organisation = organisations.get(db_session=db_session, organisation_id=organisation_id)
    members, _total = service.list_users(
        db_session=db_session, limit=500, offset=0, organisation_id=organisation_id
    )
    return {
        "user": user,
        "organisation": organisation,
        "members": members,
        "role_labels": {k: str(v) for k, v in ROLE_LABELS.items()},
        # Roles are changed from /team (the organisation's admins) or /admin/users.
        "can_manage": False,
        "can_invite": policy.can_manage_team(user, organisation_id),
        "team_path": f"/organisations/{organisation_id}/team",
        "values": {},
        "errors": {},
        "invitation_link": None,
        **extra,
    }


@router.get("/organisations/{organisation_id}/team", name="organisation_team")
def organisation_team_page(
    request: Request, db_session: SessionDep, user: CurrentUser, organisation_id: PathId
) -> HTMLResponse:
    policy.require_org_admin(user, organisation_id, hide=True)
    return render(request, "accounts/team.html", _context(db_session, user, organisation_id))


@router.post("/organisations/{organisation_id}/team/invitations", name="organisation_invite")
def organisation_invite(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    organisation_id: PathId,
    posted: PostedForm,
) -> HTMLResponse:
    policy.require_org_admin(user, organisation_id, hide=True)
    organisations.get(db_session=db_session, organisation_id=organisation_id)  # 404 if gone
    values = values_of(posted)
    email = values.get("email", "")
    errors: dict[str, str] = {}
    token = ""
    if not email:
        errors["email"] = _("This field is required.")
    elif parse_form(_EmailOnly, {"email": email})[1]:
        errors["email"] = _("Enter a valid e-mail address.")
    else:
        try:
            token = service.invite(
                db_session=db_session,
                inviter=user,
                organisation_id=organisation_id,
                email=email,
                request=request,
            )
        except FieldError as exc:
            db_session.rollback()
            errors = exc.errors
    if errors:
        context = _context(db_session, user, organisation_id, values=values, errors=errors)
        return render(request, "accounts/team.html", context, status_code=400)
    notifications.mail_invitation(
        db_session=db_session,
        inviter=user,
        organisation_id=organisation_id,
        email=email,
        token=token,
    )
    link = f"{get_settings().base_url.rstrip('/')}/invitations/{token}"
    context = _context(db_session, user, organisation_id, invitation_link=link, invited=email)
    return render(
        request,
        "accounts/team.html",
        context,
        status_code=201,
        headers={"Cache-Control": "no-store"},
    )
