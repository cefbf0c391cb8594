"""Issue 24's journey, in English and in French, in Chromium, against the app under uvicorn
with a real SMTP server on localhost (aiosmtpd):

an organiser creates an event through the form and opens registration; a client signs up
and registers; the organiser approves it and registers three call centres on their behalf,
then opens requests; the client asks the three centres for a meeting from the catalogue;
centre 1 accepts, centre 2 declines with a reason, centre 3 lets the request expire; the
organiser reads the counts on the event dashboard; every e-mail reaches the SMTP server in
its recipient's language. Every page passes ``Journey.check()`` (language, axe-core with no
serious or critical violation, no sideways scrolling, no script error, page weight). It runs
in English, in French, and once more in French on a 375 px wide phone.

Languages of the recipients: the client and centre 3 sign up in the journey's language;
centre 1 signs up in it then switches to the other one with the header's control (its
account keeps the choice); centre 2 uses English. Each e-mail is checked in its reader's.

How time passes: the event's requests expire after 1 hour (the shortest the form allows).
Rather than wait an hour, the test moves the pending request's ``expires_at`` one minute
into the past with SQL in the served database, then runs the real command
``euroffshore events expire-requests`` in a subprocess against that database (the served
app's outbox thread calls the same ``expire_due_requests`` each round and may be first;
either way the request is expired by the app's code, with the real clock, and the e-mail
is sent by the served app's outbox thread).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import EmailMessage

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from tests.e2e import support
from tests.e2e.support import PASSWORD, PHONE, Journey, unique
from tests.notifications.conftest import KeepingHandler, SmtpServer

EMAIL = {
    "en": {
        "received": "{sender} asks to meet you at {event}",
        "accepted": "{other} accepted your meeting request at {event}",
        "declined": "{other} declined your meeting request at {event}",
        "expired": (
            "The meeting request between you and {other} at {event} expired without an answer"
        ),
        "approved": "Your registration for {event} is approved",
    },
    "fr": {
        "received": "{sender} souhaite vous rencontrer à {event}",
        "accepted": "{other} a accepté votre demande de rendez-vous à {event}",
        "declined": "{other} a décliné votre demande de rendez-vous à {event}",
        "expired": (
            "La demande de rendez-vous entre vous et {other} à {event} a expiré sans réponse"
        ),
        "approved": "Votre inscription à {event} est approuvée",
    },
}
DASHBOARD = {
    "en": {"accepted": "Accepted", "declined": "Declined", "expired": "Expired"},
    "fr": {"accepted": "Acceptée", "declined": "Refusée", "expired": "Expirée"},
}
OTHER = {"en": "fr", "fr": "en"}


# --- a served app that sends its e-mails to a local SMTP server -----------------------------


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[SmtpServer]:
    from aiosmtpd.controller import Controller

    handler = KeepingHandler()
    port = support.free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(handler=handler, port=port)
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def mail_server(live_server, smtp_server) -> Iterator[support.LiveServer]:
    """A second app process on the journeys' database, sending mail every half second."""
    server = support.LiveServer(
        database_url=live_server.database_url,
        log_path=support.ARTIFACTS / "e2e-events-server.log",
        extra_env={
            "EUROFFSHORE_SMTP_URL": smtp_server.url,
            "EUROFFSHORE_OUTBOX_INTERVAL_S": "0.5",
            "EUROFFSHORE_OUTBOX_WORKER": "true",
        },
    ).start(prepare=False)
    yield server
    server.stop()


class People:
    """One browser context per person of the journey."""

    def __init__(self, browser, server: support.LiveServer, viewport: dict[str, int]) -> None:
        self.browser, self.server, self.viewport = browser, server, viewport
        self.journeys: dict[str, Journey] = {}

    def make(self, role: str, lang: str) -> Journey:
        self.journeys[role] = Journey(self.browser, self.server, lang=lang, viewport=self.viewport)
        return self.journeys[role]

    def __getitem__(self, role: str) -> Journey:
        return self.journeys[role]


