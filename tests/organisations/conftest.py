"""The organisation tests act as a signed-in platform administrator (who may do everything),
so they test validation and pages; who may do what is tested in test_access.py and by the
table-driven tests/accounts/test_route_access.py (rules in access.py)."""

from __future__ import annotations

import pytest

from tests.accounts.factories import log_in, platform_admin


@pytest.fixture(autouse=True)
def _signed_in_admin(client, db_session):
    return log_in(client, platform_admin(db_session))
