"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives, and the settings
that point the application at it."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from app.core.config import get_settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class KeepingHandler:
    """Keeps every message; ``refuse`` answers each DATA with that reply instead."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    refuse: str | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return self.refuse
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append(message)  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    handler: KeepingHandler
    port: int

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages


def use_smtp(monkeypatch: pytest.MonkeyPatch, url: str | None, **extra: str) -> None:
    """Point the settings at an SMTP URL (None: no SMTP) for the rest of the test."""
    if url is None:
        monkeypatch.delenv("EUROFFSHORE_SMTP_URL", raising=False)
    else:
        monkeypatch.setenv("EUROFFSHORE_SMTP_URL", url)
    for key, value in extra.items():
        monkeypatch.setenv(f"EUROFFSHORE_{key.upper()}", value)
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _no_outbox_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests dispatch by hand: the app's background sender stays off, and the settings
    are read again after each test."""
    monkeypatch.setenv("EUROFFSHORE_OUTBOX_WORKER", "false")
    monkeypatch.delenv("EUROFFSHORE_SMTP_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 that keeps the messages; the settings point at it."""
    handler = KeepingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    use_smtp(monkeypatch, f"smtp://127.0.0.1:{port}")
    try:
        yield SmtpServer(handler, port)
    finally:
        controller.stop()


@pytest.fixture
def hanging_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A socket that accepts connections and never says a word (a hung SMTP server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _addr = listener.accept()
            except OSError:
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        listener.close()
