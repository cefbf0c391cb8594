"""What the dashboard shows, read in a constant number of queries whatever the number of
needs, interests or shortlisted call centres."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import policy
from app.accounts.models import User
from app.i18n import gettext as _
from app.i18n import lazy_gettext, ngettext
from app.needs import service as needs
from app.needs.models import InterestStatus, Need, NeedInterest, NeedShortlist
from app.needs.service import InContact
from app.organisations.models import Organisation
from app.providers import service as providers
from app.providers.models import ProviderProfile

RECENT_OPEN_NEEDS = 10


@dataclass
class ClientOverview:
    needs_by_status: dict[str, list[Need]]
    counts: dict[str, int]
    shortlists: dict[int, list[NeedShortlist]]  # need id -> rows (providers loaded)
    pending: list[NeedInterest]  # pending expressions of interest in the client's needs
    needs_by_id: dict[int, Need]
    in_contact: list[InContact] = field(default_factory=list)


def client_overview(*, db_session: Session, organisation_id: int) -> ClientOverview:
    items, _total = needs.list_for_organisation(
        db_session=db_session, organisation_id=organisation_id, limit=1000
    )
    by_status: dict[str, list[Need]] = {"draft": [], "open": [], "closed": []}
    for need in items:
        by_status.setdefault(need.status, []).append(need)
    ids = [n.id for n in items]
    shortlists: dict[int, list[NeedShortlist]] = {}
    for row in needs.shortlist_of(db_session=db_session, need_ids=ids):
        shortlists.setdefault(row.need_id, []).append(row)
    pending = needs.interests_for_needs(
        db_session=db_session, need_ids=ids, status=InterestStatus.pending.value
    )
    return ClientOverview(
        needs_by_status=by_status,
        counts={status: len(rows) for status, rows in by_status.items()},
        shortlists=shortlists,
        pending=pending,
        needs_by_id={n.id: n for n in items},
        in_contact=needs.in_contact(db_session=db_session, client_id=organisation_id),
    )


@dataclass(frozen=True)
class ProfileCheck:
    label: object  # lazy string
    done: bool


@dataclass
class ProviderOverview:
    profile: ProviderProfile | None
    checks: list[ProfileCheck]
    completeness: int  # percent
    open_needs: list[Need]
    open_total: int
    visible: dict[int, bool]
    shortlisted: set[int]
    interests: list[NeedInterest]
    interest_visible: dict[int, bool] = field(default_factory=dict)
    in_contact: list[InContact] = field(default_factory=list)


def profile_checks(profile: ProviderProfile | None) -> list[ProfileCheck]:
    """What a complete call-centre profile says (the scoring engine uses each of them)."""
    p = profile
    return [
        ProfileCheck(
            lazy_gettext("A description"), bool(p and (p.description_fr or p.description_en))
        ),
        ProfileCheck(lazy_gettext("At least one site with its seats"), bool(p and p.sites)),
        ProfileCheck(lazy_gettext("Languages and their level"), bool(p and p.languages)),
        ProfileCheck(lazy_gettext("Services"), bool(p and p.services)),
        ProfileCheck(lazy_gettext("Sectors of experience"), bool(p and p.sectors)),
        ProfileCheck(lazy_gettext("Channels"), bool(p and p.channels)),
        ProfileCheck(lazy_gettext("Hours covered"), bool(p and p.hours)),
        ProfileCheck(
            lazy_gettext("Price band"),
            bool(p and p.price_min is not None and p.price_max is not None),
        ),
        ProfileCheck(lazy_gettext("GDPR offer"), bool(p and p.gdpr_dpa)),
        ProfileCheck(
            lazy_gettext("Published in the directory"), bool(p and p.status == "published")
        ),
    ]


def provider_overview(*, db_session: Session, user: User) -> ProviderOverview:
    organisation_id = policy.require_kind(user, "provider")
    profile = providers.get_by_organisation(db_session=db_session, organisation_id=organisation_id)
    checks = profile_checks(profile)
    open_needs, open_total = needs.list_open(db_session=db_session, limit=RECENT_OPEN_NEEDS)
    interests = needs.interests_of_provider(db_session=db_session, provider_id=organisation_id)
    shortlisted, _statuses = needs.provider_relations(
        db_session=db_session, provider_id=organisation_id, need_ids=[n.id for n in open_needs]
    )
    return ProviderOverview(
        profile=profile,
        checks=checks,
        completeness=round(100 * sum(c.done for c in checks) / len(checks)),
        open_needs=open_needs,
        open_total=open_total,
        visible=needs.visibility(db_session=db_session, needs=open_needs, user=user),
        shortlisted=shortlisted,
        interests=interests,
        interest_visible=needs.visibility(
            db_session=db_session, needs=[i.need for i in interests], user=user
        ),
        in_contact=needs.in_contact(db_session=db_session, provider_id=organisation_id),
    )


@dataclass
class StaffOverview:
    organisations: dict[str, int]
    needs: dict[str, int]
    interests: dict[str, int]
    profiles: dict[str, int]
    shortlisted: int
    users: int
    unverified: int = 0  # client companies and call centres not verified yet


def _grouped(db_session: Session, column: Any) -> dict[str, int]:
    rows = db_session.execute(select(column, func.count()).group_by(column)).all()
    return {value: count for value, count in rows}


def staff_overview(*, db_session: Session) -> StaffOverview:
    """Counts for organisers and platform administrators (6 queries)."""
    return StaffOverview(
        organisations=_grouped(db_session, Organisation.kind),
        needs={
            **dict.fromkeys(("draft", "open", "closed"), 0),
            **_grouped(db_session, Need.status),
        },
        interests={
            **dict.fromkeys(("pending", "accepted", "declined"), 0),
            **_grouped(db_session, NeedInterest.status),
        },
        profiles=_grouped(db_session, ProviderProfile.status),
        shortlisted=db_session.scalar(select(func.count()).select_from(NeedShortlist)) or 0,
        users=db_session.scalar(select(func.count()).select_from(User)) or 0,
        unverified=db_session.scalar(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.verified.is_(False), Organisation.kind != "organiser")
        )
        or 0,
    )


@dataclass(frozen=True)
class NextStep:
    """The one thing the dashboard suggests doing now: a sentence and where to do it."""

    text: str
    href: str


def client_next_step(overview: ClientOverview) -> NextStep:
    if not overview.needs_by_id:
        return NextStep(_("Post your first need"), "/needs/new")
    if overview.pending:
        return NextStep(
            ngettext(
                "Answer %(num)s expression of interest",
                "Answer %(num)s expressions of interest",
                len(overview.pending),
            ),
            "#interests",
        )
    if not overview.counts.get("open"):
        return NextStep(_("Publish a need so that call centres can see it"), "#needs-draft")
    if overview.in_contact:
        return NextStep(_("Get in touch with the call centres you accepted"), "#in-contact")
    first_open = overview.needs_by_status["open"][0]
    return NextStep(_("See the call centres recommended for your need"), f"/needs/{first_open.id}")


def provider_next_step(overview: ProviderOverview) -> NextStep:
    if overview.completeness < 100:
        return NextStep(
            _("Complete your profile — %(pct)s %%", pct=overview.completeness),
            "/providers/me/edit",
        )
    if overview.in_contact:
        return NextStep(_("Get in touch with the clients who accepted you"), "#in-contact")
    return NextStep(_("Express interest in an open need"), "/needs")


def staff_next_step(overview: StaffOverview) -> NextStep:
    if overview.unverified:
        return NextStep(
            ngettext(
                "Verify %(num)s organisation", "Verify %(num)s organisations", overview.unverified
            ),
            "/organisations?verified=no",
        )
    return NextStep(_("Browse the open needs"), "/needs")
