"""Logging with a request id on every line, and the middleware that sets it."""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
access_log = logging.getLogger("euroffshore.access")

REQUEST_ID_HEADER = "x-request-id"


_base_factory = logging.getLogRecordFactory()


def _record_with_request_id(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    record.request_id = request_id_var.get()
    return record


# Every record, whichever handler formats it, knows the request it belongs to.
logging.setLogRecordFactory(_record_with_request_id)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


# Paths whose last segment is a secret (a password reset or invitation link): never logged.
_SECRET_PATH = re.compile(r"^(/password-reset|/invitations)/[^/]+")


def _redact(path: str) -> str:
    return _SECRET_PATH.sub(r"\1/[redacted]", path)


class RequestIdMiddleware:
    """Takes the caller's X-Request-ID (if sane) or makes one; echoes it in the response.

    It also writes the access log line (method, path, status, duration), so that line carries
    the request id like every other line of the request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = (
            dict(scope.get("headers") or []).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        )
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else ""
        request_id = request_id or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id

        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "%s %s %s %.1fms",
                scope["method"],
                _redact(scope["path"]),
                status,
                (time.perf_counter() - started) * 1000,
            )
            request_id_var.reset(token)
