"""The cast of the access tests: organisations and one user per role, and the ``Rule`` type
each domain uses to declare who may call its routes (``tests/<domain>/access.py``).

Roles (each user is the admin of its own organisation, as sign-up makes the first user):

- ``anonymous``: nobody signed in;
- ``client_member``: member of ``client_org`` (a client company);
- ``other_client_member``: member of ``other_client_org`` (another client company);
- ``provider_member``: member of ``provider_org`` (a call centre);
- ``organiser``: member of ``organiser_org`` (the event organiser);
- ``admin``: a platform administrator (no organisation).

Path placeholders: ``{client_org}``, ``{other_client_org}``, ``{provider_org}``,
``{organiser_org}`` (organisation ids), ``{client_member_id}``, ``{other_client_member_id}``,
``{provider_member_id}``, ``{organiser_id}``, ``{admin_id}`` (user ids), plus whatever the
domain's ``objects(db_session, world)`` returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.organisations.models import Organisation
from tests import factories
from tests.accounts import factories as account_factories

ROLES = (
    "anonymous",
    "client_member",
    "other_client_member",
    "provider_member",
    "organiser",
    "admin",
)


@dataclass
class World:
    client_org: Organisation
    other_client_org: Organisation
    provider_org: Organisation
    organiser_org: Organisation
    users: dict[str, User]  # role -> user (no "anonymous")
    tokens: dict[str, str] = field(default_factory=dict)  # role -> personal access token

    def placeholders(self) -> dict[str, Any]:
        return {
            "client_org": self.client_org.id,
            "other_client_org": self.other_client_org.id,
            "provider_org": self.provider_org.id,
            "organiser_org": self.organiser_org.id,
            "client_member_id": self.users["client_member"].id,
            "other_client_member_id": self.users["other_client_member"].id,
            "provider_member_id": self.users["provider_member"].id,
            "organiser_id": self.users["organiser"].id,
            "admin_id": self.users["admin"].id,
        }


def build_world(db_session: Session, *, with_tokens: bool = True) -> World:
    client_org = factories.organisation(db_session, kind="client", legal_name="Énergie Verte SA")
    other = factories.organisation(db_session, kind="client", legal_name="Banque du Nord SA")
    provider = factories.organisation(
        db_session, kind="provider", legal_name="Atlas Contact SARL", country="MA", city="Rabat"
    )
    organiser = factories.organisation(
        db_session, kind="organiser", legal_name="Euroffshore Events", country="MA"
    )
    users = {
        "client_member": account_factories.user(db_session, organisation=client_org),
        "other_client_member": account_factories.user(db_session, organisation=other),
        "provider_member": account_factories.user(db_session, organisation=provider),
        "organiser": account_factories.user(db_session, organisation=organiser),
        "admin": account_factories.platform_admin(db_session),
    }
    world = World(client_org, other, provider, organiser, users)
    if with_tokens:
        world.tokens = {
            role: account_factories.api_token(db_session, who) for role, who in users.items()
        }
    return world


@dataclass(frozen=True)
class Rule:
    """Who may call one route, and with what result.

    ``Rule("PATCH", "/api/v1/organisations/{client_org}", json={"city": "Lyon"},
    default=403, anonymous=401, client_member=200, admin=200)``: every role not named
    gets ``default`` (a role with neither is an error). ``json`` (API) or ``data`` (a
    form) is sent as the body; ``params`` as the query string; strings in them may use
    the placeholders. The test sends pages the role's session cookie and the API its
    personal access token (``Authorization: Bearer``), both with a valid CSRF token, and
    never follows redirects (anonymous visitors of a page get 303 to /login).
    """

    method: str
    path: str
    json: Any = None
    data: dict[str, Any] | None = None
    params: dict[str, Any] | None = None
    default: int | None = None
    anonymous: int | None = None
    client_member: int | None = None
    other_client_member: int | None = None
    provider_member: int | None = None
    organiser: int | None = None
    admin: int | None = None
    note: str = ""

    def expected(self, role: str) -> int:
        status = getattr(self, role)
        if status is None:
            status = self.default
        if status is None:
            raise ValueError(f"{self.method} {self.path}: no expected status for {role}")
        return status

    @property
    def key(self) -> tuple[str, str]:
        return self.method.upper(), self.path
