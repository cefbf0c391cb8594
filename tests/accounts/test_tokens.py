"""Personal access tokens: shown once, stored hashed, Bearer auth, revocation."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.accounts.models import ApiToken, AuditEvent
from app.accounts.security import hash_api_token
from tests.accounts.factories import api_token, log_in, log_out, user


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_created_in_the_page_is_shown_once_and_stored_hashed(client, db_session):
    member = user(db_session)
    log_in(client, member)
    response = client.post("/account/tokens", data={"name": "CRM sync"})
    assert response.status_code == 201
    clear = BeautifulSoup(response.text, "html.parser").find(id="new-token")["value"]
    assert clear.startswith("eo_") and len(clear) > 40
    stored = db_session.scalar(select(ApiToken).where(ApiToken.user_id == member.id))
    assert stored.token_hash == hash_api_token(clear) and clear not in stored.token_hash
    assert clear not in client.get("/account").text
    assert stored.prefix in client.get("/account").text


def test_token_without_a_name_is_refused_next_to_the_field(client, db_session):
    log_in(client, user(db_session))
    response = client.post("/account/tokens", data={"name": "  "})
    assert response.status_code == 400
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find(id="e-name") is not None
    assert db_session.scalar(select(ApiToken)) is None


def test_bearer_token_authenticates_api_calls_without_cookie_or_csrf(bare_client, db_session):
    member = user(db_session)
    token = api_token(db_session, member)
    me = bare_client.get("/api/v1/me", headers=_bearer(token))
    assert me.status_code == 200 and me.json()["email"] == member.email
    patched = bare_client.patch(
        f"/api/v1/organisations/{member.organisation_id}",
        json={"city": "Nantes"},
        headers=_bearer(token),
    )
    assert patched.status_code == 200 and patched.json()["city"] == "Nantes"


def test_bearer_token_is_not_a_page_login(bare_client, db_session):
    token = api_token(db_session, user(db_session))
    page = bare_client.get("/account", headers=_bearer(token), follow_redirects=False)
    assert page.status_code == 303


def test_revoked_tampered_or_unknown_tokens_are_refused_clearly(client, db_session):
    member = user(db_session)
    token = api_token(db_session, member)
    tampered = client.get("/api/v1/me", headers=_bearer(token[:-1] + "x"))
    assert tampered.status_code == 401
    assert tampered.json()["detail"] == "The access token is invalid, revoked or expired."
    log_in(client, member)
    listed = client.get("/api/v1/me/tokens").json()
    revoke = client.post(f"/account/tokens/{listed[0]['id']}/revoke", follow_redirects=False)
    assert revoke.status_code == 303
    log_out(client)
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401
    actions = list(db_session.scalars(select(AuditEvent.action)))
    assert actions.count("token_created") == 1 and actions.count("token_revoked") == 1


def test_token_of_a_deactivated_user_stops_working(client, db_session):
    member = user(db_session)
    token = api_token(db_session, member)
    member.is_active = False
    db_session.commit()
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_api_creates_lists_and_revokes_tokens(bare_client, db_session):
    member = user(db_session)
    headers = _bearer(api_token(db_session, member))
    created = bare_client.post("/api/v1/me/tokens", json={"name": "ERP"}, headers=headers)
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("eo_") and body["name"] == "ERP"
    listed = bare_client.get("/api/v1/me/tokens", headers=headers).json()
    assert {t["name"] for t in listed} == {"tests", "ERP"}
    assert all("token" not in t for t in listed)
    deleted = bare_client.delete(f"/api/v1/me/tokens/{body['id']}", headers=headers)
    assert deleted.status_code == 204
    assert bare_client.get("/api/v1/me", headers=_bearer(body["token"])).status_code == 401


def test_another_users_token_cannot_be_revoked(bare_client, db_session):
    owner, intruder = user(db_session), user(db_session)
    owner_token = api_token(db_session, owner)
    target = db_session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    response = bare_client.delete(
        f"/api/v1/me/tokens/{target.id}", headers=_bearer(api_token(db_session, intruder))
    )
    assert response.status_code == 404
    assert bare_client.get("/api/v1/me", headers=_bearer(owner_token)).status_code == 200


def test_openapi_declares_the_bearer_scheme(client):
    spec = client.get("/openapi.json").json()
    scheme = spec["components"]["securitySchemes"]["PersonalAccessToken"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    assert {"PersonalAccessToken": []} in spec["paths"]["/api/v1/me"]["get"]["security"]
