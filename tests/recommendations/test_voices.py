"""Reasons in the reader's own voice on the pages: the client reads "you need", the call
centre reads "the client needs ..., which you cover", an administrator reads both in the
third person."""

from __future__ import annotations

from bs4 import BeautifulSoup

from app.organisations.models import Organisation
from tests.accounts.factories import log_in, user
from tests.recommendations.builders import centre, need


def _reasons(response) -> str:
    soup = BeautifulSoup(response.text, "html.parser")
    return " ".join(td.get_text(" ", strip=True) for td in soup.select("table.reco-parts td"))


def test_each_reader_reads_the_reasons_in_its_own_voice(client, db_session) -> None:
    mine = centre(db_session, "Atlas Voice")
    member = user(db_session, organisation=db_session.get(Organisation, mine.organisation_id))
    owner = user(db_session, kind="client")
    asked = need(db_session, owner.organisation_id, status="open")
    admin = user(db_session, is_platform_admin=True)

    log_in(client, owner)
    assert "Covers every service you need" in _reasons(client.get(f"/needs/{asked.id}/matches"))

    log_in(client, member)
    text = _reasons(client.get(f"/providers/{mine.id}/matches"))
    assert "The client needs Inbound customer care, which you cover." in text
    assert "you need" not in text

    log_in(client, admin)
    text = _reasons(client.get(f"/needs/{asked.id}/matches"))
    assert "The centre covers every service the client needs" in text
    client.cookies.set("lang", "fr")
    text = _reasons(client.get(f"/needs/{asked.id}/matches"))
    assert "Le centre couvre tous les services dont le client a besoin" in text
