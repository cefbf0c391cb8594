"""Words of a notification: its subject, a one-line in-app text and the e-mail body (plain
text and HTML), in a given language, from the row's kind and params.

Params come from other packages as plain JSON; any of them may be missing, so every kind
renders with a neutral fallback rather than failing ("the event", "a participant").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from app import i18n
from app.core.config import get_settings
from app.core.templating import env
from app.i18n import gettext as _
from app.notifications.models import Notification, NotificationKind

# Kinds that carry a secret link for someone who cannot sign in: sent by e-mail only,
# never listed in the app.
EMAIL_ONLY_KINDS = frozenset({NotificationKind.password_reset, NotificationKind.invitation})


@dataclass(frozen=True)
class Content:
    """What a notification says, in one language."""

    subject: str
    line: str
    # Extra paragraphs of the e-mail (a quoted message, a reason, an explanation).
    paragraphs: tuple[str, ...]
    action: str
    # Absolute URL the e-mail's button leads to (None: no link).
    url: str | None


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    locale: str


@contextmanager
def use_locale(locale: str) -> Iterator[str]:
    """Render everything inside in ``locale`` (an unsupported one falls back to English)."""
    chosen = locale if locale in i18n.SUPPORTED_LOCALES else i18n.DEFAULT_LOCALE
    token = i18n.current_locale.set(chosen)
    try:
        yield chosen
    finally:
        i18n.current_locale.reset(token)


def absolute_url(link: str | None) -> str | None:
    """The app path ``link`` as an absolute URL on ``Settings.base_url``."""
    if not link:
        return None
    if link.startswith(("http://", "https://")):
        return link
    return get_settings().base_url.rstrip("/") + "/" + link.lstrip("/")


def _text(params: Mapping[str, Any], key: str) -> str:
    value = params.get(key)
    return str(value).strip() if value not in (None, "") else ""


def _event(params: Mapping[str, Any]) -> str:
    return _text(params, "event_name") or _("the event")


def _someone(params: Mapping[str, Any], key: str) -> str:
    return _text(params, key) or _("a participant")


def _quoted(params: Mapping[str, Any], key: str, label: str) -> tuple[str, ...]:
    value = _text(params, key)
    return (_("%(label)s “%(text)s”", label=label, text=value),) if value else ()


def content(*, kind: str, params: Mapping[str, Any], link: str | None) -> Content:
    """The words of one notification in the current locale."""
    url = absolute_url(link)
    event = _event(params)
    if kind == NotificationKind.request_received:
        sender = _someone(params, "sender_name")
        line = _("%(sender)s asks to meet you at %(event)s", sender=sender, event=event)
        return Content(
            subject=line,
            line=line,
            paragraphs=_quoted(params, "message", _("Their message:")),
            action=_("Answer the request"),
            url=url,
        )
    if kind == NotificationKind.request_accepted:
        line = _(
            "%(recipient)s accepted your meeting request at %(event)s",
            recipient=_someone(params, "recipient_name"),
            event=event,
        )
        return Content(line, line, (), _("See your meeting requests"), url)
    if kind == NotificationKind.request_declined:
        line = _(
            "%(recipient)s declined your meeting request at %(event)s",
            recipient=_someone(params, "recipient_name"),
            event=event,
        )
        return Content(
            line,
            line,
            _quoted(params, "reason", _("Reason given:")),
            _("See your meeting requests"),
            url,
        )
    if kind == NotificationKind.request_cancelled:
        line = _(
            "%(sender)s cancelled their meeting request at %(event)s",
            sender=_someone(params, "sender_name"),
            event=event,
        )
        return Content(line, line, (), _("See your meeting requests"), url)
    if kind == NotificationKind.request_expired:
        line = _(
            "The meeting request between you and %(other)s at %(event)s expired without an answer",
            other=_someone(params, "other_name"),
            event=event,
        )
        return Content(line, line, (), _("See your meeting requests"), url)
    if kind == NotificationKind.registration_received:
        organisation = _text(params, "organisation_name") or _("An organisation")
        line = _(
            "%(organisation)s registered for %(event)s", organisation=organisation, event=event
        )
        return Content(
            line,
            line,
            (_("The registration waits for an organiser to approve or refuse it."),),
            _("Review the registration"),
            url,
        )
    if kind == NotificationKind.registration_approved:
        line = _("Your registration for %(event)s is approved", event=event)
        return Content(
            line,
            line,
            (_("You can now browse the participants and ask for meetings."),),
            _("Open the event"),
            url,
        )
    if kind == NotificationKind.registration_refused:
        line = _("Your registration for %(event)s was refused", event=event)
        return Content(
            line, line, _quoted(params, "reason", _("Reason given:")), _("Open the event"), url
        )
    if kind == NotificationKind.event_reminder:
        line = _("A reminder from the organisers of %(event)s", event=event)
        return Content(
            _("Reminder: %(event)s", event=event),
            line,
            _quoted(params, "message", _("Their message:")),
            _("Open the event"),
            url,
        )
    if kind == NotificationKind.password_reset:
        hours = _text(params, "expires_hours")
        expiry = (
            _("The link works for %(hours)s hours.", hours=hours)
            if hours
            else _("The link works for a limited time.")
        )
        return Content(
            _("Reset your Euroffshore password"),
            _("A password reset was requested for your account"),
            (
                _(
                    "Someone, hopefully you, asked to reset the password of your Euroffshore "
                    "account."
                ),
                expiry,
                _("If you did not ask for it, ignore this e-mail: your password stays the same."),
            ),
            _("Choose a new password"),
            absolute_url(_text(params, "link")) or url,
        )
    if kind == NotificationKind.invitation:
        organisation = _text(params, "organisation_name") or _("an organisation")
        inviter = _text(params, "inviter_email")
        line = (
            _(
                "%(inviter)s invites you to join %(organisation)s on Euroffshore",
                inviter=inviter,
                organisation=organisation,
            )
            if inviter
            else _(
                "You are invited to join %(organisation)s on Euroffshore", organisation=organisation
            )
        )
        return Content(
            line,
            line,
            (_("Euroffshore puts European companies and offshore call centres face to face."),),
            _("Accept the invitation"),
            absolute_url(_text(params, "link")) or url,
        )
    # A kind this version does not know (a newer writer): still say something useful.
    line = _("Something happened at %(event)s", event=event)
    return Content(line, line, (), _("Open Euroffshore"), url)


def in_app_text(notification: Notification, *, locale: str | None = None) -> str:
    """The one-line text of a notification, in ``locale`` or the current one."""
    with use_locale(locale or i18n.current_locale.get()):
        return content(kind=notification.kind, params=notification.params or {}, link=None).line


def render_email(notification: Notification) -> RenderedEmail:
    """The e-mail of a notification in the row's own language (its recipient's)."""
    with use_locale(notification.locale) as locale:
        words = content(
            kind=notification.kind, params=notification.params or {}, link=notification.link
        )
        context = {
            "locale": locale,
            "words": words,
            "base_url": get_settings().base_url.rstrip("/"),
            "for_user": notification.user_id is not None,
        }
        text = env.get_template("email/notification.txt").render(context)
        html = env.get_template("email/notification.html").render(context)
    return RenderedEmail(subject=words.subject, text=text, html=html, locale=locale)
