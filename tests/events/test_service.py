"""Events service: slot generation (breaks, sessions, a DST day, a length that does not
divide the hours), status transitions, registration rules and their reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.core.errors import Conflict, FieldError
from app.events import service
from app.events.models import EventStatus, MeetingRequest, Participation
from app.events.schemas import EventUpdate, RegistrationIn, RegistrationUpdate
from app.notifications.models import Notification
from tests import factories
from tests.accounts.factories import user
from tests.events.builders import FIRST_DAY, NOW, day_payload, event, participation


@dataclass
class Brk:
    starts_at: time
    ends_at: time


@dataclass
class Day:
    day: date
    opens_at: time
    closes_at: time
    afternoon_from: time | None = None
    breaks: list[Brk] = field(default_factory=list)


def _hm(moment: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def test_plan_slots_skip_breaks_and_split_sessions():
    day = Day(
        date(2027, 3, 16),
        time(9),
        time(12),
        afternoon_from=time(11),
        breaks=[Brk(time(10), time(10, 20))],
    )
    slots = service.plan_slots(days=[day], slot_minutes=20, timezone="Europe/Paris")
    starts = [(_hm(s.starts_at, "Europe/Paris"), s.session) for s in slots]
    assert starts == [
        ("09:00", "d1-am"),
        ("09:20", "d1-am"),
        ("09:40", "d1-am"),
        ("10:20", "d1-am"),
        ("10:40", "d1-am"),
        ("11:00", "d1-pm"),
        ("11:20", "d1-pm"),
        ("11:40", "d1-pm"),
    ]


def test_plan_slots_leave_a_remainder_shorter_than_a_slot_unused():
    # 09:00-10:00 with 25-minute slots: 09:00, 09:25; the last 10 minutes stay free.
    day = Day(date(2027, 3, 16), time(9), time(10))
    slots = service.plan_slots(days=[day], slot_minutes=25, timezone="Europe/Paris")
    assert [(_hm(s.starts_at, "Europe/Paris"), _hm(s.ends_at, "Europe/Paris")) for s in slots] == [
        ("09:00", "09:25"),
        ("09:25", "09:50"),
    ]


def test_plan_slots_a_break_not_on_the_grid_moves_the_next_slot_to_its_end():
    day = Day(date(2027, 3, 16), time(9), time(10, 30), breaks=[Brk(time(9, 30), time(9, 45))])
    slots = service.plan_slots(days=[day], slot_minutes=20, timezone="UTC")
    assert [_hm(s.starts_at, "UTC") for s in slots] == ["09:00", "09:45", "10:05"]


def test_plan_slots_follow_the_local_clock_on_either_side_of_a_dst_change():
    # Paris moves to summer time on 2027-03-28: 09:00 is 08:00 UTC the day before, 07:00 after.
    days = [Day(date(2027, 3, 27), time(9), time(10)), Day(date(2027, 3, 28), time(9), time(10))]
    slots = service.plan_slots(days=days, slot_minutes=30, timezone="Europe/Paris")
    assert [s.starts_at for s in slots] == [
        datetime(2027, 3, 27, 8, 0, tzinfo=UTC),
        datetime(2027, 3, 27, 8, 30, tzinfo=UTC),
        datetime(2027, 3, 28, 7, 0, tzinfo=UTC),
        datetime(2027, 3, 28, 7, 30, tzinfo=UTC),
    ]
    assert [s.session for s in slots] == ["d1", "d1", "d2", "d2"]


def test_plan_slots_across_the_dst_change_itself_last_real_minutes():
    # 01:00-04:00 on the night of the change is two real hours: two 60-minute slots.
    day = Day(date(2027, 3, 28), time(1), time(4))
    slots = service.plan_slots(days=[day], slot_minutes=60, timezone="Europe/Paris")
    assert [(s.starts_at, s.ends_at - s.starts_at) for s in slots] == [
        (datetime(2027, 3, 28, 0, 0, tzinfo=UTC), timedelta(hours=1)),
        (datetime(2027, 3, 28, 1, 0, tzinfo=UTC), timedelta(hours=1)),
    ]


def test_create_event_generates_slots_in_its_zone(db_session):
    organiser = factories.organisation(db_session, kind="organiser", country="MA")
    row = event(db_session, organiser.id)
    slots = service.slots_of(db_session=db_session, event_id=row.id)
    # Morning 09:00-14:00 less coffee 10:40-11:00 and lunch 12:30-14:00: 9 slots (10:20-10:40
    # is the last before coffee, 12:20 would cross lunch); afternoon 14:00-17:30: 10 slots.
    morning = [s for s in slots if s.session == "d1-am"]
    afternoon = [s for s in slots if s.session == "d1-pm"]
    assert (len(morning), len(afternoon), len(slots)) == (9, 10, 38)
    assert [s.position for s in slots] == list(range(38))


def test_update_event_days_regenerates_slots(db_session):
    organiser = factories.organisation(db_session, kind="organiser", country="MA")
    row = event(db_session, organiser.id)
    service.update_event(
        db_session=db_session,
        event=row,
        data=EventUpdate.model_validate(
            {"slot_minutes": 30, "days": [day_payload(breaks=[])], "version": row.version}
        ),
        now=NOW,
    )
    slots = service.slots_of(db_session=db_session, event_id=row.id)
    assert (len(slots), row.version) == (17, 2)


def test_update_event_refuses_a_stale_version(db_session):
    organiser = factories.organisation(db_session, kind="organiser", country="MA")
    row = event(db_session, organiser.id)
    with pytest.raises(Conflict) as caught:
        service.update_event(
            db_session=db_session, event=row, data=EventUpdate(name="Y", version=99), now=NOW
        )
    assert caught.value.detail[0]["loc"] == ["body", "version"]


def test_update_event_refuses_slot_changes_once_meetings_exist(db_session, monkeypatch):
    organiser = factories.organisation(db_session, kind="organiser", country="MA")
    row = event(db_session, organiser.id)
    monkeypatch.setattr(service, "meetings_exist", lambda event: True)
    with pytest.raises(Conflict) as caught:
        service.update_event(db_session=db_session, event=row, data=EventUpdate(slot_minutes=30))
    assert caught.value.detail[0]["loc"] == ["body", "days"]
    # Other settings still change.
    service.update_event(db_session=db_session, event=row, data=EventUpdate(name="Renamed"))
    assert row.name == "Renamed"


def test_meetings_exist_is_false_without_meetings(db_session):
    organiser = factories.organisation(db_session, kind="organiser", country="MA")
    row = event(db_session, organiser.id)
    assert service.meetings_exist(row) is False


@pytest.mark.parametrize(
    ("status", "action", "target"),
    [
        ("draft", "open_registration", "registration_open"),
        ("registration_open", "open_requests", "requests_open"),
        ("published", "close", "closed"),
    ],
)
def test_change_status_legal_moves(db_session, status, action, target):
    organiser = factories.organisation(db_session, kind="organiser", country="MA")
    row = event(db_session, organiser.id, status=status)
    service.change_status(db_session=db_session, event=row, action=action, now=NOW)
    assert row.status == target


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "open_requests"),
        ("draft", "publish"),
        ("registration_open", "close"),
        ("closed", "open_registration"),
        ("requests_open", "open_registration"),
    ],
)
def test_change_status_illegal_moves_are_refused(db_session, status, action):
    organiser = factories.organisation(db_session, kind="organiser", country="MA")
    row = event(db_session, organiser.id, status=status)
    with pytest.raises(Conflict) as caught:
        service.change_status(db_session=db_session, event=row, action=action, now=NOW)
    assert (caught.value.detail[0]["loc"], row.status) == (["body", "action"], status)


def test_change_status_refuses_an_unknown_action(db_session):
    organiser = factories.organisation(db_session, kind="organiser", country="MA")
    row = event(db_session, organiser.id)
    with pytest.raises(FieldError) as caught:
        service.change_status(db_session=db_session, event=row, action="teleport", now=NOW)
    assert list(caught.value.errors) == ["action"]


def test_change_status_preconditions_give_the_reason(db_session):
    organiser = factories.organisation(db_session, kind="organiser", country="MA")
    row = event(db_session, organiser.id, status="requests_open")
    with pytest.raises(Conflict) as caught:
        service.change_status(db_session=db_session, event=row, action="start_scheduling", now=NOW)
    assert caught.value.detail[0]["msg"] == (
        "At least two approved participants are needed to build an agenda."
    )
    late = NOW + timedelta(days=365)
    draft = event(db_session, organiser.id)
    with pytest.raises(Conflict) as caught:
        service.change_status(
            db_session=db_session, event=draft, action="open_registration", now=late
        )
    assert "deadline has passed" in caught.value.detail[0]["msg"]
    scheduling = event(db_session, organiser.id, status="scheduling")
    with pytest.raises(Conflict) as caught:
        service.change_status(db_session=db_session, event=scheduling, action="publish", now=NOW)
    assert caught.value.detail[0]["msg"] == "Build the agenda first: it holds no meetings yet."


def test_every_transition_is_named_and_reaches_a_status():
    assert {
        t.action: (t.sources[0].value, t.target.value) for t in service.STATUS_TRANSITIONS.values()
    } == {
        "open_registration": ("draft", "registration_open"),
        "open_requests": ("registration_open", "requests_open"),
        "start_scheduling": ("requests_open", "scheduling"),
        "reopen_requests": ("scheduling", "requests_open"),
        "publish": ("scheduling", "published"),
        "close": ("published", "closed"),
    }


# --- registrations ---------------------------------------------------------------------------


@pytest.fixture
def world(db_session):
    organiser = factories.organisation(db_session, kind="organiser", country="MA")
    boss = user(db_session, organisation=organiser)
    client = factories.organisation(db_session, kind="client")
    member = user(db_session, organisation=client)
    provider = factories.organisation(db_session, kind="provider", country="MA")
    row = event(db_session, organiser.id, status=EventStatus.registration_open.value)
    return {
        "organiser": organiser,
        "boss": boss,
        "client": client,
        "member": member,
        "provider": provider,
        "event": row,
    }


def _register(db_session, world, org=None, *, on_behalf=False, now=NOW, **data):
    return service.register(
        db_session=db_session,
        event=world["event"],
        organisation=org or world["client"],
        actor=world["boss"] if on_behalf else world["member"],
        data=RegistrationIn.model_validate(data),
        on_behalf=on_behalf,
        now=now,
    )


def test_register_is_pending_and_notifies_the_organiser(db_session, world):
    row = _register(db_session, world, attendees=[{"full_name": "Claire Martin"}])
    notes = db_session.scalars(
        select(Notification).where(Notification.user_id == world["boss"].id)
    ).all()
    assert (row.status, [n.kind for n in notes], notes[0].params) == (
        "pending",
        ["registration_received"],
        {"event_name": world["event"].name, "organisation_name": world["client"].legal_name},
    )


def test_register_twice_is_refused_naming_the_field(db_session, world):
    _register(db_session, world)
    with pytest.raises(Conflict) as caught:
        _register(db_session, world)
    assert caught.value.detail[0]["loc"] == ["body", "organisation_id"]


def test_register_after_the_deadline_is_refused_but_organisers_may(db_session, world):
    late = world["event"].registration_deadline + timedelta(minutes=1)
    with pytest.raises(Conflict) as caught:
        _register(db_session, world, now=late)
    assert caught.value.detail[0]["loc"] == ["body", "registration_deadline"]
    assert "the organiser can still register you" in caught.value.detail[0]["msg"]
    row = _register(db_session, world, on_behalf=True, now=late)
    assert row.status == "approved"


def test_register_when_not_open_is_refused(db_session, world):
    world["event"].status = "draft"
    with pytest.raises(Conflict) as caught:
        _register(db_session, world)
    assert caught.value.detail[0]["loc"] == ["body", "status"]


def test_register_an_organiser_organisation_is_refused(db_session, world):
    with pytest.raises(FieldError) as caught:
        _register(db_session, world, world["organiser"], on_behalf=True)
    assert list(caught.value.errors) == ["organisation_id"]


def test_register_booth_table_rules(db_session, world):
    with pytest.raises(FieldError) as caught:
        _register(db_session, world, world["provider"], booth_table=3)
    assert caught.value.errors["booth_table"] == (
        "This event has no booths: tables are given by the agenda."
    )
    world["event"].booth_mode = True
    with pytest.raises(FieldError) as caught:
        _register(db_session, world, booth_table=3)
    assert caught.value.errors["booth_table"] == "Only call centres keep a table of their own."
    _register(db_session, world, world["provider"], booth_table=3)
    other = factories.organisation(db_session, kind="provider", country="MA")
    with pytest.raises(Conflict) as caught:
        _register(db_session, world, other, booth_table=3)
    assert caught.value.detail[0]["loc"] == ["body", "booth_table"]


def test_register_availability_must_lie_within_the_event_days(db_session, world):
    with pytest.raises(FieldError) as caught:
        _register(db_session, world, away=[{"kind": "day", "day": "2020-01-01"}])
    assert caught.value.errors == {"away": "2020-01-01 is not a day of the event."}


def test_register_half_day_away_covers_the_session(db_session, world):
    row = _register(
        db_session,
        world,
        away=[{"kind": "half_day", "day": FIRST_DAY.isoformat(), "half": "afternoon"}],
    )
    away = row.unavailabilities[0]
    assert (_hm(away.starts_at, "Africa/Casablanca"), _hm(away.ends_at, "Africa/Casablanca")) == (
        "14:00",
        "17:30",
    )


def test_register_max_meetings_within_the_event_cap(db_session, world):
    with pytest.raises(FieldError) as caught:
        _register(db_session, world, max_meetings=40)
    assert list(caught.value.errors) == ["max_meetings"]


def test_approve_and_refuse_notify_the_organisation(db_session, world):
    row = _register(db_session, world)
    service.refuse(
        db_session=db_session,
        event=world["event"],
        registration=row,
        actor=world["boss"],
        reason="Full",
        now=NOW,
    )
    service.approve(
        db_session=db_session, event=world["event"], registration=row, actor=world["boss"], now=NOW
    )
    notes = db_session.scalars(
        select(Notification)
        .where(Notification.user_id == world["member"].id)
        .order_by(Notification.id)
    ).all()
    assert [(n.kind, n.params) for n in notes] == [
        ("registration_refused", {"event_name": world["event"].name, "reason": "Full"}),
        ("registration_approved", {"event_name": world["event"].name}),
    ]


def test_refuse_needs_a_reason(db_session, world):
    row = _register(db_session, world)
    with pytest.raises(FieldError):
        service.refuse(
            db_session=db_session,
            event=world["event"],
            registration=row,
            actor=world["boss"],
            reason="  ",
        )


def test_withdraw_then_register_again_reuses_the_row(db_session, world):
    row = _register(db_session, world)
    service.withdraw(db_session=db_session, event=world["event"], registration=row)
    again = _register(db_session, world)
    count = db_session.scalar(select(func.count()).select_from(Participation))
    assert (again.id, again.status, count) == (row.id, "pending", 1)


def test_update_registration_replaces_attendees(db_session, world):
    row = _register(db_session, world, attendees=[{"full_name": "A"}])
    service.update_registration(
        db_session=db_session,
        event=world["event"],
        registration=row,
        data=RegistrationUpdate.model_validate(
            {"attendees": [{"full_name": "B"}, {"full_name": "C"}]}
        ),
    )
    assert [a.full_name for a in row.attendees] == ["B", "C"]


def test_event_figures_and_reminders(db_session, world):
    ev = world["event"]
    parts = [
        participation(
            db_session, ev, factories.organisation(db_session, kind=k).id, status="approved"
        )
        for k in ("client", "provider", "provider", "client")
    ]
    a, b, c, d = parts
    for sender, recipient, status in ((a, b, "accepted"), (a, c, "declined"), (b, d, "pending")):
        db_session.add(
            MeetingRequest(
                event_id=ev.id,
                sender_id=sender.id,
                recipient_id=recipient.id,
                pair_low=min(sender.id, recipient.id),
                pair_high=max(sender.id, recipient.id),
                status=status,
            )
        )
    db_session.commit()
    figures = service.event_figures(db_session=db_session, event_id=ev.id)
    assert (figures.requests, figures.acceptance_rate) == (
        {"accepted": 1, "declined": 1, "pending": 1},
        0.5,
    )
    assert {p.id for p in figures.without_accepted} == {c.id, d.id}
    assert figures.without_request == []
    count = service.remind(
        db_session=db_session, event=ev, group="without_accepted", message="Send requests", now=NOW
    )
    assert count == 2
