"""No N+1 on list pages: the directory runs the same number of queries for 3 providers on
a page as for 30, in the API and in the HTML page."""

from __future__ import annotations

import pytest

from tests.providers.factories import full_profile_data, profile

FILTERS = "language=fr&level=b1&service=inbound_care&seats=1&seats_date=2027-06-01&sort=seats"


def _fill(db_session, n):
    for i in range(n):
        profile(db_session, name=f"Centre {i:03d}", **full_profile_data())


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/providers?limit=100",
        "/providers?per_page=100",
        f"/api/v1/providers?limit=100&{FILTERS}",
        f"/providers?per_page=100&{FILTERS}",
    ],
)
def test_directory_queries_do_not_grow_with_the_page(client, db_session, count_queries, url):
    _fill(db_session, 3)
    with count_queries() as few:
        small = client.get(url)
    assert small.status_code == 200
    _fill(db_session, 27)
    with count_queries() as many:
        large = client.get(url)
    assert large.status_code == 200
    if url.startswith("/api"):
        assert len(small.json()["items"]) == 3 and len(large.json()["items"]) == 30
    else:
        assert small.text.count('class="provider-card"') == 3
        assert large.text.count('class="provider-card"') == 30
    assert many.count == few.count
    # the user, the page (its organisation joined, the count along), then sites, languages,
    # services and certifications, and the header's unread-notifications count (pages):
    # seven, whatever the page size
    assert many.count <= 7, many.statements
