"""``make screenshots``: pictures of the product's key pages, written to docs/screenshots/.

Starts the app on a fresh database with the demo data (and its demo logins), then shows
the call-centre directory and a client's need with its recommended call centres, in
English on a laptop, plus the directory in French on a phone.

    .venv/bin/python -m tests.e2e.screenshots [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from tests.e2e import support

DEMO_CLIENT = "client1@demo.euroffshore.test"


def _demo_password() -> str:
    from app.demo.loader import DEMO_PASSWORD

    return DEMO_PASSWORD


def _login(page, email: str, password: str) -> None:
    page.goto("/login")
    page.locator("[name=email]").fill(email)
    page.locator("[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form[action='/login'] button[type=submit]").click()
    if "/login" in page.url:
        raise RuntimeError(f"could not log in as {email}")


def _open_need_with_matches(page) -> None:
    """The first of the client's needs (dashboard) that has recommended call centres."""
    page.goto("/dashboard")
    hrefs = page.eval_on_selector_all(
        "main a[href^='/needs/']", "links => links.map(a => a.getAttribute('href'))"
    )
    for href in dict.fromkeys(h.split("#")[0] for h in hrefs):
        if not re.fullmatch(r"/needs/\d+", href):
            continue
        page.goto(href)
        if page.locator(".reco-item").count():
            page.locator(".reco-item details summary").first.click()
            return
    raise RuntimeError("no need of the demo client has recommended call centres")


def take(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as folder:
        server = support.LiveServer(
            database_url=f"sqlite:///{Path(folder) / 'screenshots.db'}",
            log_path=support.ARTIFACTS / "screenshots-server.log",
        ).start(demo_accounts=True)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(**support.chromium_launch_args())
                shots = [
                    ("en", support.LAPTOP, "directory.png", "/providers", None),
                    ("en", support.LAPTOP, "need-recommendations.png", None, "#recommended"),
                    ("fr", support.PHONE, "directory-phone-fr.png", "/providers", None),
                ]
                for lang, viewport, name, path, anchor in shots:
                    context = browser.new_context(
                        base_url=server.url,
                        locale=support.BROWSER_LOCALES[lang],
                        viewport=viewport,
                        device_scale_factor=1,
                    )
                    page = context.new_page()
                    _login(page, DEMO_CLIENT, _demo_password())
                    if path is None:  # the client's first need with recommendations
                        _open_need_with_matches(page)
                    else:
                        page.goto(path)
                    if anchor:  # the section's heading near the top, with the need above
                        page.evaluate(
                            "a => window.scrollTo(0, document.querySelector(a).offsetTop - 90)",
                            anchor,
                        )
                    target = out / name
                    page.screenshot(path=str(target), full_page=False)
                    written.append(target)
                    context.close()
                browser.close()
        finally:
            server.stop()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=support.SCREENSHOTS)
    args = parser.parse_args(argv)
    try:
        for path in take(args.out):
            print(f"wrote {path}")
    except support.ChromiumMissing as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
