"""Every kind of notification renders in English and French, with and without its
optional params, and no French message keeps the English words."""

from __future__ import annotations

import pytest

from app import i18n
from app.notifications.messages import content, in_app_text, render_email, use_locale
from app.notifications.models import Notification, NotificationKind

FULL_PARAMS: dict[NotificationKind, dict[str, object]] = {
    NotificationKind.request_received: {
        "event_name": "Euroffshore Casablanca",
        "sender_name": "Énergie Verte SA",
        "message": "Nous cherchons 40 agents germanophones.",
    },
    NotificationKind.request_accepted: {
        "event_name": "Euroffshore Casablanca",
        "recipient_name": "Atlas Contact",
    },
    NotificationKind.request_declined: {
        "event_name": "Euroffshore Casablanca",
        "recipient_name": "Atlas Contact",
        "reason": "Agenda complet",
    },
    NotificationKind.request_cancelled: {
        "event_name": "Euroffshore Casablanca",
        "sender_name": "Énergie Verte SA",
    },
    NotificationKind.request_expired: {
        "event_name": "Euroffshore Casablanca",
        "other_name": "Atlas Contact",
    },
    NotificationKind.registration_received: {
        "event_name": "Euroffshore Casablanca",
        "organisation_name": "Atlas Contact",
    },
    NotificationKind.registration_approved: {"event_name": "Euroffshore Casablanca"},
    NotificationKind.registration_refused: {
        "event_name": "Euroffshore Casablanca",
        "reason": "Inscriptions closes",
    },
    NotificationKind.event_reminder: {
        "event_name": "Euroffshore Casablanca",
        "message": "Demandes ouvertes jusqu'à vendredi.",
    },
    NotificationKind.password_reset: {
        "link": "http://127.0.0.1:8000/password-reset/abc",
        "expires_hours": 2,
    },
    NotificationKind.invitation: {
        "organisation_name": "Atlas Contact",
        "inviter_email": "boss@atlas.example",
        "link": "http://127.0.0.1:8000/invitations/xyz",
    },
}
# Names and free text in the params, which stay as written in any language.
PARAM_WORDS = {
    str(v) for params in FULL_PARAMS.values() for v in params.values() if isinstance(v, str)
}


def _row(kind: NotificationKind, params: dict[str, object], locale: str) -> Notification:
    return Notification(
        id=7,
        user_id=1,
        email="a@example.org",
        locale=locale,
        kind=kind.value,
        params=params,
        link="/events/3/requests",
    )


def test_full_params_cover_every_kind() -> None:
    assert set(FULL_PARAMS) == set(NotificationKind)


@pytest.mark.parametrize("kind", list(NotificationKind))
@pytest.mark.parametrize("locale", ["en", "fr"])
@pytest.mark.parametrize("with_params", [True, False])
def test_message_renders_in_each_language(
    kind: NotificationKind, locale: str, with_params: bool
) -> None:
    params = FULL_PARAMS[kind] if with_params else {}
    rendered = render_email(_row(kind, params, locale))
    assert rendered.locale == locale
    assert rendered.subject.strip() != ""
    assert "\n" not in rendered.subject
    assert "%(" not in rendered.subject + rendered.text + rendered.html
    assert f'<html lang="{locale}">' in rendered.html
    assert in_app_text(_row(kind, params, locale), locale=locale).strip() != ""
    if kind in (NotificationKind.password_reset, NotificationKind.invitation) and with_params:
        assert str(params["link"]) in rendered.text
    elif kind not in (NotificationKind.password_reset, NotificationKind.invitation):
        assert "http://127.0.0.1:8000/events/3/requests" in rendered.text
        assert 'href="http://127.0.0.1:8000/events/3/requests"' in rendered.html


def _english_sentences(kind: NotificationKind, params: dict[str, object]) -> list[str]:
    with use_locale("en"):
        words = content(kind=kind.value, params=params, link=None)
        sentences = [words.subject, words.line, words.action, *words.paragraphs]
    # Compare the English words only, not the names the params bring in.
    for name in PARAM_WORDS:
        sentences = [s.replace(name, "") for s in sentences]
    return [s for s in sentences if len(s.strip()) > 3]


@pytest.mark.parametrize("kind", list(NotificationKind))
@pytest.mark.parametrize("with_params", [True, False])
def test_french_message_contains_no_english_text(kind: NotificationKind, with_params: bool) -> None:
    params = FULL_PARAMS[kind] if with_params else {}
    rendered = render_email(_row(kind, params, "fr"))
    for sentence in _english_sentences(kind, params):
        for piece in (p.strip(" .:“”") for p in sentence.split("  ")):
            if len(piece) > 3:
                assert piece not in rendered.text, piece
                assert piece not in rendered.subject, piece


def test_quoted_message_keeps_french_quotes() -> None:
    row = _row(
        NotificationKind.request_received, FULL_PARAMS[NotificationKind.request_received], "fr"
    )
    assert render_email(row).text.splitlines()[2] == (
        "Son message\u00a0: «\u00a0Nous cherchons 40 agents germanophones.\u00a0»"
    )


def test_in_app_text_follows_the_viewer_not_the_row() -> None:
    row = _row(
        NotificationKind.request_accepted, FULL_PARAMS[NotificationKind.request_accepted], "fr"
    )
    assert in_app_text(row, locale="en") == (
        "Atlas Contact accepted your meeting request at Euroffshore Casablanca"
    )
    assert in_app_text(row, locale="fr") == (
        "Atlas Contact a accepté votre demande de rendez-vous à Euroffshore Casablanca"
    )
    assert i18n.current_locale.get() == "en"


def test_html_escapes_names() -> None:
    params = {"event_name": "<b>Casa</b>", "sender_name": "A & B", "message": "<script>"}
    rendered = render_email(_row(NotificationKind.request_received, params, "en"))
    assert "<script>" not in rendered.html
    assert "A &amp; B" in rendered.html