@pytest.fixture
def people(browser, mail_server, request, width) -> Iterator[People]:
    """The journey's people, on a laptop or a 375 px phone; their pages are saved to
    test-artifacts/ when the test fails."""
    viewport = support.LAPTOP if width == support.LAPTOP["width"] else {**PHONE, "width": width}
    crowd = People(browser, mail_server, viewport)
    yield crowd
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        support.ARTIFACTS.mkdir(exist_ok=True)
        for role, journey in crowd.journeys.items():
            journey.save_artifacts(support.ARTIFACTS / f"{name}-{role}")
    for journey in crowd.journeys.values():
        journey.close()


def organiser_account(server: support.LiveServer, email: str) -> None:
    """An organiser company and its admin (organisers are created by administrators)."""
    from sqlalchemy.orm import Session

    from app.accounts import service as accounts
    from app.accounts.models import MembershipRole
    from app.core.db import make_engine
    from app.organisations import service as organisations
    from app.organisations.schemas import OrganisationCreate

    engine = make_engine(server.database_url)
    try:
        with Session(engine) as session, session.begin():
            org = organisations.create(
                db_session=session,
                data=OrganisationCreate(
                    kind="organiser", legal_name=unique("Euroffshore Events"), country="MA"
                ),
            )
            accounts.create_user(
                db_session=session,
                email=email,
                password=PASSWORD,
                organisation_id=org.id,
                role=MembershipRole.admin,
            )
    finally:
        engine.dispose()


def click(journey: Journey, locator, *, name: str | None = None) -> None:
    """Clicks a link or a submit button, waits for the page it leads to, checks that page."""
    with journey.page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.status == 200, (
        f"{journey.page.url}: {response.status if response else 'no response'}"
    )
    journey.check(name, weigh=response.request.method == "GET")
    assert journey.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{journey.page.url} scrolls sideways at {journey.viewport['width']} px"
    )


