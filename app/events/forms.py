"""The event editor's and the registration form's fields: posted values -> API payloads, and
pydantic errors -> a message per form field (day and break rows have one field each).

Rows are named ``days.<n>.<field>`` and ``breaks.<n>.<field>``; a break names its day (or
none: every day). "Add" and "Remove" buttons post ``action=add:days`` or
``action=remove:days:<n>``; static/js/profile-editor.js does the same in place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError
from starlette.datastructures import FormData

from app.events.models import Event, EventDay, Participation, Slot
from app.i18n import gettext as _

EVENT_FIELDS = (
    "name",
    "description",
    "venue",
    "city",
    "country",
    "timezone",
    "slot_minutes",
    "table_count",
    "registration_deadline",
    "request_deadline",
    "request_expiry_hours",
    "request_quota",
    "max_meetings_per_participant",
    "pairing",
    "weight_set_id",
)
DEADLINES = ("registration_deadline", "request_deadline")
ROW_FIELDS = {
    "days": ("day", "opens_at", "closes_at", "afternoon_from"),
    "breaks": ("day", "label", "starts_at", "ends_at"),
}
MAX_ROWS = {"days": 14, "breaks": 40}


@dataclass
class EventForm:
    """What the organiser typed, kept as typed to show the form again."""

    values: dict[str, str] = field(default_factory=dict)
    booth_mode: bool = False
    rows: dict[str, list[dict[str, str]]] = field(
        default_factory=lambda: {"days": [], "breaks": []}
    )
    version: str = ""


def _hhmm(value: time | None) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if moment else ""


def blank_event_form() -> EventForm:
    """A new event's form: one day, 09:00–17:30 with lunch, 20-minute slots."""
    return EventForm(
        values={"slot_minutes": "20", "pairing": "client_provider", "timezone": "Europe/Paris"},
        rows={
            "days": [
                {"day": "", "opens_at": "09:00", "closes_at": "17:30", "afternoon_from": "14:00"}
            ],
            "breaks": [{"day": "", "label": _("Lunch"), "starts_at": "12:30", "ends_at": "14:00"}],
        },
    )


def event_form_from(event: Event) -> EventForm:
    """The form of an existing event (its days and breaks loaded)."""
    zone = ZoneInfo(event.timezone)
    values = {
        name: "" if getattr(event, name) is None else str(getattr(event, name))
        for name in EVENT_FIELDS
        if name not in DEADLINES
    }
    for name in DEADLINES:
        values[name] = _local(getattr(event, name), zone)
    days: list[EventDay] = list(event.days)
    shapes = {tuple((b.label, b.starts_at, b.ends_at) for b in d.breaks) for d in days}
    # The same breaks every day are shown once, for every day.
    shared = len(days) > 1 and len(shapes) == 1
    breaks = [
        {
            "day": "" if shared else d.day.isoformat(),
            "label": b.label,
            "starts_at": _hhmm(b.starts_at),
            "ends_at": _hhmm(b.ends_at),
        }
        for d in (days[:1] if shared else days)
        for b in d.breaks
    ]
    return EventForm(
        values=values,
        booth_mode=event.booth_mode,
        rows={
            "days": [
                {
                    "day": d.day.isoformat(),
                    "opens_at": _hhmm(d.opens_at),
                    "closes_at": _hhmm(d.closes_at),
                    "afternoon_from": _hhmm(d.afternoon_from),
                }
                for d in days
            ],
            "breaks": breaks,
        },
        version=str(event.version),
    )


