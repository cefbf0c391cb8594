"""static/js/site.js in the browser: filters that apply themselves, the focus taken to a
form's errors, confirmation messages that can be put away. (Without the script the same
pages work: see test_site.test_pages_work_without_javascript.)"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.support import unique

DISMISS = {"en": "Hide this message", "fr": "Masquer ce message"}


def test_directory_filters_apply_on_change(journey, lang):
    page = journey.page
    name = unique("Lyon Assurances")
    journey.signup(
        kind="client",
        legal_name=name,
        country="FR",
        email=f"filters.{lang}.{name.split()[-1]}@e2e.example.com",
    )
    journey.goto("/providers")
    with page.expect_navigation():
        page.locator("#d-language").select_option("fr")  # no click on the search button
    assert re.search(r"[?&]language=fr(&|$)", page.url), page.url
    journey.check(name="/providers?language (on change)")
    expect(page.locator("#d-language")).to_have_value("fr")
    # Text fields wait for Enter: typing does not reload the page under the person's fingers.
    page.locator("#d-q").fill("Atlas")
    page.wait_for_timeout(700)
    assert "q=Atlas" not in page.url
    with page.expect_navigation():
        page.locator("#d-q").press("Enter")
    assert "q=Atlas" in page.url


def test_confirmation_can_be_dismissed_and_errors_take_the_focus(journey, lang):
    page = journey.page
    journey.goto("/password-reset")
    page.locator("[name=email]").fill("someone.else@e2e.example.com")
    journey.submit_form(page.locator("main form"), status=200, name="/password-reset (sent)")
    status = page.locator("main .alert-success[role=status]")
    expect(status).to_be_visible()
    page.get_by_role("button", name=DISMISS[lang], exact=True).click()
    expect(status).to_have_count(0)

    # A form coming back with errors puts the focus on the first field to correct.
    journey.goto("/signup")
    page.locator("[name=kind]").select_option("client")
    page.locator("[name=legal_name]").fill(unique("Focus SAS"))
    # No country chosen: the first field to correct.
    journey.submit_form(page.locator("form[action='/signup']"), status=400)
    expect(page.locator("[name=country]")).to_be_focused()
