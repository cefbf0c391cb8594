"""The demo data: deterministic, the requested size, loadable twice with --if-empty, and the
bulk path saves exactly what the services save."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.security import verify_password
from app.cli import main
from app.core import migrations
from app.core.db import Base, make_engine
from app.demo import event as demo_event
from app.demo import generate, loader
from app.events.models import Event, MeetingRequest, Participation, Preference
from app.needs import service as needs
from app.needs.models import Need, NeedInterest, NeedShortlist
from app.organisations.models import Organisation
from app.providers import service as providers
from app.providers.models import ProviderProfile

TODAY = date.today()  # start dates must not be in the past


class _Today(date):
    """``date`` whose ``today()`` is the module's TODAY: a run across midnight still builds
    both demos from the same day."""

    @classmethod
    def today(cls) -> date:
        return TODAY


SKIP = {
    "id",
    "created_at",
    "updated_at",
    "published_at",
    "decided_at",
    "password_hash",
    "last_login_at",
}
# Foreign keys are compared through the position of the row they point to, so that two
# databases whose sequences differ still compare equal.
REFERENCES = {
    "organisation_id": "organisations",
    "provider_id": "organisations",
    "profile_id": "provider_profiles",
    "need_id": "needs",
}
TABLES = (
    "organisations",
    "provider_profiles",
    "provider_sites",
    "provider_languages",
    "provider_services",
    "provider_channels",
    "provider_certifications",
    "provider_sectors",
    "needs",
    "need_services",
    "need_markets",
    "need_languages",
    "need_certifications",
    "need_countries",
    "need_priorities",
    "need_interest",
    "need_shortlist",
    "users",
    "events",
    "event_days",
    "event_breaks",
    "event_slots",
    "participations",
    "attendees",
    "participation_unavailabilities",
    "meeting_requests",
    "meeting_preferences",
)


def dump(connection) -> dict[str, list[tuple]]:
    positions: dict[str, dict[int, int]] = {}
    out: dict[str, list[tuple]] = {}
    for name in TABLES:
        table = Base.metadata.tables[name]
        key = list(table.primary_key.columns)
        rows = connection.execute(select(table).order_by(*key)).mappings().all()
        if "id" in table.c:
            positions[name] = {row["id"]: i for i, row in enumerate(rows)}
        out[name] = [
            tuple(
                (
                    col,
                    positions[REFERENCES[col]].get(value)
                    if col in REFERENCES and value is not None
                    else _plain(value),
                )
                for col, value in row.items()
                if col not in SKIP
            )
            for row in rows
        ]
        if name in (
            "provider_services",
            "provider_channels",
            "provider_certifications",
            "provider_sectors",
            "need_services",
            "need_markets",
            "need_certifications",
            "need_countries",
            "need_priorities",
        ):
            out[name].sort()
    return out


def _plain(value):
    return float(value) if isinstance(value, Decimal) else value


def _scratch_sqlite(tmp_path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    migrations.upgrade(url)
    return url


def _run_cli(monkeypatch, url: str, *args: str) -> int:
    from app.core import db
    from app.core.config import get_settings

    monkeypatch.setenv("EUROFFSHORE_DATABASE_URL", url)
    get_settings.cache_clear()
    monkeypatch.setattr(db, "_engine", None)
    monkeypatch.setattr(db, "_session_factory", None)
    try:
        return main(["demo", *args])
    finally:
        if db._engine is not None:
            db._engine.dispose()
        get_settings.cache_clear()


def test_build_is_deterministic():
    first = generate.build(today=TODAY)
    second = generate.build(today=TODAY)
    assert first == second
    assert (len(first.providers), len(first.clients)) == (60, 40)
    assert generate.build(today=TODAY, seed=7) != first


def test_default_demo_is_realistic():
    data = generate.build(today=TODAY)
    cities = {(p.organisation["country"], p.organisation["city"]) for p in data.providers}
    assert {
        ("MA", "Casablanca"),
        ("MA", "Meknès"),
        ("TN", "Sousse"),
        ("SN", "Dakar"),
        ("CI", "Abidjan"),
        ("TG", "Lomé"),
        ("BJ", "Cotonou"),
        ("CM", "Yaoundé"),
        ("MG", "Antananarivo"),
        ("MU", "Port-Louis"),
        ("MA", "Mohammedia"),
    } <= cities
    assert {c["country"] for c in data.clients} == {"FR", "BE", "CH", "ES", "LU", "DE"}
    per_client = [sum(1 for n in data.needs if n.client == i) for i in range(40)]
    assert min(per_client) >= 1 and max(per_client) <= 3
    languages = {lang["language"] for p in data.providers for lang in p.profile["languages"]}
    assert {"fr", "en", "es", "de", "it", "ar", "wo"} <= languages
    for p in data.providers:
        low, high = {
            "MA": (13, 21),
            "TN": (12, 19),
            "SN": (11, 17),
            "CI": (11, 17),
            "TG": (9, 14),
            "BJ": (9, 14),
            "CM": (10, 15),
            "MG": (8, 13),
            "MU": (15, 23),
        }[p.organisation["country"]]
        assert low <= float(p.profile["price_min"]) <= float(p.profile["price_max"]) <= high + 1
    assert len({p.organisation["legal_name"] for p in data.providers}) == 60


def test_two_runs_on_empty_databases_are_identical(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(generate, "date", _Today)
    dumps = []
    for name in ("one.db", "two.db"):
        url = _scratch_sqlite(tmp_path, name)
        assert _run_cli(monkeypatch, url) == 0
        engine = make_engine(url)
        with engine.connect() as conn:
            dumps.append(dump(conn))
        engine.dispose()
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["organisations"]) == 60 + 40 + 1  # and the organiser
    assert len(dumps[0]["users"]) == 8
    printed = capsys.readouterr().out
    assert "client1@demo.euroffshore.test" in printed
    assert loader.DEMO_PASSWORD in printed


def test_if_empty_twice_is_harmless(tmp_path, monkeypatch, capsys):
    url = _scratch_sqlite(tmp_path, "twice.db")
    assert _run_cli(monkeypatch, url, "--if-empty", "--providers", "5", "--needs", "4") == 0
    engine = make_engine(url)
    with engine.connect() as conn:
        before = dump(conn)
    assert _run_cli(monkeypatch, url, "--if-empty", "--providers", "5", "--needs", "4") == 0
    with engine.connect() as conn:
        assert dump(conn) == before
    engine.dispose()
    out = capsys.readouterr().out
    assert "already has organisations" in out
    assert out.count("admin@demo.euroffshore.test") == 2  # printed both times
    assert _run_cli(monkeypatch, url, "--providers", "5") == 1  # refused without --if-empty


def test_scaled_run_has_the_requested_counts(db_session):
    data = generate.build(providers=700, needs=650, today=TODAY)
    report = loader.load(db_session=db_session, data=data, accounts_too=False)
    assert report.bulk is True
    count = lambda model: db_session.scalar(select(func.count()).select_from(model))  # noqa: E731
    assert count(ProviderProfile) == 700
    assert count(Need) == 650
    assert db_session.scalar(select(func.count()).where(Organisation.kind == "client")) == 325
    assert count(NeedInterest) == len(data.interests)
    assert count(NeedShortlist) == len(data.shortlists)
    # What the engines load from bulk rows is coherent.
    open_needs = needs.load_open_for_matching(db_session=db_session)
    assert len(open_needs) == sum(
        1 for n in data.needs if n.data["status"] == "open" and not n.close
    )
    assert len(providers.load_all_for_matching(db_session=db_session)) == sum(
        1 for p in data.providers if p.profile["status"] == "published"
    )


def test_bulk_saves_what_the_services_save(db_session):
    data = generate.build(providers=12, needs=15, today=TODAY)
    connection = db_session.connection()
    results = []
    for bulk in (False, True):
        savepoint = connection.begin_nested()
        loader.load(db_session=db_session, data=data, bulk=bulk)
        db_session.flush()
        results.append(dump(connection))
        db_session.expunge_all()
        savepoint.rollback()
    assert results[0] == results[1]


def test_demo_logins_work(client, db_session):
    data = generate.build(providers=3, needs=3, today=TODAY)
    report = loader.load(db_session=db_session, data=data)
    db_session.commit()
    assert [login.role for login in report.logins] == [
        "client",
        "client",
        "client",
        "call centre",
        "call centre",
        "call centre",
        "organiser",
        "platform admin",
    ]
    admin = db_session.scalar(select(User).where(User.email == "admin@demo.euroffshore.test"))
    assert admin.is_platform_admin
    assert verify_password(admin.password_hash, loader.DEMO_PASSWORD)


@pytest.mark.parametrize("bad", [["--providers", "-1"], ["--needs", "-3"]])
def test_negative_counts_are_refused(tmp_path, monkeypatch, bad):
    url = _scratch_sqlite(tmp_path, "neg.db")
    assert _run_cli(monkeypatch, url, *bad) == 2


# --- the demo event -------------------------------------------------------------------------


def test_demo_event_is_open_for_requests_with_a_realistic_mix(db_session):
    data = generate.build(today=TODAY)
    loader.load(db_session=db_session, data=data)
    report = demo_event.load_event(db_session=db_session, seed=generate.DEFAULT_SEED, today=TODAY)
    event = db_session.get(Event, report.event_id)
    statuses = dict(
        db_session.execute(
            select(Participation.status, func.count())
            .where(Participation.event_id == event.id)
            .group_by(Participation.status)
        ).all()
    )
    requests = dict(
        db_session.execute(
            select(MeetingRequest.status, func.count()).group_by(MeetingRequest.status)
        ).all()
    )
    assert (event.name, event.status, event.timezone) == (
        "Euroffshore Casablanca",
        "requests_open",
        "Africa/Casablanca",
    )
    assert (statuses["pending"], statuses["refused"]) == (3, 1)
    assert statuses["approved"] >= 0.8 * 100
    assert sorted(requests) == ["accepted", "cancelled", "declined", "expired", "pending"]
    assert min(requests.values()) > 0
    # Mutual interest: preferences both ways on some pairs.
    prefs = set(db_session.execute(select(Preference.owner_id, Preference.target_id)).all())
    assert sum(1 for a, b in prefs if (b, a) in prefs) > 0
    # The demo logins' companies take part, approved.
    client1 = db_session.scalar(select(User).where(User.email == "client1@demo.euroffshore.test"))
    mine = db_session.scalar(
        select(Participation.status).where(Participation.organisation_id == client1.organisation_id)
    )
    assert mine == "approved"


def test_demo_event_participants_scale_the_event(db_session):
    data = generate.build(providers=5, needs=4, today=TODAY)
    loader.load(db_session=db_session, data=data, accounts_too=False)
    report = demo_event.load_event(db_session=db_session, seed=1, today=TODAY, participants=120)
    count = db_session.scalar(
        select(func.count())
        .select_from(Participation)
        .where(Participation.event_id == report.event_id)
    )
    requests = db_session.scalar(select(func.count()).select_from(MeetingRequest))
    assert (count, report.created_organisations) == (120, 120 - 5 - 40)
    assert requests >= 120 * 5