def _rows(form: FormData, kind: str) -> list[dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    for key, raw in form.multi_items():
        parts = key.split(".")
        if len(parts) != 3 or parts[0] != kind or not parts[1].isdigit():
            continue
        if parts[2] in ROW_FIELDS[kind] and isinstance(raw, str):
            found.setdefault(int(parts[1]), {})[parts[2]] = raw.strip()
    return [found[i] for i in sorted(found)][: MAX_ROWS[kind]]


def event_form_from_post(form: FormData) -> tuple[EventForm, str]:
    """The posted event form, with the action asked (save, add:<kind>, remove:<kind>:<n>);
    adding or removing a row is applied here."""
    values = {name: str(form.get(name, "")).strip() for name in EVENT_FIELDS if name in form}
    result = EventForm(
        values=values,
        booth_mode=form.get("booth_mode") == "1",
        rows={kind: _rows(form, kind) for kind in ROW_FIELDS},
        version=str(form.get("version", "")).strip(),
    )
    action = str(form.get("action", "save"))
    for kind in ROW_FIELDS:
        if action == f"add:{kind}" and len(result.rows[kind]) < MAX_ROWS[kind]:
            result.rows[kind].append({name: "" for name in ROW_FIELDS[kind]})
        prefix = f"remove:{kind}:"
        if action.startswith(prefix) and action[len(prefix) :].isdigit():
            index = int(action[len(prefix) :])
            if 0 <= index < len(result.rows[kind]):
                result.rows[kind].pop(index)
    return result, action


def _filled(row: dict[str, str]) -> bool:
    return any(v for v in row.values())


_HHMM = re.compile(r"^\d{2}:\d{2}$")


def _fit(entry: dict[str, str], day: dict[str, Any]) -> dict[str, str] | None:
    """A break given for every day, cut to a day's opening hours (None: outside them)."""
    times = [
        entry.get("starts_at", ""),
        entry.get("ends_at", ""),
        day.get("opens_at", ""),
        day.get("closes_at", ""),
    ]
    if not all(_HHMM.match(t) for t in times):
        return entry  # let validation name what is wrong
    start, end = max(times[0], times[2]), min(times[1], times[3])
    if start >= end:
        return None
    return {**entry, "starts_at": start, "ends_at": end}


def event_payload(form: EventForm) -> tuple[dict[str, Any], list[tuple[int, int]], dict[str, str]]:
    """The API payload of the form, where each break went (day index, break index) -> its
    row, and the errors found before validation (deadlines in an unknown zone)."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {k: v for k, v in form.values.items() if v != "" and k not in DEADLINES}
    data["booth_mode"] = form.booth_mode
    zone: ZoneInfo | None
    try:
        zone = ZoneInfo(form.values.get("timezone", "") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    for name in DEADLINES:
        raw = form.values.get(name, "")
        if not raw:
            data[name] = None
            continue
        try:
            naive = datetime.fromisoformat(raw)
        except ValueError:
            errors[name] = _("Enter a date and time.")
            continue
        if zone is not None:
            data[name] = naive.replace(tzinfo=zone)
    days = [dict(row) for row in form.rows["days"] if _filled(row)]
    by_date: dict[str, int] = {}
    day_items: list[dict[str, Any]] = []
    for row in days:
        item: dict[str, Any] = {k: v for k, v in row.items() if v}
        item["breaks"] = []
        by_date.setdefault(row.get("day", ""), len(day_items))
        day_items.append(item)
    placement: list[tuple[int, int]] = []  # per break row: (day index, break index), or (-1, -1)
    for row in form.rows["breaks"]:
        if not _filled(row) or not (row.get("label") or row.get("starts_at")):
            placement.append((-1, -1))
            continue
        entry = {k: v for k, v in row.items() if v and k != "day"}
        target = row.get("day", "")
        indexes = [by_date[target]] if target else list(range(len(day_items)))
        if target and target not in by_date:
            errors[f"breaks.{len(placement)}.day"] = _("This is not one of the event's days.")
            indexes = []
        first = (-1, -1)
        for i in indexes:
            fitted = entry if target else _fit(entry, day_items[i])
            if fitted is None:
                continue
            day_items[i]["breaks"].append(fitted)
            if first == (-1, -1):
                first = (i, len(day_items[i]["breaks"]) - 1)
        placement.append(first)
    data["days"] = day_items
    if form.version:
        data["version"] = form.version
    return data, placement, errors


def event_errors(
    exc: ValidationError, form: EventForm, placement: list[tuple[int, int]]
) -> dict[str, str]:
    """Pydantic's errors as messages keyed by form field (``days.0.closes_at``...)."""
    filled_days = [i for i, row in enumerate(form.rows["days"]) if _filled(row)]
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = [p for p in err.get("loc", ()) if p != "body"]
        message = str(err["msg"]).removeprefix("Value error, ")
        key = str(loc[0]) if loc else "__all__"
        if loc and loc[0] == "days" and len(loc) >= 2 and isinstance(loc[1], int):
            row = filled_days[loc[1]] if loc[1] < len(filled_days) else 0
            if len(loc) >= 4 and loc[2] == "breaks" and isinstance(loc[3], int):
                wanted = (loc[1], loc[3])
                brk = placement.index(wanted) if wanted in placement else 0
                key = f"breaks.{brk}.{loc[4]}" if len(loc) >= 5 else f"breaks.{brk}.label"
            else:
                key = f"days.{row}.{loc[2]}" if len(loc) >= 3 else f"days.{row}.day"
        elif loc and loc[0] == "days":
            key = "days"
        errors.setdefault(key, message)
    return errors


# --- registration ---------------------------------------------------------------------------

MAX_ATTENDEES = 10
ATTENDEE_FIELDS = ("full_name", "job_title", "email", "phone")


@dataclass
class RegistrationForm:
    values: dict[str, str] = field(default_factory=dict)
    attendees: list[dict[str, str]] = field(default_factory=list)
    # "day:2027-03-16", "half:2027-03-16:morning", "slot:12"
    away: list[str] = field(default_factory=list)
    version: str = ""


def registration_form_from(
    row: Participation | None, slots: list[Slot], event: Event
) -> RegistrationForm:
    """The form of an existing registration (or a blank one)."""
    if row is None:
        return RegistrationForm(attendees=[{}])
    zone = ZoneInfo(event.timezone)
    by_start = {s.starts_at: s for s in slots}
    days = {d.day: d for d in event.days}
    away: list[str] = []
    for u in row.unavailabilities:
        local = u.starts_at.astimezone(zone)
        if u.kind == "slot" and u.starts_at in by_start:
            away.append(f"slot:{by_start[u.starts_at].id}")
        elif u.kind == "day":
            away.append(f"day:{local.date().isoformat()}")
        elif u.kind == "half_day":
            day = days.get(local.date())
            half = "morning" if day is not None and local.time() == day.opens_at else "afternoon"
            away.append(f"half:{local.date().isoformat()}:{half}")
    return RegistrationForm(
        values={
            "max_meetings": "" if row.max_meetings is None else str(row.max_meetings),
            "booth_table": "" if row.booth_table is None else str(row.booth_table),
        },
        attendees=[{k: getattr(a, k) or "" for k in ATTENDEE_FIELDS} for a in row.attendees]
        or [{}],
        away=away,
        version=str(row.version),
    )


def registration_form_from_post(form: FormData) -> tuple[RegistrationForm, str]:
    rows: dict[int, dict[str, str]] = {}
    for key, raw in form.multi_items():
        parts = key.split(".")
        if (
            len(parts) == 3
            and parts[0] == "attendees"
            and parts[1].isdigit()
            and isinstance(raw, str)
            and parts[2] in ATTENDEE_FIELDS
        ):
            rows.setdefault(int(parts[1]), {})[parts[2]] = raw.strip()
    attendees = [rows[i] for i in sorted(rows)][:MAX_ATTENDEES]
    result = RegistrationForm(
        values={
            k: str(form.get(k, "")).strip()
            for k in ("max_meetings", "booth_table", "organisation_id")
            if k in form
        },
        attendees=attendees,
        away=[str(v) for v in form.getlist("away")],
        version=str(form.get("version", "")).strip(),
    )
    action = str(form.get("action", "save"))
    if action == "add:attendees" and len(result.attendees) < MAX_ATTENDEES:
        result.attendees.append({})
    if action.startswith("remove:attendees:") and action.rsplit(":", 1)[1].isdigit():
        index = int(action.rsplit(":", 1)[1])
        if 0 <= index < len(result.attendees):
            result.attendees.pop(index)
    if not result.attendees:
        result.attendees.append({})
    return result, action


def registration_payload(form: RegistrationForm) -> dict[str, Any]:
    away: list[dict[str, Any]] = []
    for item in form.away:
        parts = item.split(":")
        if parts[0] == "day" and len(parts) == 2:
            away.append({"kind": "day", "day": parts[1]})
        elif parts[0] == "half" and len(parts) == 3:
            away.append({"kind": "half_day", "day": parts[1], "half": parts[2]})
        elif parts[0] == "slot" and len(parts) == 2:
            away.append({"kind": "slot", "slot_id": parts[1]})
    data: dict[str, Any] = {k: v for k, v in form.values.items() if v}
    data["attendees"] = [
        {k: v for k, v in a.items() if v} for a in form.attendees if any(a.values())
    ]
    data["away"] = away
    if form.version:
        data["version"] = form.version
    return data


def registration_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        key = ".".join(loc[:3]) if loc and loc[0] == "attendees" else (loc[0] if loc else "__all__")
        errors.setdefault(key, str(err["msg"]).removeprefix("Value error, "))
    return errors
