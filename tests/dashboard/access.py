"""Who may see the dashboard (run by tests/accounts/test_route_access.py)."""

from __future__ import annotations

from tests.accounts.world import Rule

RULES = [
    Rule("GET", "/dashboard", default=200, anonymous=303),
]
