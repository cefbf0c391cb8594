"""Send one e-mail through SMTP with the standard library's smtplib.

smtplib covers everything needed here (implicit TLS, STARTTLS, AUTH, a socket timeout that
bounds the connect and every read) with no dependency; the asynchronous libraries would only
matter inside an event loop, and sending never runs in a request.

The server is one URL (``EUROFFSHORE_SMTP_URL``):

- ``smtp://user:password@host:port`` — plain SMTP (port 25 by default);
- ``smtp://...?starttls=1`` or ``smtp+starttls://...`` — upgraded with STARTTLS (587);
- ``smtps://...`` — implicit TLS (465).

User and password are percent-decoded (``%40`` for an ``@`` in a user name).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Literal, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_TIMEOUT_S = 10.0
_DEFAULT_PORTS = {"plain": 25, "starttls": 587, "tls": 465}
_TRUE = {"1", "true", "yes", "on"}


class SmtpUrlError(ValueError):
    """EUROFFSHORE_SMTP_URL cannot be understood."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: Literal["plain", "starttls", "tls"]
    username: str | None = None
    password: str | None = None
    # Seconds for the connection and for each answer of the server.
    timeout_s: float = DEFAULT_TIMEOUT_S

    @classmethod
    def from_url(cls, url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> SmtpConfig:
        """Read an smtp://, smtp+starttls:// or smtps:// URL."""
        parts = urlsplit(url)
        query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
        security: Literal["plain", "starttls", "tls"]
        if parts.scheme == "smtps":
            security = "tls"
        elif parts.scheme == "smtp+starttls" or (
            parts.scheme == "smtp" and query.get("starttls", "") in _TRUE
        ):
            security = "starttls"
        elif parts.scheme == "smtp":
            security = "plain"
        else:
            raise SmtpUrlError(f"unsupported scheme {parts.scheme!r} (smtp, smtp+starttls, smtps)")
        if not parts.hostname:
            raise SmtpUrlError("the SMTP URL names no host")
        try:
            port = parts.port or _DEFAULT_PORTS[security]
        except ValueError as exc:
            raise SmtpUrlError("the SMTP URL has an invalid port") from exc
        if "timeout" in query:
            timeout_s = float(query["timeout"])
        return cls(
            host=parts.hostname,
            port=port,
            security=security,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password is not None else None,
            timeout_s=timeout_s,
        )


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    text: str
    html: str
    locale: str
    # Stable reference put in the Message-ID (e.g. "notification-12").
    reference: str


class Sender(Protocol):
    def __call__(self, email: OutgoingEmail, /) -> None: ...


def build_message(email: OutgoingEmail, *, mail_from: str, now: datetime) -> EmailMessage:
    """A multipart/alternative message (plain text, then HTML) with UTF-8 headers."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = email.to
    message["Subject"] = email.subject  # encoded as RFC 2047 UTF-8 when not ASCII
    message["Date"] = format_datetime(now)
    domain = _domain_of(mail_from)
    message["Message-ID"] = make_msgid(idstring=email.reference, domain=domain)
    # Tell auto-responders and mail filters this is an automatic message.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.text, charset="utf-8")
    message.add_alternative(email.html, subtype="html", charset="utf-8")
    # After the parts exist: making the message multipart moves Content-* headers down.
    message["Content-Language"] = email.locale
    return message


def _domain_of(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    try:
        return Address(addr_spec=address).domain or "localhost"
    except (ValueError, IndexError):
        return "localhost"


class SmtpSender:
    """Sends each e-mail on its own short SMTP connection (a worker sends a few at a time)."""

    def __init__(self, config: SmtpConfig, *, mail_from: str) -> None:
        self.config = config
        self.mail_from = mail_from

    def __call__(self, email: OutgoingEmail, /, *, now: datetime | None = None) -> None:
        from app.core.db import utcnow

        message = build_message(email, mail_from=self.mail_from, now=now or utcnow())
        with self._connect() as smtp:
            if self.config.username:
                smtp.login(self.config.username, self.config.password or "")
            smtp.send_message(message)

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        if cfg.security == "tls":
            return smtplib.SMTP_SSL(
                cfg.host, cfg.port, timeout=cfg.timeout_s, context=ssl.create_default_context()
            )
        smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s)
        try:
            if cfg.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        except BaseException:
            smtp.close()
            raise
        return smtp
