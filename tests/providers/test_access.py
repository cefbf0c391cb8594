"""Every rule of ``access.py`` for every role, each in a fresh world (until the shared
table-driven runner lands, and as a quick check of this domain alone)."""

from __future__ import annotations

import pytest

from tests.accounts.factories import log_in
from tests.accounts.world import ROLES, build_world
from tests.providers.access import RULES, objects


def _fill(value, placeholders):
    if isinstance(value, str):
        return value.format(**placeholders)
    if isinstance(value, dict):
        return {k: _fill(v, placeholders) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, placeholders) for v in value]
    return value


@pytest.fixture(autouse=True)
def _signed_in_admin():
    """Overrides the package fixture: here each test signs in its own role."""


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "rule", RULES, ids=[f"{r.method} {r.path} {r.note[:20]}".strip() for r in RULES]
)
def test_route_answers_each_role_as_declared(client, db_session, rule, role):
    world = build_world(db_session)
    placeholders = {**world.placeholders(), **objects(db_session, world)}
    headers = {}
    if role != "anonymous":
        if rule.path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
        else:
            log_in(client, world.users[role])
    response = client.request(
        rule.method,
        _fill(rule.path, placeholders),
        json=_fill(rule.json, placeholders),
        data=_fill(rule.data, placeholders),
        params=_fill(rule.params, placeholders),
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == rule.expected(role), response.text[:300]
