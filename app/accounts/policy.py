"""Who may do what: every permission check of the application lives here.

Functions named ``can_*`` / ``is_*`` answer a question; ``require_*`` raise
``PermissionDenied`` (403) — or ``NotFound`` (404) with ``hide=True``, for private objects
whose existence must not leak to other organisations.
"""

from __future__ import annotations

from app.accounts.models import MembershipRole, User
from app.core.errors import NotFound, PermissionDenied
from app.i18n import gettext as _
from app.organisations.models import OrganisationKind


def _denied() -> PermissionDenied:
    return PermissionDenied(_("You do not have permission to do this."))


def _hidden() -> NotFound:
    return NotFound(_("Not found."))


# --- questions ----------------------------------------------------------------------------


def is_platform_admin(user: User | None) -> bool:
    return user is not None and user.is_active and user.is_platform_admin


def is_member(user: User | None, organisation_id: int | None) -> bool:
    """The user belongs to this organisation (as member or admin of it)."""
    return (
        user is not None
        and user.is_active
        and organisation_id is not None
        and user.organisation_id == organisation_id
    )


def is_org_admin(user: User | None, organisation_id: int | None) -> bool:
    return (
        user is not None
        and is_member(user, organisation_id)
        and user.role == MembershipRole.admin.value
    )


def organisation_kind(user: User | None) -> str | None:
    if user is None or user.organisation_id is None or user.organisation is None:
        return None
    return user.organisation.kind


def is_organiser(user: User | None) -> bool:
    """Organisers are the members of an organiser organisation."""
    return user is not None and user.is_active and organisation_kind(user) == "organiser"


def can_read_private(user: User | None, organisation_id: int | None) -> bool:
    """Drafts, contacts, tokens, the identity behind an anonymous need: members and
    platform administrators only."""
    return is_member(user, organisation_id) or is_platform_admin(user)


def can_edit_organisation(user: User | None, organisation_id: int) -> bool:
    """A member edits its own organisation's profile (and its needs, sites...)."""
    return is_member(user, organisation_id) or is_platform_admin(user)


def can_manage_team(user: User | None, organisation_id: int) -> bool:
    """Invite colleagues, change their role: the organisation's admins."""
    return is_org_admin(user, organisation_id) or is_platform_admin(user)


def can_verify_organisations(user: User | None) -> bool:
    return is_organiser(user) or is_platform_admin(user)


def can_manage_event(user: User | None, organiser_id: int) -> bool:
    """Edit an event, decide registrations, watch its dashboard: the members of the
    organiser organisation that runs it, and platform administrators."""
    return (is_organiser(user) and is_member(user, organiser_id)) or is_platform_admin(user)


def can_create_organisations(user: User | None) -> bool:
    """Directly, outside sign-up (which creates the user's own organisation)."""
    return is_platform_admin(user)


# --- requirements ---------------------------------------------------------------------------


def require_member(user: User | None, organisation_id: int | None, *, hide: bool = False) -> None:
    """A member of the organisation, or a platform administrator."""
    if not can_read_private(user, organisation_id):
        raise _hidden() if hide else _denied()


def require_org_admin(user: User | None, organisation_id: int, *, hide: bool = False) -> None:
    """An admin of the organisation, or a platform administrator."""
    if not can_manage_team(user, organisation_id):
        raise _hidden() if hide else _denied()


def require_organiser_or_admin(user: User | None) -> None:
    if not can_verify_organisations(user):
        raise _denied()


def require_event_manager(user: User | None, organiser_id: int) -> None:
    """A member of the event's organiser organisation, or a platform administrator."""
    if not can_manage_event(user, organiser_id):
        raise _denied()


def require_platform_admin(user: User | None) -> None:
    if not is_platform_admin(user):
        raise _denied()


def require_kind(user: User | None, *kinds: OrganisationKind | str) -> int:
    """The user belongs to an organisation of one of these kinds; returns its id.

    E.g. ``org_id = policy.require_kind(user, "provider")`` before creating a site."""
    wanted = {str(k.value if isinstance(k, OrganisationKind) else k) for k in kinds}
    kind = organisation_kind(user)
    if user is None or not user.is_active or kind not in wanted:
        raise _denied()
    assert user.organisation_id is not None
    return user.organisation_id
