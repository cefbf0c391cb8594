"""The product's three journeys, each in English and in French, in Chromium:

1. a call centre signs up, fills its profile (two sites, three languages with levels,
   capacity, services, certifications) and finds itself in the directory;
2. a client signs up, describes a need, sees the recommended call centres with the reasons,
   and opens one;
3. an administrator verifies an organisation and the badge shows.

Every page visited passes ``Journey.check()``: the interface language, axe-core (no serious
or critical violation), no sideways scrolling, no script error, ≤ 300 kB on a cold load.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.e2e.support import ADMIN_EMAIL, ADMIN_PASSWORD, unique

TEXT = {
    "en": {
        "profile_h1": "Call-centre profile of {name}",
        "add_site": "Add a site",
        "add_language": "Add a language",
        "save_profile": "Save the profile",
        "directory_h1": "Call-centre directory",
        "search": "Search",
        "post_need": "Post a need",
        "publish": "Save and publish",
        "recommended": "Recommended call centres",
        "why": "Why this score",
        "mark_verified": "Mark as verified",
        "verified": "Verified",
    },
    "fr": {
        "profile_h1": "Profil centre d’appels de {name}",
        "add_site": "Ajouter un site",
        "add_language": "Ajouter une langue",
        "save_profile": "Enregistrer le profil",
        "directory_h1": "Annuaire des centres d’appels",
        "search": "Rechercher",
        "post_need": "Publier un besoin",
        "publish": "Enregistrer et publier",
        "recommended": "Centres d’appels recommandés",
        "why": "Pourquoi ce score",
        "mark_verified": "Marquer comme vérifiée",
        "verified": re.compile(r"^Vérifiée?$"),
    },
}

SITES = [
    {"country": "MA", "city": "Rabat", "seats_total": "320", "seats_available_now": "60"},
    {"country": "MA", "city": "Fès", "seats_total": "140", "seats_available_now": "25"},
]
LANGUAGES = [("fr", "native", "FR, BE, CH"), ("en", "c1", ""), ("es", "b2", "ES")]
SERVICES = ("inbound_care", "technical_support", "chat_email_social")
CERTIFICATIONS = ("iso_27001", "pci_dss")


def h1(journey):
    return journey.page.get_by_role("heading", level=1)


def add_row(journey, kind: str, button_name: str) -> None:
    """ "Add a site/language": in place with the script, by a round trip without it."""
    page = journey.page
    rows = page.locator(f"[data-rows='{kind}'] > .row-item")
    before = rows.count()
    if journey.javascript:
        page.get_by_role("button", name=button_name, exact=True).click()
    else:
        journey.submit(button_name, status=200)
    expect(rows).to_have_count(before + 1)


def choose_filter(journey, select: str, value: str) -> None:
    """Picks a filter of a search form: with site.js the list reloads by itself (the
    other fields already filled go with it); without, the person presses the button."""
    page = journey.page
    if journey.javascript:
        with page.expect_navigation():
            page.locator(select).select_option(value)
        expect(page.locator(select)).to_have_value(value)
    else:
        page.locator(select).select_option(value)


def fill_provider_profile(journey, lang: str, name: str) -> None:
    t = TEXT[lang]
    page = journey.page
    expect(h1(journey)).to_have_text(t["profile_h1"].format(name=name))
    page.locator("[name=description_en]").fill(
        "Customer care and technical support in French, English and Spanish from Rabat and Fès."
    )
    page.locator("[name=description_fr]").fill(
        "Relation client et support technique en français, anglais et espagnol, à Rabat et Fès."
    )
    expect(page.locator("[name=publish]")).to_be_checked()
    # Two sites with their capacity.
    add_row(journey, "sites", t["add_site"])
    for i, site in enumerate(SITES):
        page.locator(f"[name='sites.{i}.country']").select_option(site["country"])
        page.locator(f"[name='sites.{i}.city']").fill(site["city"])
        page.locator(f"[name='sites.{i}.seats_total']").fill(site["seats_total"])
        page.locator(f"[name='sites.{i}.seats_available_now']").fill(site["seats_available_now"])
    # Three languages with their level.
    add_row(journey, "languages", t["add_language"])
    add_row(journey, "languages", t["add_language"])
    for i, (code, level, markets) in enumerate(LANGUAGES):
        page.locator(f"[name='languages.{i}.language']").select_option(code)
        page.locator(f"[name='languages.{i}.level']").select_option(level)
        page.locator(f"[name='languages.{i}.culture_markets']").fill(markets)
    for code in SERVICES:
        page.locator(f"input[name=services][value={code}]").check()
    page.locator("input[name=sectors][value=energy]").check()
    page.locator("[name='sector_years.energy']").fill("6")
    page.locator("input[name=channels][value=phone]").check()
    page.locator("input[name=hours][value=extended]").check()
    page.locator("[name=price_min]").fill("14")
    page.locator("[name=price_max]").fill("19.5")
    for code in CERTIFICATIONS:
        page.locator(f"input[name=certifications][value={code}]").check()
    page.locator("[name=gdpr_dpa]").check()
    page.locator("[name=gdpr_scc]").check()


def test_call_centre_signs_up_fills_its_profile_and_finds_itself(make_journey, lang):
    call_centre_journey(make_journey(lang), lang)


def test_call_centre_journey_works_without_javascript(make_journey):
    """The profile editor's "add a site/language" buttons and the directory's filters
    without site.js or profile-editor.js: each is a round trip to the server."""
    call_centre_journey(make_journey("fr", javascript=False), "fr")


def call_centre_journey(journey, lang: str) -> None:
    t = TEXT[lang]
    page = journey.page
    name = unique("Atlas Relation Client")
    js = "js" if journey.javascript else "nojs"
    journey.signup(
        kind="provider",
        legal_name=name,
        country="MA",
        city="Rabat",
        email=f"centre.{lang}.{js}.{name.split()[-1]}@e2e.example.com",
    )
    journey.goto("/dashboard")
    journey.goto("/providers/me/edit", name="/providers/new")
    fill_provider_profile(journey, lang, name)
    journey.submit(t["save_profile"], status=200, name="/providers/{id}")

    # The public profile shows what was entered, in the page's language.
    expect(h1(journey)).to_contain_text(name)
    main = page.get_by_role("main")
    for city in ("Rabat", "Fès"):
        expect(main).to_contain_text(city)
    profile_url = page.url

    # The directory finds it by name, and by a language at a level with seats free.
    journey.goto("/providers")
    expect(h1(journey)).to_have_text(t["directory_h1"])
    page.locator("#d-q").fill(name)
    journey.submit(t["search"], status=200, name="/providers?q")
    card = page.locator(".provider-card", has_text=name)
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Rabat")
    page.locator("#d-q").fill("")
    page.locator("#d-seats").fill("80")
    for select, value in (("#d-country", "MA"), ("#d-language", "es"), ("#d-level", "b2")):
        choose_filter(journey, select, value)
    if not journey.javascript:
        journey.submit(t["search"], status=200)
    journey.check(name="/providers?language")
    assert "level=b2" in page.url and "seats=80" in page.url, page.url
    link = page.get_by_role("main").get_by_role("link", name=name, exact=True)
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(profile_url)
    journey.check()


def test_client_describes_a_need_and_opens_a_recommended_call_centre(make_journey, lang):
    journey = make_journey(lang)
    t = TEXT[lang]
    page = journey.page
    name = unique("Énergie Loire")
    journey.signup(
        kind="client",
        legal_name=name,
        country="FR",
        city="Nantes",
        email=f"client.{lang}.{name.split()[-1]}@e2e.example.com",
    )
    journey.goto("/dashboard")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name=t["post_need"]).first.click()
    journey.check()
    title = f"Service client énergie – 30 agents ({name})"
    page.locator("[name=title]").fill(title)
    page.locator("[name=description]").fill("Inbound care for residential energy customers.")
    page.locator("input[name=services][value=inbound_care]").check()
    page.locator("[name=sector]").select_option("energy")
    page.locator("input[name=target_markets][value=FR]").check()
    page.locator("[name=language_0]").fill("fr")
    page.locator("[name=level_0]").select_option("c1")
    page.locator("[name=seats]").fill("30")
    start = date.today() + timedelta(days=60)
    page.locator("[name=start_date]").fill(start.isoformat())
    page.locator("[name=duration_months]").fill("24")
    page.locator("[name=hours]").select_option("business")
    page.locator("[name=budget_max]").fill("22")
    page.locator("[name=gdpr]").select_option("dpa")
    journey.submit(t["publish"], status=200, name="/needs/{id}")
    expect(h1(journey)).to_contain_text(title)

    # The need page ranks call centres and says why.
    section = page.locator("#recommended")
    expect(section.get_by_role("heading", level=2)).to_have_text(t["recommended"])
    matches = section.locator(".reco-item")
    expect(matches.first).to_be_visible()
    first = matches.first
    expect(first.locator(".reco-top li").first).not_to_be_empty()
    first.get_by_text(t["why"], exact=True).click()
    expect(first.locator(".reco-parts tbody tr").first).to_be_visible()
    journey.check(name="/needs/{id} (reasons open)", weigh=False)

    # All of them, then one call centre's profile.
    with page.expect_navigation():
        section.locator(".reco-links a").first.click()
    journey.check()
    expect(h1(journey)).to_have_text(t["recommended"])
    link = page.locator(".reco-item h2 a").first  # the full list: items at h2
    provider_name = link.inner_text()
    with page.expect_navigation():
        link.click()
    journey.check(name="/providers/{id} (from a need)")
    expect(h1(journey)).to_contain_text(provider_name)


def test_administrator_verifies_an_organisation_and_the_badge_shows(make_journey, lang):
    t = TEXT[lang]
    # A call centre signs up: not verified yet.
    centre = make_journey(lang)
    name = unique("Carthage Contact")
    organisation_id = centre.signup(
        kind="provider",
        legal_name=name,
        country="TN",
        city="Tunis",
        email=f"verify.{lang}.{name.split()[-1]}@e2e.example.com",
    )
    expect(centre.page.locator("h1 .badge-verified")).to_have_count(0)

    # The administrator (created by `euroffshore create-admin`) verifies it.
    admin = make_journey(lang)
    admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    admin.goto(f"/organisations/{organisation_id}")
    admin.submit(t["mark_verified"], status=200, name="/organisations/{id} (verified)")
    expect(admin.page.locator("h1 .badge-verified")).to_have_text(t["verified"])

    # The call centre sees its badge too, and the organisations list shows it.
    centre.goto(f"/organisations/{organisation_id}")
    expect(centre.page.locator("h1 .badge-verified")).to_have_text(t["verified"])
    admin.goto("/organisations?q=" + name.replace(" ", "+"), name="/organisations?q")
    row = admin.page.locator("tr", has_text=name)
    expect(row.locator(".badge-verified")).to_have_text(t["verified"])
