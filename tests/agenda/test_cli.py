"""`euroffshore event-instance` and `euroffshore build-agenda` on a small committed
database in a temporary folder, checked by the shared verify_schedule.py when present."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.agenda.models import Meeting
from app.core import migrations
from app.core.db import make_engine
from tests.agenda.builders import scene
from tests.scheduling.helpers import VERIFY_PATH

EUROFFSHORE = Path(sys.executable).with_name("euroffshore")


@pytest.fixture
def small_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'agenda.db'}"
    migrations.upgrade(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        built = scene(session)
        session.commit()
    engine.dispose()
    return url, built


def _run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EUROFFSHORE_DATABASE_URL": url}
    return subprocess.run(
        [str(EUROFFSHORE), *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_event_instance_writes_the_instance(small_database, tmp_path):
    url, s = small_database
    out = tmp_path / "instance.json"
    done = _run(url, "event-instance", str(s.event.id), "-o", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert data["format"] == "euroffshore-schedule/1"
    assert len(data["slots"]) == 8
    assert [m["id"][:2] for m in data["meetings"]] == ["l-", "r-", "r-", "w-"]


def test_event_instance_of_no_event_exits_1(small_database):
    url, _s = small_database
    done = _run(url, "event-instance", "999")
    assert (done.returncode, done.stderr.strip()) == (1, "no event 999")


def test_build_agenda_writes_the_draft_and_a_verifiable_result(small_database, tmp_path):
    url, s = small_database
    instance, result = tmp_path / "instance.json", tmp_path / "result.json"
    done = _run(
        url,
        "build-agenda",
        str(s.event.id),
        "--time-limit",
        "1",
        "--instance",
        str(instance),
        "--result",
        str(result),
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == "meetings placed: 4 (1 accepted, 1 mutual, 1 organiser, 1 wish)"
    assert lines[2] == "required meetings: 2, left out: 0"
    engine = make_engine(url)
    with Session(engine) as session:
        assert session.query(Meeting).count() == 4
    engine.dispose()
    if not VERIFY_PATH.exists():
        pytest.skip(f"the shared checker is not here ({VERIFY_PATH})")
    checked = subprocess.run(
        [sys.executable, str(VERIFY_PATH), str(instance), str(result)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(checked.stdout)["valid"] is True, checked.stdout


def test_build_agenda_refuses_a_time_limit_of_zero(small_database):
    url, s = small_database
    done = _run(url, "build-agenda", str(s.event.id), "--time-limit", "0")
    assert done.returncode == 2
