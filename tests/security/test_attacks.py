"""Issue 22, "what an attack from outside found": each attack replayed through HTTP now
gets the expected answer. (Concurrency and raw-socket attacks: test_served.py.)"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.csrf import CSRF_FIELD
from app.accounts.models import ApiToken, AuditEvent, Invitation, PasswordReset, User
from app.accounts.sessions import SESSION_COOKIE
from app.core.limits import client_address
from app.organisations.models import Organisation
from tests import factories
from tests.accounts.factories import (
    DEFAULT_PASSWORD,
    api_token,
    log_in,
    platform_admin,
    prime_csrf,
    user,
)

SIREN = "732829320"


def _actions(db_session, action: str) -> list[AuditEvent]:
    return list(db_session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- row 3: body limit ---------------------------------------------------------------------


def test_json_body_over_the_limit_gets_413_with_the_error_shape(bare_client):
    response = bare_client.post(
        "/api/v1/needs",
        content=b'{"title": "' + b"a" * (1024 * 1024 + 10) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"


def test_form_over_the_limit_without_token_gets_413(bare_client):
    response = bare_client.post("/login", data={"email": "a" * (1024 * 1024 + 10)})
    assert response.status_code == 413


# --- row 4: forms the parser refuses ---------------------------------------------------------


def test_login_with_1100_fields_gets_400_not_500(bare_client):
    response = bare_client.post("/login", data={f"f{i}": "x" for i in range(1100)})
    assert response.status_code == 400
    assert "Too many fields" in response.text


def test_login_with_a_too_large_multipart_field_gets_400_not_500(client):
    big = "x" * (300 * 1024)  # over the 256 KB a field may hold, under the body limit
    response = client.post("/login", files={"email": (None, big), "password": (None, "pw")})
    assert response.status_code == 400


def test_api_with_a_too_large_multipart_field_gets_the_error_shape(bare_client):
    response = bare_client.post(
        "/api/v1/organisations", files={"legal_name": (None, "x" * (1024 * 1024 + 1))}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"


# --- row 5: identity change clears verification ---------------------------------------------


def test_member_changing_identity_of_verified_organisation_clears_verification(client, db_session):
    member = user(db_session, kind="provider")
    organiser = user(db_session, kind="organiser")
    org_id = member.organisation_id
    log_in(client, organiser)
    verified = client.post(f"/api/v1/organisations/{org_id}/verification", json={"verified": True})
    assert verified.json()["verified"] is True

    log_in(client, member)
    changed = client.patch(
        f"/api/v1/organisations/{org_id}",
        json={"legal_name": "Squatted SA", "country": "SN", "registration_number": "SN-1"},
    )
    assert changed.status_code == 200
    assert changed.json()["verified"] is False
    [line] = _actions(db_session, "organisation_unverified")
    assert (line.actor_id, line.organisation_id) == (member.id, org_id)
    assert "legal_name" in line.detail and "country" in line.detail

    log_in(client, organiser)
    queue = client.get("/api/v1/organisations/verification-queue").json()
    assert org_id in [o["id"] for o in queue["unverified"]]
    page = client.get("/organisations/verification-queue")
    assert page.status_code == 200 and "Squatted SA" in page.text


def test_other_fields_keep_verification(client, db_session):
    member = user(db_session, kind="provider")
    org = db_session.get(Organisation, member.organisation_id)
    org.verified = True
    db_session.commit()
    log_in(client, member)
    changed = client.patch(f"/api/v1/organisations/{org.id}", json={"city": "Fès"})
    assert changed.json()["verified"] is True


# --- row 6: logout ends the session on the server --------------------------------------------


def test_copied_session_cookie_dies_at_logout(client, db_session):
    member = user(db_session)
    signed_in = client.post(
        "/login",
        data={"email": member.email, "password": DEFAULT_PASSWORD},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    copy = client.cookies.get(SESSION_COOKIE)
    assert client.post("/logout", follow_redirects=False).status_code == 303
    client.cookies.set(SESSION_COOKIE, copy)
    assert client.get("/api/v1/me").status_code == 401


# --- row 7: paging bounds ---------------------------------------------------------------


def test_huge_offsets_and_pages_are_refused(client, db_session):
    log_in(client, user(db_session))
    api = client.get("/api/v1/organisations", params={"offset": "9223372036854775808"})
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"] == ["query", "offset"]
    page = client.get("/organisations", params={"page": "1152921504606846976"})
    assert page.status_code == 400
    assert client.get("/organisations", params={"page": "10000"}).status_code == 200


# --- row 8: NUL characters ----------------------------------------------------------------


def test_nul_in_login_email_is_refused_naming_the_field(client):
    response = client.post("/login", data={"email": "a\x00@b.example", "password": "x"})
    assert response.status_code == 400
    assert "email" in response.text


def test_nul_in_signup_is_refused(client, db_session):
    response = client.post(
        "/signup",
        data={
            "kind": "client",
            "legal_name": "Evil\x00 SA",
            "country": "FR",
            "email": "nul@x.example",
            "password": "Some long passphrase 1",
        },
    )
    assert response.status_code == 400 and "legal_name" in response.text
    assert db_session.scalar(select(User).where(User.email == "nul@x.example")) is None


def test_nul_in_a_multipart_form_is_refused(client, db_session):
    member = user(db_session)
    log_in(client, member)
    response = client.post(
        f"/organisations/{member.organisation_id}/edit",
        files={"legal_name": (None, "Evil\x00 SA"), "country": (None, "FR")},
    )
    assert response.status_code == 400 and "legal_name" in response.text


def test_nul_in_api_body_and_query_gets_422_naming_the_field(client, db_session):
    member = user(db_session)
    log_in(client, member)
    patched = client.patch(
        f"/api/v1/organisations/{member.organisation_id}", json={"city": "Ly\x00on"}
    )
    assert patched.status_code == 422
    assert patched.json()["detail"][0]["loc"] == ["body", "city"]
    listed = client.get("/api/v1/organisations", params={"q": "a\x00b"})
    assert listed.status_code == 422
    assert listed.json()["detail"][0]["loc"] == ["query", "q"]
    page = client.get("/organisations", params={"q": "a\x00b"})
    assert page.status_code == 400


# --- row 9: password resets ---------------------------------------------------------------


def test_forty_resets_for_one_address_are_throttled_and_one_stays_pending(client, db_session):
    member = user(db_session)
    statuses = [
        client.post("/password-reset", data={"email": member.email}).status_code for _ in range(40)
    ]
    assert statuses[:3] == [200] * 3
    assert set(statuses[3:]) == {429}
    pending = db_session.scalar(
        select(func.count()).select_from(PasswordReset).where(PasswordReset.user_id == member.id)
    )
    assert pending == 1
    log_in(client, platform_admin(db_session))
    page = client.get("/admin/password-resets")
    assert page.text.count("/password-reset/") == 1


def test_resets_for_unknown_addresses_are_throttled_the_same(client):
    statuses = [
        client.post("/password-reset", data={"email": "ghost@nowhere.example"}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


# --- row 10: sign-ups and registration numbers ----------------------------------------------


def _signup(client, n: int, **overrides: str):
    data = {
        "kind": "client",
        "legal_name": f"Company {n} SA",
        "country": "FR",
        "email": f"founder{n}@company{n}.example",
        "password": "Long enough passphrase 2026",
        **overrides,
    }
    return client.post("/signup", data=data, follow_redirects=False)


def test_twelve_signups_from_one_address_are_throttled(client):
    statuses = [_signup(client, n).status_code for n in range(12)]
    assert statuses[:5] == [303] * 5
    assert set(statuses[5:]) == {429}


def test_registration_number_claimed_twice_goes_to_the_organiser(client, db_session):
    squatter = _signup(client, 1, registration_number=SIREN)
    assert squatter.status_code == 303
    client.cookies.delete(SESSION_COOKIE)
    real = _signup(client, 2, legal_name="The Real Company SA", registration_number=SIREN)
    assert real.status_code == 303  # accepted, not "registration number exists"
    squatter_org = db_session.scalar(
        select(Organisation).where(Organisation.legal_name == "Company 1 SA")
    )
    real_org = db_session.scalar(
        select(Organisation).where(Organisation.legal_name == "The Real Company SA")
    )
    assert (real_org.registration_number, real_org.contested_registration_number) == (None, SIREN)
    assert len(_actions(db_session, "registration_claim_duplicate")) == 1

    organiser = user(db_session, kind="organiser")
    client.cookies.delete(SESSION_COOKIE)
    log_in(client, organiser)
    # The holder cannot be verified while the claim waits.
    refused = client.post(
        f"/api/v1/organisations/{squatter_org.id}/verification", json={"verified": True}
    )
    assert refused.status_code == 409
    queue = client.get("/api/v1/organisations/verification-queue").json()
    [claim] = queue["duplicate_claims"]
    assert (claim["claimant"]["id"], claim["holder"]["id"]) == (real_org.id, squatter_org.id)
    page = client.get("/organisations/verification-queue")
    assert "The Real Company SA" in page.text and "Company 1 SA" in page.text

    decided = client.post(
        f"/organisations/{real_org.id}/registration-claim",
        data={"decision": "grant"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    db_session.expire_all()
    assert db_session.get(Organisation, real_org.id).registration_number == SIREN
    assert db_session.get(Organisation, squatter_org.id).registration_number is None
    assert len(_actions(db_session, "registration_claim_decided")) == 2
    assert client.get("/api/v1/organisations/verification-queue").json()["duplicate_claims"] == []


def test_organiser_may_refuse_a_claim_through_the_api(client, db_session):
    holder = factories.organisation(db_session, registration_number=SIREN)
    claimant = factories.organisation(db_session, registration_number=SIREN)
    assert claimant.contested_registration_number == SIREN
    log_in(client, user(db_session, kind="organiser"))
    response = client.post(
        f"/api/v1/organisations/{claimant.id}/registration-claim", json={"decision": "refuse"}
    )
    assert response.status_code == 200
    assert response.json()["contested_registration_number"] is None
    db_session.expire_all()
    assert db_session.get(Organisation, holder.id).registration_number == SIREN


# --- row 11: invitations --------------------------------------------------------------------


def _invitation_path(client, db_session, admin) -> str:
    log_in(client, admin)
    response = client.post("/team/invitations", data={"email": "newcomer@x.example"})
    assert response.status_code == 201
    marker = 'id="invitation-link" type="text" readonly value="'
    link = response.text.split(marker, 1)[1].split('"', 1)[0]
    client.cookies.delete(SESSION_COOKIE)
    return "/" + link.split("/", 3)[3]


def test_invitation_of_a_demoted_admin_no_longer_works(client, db_session):
    inviter = user(db_session)
    other_admin = user(db_session, organisation=inviter.organisation, role="admin")
    path = _invitation_path(client, db_session, inviter)
    log_in(client, other_admin)
    demoted = client.post(
        f"/team/members/{inviter.id}/role", data={"role": "member"}, follow_redirects=False
    )
    assert demoted.status_code == 303
    client.cookies.delete(SESSION_COOKIE)
    assert client.get(path).status_code == 400
    accepted = client.post(path, data={"password": "Long enough passphrase 2026"})
    assert accepted.status_code == 400
    assert db_session.scalar(select(User).where(User.email == "newcomer@x.example")) is None


def test_invitations_are_listed_and_revoked(client, db_session):
    admin = user(db_session)
    path = _invitation_path(client, db_session, admin)
    log_in(client, admin)
    listed = client.get(f"/api/v1/organisations/{admin.organisation_id}/invitations").json()
    assert [i["email"] for i in listed] == ["newcomer@x.example"]
    assert "newcomer@x.example" in client.get("/team").text
    revoked = client.delete(
        f"/api/v1/organisations/{admin.organisation_id}/invitations/{listed[0]['id']}"
    )
    assert revoked.status_code == 204
    assert client.get(f"/api/v1/organisations/{admin.organisation_id}/invitations").json() == []
    client.cookies.delete(SESSION_COOKIE)
    assert client.get(path).status_code == 400
    assert db_session.get(Invitation, listed[0]["id"]).revoked_at is not None


def test_invitation_of_another_organisation_cannot_be_revoked(client, db_session):
    admin = user(db_session)
    _invitation_path(client, db_session, admin)
    invitation = db_session.scalar(select(Invitation))
    log_in(client, user(db_session))
    assert client.post(f"/team/invitations/{invitation.id}/revoke").status_code == 404


# --- row 12: password change throttled ------------------------------------------------------


def test_wrong_current_passwords_are_throttled_like_logins(client, db_session):
    member = user(db_session)
    log_in(client, member)
    statuses = [
        client.post(
            "/account/password",
            data={"current_password": f"guess number {i}", "new_password": "New passphrase 77"},
        ).status_code
        for i in range(12)
    ]
    assert statuses[:5] == [400] * 5
    assert set(statuses[5:]) == {429}
    # The right password does not get through the throttle either.
    right = client.post(
        "/account/password",
        data={"current_password": DEFAULT_PASSWORD, "new_password": "New passphrase 77"},
    )
    assert right.status_code == 429


# --- row 14: deactivation revokes tokens ---------------------------------------------------


def test_deactivation_revokes_tokens_for_good(client, db_session):
    admin = user(db_session)
    member = user(db_session, organisation=admin.organisation, role="member")
    token = api_token(db_session, member)
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    log_in(client, platform_admin(db_session))
    assert client.patch(f"/api/v1/users/{member.id}", json={"is_active": False}).status_code == 200
    assert client.patch(f"/api/v1/users/{member.id}", json={"is_active": True}).status_code == 200
    client.cookies.delete(SESSION_COOKIE)
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    tokens = db_session.scalars(select(ApiToken).where(ApiToken.user_id == member.id)).all()
    assert all(t.revoked_at is not None for t in tokens)


# --- row 15: headers and client addresses ----------------------------------------------------


def test_signed_in_pages_and_api_are_not_stored(client, db_session):
    anonymous_home = client.get("/")
    assert "cache-control" not in anonymous_home.headers
    assert "camera=()" in anonymous_home.headers["permissions-policy"]
    log_in(client, user(db_session))
    assert client.get("/").headers["cache-control"] == "no-store"
    assert client.get("/api/v1/me").headers["cache-control"] == "no-store"
    assert client.get("/static/app.css").headers.get("cache-control") != "no-store"


def test_forwarded_for_is_believed_only_from_trusted_proxies():
    from app.core.config import Settings

    proxies = Settings(trusted_proxies="10.0.0.0/8").trusted_proxy_networks()
    # From the proxy: the last hop the proxy saw (what the client wrote further left is its
    # own claim).
    assert client_address("10.0.0.5", "1.2.3.4, 198.51.100.7", proxies) == "198.51.100.7"
    assert client_address("10.0.0.5", "198.51.100.7, 10.0.0.9", proxies) == "198.51.100.7"
    # From anyone else, or with no proxy configured: the peer.
    assert client_address("198.51.100.9", "1.2.3.4", proxies) == "198.51.100.9"
    assert client_address("127.0.0.1", "1.2.3.4", ()) == "127.0.0.1"
    assert client_address("10.0.0.5", "garbage", proxies) == "10.0.0.5"


def test_unsafe_methods_still_need_csrf_after_the_guards(bare_client):
    # The body limit and NUL guard replay the body: the CSRF check still sees it.
    response = bare_client.post("/login", data={"email": "a@b.example", CSRF_FIELD: "forged"})
    assert response.status_code == 403
    prime_csrf(bare_client)
    assert bare_client.post("/login", data={"email": "a@b.example"}).status_code == 400


# --- row 13: production settings -------------------------------------------------------------


@pytest.fixture
def production(monkeypatch):
    """The app configured as production behind https (settings read again, then reset)."""
    from app.accounts.config import get_account_settings
    from app.core.config import get_settings

    monkeypatch.setenv("EUROFFSHORE_ENV", "production")
    monkeypatch.setenv("EUROFFSHORE_SECRET_KEY", "kR3v9-Qz_8pLmN2xWcT7yHbJ4sEfUaGd6oViK1rZq0M")
    monkeypatch.setenv("EUROFFSHORE_BASE_URL", "https://euroffshore.example")
    get_settings.cache_clear()
    get_account_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()
    get_account_settings.cache_clear()


def test_production_without_https_base_url_refuses_to_start(monkeypatch):
    from app.core.config import Settings

    monkeypatch.setenv("EUROFFSHORE_ENV", "production")
    monkeypatch.setenv("EUROFFSHORE_SECRET_KEY", "a" * 36)
    with pytest.raises(ValueError, match="too predictable"):
        Settings()
    monkeypatch.setenv("EUROFFSHORE_SECRET_KEY", "kR3v9-Qz_8pLmN2xWcT7yHbJ4sEfUaGd6oViK1rZq0M")
    with pytest.raises(ValueError, match="EUROFFSHORE_BASE_URL"):
        Settings()


def test_production_cookies_are_secure_and_hsts_is_sent(production, client, db_session):
    member = user(db_session)
    signed_in = client.post(
        "/login",
        data={"email": member.email, "password": DEFAULT_PASSWORD},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert "Secure" in signed_in.headers["set-cookie"]
    assert signed_in.headers["strict-transport-security"] == "max-age=31536000"
    language = client.post("/language", data={"lang": "fr", "next": "/"}, follow_redirects=False)
    assert "lang=fr" in language.headers["set-cookie"]
    assert "Secure" in language.headers["set-cookie"]
