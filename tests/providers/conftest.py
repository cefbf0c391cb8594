"""Provider tests run signed in as a platform administrator unless they sign in someone
else (who may do what: ``access.py``, run by ``tests/accounts/test_route_access.py``)."""

from __future__ import annotations

import pytest

from tests.accounts.factories import log_in, platform_admin


@pytest.fixture(autouse=True)
def _signed_in_admin(request, db_session):
    if "client" in request.fixturenames:
        client = request.getfixturevalue("client")
        log_in(client, platform_admin(db_session))
