"""Browser journeys: the app under uvicorn on a free port and its own database, driven by
Playwright in Debian's Chromium, with an axe-core check and a page-weight check on every
page a journey visits.

Every test in this folder is marked ``e2e``: ``make test`` (``-m "not e2e"``) leaves them
out, ``make e2e`` runs them. Without Chromium the journeys FAIL (never skip): CI must not
pass without having driven a browser.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from tests.e2e import support

HERE = Path(__file__).parent

if importlib.util.find_spec("playwright") is None:
    # `make test` installs only the dev extra: nothing here can even be imported then.
    # `make e2e` installs the e2e extra; without it pytest collects nothing and exits 5.
    collect_ignore_glob = ["test_*.py"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the marker must be on the items before `-m` deselects them.
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def pytest_terminal_summary(terminalreporter):
    if support.LEDGER.pages:
        support.LEDGER.write()
        terminalreporter.write_sep("-", "e2e pages")
        terminalreporter.write_line(support.LEDGER.summary())


# --- the application -------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _patient_assertions():
    """A CI machine may be slower than a laptop: assertions wait up to 10 s."""
    if importlib.util.find_spec("playwright") is not None:
        from playwright.sync_api import expect

        expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    url = support.fresh_database_url(tmp_path_factory.mktemp("e2e-db"))
    server = support.LiveServer(
        database_url=url, log_path=support.ARTIFACTS / "e2e-server.log"
    ).start()
    yield server
    server.stop()


# --- the browser (pytest-playwright's `browser`, launched on Debian's Chromium) -------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    try:
        return {**browser_type_launch_args, **support.chromium_launch_args()}
    except support.ChromiumMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(params=["en", "fr"])
def lang(request) -> str:
    """Each journey that asks for it runs once in English and once in French."""
    return request.param


@pytest.fixture
def make_journey(browser, live_server, request):
    """``make_journey(lang, viewport=..., javascript=True)`` → a Journey in a fresh context.

    On failure, every page opened by the test is saved to test-artifacts/ (PNG and HTML).
    """
    journeys: list[support.Journey] = []

    def _make(lang: str = "en", **options) -> support.Journey:
        journey = support.Journey(browser, live_server, lang=lang, **options)
        journeys.append(journey)
        return journey

    yield _make

    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        support.ARTIFACTS.mkdir(exist_ok=True)
        for i, journey in enumerate(journeys):
            journey.save_artifacts(support.ARTIFACTS / f"{name}-{i}")
    for journey in journeys:
        journey.close()


@pytest.fixture
def journey(make_journey, lang) -> support.Journey:
    """A journey on a laptop-sized window, in the language of the ``lang`` parameter."""
    return make_journey(lang)
