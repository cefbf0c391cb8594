"""wanted_meetings: each origin, the exclusions, and the order of the weights."""

from __future__ import annotations

import pytest

from app.core.errors import NotFound
from app.matchmaking.wanted import STRONG_SCORE, WantedMeeting, wanted_meetings
from tests.matchmaking import builders


def _pair(a, b) -> tuple[int, int]:
    return tuple(sorted((a.id, b.id)))  # type: ignore[return-value]


def _by_pair(meetings: list[WantedMeeting]) -> dict[tuple[int, int], WantedMeeting]:
    return {(m.a_participation_id, m.b_participation_id): m for m in meetings}


@pytest.fixture
def world(db_session):
    event = builders.event(db_session, request_deadline=None)
    _u, c1 = builders.client(db_session, event, name="Client Un")
    _u, c2 = builders.client(db_session, event, name="Client Deux")
    _u, lonely = builders.client(db_session, event, name="Sans besoin", with_need=False)
    _u, a = builders.provider(db_session, event, name="A")
    _u, b = builders.provider(db_session, event, name="B")
    _u, d = builders.provider(db_session, event, name="D")
    # A weak fit: French at B1 is excluded by the need (C1 asked), so no score at all.
    _u, weak = builders.provider(db_session, event, name="Faible", level="b1")
    _u, waiting = builders.provider(db_session, event, name="En attente", status="pending")
    return event, c1, c2, lonely, a, b, d, weak, waiting


def test_wanted_meetings_of_each_origin(db_session, world):
    event, c1, c2, lonely, a, b, d, weak, _waiting = world
    builders.request(db_session, event, c1, a, status="accepted")
    builders.request(db_session, event, c1, b)
    builders.preference(db_session, event, b, c1, "would_like")
    builders.preference(db_session, event, lonely, weak, "would_like")
    found = _by_pair(wanted_meetings(db_session=db_session, event_id=event.id))
    assert (found[_pair(c1, a)].origin, found[_pair(c1, a)].required) == ("accepted", True)
    assert (found[_pair(c1, b)].origin, found[_pair(c1, b)].required) == ("mutual", True)
    assert (found[_pair(lonely, weak)].origin, found[_pair(lonely, weak)].required) == (
        "wish",
        False,
    )
    assert (found[_pair(c1, d)].origin, found[_pair(c1, d)].required) == (
        "recommendation",
        False,
    )


def test_wanted_meetings_preferences_both_ways_are_mutual(db_session, world):
    event, _c1, _c2, lonely, _a, _b, _d, weak, _w = world
    builders.preference(db_session, event, lonely, weak, "must_meet")
    builders.preference(db_session, event, weak, lonely, "would_like")
    found = _by_pair(wanted_meetings(db_session=db_session, event_id=event.id))
    assert found[_pair(lonely, weak)].origin == "mutual"
    assert found[_pair(lonely, weak)].required is True


def test_wanted_meetings_exclude_no_thanks_and_declined(db_session, world):
    event, c1, c2, _lonely, a, b, d, _weak, _w = world
    builders.request(db_session, event, c1, a, status="accepted")
    builders.preference(db_session, event, a, c1, "no_thanks")  # no thanks wins
    builders.request(db_session, event, c2, b, status="declined")
    builders.preference(db_session, event, c2, b, "must_meet")
    builders.preference(db_session, event, d, c1, "no_thanks")
    found = _by_pair(wanted_meetings(db_session=db_session, event_id=event.id))
    assert _pair(c1, a) not in found
    assert _pair(c2, b) not in found
    assert _pair(c1, d) not in found
    assert found[_pair(c2, a)].origin == "recommendation"


def test_wanted_meetings_leave_out_forbidden_pairs_and_participants_not_approved(db_session, world):
    event, c1, c2, _lonely, _a, _b, _d, weak, waiting = world
    builders.preference(db_session, event, c1, c2, "must_meet")
    builders.preference(db_session, event, c2, c1, "must_meet")
    builders.preference(db_session, event, c1, waiting, "must_meet")
    found = _by_pair(wanted_meetings(db_session=db_session, event_id=event.id))
    assert _pair(c1, c2) not in found
    assert _pair(c1, waiting) not in found
    assert _pair(c1, weak) not in found  # excluded by the engine and nobody asked


def test_wanted_meetings_allow_same_side_pairs_when_any_pair_may_meet(db_session):
    event = builders.event(db_session, request_deadline=None, pairing="any")
    _u, c1 = builders.client(db_session, event, name="Un", with_need=False)
    _u, c2 = builders.client(db_session, event, name="Deux", with_need=False)
    builders.preference(db_session, event, c1, c2, "would_like")
    assert wanted_meetings(db_session=db_session, event_id=event.id) == [
        WantedMeeting(*_pair(c1, c2), required=False, weight=2.0, origin="wish")
    ]


def test_wanted_meetings_weights_order_required_must_would_recommendation(db_session, world):
    event, c1, c2, lonely, a, b, d, weak, _w = world
    builders.request(db_session, event, c1, a, status="accepted")
    builders.preference(db_session, event, c2, b, "must_meet")
    builders.preference(db_session, event, c2, d, "would_like")
    builders.preference(db_session, event, lonely, weak, "would_like")
    meetings = wanted_meetings(db_session=db_session, event_id=event.id)
    found = _by_pair(meetings)
    must, would = found[_pair(c2, b)], found[_pair(c2, d)]
    recommendation = found[_pair(c1, d)]
    assert (must.origin, would.origin) == ("wish", "wish")
    assert found[_pair(c1, a)].weight > must.weight > would.weight > recommendation.weight
    # A wish with a good score outweighs the same wish with none.
    assert would.weight > found[_pair(lonely, weak)].weight
    assert [m.required for m in meetings] == sorted((m.required for m in meetings), reverse=True)
    optional = [m.weight for m in meetings if not m.required]
    assert optional == sorted(optional, reverse=True)
    assert all(m.weight >= STRONG_SCORE / 100 for m in meetings if m.origin == "recommendation")


def test_wanted_meetings_of_an_unknown_event_is_not_found(db_session):
    with pytest.raises(NotFound):
        wanted_meetings(db_session=db_session, event_id=987654)