def mail_to(smtp: SmtpServer, address: str, subjects: set[str]) -> dict[str, EmailMessage]:
    """The messages the SMTP server received for ``address`` by subject, once ``subjects``
    are all among them (the served app's outbox thread sends every half second)."""
    deadline = time.monotonic() + 30
    while True:
        # Whitespace normalised: Python's header folding may leave two spaces before an
        # encoded word ("14 \r\n =?utf-8?q?=C3=A0?=" unfolds to "14  à").
        found = {
            " ".join(str(m["Subject"]).split()): m
            for m in list(smtp.messages)
            if m["To"] == address
        }
        if subjects <= set(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


# --- the journey ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "width"),
    [("en", support.LAPTOP["width"]), ("fr", support.LAPTOP["width"]), ("fr", 375)],
    ids=["en", "fr", "fr-375px"],
)
def test_event_from_creation_to_dashboard_with_emails(
    people, mail_server, smtp_server, lang, width
):
    """The issue's journey; the third pass runs it on a 375 px wide phone, where no page
    of the journey may scroll sideways."""
    tag = unique(lang).split()[-1]
    event_name = unique(f"Euroffshore Casablanca {lang.upper()}")
    day = date.today() + timedelta(days=60)
    # Who reads which language: the client and centre 3 use the journey's; centre 1 switches
    # to the other language on the site (its account keeps it); centre 2 reads English.
    langs = {"client": lang, "centre1": OTHER[lang], "centre2": "en", "centre3": lang}

    # 1. The organiser creates the event through the form.
    organiser_email = f"organiser.{tag}@e2e.example.com"
    organiser_account(mail_server, organiser_email)
    organiser = people.make("organiser", lang)
    organiser.login(organiser_email)
    page = organiser.page
    organiser.goto("/events/new")
    page.locator("[name=name]").fill(event_name)
    page.locator("[name=venue]").fill("Hyatt Regency")
    page.locator("[name=city]").fill("Casablanca")
    page.locator("[name=country]").fill("MA")
    page.locator("[name=timezone]").fill("Africa/Casablanca")
    page.locator("[name='days.0.day']").fill(day.isoformat())
    page.locator("[name='days.0.opens_at']").fill("09:00")
    page.locator("[name='days.0.closes_at']").fill("17:30")
    page.locator("[name='days.0.afternoon_from']").fill("14:00")
    page.locator("[name='breaks.0.starts_at']").fill("12:30")
    page.locator("[name='breaks.0.ends_at']").fill("14:00")
    page.locator("[name=slot_minutes]").fill("20")
    page.locator("[name=table_count]").fill("12")
    page.locator("[name=request_expiry_hours]").fill("1")
    page.locator("[name=registration_deadline]").fill(f"{day - timedelta(days=20)}T18:00")
    page.locator("[name=request_deadline]").fill(f"{day - timedelta(days=5)}T18:00")
    click(organiser, page.locator(".actions button[value=save]"), name="/events/{id} (created)")
    match = re.search(r"/events/(\d+)", page.url)
    assert match, page.url
    event_id = int(match.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text(event_name)

    # ... and opens registration (the status button, then the confirmation).
    def change_status(action: str) -> None:
        organiser.goto(f"/events/{event_id}")
        click(organiser, page.locator(f"a[href$='/status?action={action}']"))
        click(organiser, page.locator(f"form[action='/events/{event_id}/status'] button"))

    change_status("open_registration")

    # 2. A client signs up and registers for the event.
    client = people.make("client", langs["client"])
    client_name = unique("Énergie Loire")
    client_email = f"client.{tag}@e2e.example.com"
    client.signup(kind="client", legal_name=client_name, country="FR", email=client_email)
    client.goto(f"/events/{event_id}")
    click(client, client.page.locator(f"main a[href='/events/{event_id}/register']"))
    client.page.locator("[name='attendees.0.full_name']").fill("Claire Martin")
    client.page.locator("[name='attendees.0.job_title']").fill("Head of customer care")
    client.page.locator("[name='attendees.0.email']").fill(client_email)
    click(
        client, client.page.locator(".actions button[value=save]"), name="/events/{id} (registered)"
    )

    # 3. Three call centres sign up; the organiser registers them on their behalf.
    centres: dict[str, tuple[str, str, int]] = {}
    for n, (city, country) in enumerate((("Rabat", "MA"), ("Tunis", "TN"), ("Dakar", "SN")), 1):
        role = f"centre{n}"
        journey = people.make(role, lang if role != "centre2" else "en")
        name = unique(f"Centre {city}")
        email = f"{role}.{tag}@e2e.example.com"
        org_id = journey.signup(
            kind="provider", legal_name=name, country=country, city=city, email=email
        )
        if journey.lang != langs[role]:
            journey.switch_language(langs[role])  # the account keeps the language chosen
            journey.check()
        centres[role] = (name, email, org_id)
    for name, _email, org_id in centres.values():
        organiser.goto(f"/events/{event_id}/registrations")
        page.locator("#f-organisation_id").select_option(str(org_id))
        click(
            organiser,
            page.locator("section[aria-labelledby=h-add] form button[type=submit]"),
            name="/events/{id}/registrations (added)",
        )
        expect(page.locator("#reg-approved")).to_contain_text(name)

    # ... approves the client's registration, and opens meeting requests.
    row = page.locator("#reg-pending tr", has_text=client_name)
    click(
        organiser,
        row.locator("form[action$='/approve'] button"),
        name="/events/{id}/registrations (approved)",
    )
    expect(page.locator("#reg-approved")).to_contain_text(client_name)
    change_status("open_requests")

    # 4. The client opens the catalogue from the event page and asks the three centres.
    client.goto(f"/events/{event_id}")
    click(client, client.page.locator(f"main a[href$='/events/{event_id}/catalogue']").first)
    for n, (name, _email, _org) in enumerate(centres.values(), 1):
        client.goto(f"/events/{event_id}/catalogue")
        card = client.page.locator("li.match-card", has_text=name)
        click(client, card.locator("a[href$='/ask']"), name="/events/{id}/catalogue/{id}/ask")
        client.page.locator("[name=message]").fill(f"Bonjour, 30 agents FR/EN? ({n})")
        click(client, client.page.locator("form[action$='/ask'] button[type=submit]"))
    client.goto(f"/events/{event_id}/requests")
    expect(client.page.locator("#h-sent + table tbody tr")).to_have_count(3)

    # 5. Centre 1 accepts; centre 2 declines with a reason; centre 3 does nothing.
    centre1 = people["centre1"]
    centre1.goto(f"/events/{event_id}")
    click(centre1, centre1.page.locator(f"main a[href$='/events/{event_id}/requests']").first)
    click(
        centre1,
        centre1.page.locator("form[action$='/accept'] button"),
        name="/events/{id}/requests (accepted)",
    )
    centre2 = people["centre2"]
    centre2.goto(f"/events/{event_id}/requests")
    centre2.page.locator("form[action$='/decline'] input[name=reason]").fill(
        "No French-speaking team before June"
    )
    click(
        centre2,
        centre2.page.locator("form[action$='/decline'] button"),
        name="/events/{id}/requests (declined)",
    )

    # 6. Time passes for centre 3's request (see the module docstring).
    from sqlalchemy.orm import Session

    from app.core.db import make_engine, utcnow
    from app.events.models import MeetingRequest

    engine = make_engine(mail_server.database_url)
    try:
        with Session(engine) as session, session.begin():
            moved = session.execute(
                update(MeetingRequest)
                .where(
                    MeetingRequest.event_id == event_id,
                    MeetingRequest.status == "pending",
                )
                .values(expires_at=utcnow() - timedelta(minutes=1))
            )
            assert moved.rowcount == 1  # type: ignore[attr-defined]
        done = mail_server.cli("events", "expire-requests")
        assert done.returncode == 0, done.stdout + done.stderr
        with Session(engine) as session:
            statuses = sorted(
                session.scalars(
                    select(MeetingRequest.status).where(MeetingRequest.event_id == event_id)
                )
            )
        assert statuses == ["accepted", "declined", "expired"]
    finally:
        engine.dispose()

    # 7. The organiser's dashboard counts it all.
    organiser.goto(f"/events/{event_id}/dashboard")
    stats = page.locator("section[aria-labelledby=h-reqs]")
    for label in DASHBOARD[lang].values():
        expect(stats.locator("li", has_text=label)).to_have_text(
            re.compile(rf"^\s*1\s+{label}\s*$")
        )
    expect(stats.locator("p").first).to_contain_text("33 %")

    # 8. The e-mails reached the SMTP server, each in its recipient's language.
    event_mail = EMAIL[langs["client"]]
    expected = {
        "accepted": event_mail["accepted"].format(other=centres["centre1"][0], event=event_name),
        "declined": event_mail["declined"].format(other=centres["centre2"][0], event=event_name),
        "expired": event_mail["expired"].format(other=centres["centre3"][0], event=event_name),
        "approved": event_mail["approved"].format(event=event_name),
    }
    client_mail = mail_to(smtp_server, client_email, set(expected.values()))
    assert set(expected.values()) <= set(client_mail), sorted(client_mail)
    assert "No French-speaking team before June" in body(client_mail[expected["declined"]])
    for role, (_name, email, _org) in centres.items():
        received = EMAIL[langs[role]]["received"].format(sender=client_name, event=event_name)
        approved = EMAIL[langs[role]]["approved"].format(event=event_name)
        mail = mail_to(smtp_server, email, {received, approved})
        assert {received, approved} <= set(mail), (role, sorted(mail))
        assert "Bonjour, 30 agents FR/EN?" in body(mail[received])
