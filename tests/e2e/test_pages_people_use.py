"""Issue 23 in Chromium: every journey leads somewhere, every action confirms, every page
works on a phone.

1. A client and a call centre go from sign-up to "in contact" with each other, each action
   confirmed on the page (the one-time message in the status region), in both languages.
2. Every page reachable from the navigation, for each role (client, call centre, organiser,
   administrator), at 375 px and 1280 px, in English and French: no sideways scrolling, every
   table cell keeps its column name on a phone, no English left on a French page, no serious
   or critical axe-core violation. Links are collected once per role and each distinct path
   pattern (``/needs/{id}``) is visited once.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PASSWORD,
    Journey,
    LiveServer,
    axe_violations,
    describe_violations,
    page_key,
    unique,
)
from tests.e2e.test_journeys import fill_provider_profile

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = {"phone": {"width": 375, "height": 740}, "laptop": {"width": 1280, "height": 800}}

FLASH = {
    "en": {
        "need_published": "Your need is published: call centres can see it.",
        "profile_saved": "Profile saved and published in the directory.",
        "interest_sent": "Your interest is sent: the client will accept or decline it.",
        "accepted": "You are in contact with",
        "verified": "is marked as verified.",
        "weights_saved": "is saved.",
        "org_created": "is created.",
        "welcome_joined": "Welcome! You have joined your organisation.",
    },
    "fr": {
        "need_published": "Votre besoin est publié : les centres d’appels peuvent le voir.",
        "profile_saved": "Profil enregistré et publié dans l’annuaire.",
        "interest_sent": "Votre intérêt est envoyé : le client l’acceptera ou le déclinera.",
        "accepted": "Vous êtes en contact avec",
        "verified": "est marquée comme vérifiée.",
        "weights_saved": "est enregistré.",
        "org_created": "est créée.",
        "welcome_joined": "Bienvenue ! Vous avez rejoint votre organisation.",
    },
}
BUTTONS = {
    "en": {
        "publish": "Save and publish",
        "save_profile": "Save the profile",
        "express": "Express interest",
        "accept": "Accept",
        "register": "Register",
        "invite": "Create an invitation link",
        "join": None,
        "save": "Save",
    },
    "fr": {
        "publish": "Enregistrer et publier",
        "save_profile": "Enregistrer le profil",
        "express": "Manifester mon intérêt",
        "accept": "Accepter",
        "register": "Enregistrer",
        "invite": "Créer un lien d’invitation",
        "join": None,
        "save": "Enregistrer",
    },
}
IN_CONTACT = {"en": "In contact", "fr": "En contact"}


def _email(role: str, lang: str, name: str) -> str:
    return f"{role}.{lang}.{name.split()[-1]}@e2e.example.com"


def post_need(journey: Journey, title: str) -> int:
    """The client describes a need and publishes it; returns its id."""
    page = journey.page
    journey.goto("/needs/new")
    page.locator("[name=title]").fill(title)
    page.locator("[name=description]").fill("Inbound care for residential energy customers.")
    page.locator("input[name=services][value=inbound_care]").check()
    page.locator("[name=sector]").select_option("energy")
    page.locator("input[name=target_markets][value=FR]").check()
    page.locator("[name=language_0]").fill("fr")
    page.locator("[name=level_0]").select_option("c1")
    page.locator("[name=seats]").fill("30")
    page.locator("[name=start_date]").fill((date.today() + timedelta(days=60)).isoformat())
    page.locator("[name=hours]").select_option("business")
    page.locator("[name=budget_max]").fill("22")
    journey.submit(BUTTONS[journey.lang]["publish"], status=200, name="/needs/{id}")
    journey.expect_flash(FLASH[journey.lang]["need_published"])
    match = re.search(r"/needs/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


@dataclass
class Pair:
    client: Journey
    centre: Journey
    client_name: str
    centre_name: str
    need_id: int


def client_and_centre_get_in_contact(make_journey, lang: str) -> Pair:
    """Sign-up to "in contact": every step confirmed on the page."""
    b, f = BUTTONS[lang], FLASH[lang]
    client = make_journey(lang)
    client_name = unique("Énergie Loire")
    client.signup(
        kind="client",
        legal_name=client_name,
        country="FR",
        city="Nantes",
        email=_email("client", lang, client_name),
    )
    # The dashboard's next step is the first need.
    with client.page.expect_navigation():
        client.page.locator(".next-step a").click()
    assert client.page.url.endswith("/needs/new"), client.page.url
    need_id = post_need(client, f"Service client énergie ({client_name})")

    centre = make_journey(lang)
    centre_name = unique("Atlas Relation Client")
    centre.signup(
        kind="provider",
        legal_name=centre_name,
        country="MA",
        city="Rabat",
        email=_email("centre", lang, centre_name),
    )
    expect(centre.page.locator(".next-step a")).to_contain_text("%")  # complete the profile
    with centre.page.expect_navigation():
        centre.page.locator(".next-step a").click()
    centre.check(name="/providers/new")
    fill_provider_profile(centre, lang, centre_name)
    centre.submit(b["save_profile"], status=200, name="/providers/{id}")
    centre.expect_flash(f["profile_saved"])

    centre.goto(f"/needs/{need_id}")
    centre.page.locator("[name=message]").fill("60 seats in Rabat from next month.")
    centre.submit(b["express"], status=200, name="/needs/{id} (interest sent)")
    centre.expect_flash(f["interest_sent"])
    # The message can be changed: it is in the box.
    expect(centre.page.locator("[name=message]")).to_have_value(
        "60 seats in Rabat from next month."
    )

    client.goto("/dashboard")
    row = client.page.locator("#interests tr", has_text=centre_name)
    with client.page.expect_navigation():
        row.get_by_role("button", name=b["accept"], exact=True).click()
    client.check(name="/dashboard (accepted)")
    client.expect_flash(f["accepted"])
    return Pair(client, centre, client_name, centre_name, need_id)


def test_client_and_call_centre_go_from_signup_to_in_contact(make_journey, lang):
    pair = client_and_centre_get_in_contact(make_journey, lang)
    client_email = _email("client", lang, pair.client_name)
    centre_email = _email("centre", lang, pair.centre_name)

    # The client: the accepted centre is "in contact", with its contact person and a next step.
    section = pair.client.page.locator("#in-contact")
    expect(section.get_by_role("heading", level=2)).to_have_text(IN_CONTACT[lang])
    expect(section).to_contain_text(pair.centre_name)
    expect(section.locator(f"a[href='mailto:{centre_email}']")).to_be_visible()
    expect(section.locator(".next-steps a").first).to_be_visible()

    # The call centre: the client (anonymous or not) and its contact person, on its
    # dashboard and on the need's page.
    pair.centre.goto("/dashboard", name="/dashboard (in contact)")
    section = pair.centre.page.locator("#in-contact")
    expect(section).to_contain_text(pair.client_name)
    expect(section.locator(f"a[href='mailto:{client_email}']")).to_be_visible()
    pair.centre.goto(f"/needs/{pair.need_id}", name="/needs/{id} (in contact)")
    expect(pair.centre.page.locator("#in-contact")).to_contain_text(client_email)


# --- every page, every role, both widths, both languages ---------------------------------------

# Never followed: leaving the site, signing out, the API documentation, static files.
SKIP = re.compile(r"^/(docs|redoc|openapi\.json|static|static-docs|logout|invitations|healthz)")
# Text that is the same in both languages by nature (names, codes, the brand).
SAME_IN_BOTH = {"Euroffshore", "API", "English", "Français", "ID", "GDPR", "Email", "E-mail"}


@dataclass
class Catalogue:
    """English messages of the site's catalogues whose French differs (per the .po files)."""

    phrases: list[str] = field(default_factory=list)

    @classmethod
    def load(cls) -> Catalogue:
        phrases: set[str] = set()
        for po in (ROOT / "app/locale/fr/LC_MESSAGES").glob("*.po"):
            with po.open("rb") as fh:
                for message in read_po(fh, locale="fr"):
                    ids = message.id if isinstance(message.id, tuple) else (message.id,)
                    strings = (
                        message.string if isinstance(message.string, tuple) else (message.string,)
                    )
                    for msgid in ids:
                        if not msgid or msgid in strings:
                            continue
                        # The longest literal piece between placeholders, if it says something.
                        piece = max(re.split(r"%\(\w+\)s|%%", msgid), key=len).strip(" .:,;")
                        if len(piece) >= 14 and " " in piece:
                            phrases.add(piece)
        return cls(sorted(phrases))

    def english_on(self, text: str) -> list[str]:
        return [p for p in self.phrases if p in text]


