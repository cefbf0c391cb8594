"""HTML pages of organisations: list, show, create, edit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts import audit, policy
from app.accounts.deps import CurrentUser
from app.catalog import country_choices
from app.core.db import SessionDep
from app.core.errors import FieldError
from app.core.flash import flash
from app.core.forms import PostedForm, parse_form, values_of
from app.core.pagination import MAX_LIMIT, PageNumber
from app.core.templating import env, render
from app.core.types import PathId
from app.i18n import current_locale, lazy_gettext
from app.i18n import gettext as _
from app.organisations import auth, service
from app.organisations.auth import ReadableOrganisation
from app.organisations.models import Organisation, OrganisationKind, OrganisationSize
from app.organisations.schemas import OrganisationCreate, OrganisationUpdate

router = APIRouter(prefix="/organisations", include_in_schema=False)

FORM_FIELDS = ("kind", "legal_name", "country", "city", "registration_number", "website", "size")


KIND_LABELS = {
    OrganisationKind.client.value: lazy_gettext("Client company"),
    OrganisationKind.provider.value: lazy_gettext("Call centre"),
    OrganisationKind.organiser.value: lazy_gettext("Event organiser"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


env.globals["kind_label"] = kind_label


def _form_context(
    values: dict[str, Any], errors: dict[str, str], organisation: Organisation | None = None
) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        "organisation": organisation,
        "kind_options": [(k.value, kind_label(k.value)) for k in OrganisationKind],
        "size_options": [(s.value, s.value) for s in OrganisationSize],
        "country_options": country_choices(current_locale.get()),
    }


@router.get("", name="organisations_list")
def list_page(
    request: Request,
    db_session: SessionDep,
    _user: CurrentUser,
    # A plain string: the filter form's "All kinds" sends an empty value.
    kind: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    verified: Annotated[str | None, Query(max_length=5)] = None,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> Response:
    kind = kind if kind in KIND_LABELS else None
    verified = verified if verified in ("yes", "no") else None
    items, total = service.list_(
        db_session=db_session,
        limit=per_page,
        offset=(page - 1) * per_page,
        kind=kind,
        q=q,
        verified=None if verified is None else verified == "yes",
    )
    pages = max(1, -(-total // per_page))
    return render(
        request,
        "organisations/list.html",
        {
            "organisations": items,
            "total": total,
            "page": page,
            "pages": pages,
            "per_page": per_page,
            "kind": kind or "",
            "q": q or "",
            "verified": verified or "",
            "kinds": list(OrganisationKind),
        },
    )


@router.api_route("/new", methods=["GET", "POST"], name="organisations_new")
def create_page(
    request: Request, db_session: SessionDep, user: CurrentUser, posted: PostedForm
) -> Response:
    auth.require_creator(user)  # sign-up creates the others
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = values_of(posted)
        data, errors = parse_form(OrganisationCreate, {f: values.get(f) for f in FORM_FIELDS})
        if data is not None:
            try:
                organisation = service.create(db_session=db_session, data=data)
            except FieldError as exc:
                db_session.rollback()  # nothing half-written survives
                errors = exc.errors
            else:
                flash(
                    request,
                    _("The organisation %(name)s is created.", name=organisation.legal_name),
                )
                return RedirectResponse(f"/organisations/{organisation.id}", status_code=303)
    return render(
        request,
        "organisations/form.html",
        _form_context(values, errors),
        status_code=400 if errors else 200,
    )


@router.get("/verification-queue", name="organisations_verification_queue")
def verification_queue_page(
    request: Request, db_session: SessionDep, user: CurrentUser, page: PageNumber = 1
) -> Response:
    policy.require_organiser_or_admin(user)
    per_page = 50
    items, total = service.unverified(
        db_session=db_session, limit=per_page, offset=(page - 1) * per_page
    )
    return render(
        request,
        "organisations/verification_queue.html",
        {
            "claims": service.duplicate_claims(db_session=db_session),
            "organisations": items,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // per_page)),
        },
    )


@router.post("/{organisation_id}/registration-claim", name="organisations_decide_claim")
def decide_claim(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    organisation_id: PathId,
    posted: PostedForm,
) -> RedirectResponse:
    policy.require_organiser_or_admin(user)
    organisation = service.get(db_session=db_session, organisation_id=organisation_id)
    service.decide_claim(
        db_session=db_session,
        claimant=organisation,
        grant=values_of(posted).get("decision") == "grant",
        actor=user,
        request=request,
    )
    return RedirectResponse("/organisations/verification-queue", status_code=303)


@router.get("/{organisation_id}", name="organisations_show")
def show_page(request: Request, user: CurrentUser, organisation: ReadableOrganisation) -> Response:
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "can_edit": policy.can_edit_organisation(user, organisation.id),
            "can_verify": policy.can_verify_organisations(user),
            "is_member": policy.is_member(user, organisation.id),
        },
    )


@router.post("/{organisation_id}/verification", name="organisations_verify")
def verify(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    organisation_id: PathId,
    posted: PostedForm,
) -> Response:
    organisation = auth.verifiable_organisation(db_session, user, organisation_id)
    values = values_of(posted)
    verified = values.get("verified") == "true"
    if service.set_verified(db_session=db_session, organisation=organisation, verified=verified):
        audit.record(
            db_session,
            action=(
                audit.AuditAction.organisation_verified
                if verified
                else audit.AuditAction.organisation_unverified
            ),
            actor=user,
            organisation_id=organisation.id,
            request=request,
            detail=organisation.legal_name,
        )
    flash(
        request,
        _("%(name)s is marked as verified.", name=organisation.legal_name)
        if verified
        else _("%(name)s is no longer marked as verified.", name=organisation.legal_name),
    )
    return RedirectResponse(f"/organisations/{organisation.id}", status_code=303)


@router.api_route("/{organisation_id}/edit", methods=["GET", "POST"], name="organisations_edit")
def edit_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    organisation_id: PathId,
    posted: PostedForm,
) -> Response:
    organisation = auth.editable_organisation(db_session, user, organisation_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = values_of(posted)
        # Every field of the form is sent: an emptied optional field clears it.
        submitted = {f: values.get(f) or None for f in FORM_FIELDS if f != "kind"}
        data, errors = parse_form(OrganisationUpdate, submitted)
        for required in ("legal_name", "country"):
            if submitted[required] is None:
                errors[required] = _("This field is required.")
        if data is not None and not errors:
            for field in ("city", "registration_number", "website", "size"):
                if submitted[field] is None:
                    setattr(data, field, None)  # explicitly cleared
            try:
                service.update(
                    db_session=db_session,
                    organisation=organisation,
                    data=data,
                    actor=user,
                    request=request,
                )
            except FieldError as exc:
                db_session.rollback()
                errors = exc.errors
            else:
                flash(request, _("The organisation's details are saved."))
                return RedirectResponse(f"/organisations/{organisation.id}", status_code=303)
        values["kind"] = organisation.kind
    else:
        values = {f: getattr(organisation, f) or "" for f in FORM_FIELDS}
    return render(
        request,
        "organisations/form.html",
        _form_context(values, errors, organisation),
        status_code=400 if errors else 200,
    )
