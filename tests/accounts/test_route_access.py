"""Every route of the API and of the site, under every role, answers the declared status.

Rules come from each domain's ``tests/<domain>/access.py`` (``RULES`` and optionally
``objects(db_session, world)``). Each (rule, role) runs in a fresh world. The coverage test
reads the application's route table and fails on any (method, path) no rule reaches, and on
any rule that reaches no route.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from tests.accounts.factories import log_in, prime_csrf
from tests.accounts.world import ROLES, Rule, build_world

TESTS_DIR = Path(__file__).resolve().parents[1]
# Mounted file trees: no route table of their own; served to everyone (tested below).
MOUNTS = {"/static", "/static-docs"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _access_modules() -> list[Any]:
    modules = []
    for path in sorted(TESTS_DIR.glob("*/access.py")):
        modules.append(importlib.import_module(f"tests.{path.parent.name}.access"))
    return modules


MODULES = _access_modules()
RULES: list[tuple[Any, Rule]] = [(m, rule) for m in MODULES for rule in m.RULES]


def _fill(value: Any, placeholders: dict[str, Any]) -> Any:
    """Put the world's ids in a rule: ``"{x}"`` alone keeps the value's type."""
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole:
            return placeholders[whole.group(1)]
        return _PLACEHOLDER.sub(lambda m: str(placeholders[m.group(1)]), value)
    if isinstance(value, dict):
        return {k: _fill(v, placeholders) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, placeholders) for v in value]
    return value


def _placeholders(db_session, world, modules) -> dict[str, Any]:
    values = world.placeholders()
    for module in modules:
        if hasattr(module, "objects"):
            values.update(module.objects(db_session, world))
    return values


def _routes(app) -> list[tuple[str, str, Any]]:
    """(method, path template, route) for every route, in dispatch order."""
    found = []
    for route in iter_route_contexts(app.routes):
        if route.path in MOUNTS or route.methods is None:
            continue
        for method in sorted(route.methods - {"HEAD"}):
            found.append((method, route.path, route))
    return found


def _match(routes, method: str, url: str) -> str | None:
    path = url.split("?", 1)[0]
    for route_method, template, route in routes:
        if route_method == method and route.path_regex.match(path):
            return template
    return None


def _rule_id(item) -> str:
    module, rule = item
    extra = " ".join(f"{k}={v}" for k, v in (rule.params or {}).items())
    return f"{module.__name__.split('.')[1]}:{rule.method} {rule.path} {extra}".strip()


_current: dict[str, Any] = {}


@pytest.fixture(scope="module")
def shared_app():
    """One application for the whole table (building one takes a while); each test points
    its session at that test's rolled-back transaction."""
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


def _request_as(app, db_session, world, placeholders, rule: Rule, role: str):
    url = _fill(rule.path, placeholders)
    with TestClient(app, raise_server_exceptions=False) as client:
        prime_csrf(client)
        headers = {}
        if role != "anonymous":
            if url.startswith("/api/"):
                headers["Authorization"] = f"Bearer {world.tokens[role]}"
            else:
                log_in(client, world.users[role])
        response = client.request(
            rule.method,
            url,
            params=_fill(rule.params, placeholders),
            json=_fill(rule.json, placeholders),
            data=_fill(rule.data, placeholders),
            headers=headers,
            follow_redirects=False,
        )
    return url, response


@pytest.mark.parametrize("item", RULES, ids=[_rule_id(item) for item in RULES])
def test_route_answers_the_declared_status_to_every_role(shared_app, db_session, item):
    module, rule = item
    _current["session"] = db_session
    world = build_world(db_session)
    placeholders = _placeholders(db_session, world, [module])
    connection = db_session.connection()
    db_session.commit()
    wrong = []
    for role in ROLES:
        # Each role meets the same world: what one request changes is rolled back.
        savepoint = connection.begin_nested()
        try:
            url, response = _request_as(shared_app, db_session, world, placeholders, rule, role)
        finally:
            db_session.rollback()
            if savepoint.is_active:
                savepoint.rollback()
            db_session.expire_all()
        expected = rule.expected(role)
        if response.status_code != expected:
            wrong.append(
                f"  {role}: {response.status_code} (expected {expected}) {response.text[:300]!r}"
            )
            continue
        if expected == 303 and role == "anonymous" and not url.startswith("/api/"):
            assert response.headers["location"].startswith("/"), response.headers
        if response.status_code == 200 and "text/html" in response.headers.get("content-type", ""):
            _assert_post_forms_carry_csrf(url, response.text)
    assert wrong == [], f"{rule.method} {rule.path} {rule.note}\n" + "\n".join(wrong)


def _assert_post_forms_carry_csrf(url: str, html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        assert form.find("input", {"name": "csrf_token", "type": "hidden"}), (
            f"a POST form of {url} (action {form.get('action')!r}) lacks {{{{ csrf_input() }}}}"
        )


def test_every_route_is_covered_by_a_rule_and_every_rule_by_a_route(app, db_session):
    world = build_world(db_session)
    placeholders = _placeholders(db_session, world, MODULES)
    routes = _routes(app)
    covered: set[tuple[str, str]] = set()
    stale = []
    for module, rule in RULES:
        template = _match(routes, rule.method.upper(), _fill(rule.path, placeholders))
        if template is None:
            stale.append(f"{module.__name__}: {rule.method} {rule.path}")
        else:
            covered.add((rule.method.upper(), template))
    missing = sorted({(m, p) for m, p, _r in routes} - covered)
    assert missing == [], "routes with no access rule (add them to tests/<domain>/access.py):\n" + (
        "\n".join(f"  {m} {p}" for m, p in missing)
    )
    assert stale == [], "rules that reach no route:\n" + "\n".join(stale)


def test_every_rule_names_a_status_for_every_role():
    for _module, rule in RULES:
        for role in ROLES:
            assert rule.expected(role) in range(200, 600)


def test_mounted_files_are_served_to_everyone(client):
    assert client.get("/static/css/site.css").status_code == 200
    docs = client.get("/docs").text
    bundle = re.search(r'src="(/static-docs/[^"]+)"', docs).group(1)
    assert client.get(bundle).status_code == 200