UI_TEXT = """() => {
  const pick = 'label, button, th[scope=col], tfoot th, legend, summary, .hint, '
    + '.next-step, .nav a, h2';
  return Array.from(document.querySelectorAll(pick))
    .filter(el => el.offsetParent !== null && !el.querySelector('a')
      && !el.closest('td, .provider-card, .reco-item, .need-card'))
    .map(el => el.innerText.trim()).filter(t => t.length > 0);
}"""
CELLS_WITHOUT_LABEL = """() => Array.from(document.querySelectorAll('table.table td'))
  .filter(td => td.offsetParent !== null && !td.hasAttribute('data-label'))
  .map(td => td.closest('table').outerHTML.slice(0, 80) + ' … ' + td.innerText.slice(0, 40))"""
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
HEADER_SHARE = "document.querySelector('.site-header').getBoundingClientRect().height / innerHeight"


def _links(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header a[href], main a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    return [h for h in hrefs if h and h.startswith("/") and not h.startswith("//")]


def collect_pages(page: Page, start: str = "/dashboard") -> dict[str, str]:
    """{path pattern: first path} of the pages reachable from the header and the dashboard
    (two clicks deep), each pattern once."""
    found: dict[str, str] = {}
    frontier = [start]
    for _depth in range(2):
        following: list[str] = []
        for path in frontier:
            page.goto(path)
            here = urlsplit(page.url).path
            found.setdefault(page_key(here), here)
            for href in _links(page):
                target = urlsplit(href).path
                if SKIP.match(target) or page_key(target) in found:
                    continue
                found[page_key(target)] = target
                following.append(target)
        frontier = following
    return found


@dataclass
class Problems:
    found: list[str] = field(default_factory=list)

    def add(self, where: str, what: str) -> None:
        self.found.append(f"{where}: {what}")


def check_page(
    page: Page,
    where: str,
    *,
    width: str,
    lang: str,
    catalogue: Catalogue,
    english_ui: set[str],
    data: set[str],
    axe: bool = True,
) -> tuple[Problems, set[str]]:
    problems = Problems()
    overflow = page.evaluate(OVERFLOW)
    if overflow > 0:
        problems.add(where, f"scrolls sideways by {overflow}px")
    if width == "phone":
        for cell in page.evaluate(CELLS_WITHOUT_LABEL):
            problems.add(where, f"table cell without its column name: {cell}")
        share = page.evaluate(HEADER_SHARE)
        if share >= 0.25:
            problems.add(where, f"the header takes {share:.0%} of the phone screen")
    ui = set(page.evaluate(UI_TEXT))
    if lang == "fr":
        text = page.locator("body").inner_text()
        for phrase in catalogue.english_on(text):
            problems.add(where, f"English left on the French page: {phrase!r}")
        for same in sorted(ui & english_ui):
            if any(d in same for d in data) or same in SAME_IN_BOTH:
                continue
            if re.search(r"[A-Za-z]{4,}\s+[A-Za-z]{3,}", same):
                problems.add(where, f"same text as the English page: {same!r}")
    if axe:
        fatal = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        if fatal:
            problems.add(where, "axe:\n" + describe_violations(fatal))
    return problems, ui


@dataclass
class Role:
    name: str
    storage_state: dict
    data: set[str]  # names and e-mails this role created: the same in both languages


@pytest.fixture(scope="module")
def roles(browser: Browser, live_server: LiveServer) -> list[Role]:
    """A client and a call centre in contact, an organiser staffed by the administrator, with
    a weight set: each role's signed-in browser state."""

    def make_journey(lang: str = "en", **options) -> Journey:
        return Journey(browser, live_server, lang=lang, **options)

    pair = client_and_centre_get_in_contact(make_journey, "en")
    admin = make_journey("en")
    admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    organiser_name = unique("Salon Offshore Afrique")
    admin.goto("/organisations/new")
    page = admin.page
    page.locator("[name=kind]").select_option("organiser")
    page.locator("[name=legal_name]").fill(organiser_name)
    page.locator("[name=country]").select_option("MA")
    admin.submit(BUTTONS["en"]["register"], status=200, name="/organisations/{id}")
    admin.expect_flash(FLASH["en"]["org_created"])
    with page.expect_navigation():
        page.locator("main a[href$='/team']").click()
    admin.check(name="/organisations/{id}/team")
    organiser_email = _email("organiser", "en", organiser_name)
    page.locator("[name=email]").fill(organiser_email)
    admin.submit(BUTTONS["en"]["invite"], status=201, name="/organisations/{id}/team (invited)")
    link = page.locator("#invitation-link").input_value()

    organiser = make_journey("en")
    organiser.goto(urlsplit(link).path)
    organiser.page.locator("[name=password]").fill(PASSWORD)
    organiser.submit_form(organiser.page.locator("main form"), status=200, name="/dashboard")
    organiser.expect_flash(FLASH["en"]["welcome_joined"])
    organiser.goto("/weight-sets/new")
    organiser.page.locator("[name=name]").fill("Casablanca: price first")
    organiser.page.locator("[name=w_price]").fill("30")
    organiser.submit(BUTTONS["en"]["save"], status=200, name="/weight-sets (saved)")
    organiser.expect_flash(FLASH["en"]["weights_saved"])

    made = {
        "client": (pair.client, {pair.client_name, pair.centre_name}),
        "call centre": (pair.centre, {pair.client_name, pair.centre_name}),
        "organiser": (organiser, {organiser_name, "Casablanca: price first"}),
        "admin": (admin, {organiser_name}),
    }
    result = [
        Role(name, journey.context.storage_state(), data) for name, (journey, data) in made.items()
    ]
    for journey in (pair.client, pair.centre, admin, organiser):
        journey.close()
    return result


def test_every_page_works_for_every_role_on_a_phone_and_a_laptop_in_both_languages(
    browser: Browser, live_server: LiveServer, roles: list[Role]
) -> None:
    catalogue = Catalogue.load()
    problems = Problems()
    visited = 0
    # axe-core is the slow check (about a second a page): once per page pattern and language
    # on a phone (the narrower layout), the dashboard once per role (it differs most).
    axe_done: set[tuple[str, str]] = set()
    started = time.monotonic()
    for role in roles:
        context = browser.new_context(
            base_url=live_server.url, storage_state=role.storage_state, locale="en-GB"
        )
        page = context.new_page()
        try:
            pages = collect_pages(page)
            for pattern, path in sorted(pages.items()):
                english_ui: set[str] = set()
                for lang in ("en", "fr"):
                    context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
                    for width, size in WIDTHS.items():
                        page.set_viewport_size(size)
                        response = page.goto(path)
                        visited += 1
                        where = f"{role.name} {lang} {width} {pattern} ({path})"
                        if response is None or response.status >= 400:
                            problems.add(where, f"answered {response and response.status}")
                            continue
                        axe_key = (
                            f"{role.name} {pattern}" if pattern == "/dashboard" else pattern,
                            lang,
                        )
                        axe = width == "phone" and axe_key not in axe_done
                        if axe:
                            axe_done.add(axe_key)
                        found, ui = check_page(
                            page,
                            where,
                            width=width,
                            lang=lang,
                            catalogue=catalogue,
                            english_ui=english_ui,
                            data=role.data,
                            axe=axe,
                        )
                        problems.found.extend(found.found)
                        if lang == "en":
                            english_ui |= ui
        finally:
            context.close()
    elapsed = time.monotonic() - started
    print(f"{visited} page views ({len(axe_done)} with axe-core) in {elapsed:.0f} s")
    assert not problems.found, "\n".join(problems.found)
