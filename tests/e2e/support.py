"""What the browser journeys share: the app server, Chromium, accessibility and page weight.

Used by ``conftest.py`` (the fixtures) and by ``screenshots.py`` (``make screenshots``).
Playwright is imported lazily: ``make test`` loads this folder's conftest without the
``e2e`` extra installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"

# Debian's Chromium; never a browser downloaded by ``playwright install``.
CHROMIUM = os.environ.get("EUROFFSHORE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# The budget: no page over 300 kB transferred on first load (cold cache).
MAX_PAGE_BYTES = 300 * 1024
# axe impacts that fail a journey; "moderate" and "minor" are reported, not fatal.
FATAL_IMPACTS = ("serious", "critical")

# The platform administrator, created by `euroffshore create-admin` like on a real install.
ADMIN_EMAIL = "platform.admin@e2e.example.com"
ADMIN_PASSWORD = "Casablanca-Rabat-2026"
# Every account the journeys create signs up with this password.
PASSWORD = "Tunis-Dakar-Fes-2026"

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
# Browser language per interface language: Accept-Language and navigator.language.
BROWSER_LOCALES = {"en": "en-GB", "fr": "fr-FR"}


class ChromiumMissing(RuntimeError):
    pass


def chromium_launch_args() -> dict:
    """Launch options for Debian's Chromium, or a clear error when it is not installed."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        raise ChromiumMissing(
            f"Chromium not found at {CHROMIUM}: the browser journeys cannot run. "
            "Install it with `apt-get install -y chromium chromium-driver` "
            "(never `playwright install`), or set EUROFFSHORE_CHROMIUM."
        )
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# --- the application under test -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database_url(folder: Path) -> str:
    """A new empty database: a SQLite file, or PostgreSQL when EUROFFSHORE_TEST_DATABASE_URL
    names one (its ``public`` schema is dropped and rebuilt, as the other tests do)."""
    url = os.environ.get("EUROFFSHORE_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{folder / 'e2e.db'}"
    from app.core.db import make_engine
    from tests.conftest import reset_database

    engine = make_engine(url)
    try:
        reset_database(engine)
    finally:
        engine.dispose()
    return url


def _run_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@dataclass
class LiveServer:
    """``uvicorn app.main:create_app --factory`` in a subprocess, on its own database."""

    database_url: str
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    # More settings for the served app (e.g. EUROFFSHORE_SMTP_URL).
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict:
        env = dict(os.environ)
        env.pop("EUROFFSHORE_TEST_DATABASE_URL", None)
        env.update(
            EUROFFSHORE_DATABASE_URL=self.database_url,
            EUROFFSHORE_BASE_URL=self.url,
            EUROFFSHORE_ENV="development",
            # Every journey signs up and logs in from 127.0.0.1: the per-address throttles
            # (5 sign-ups an hour in production) would refuse the suite's own visitors. The
            # throttles themselves are tested in tests/security.
            EUROFFSHORE_SIGNUP_MAX_PER_IP="10000",
            EUROFFSHORE_LOGIN_MAX_FAILURES_PER_IP="10000",
            EUROFFSHORE_RESET_MAX_PER_IP="10000",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``euroffshore <args>`` against this server's database."""
        return _run_cli(self.env, *args)

    def start(
        self,
        *,
        demo_providers: int = 24,
        demo_clients: int = 6,
        demo_accounts: bool = False,
        prepare: bool = True,
    ) -> LiveServer:
        """Migrates a fresh database, creates the administrator, loads a small demo (call
        centres and clients, without their logins unless ``demo_accounts``, so that
        recommendations have something to rank), then serves. ``prepare=False`` only
        serves a database another server already prepared."""
        demo = ["demo", "--providers", str(demo_providers), "--clients", str(demo_clients)]
        if not demo_accounts:
            demo.append("--no-accounts")
        steps = (
            ("migrate",),
            ("create-admin", "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD),
            tuple(demo),
        )
        for args in steps if prepare else ():
            done = self.cli(*args)
            if done.returncode != 0:
                raise RuntimeError(
                    f"euroffshore {' '.join(args[:1])} failed:\n{done.stdout}{done.stderr}"
                )
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the app server exited with {self.process.returncode}:\n"
                    + self.log_path.read_text()
                )
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the app server did not answer /healthz:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- accessibility (axe-core) ----------------------------------------------------------------


def axe_violations(page) -> list[dict]:
    """Every axe-core violation on the page as it is now (all impacts)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']}) at {targets}")
    return "\n".join(lines)


# --- page weight -----------------------------------------------------------------------------


@dataclass
class Weight:
    url: str
    total: int
    resources: list[tuple[str, int]]

    def describe(self) -> str:
        rows = "\n".join(f"  {size:>8} B  {url}" for url, size in self.resources)
        return f"{self.url}: {self.total / 1024:.1f} kB transferred\n{rows}"


def cold_load(
    browser, url: str, *, storage_state=None, locale="en-GB", javascript=True, axe=False
) -> tuple[Weight, list[dict] | None]:
    """Loads ``url`` with a cold cache (a fresh browser context carrying only the cookies of
    ``storage_state``) and counts the bytes transferred: headers and encoded bodies of every
    response. With ``axe``, also returns the page's axe-core violations."""
    context = browser.new_context(
        storage_state=storage_state, locale=locale, java_script_enabled=javascript
    )
    try:
        page = context.new_page()
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        resources = []
        for request in finished:
            sizes = request.sizes()
            resources.append(
                (request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"])
            )
        weight = Weight(url=url, total=sum(s for _, s in resources), resources=resources)
        return weight, axe_violations(page) if axe else None
    finally:
        context.close()


# --- a record of what the journeys measured (for the report) ----------------------------------


class Ledger:
    """Page weights and axe findings of the run, written to test-artifacts/e2e-pages.json."""

    def __init__(self) -> None:
        self.pages: dict[str, dict] = {}

    def record(self, key: str, **data) -> None:
        self.pages.setdefault(key, {}).update(data)

    def write(self) -> Path | None:
        if not self.pages:
            return None
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / "e2e-pages.json"
        path.write_text(json.dumps(self.pages, indent=2, sort_keys=True))
        return path

    def summary(self) -> str:
        if not self.pages:
            return ""
        rows = sorted(self.pages.items(), key=lambda kv: -kv[1].get("bytes", 0))
        lines = ["page weights (cold cache) and axe findings:"]
        for key, data in rows:
            weight = f"{data['bytes'] / 1024:6.1f} kB" if "bytes" in data else "     (same)"
            axe = data.get("axe", {})
            found = ", ".join(f"{k}:{v}" for k, v in sorted(axe.items())) or "none"
            lines.append(f"  {weight}  {key}  (axe: {found})")
        return "\n".join(lines)


def clean_folder(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)


LEDGER = Ledger()


# --- a journey: one browser context, one user, checks on every page it visits ----------------


def page_key(url: str) -> str:
    """``http://host/organisations/12/edit?x=1`` → ``/organisations/{id}/edit``."""
    from urllib.parse import urlsplit

    return re.sub(r"/\d+(?=/|$)", "/{id}", urlsplit(url).path) or "/"


class Journey:
    """A person using the site in one language, on one screen size, with or without
    JavaScript. ``check()`` runs what every page must pass: the interface language, axe-core
    with no serious or critical violation, no horizontal scrolling, no script error, and at
    most 300 kB transferred on a first load with a cold cache."""

    def __init__(
        self,
        browser,
        server: LiveServer,
        *,
        lang: str = "en",
        viewport: dict | None = None,
        javascript: bool = True,
    ) -> None:
        self.browser = browser
        self.server = server
        self.lang = lang
        self.javascript = javascript
        self.viewport = viewport or LAPTOP
        self.context = browser.new_context(
            base_url=server.url,
            locale=BROWSER_LOCALES[lang],
            viewport=self.viewport,
            java_script_enabled=javascript,
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.script_errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.script_errors.append(str(exc)))
        self.page.on("console", self._on_console)
        self.page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        # A form answered with 400 logs "Failed to load resource": that is the page itself,
        # its status is checked by submit(); failed sub-resources are caught below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.script_errors.append(message.text)

    def _on_response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.script_errors.append(f"{response.status} on {response.url}")

    # navigation ------------------------------------------------------------------------------

    def goto(self, path: str, *, status: int = 200, name: str | None = None):
        response = self.page.goto(path)
        assert response is not None and response.status == status, (
            f"GET {path}: {response.status if response else 'no response'}, expected {status}"
        )
        self.check(name)
        return response

    def submit(self, button_name: str, *, status: int | None = None, name: str | None = None):
        """Clicks a submit button and waits for the page the form leads to, then checks it.
        Pages answering a POST (a form re-rendered with errors) are not weighed: their
        GET twin is."""
        with self.page.expect_navigation() as navigation:
            self.page.get_by_role("button", name=button_name, exact=True).click()
        return self._after_submit(navigation.value, status, name, button_name)

    def _after_submit(self, response, status, name, what):
        if status is not None:
            assert response is not None and response.status == status, (
                f"submit {what!r}: {response.status if response else '-'}, expected {status}"
            )
        self.check(name, weigh=response is not None and response.request.method == "GET")
        return response

    # the checks every page passes ------------------------------------------------------------

    def check(self, name: str | None = None, *, weigh: bool = True) -> None:
        page = self.page
        key = f"{self.lang} {name or page_key(page.url)}"
        if not self.javascript:
            key += " (no JS)"
        html_lang = page.locator("html").get_attribute("lang")
        assert html_lang == self.lang, f"{page.url}: <html lang={html_lang!r}>, not {self.lang}"
        assert not self.script_errors, f"{page.url}: script errors: {self.script_errors}"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (
            f"{page.url}: scrolls sideways by {overflow}px at {self.viewport['width']}px wide"
        )
        weight = None
        if self.javascript:
            violations = axe_violations(page)
        else:
            # axe-core needs scripts: it checks the same URL in a context that runs them.
            weight, violations = cold_load(
                self.browser,
                page.url,
                storage_state=self.context.storage_state(),
                locale=BROWSER_LOCALES[self.lang],
                axe=True,
            )
        counts: dict[str, int] = {}
        for v in violations:
            counts[v["impact"]] = counts.get(v["impact"], 0) + 1
        LEDGER.record(key, url=page.url, axe=counts)
        fatal = [v for v in violations if v["impact"] in FATAL_IMPACTS]
        assert not fatal, f"{page.url}: accessibility violations:\n{describe_violations(fatal)}"
        if weigh and "bytes" not in LEDGER.pages.get(key, {}):
            if weight is None:
                weight, _ = cold_load(
                    self.browser,
                    page.url,
                    storage_state=self.context.storage_state(),
                    locale=BROWSER_LOCALES[self.lang],
                )
            LEDGER.record(key, bytes=weight.total, requests=len(weight.resources))
            assert weight.total <= MAX_PAGE_BYTES, f"page too heavy: {weight.describe()}"

    # accounts --------------------------------------------------------------------------------

    def signup(
        self, *, kind: str, legal_name: str, country: str, email: str, city: str = ""
    ) -> int:
        """Signs an organisation up through the public form; returns its id."""
        page = self.page
        self.goto("/signup")
        page.locator("[name=kind]").select_option(kind)
        page.locator("[name=legal_name]").fill(legal_name)
        page.locator("[name=country]").select_option(country)
        page.locator("[name=city]").fill(city)
        page.locator("[name=email]").fill(email)
        page.locator("[name=password]").fill(PASSWORD)
        self.submit_form(page.locator("form[action='/signup']"), status=200)
        # Sign-up lands where work starts: the dashboard, with its welcome and next step.
        assert page.url.endswith("/dashboard"), f"sign-up did not lead to the dashboard: {page.url}"
        self.expect_flash()
        link = page.locator(".account-nav a[href^='/organisations/']").first.get_attribute("href")
        match = re.search(r"/organisations/(\d+)$", link or "")
        assert match, f"no link to the organisation in the header: {link}"
        return int(match.group(1))

    def expect_flash(self, text: str | re.Pattern[str] | None = None) -> None:
        """The page confirms what was just done: a one-time message in the status region
        (role=status, announced by screen readers)."""
        from playwright.sync_api import expect

        message = self.page.locator("main .flash-region[role=status] .alert")
        expect(message.first).to_be_visible()
        if text is not None:
            expect(message.first).to_contain_text(text)

    def login(self, email: str, password: str = PASSWORD) -> None:
        page = self.page
        self.goto("/login")
        page.locator("[name=email]").fill(email)
        page.locator("[name=password]").fill(password)
        self.submit_form(page.locator("form[action='/login']"), status=200)
        assert "/login" not in page.url, f"login failed: {page.url}"

    def submit_form(self, form, *, status: int | None = None, name: str | None = None):
        """Submits ``form`` (a locator) with its own submit button."""
        with self.page.expect_navigation() as navigation:
            form.locator("button[type=submit]").first.click()
        return self._after_submit(navigation.value, status, name, "form")

    # languages -------------------------------------------------------------------------------

    def switch_language(self, lang: str) -> None:
        """Uses the switch in the header; the choice is remembered by a cookie."""
        with self.page.expect_navigation():
            self.page.locator(f".lang-switch button[value='{lang}']").click()
        self.lang = lang

    # after a failure -------------------------------------------------------------------------

    def save_artifacts(self, stem: Path) -> None:
        for i, page in enumerate(self.context.pages):
            suffix = f"-{i}" if i else ""
            try:
                page.screenshot(path=f"{stem}{suffix}.png", full_page=True)
                Path(f"{stem}{suffix}.html").write_text(page.content())
            except Exception as exc:  # a crashed page must not hide the test's own failure
                Path(f"{stem}{suffix}.txt").write_text(f"no screenshot: {exc}")

    def close(self) -> None:
        self.context.close()


_serial = iter(range(1, 1_000_000))


def unique(name: str) -> str:
    """A name no other journey of the run uses (the database lives for the whole run)."""
    return f"{name} {os.getpid() % 1000}-{next(_serial)}"
