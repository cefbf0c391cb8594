"""The API fuzzed with schemathesis against its own OpenAPI document, in process: as an
anonymous caller and as a signed-in member (personal access token). No generated input
gives a 500, every response matches the documented schema, and no generated request
changes another organisation's data."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from app.accounts.models import ApiToken, User
from app.organisations.models import Organisation
from tests.accounts.world import build_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
FUZZ = settings(
    max_examples=6,
    deadline=None,
    database=None,
    derandomize=True,  # the same inputs on every run: a failure is reproducible
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


_current: dict[str, object] = {}


def _build_app():
    """One application for the module (schemathesis reads its OpenAPI document at import);
    each test points its session at that test's rolled-back transaction."""
    from app.core.db import get_session
    from app.main import create_app

    application = create_app()

    def _session_override():
        session = _current["session"]
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise

    application.dependency_overrides[get_session] = _session_override
    return application


APP = _build_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).include(path_regex="^/api/")
# Examples from the document plus bounded random inputs; the exhaustive "coverage" phase
# (every boundary of every field) would take minutes.
schema.config.phases.coverage.enabled = False


@pytest.fixture
def world(db_session):
    _current["session"] = db_session
    return build_world(db_session)


def _snapshot(db_session, organisation_id: int) -> dict:
    """Everything another organisation owns that a request could change."""
    db_session.expire_all()
    org = db_session.get(Organisation, organisation_id)
    users = db_session.scalars(
        select(User).where(User.organisation_id == organisation_id).order_by(User.id)
    ).all()
    tokens = db_session.scalars(
        select(ApiToken)
        .join(User, ApiToken.user_id == User.id)
        .where(User.organisation_id == organisation_id)
        .order_by(ApiToken.id)
    ).all()
    return {
        "organisation": {c.name: getattr(org, c.name) for c in Organisation.__table__.columns},
        "users": [
            (
                u.id,
                u.email,
                u.role,
                u.is_active,
                u.is_platform_admin,
                u.session_version,
                u.password_hash,
            )
            for u in users
        ],
        "tokens": [(t.id, t.revoked_at) for t in tokens],
    }


@pytest.fixture
def untouched(db_session, world):
    """Fails the test if the other client, or the call centre, changed."""
    others = (world.other_client_org.id, world.provider_org.id)
    before = {org_id: _snapshot(db_session, org_id) for org_id in others}
    yield
    db_session.rollback()
    after = {org_id: _snapshot(db_session, org_id) for org_id in others}
    assert after == before


@schema.parametrize()
@FUZZ
def test_api_as_anonymous(case, world, untouched):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_api_as_a_client_member(case, world, untouched):
    # Replaces any Authorization header generated from the security scheme.
    case.headers = {
        **(case.headers or {}),
        "Authorization": f"Bearer {world.tokens['client_member']}",
    }
    response = case.call_and_validate(checks=CHECKS)
    # Signed in throughout, unless the fuzzer revoked the member's own token.
    assert (
        response.status_code != 401
        or case.path == "/api/v1/me/tokens/{token_id}"
        or ("revoked" in response.text)
    ), response.text
