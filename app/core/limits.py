"""Guards every request passes before any route (or the CSRF check) reads it:

- ``BodyLimitMiddleware``: a body over ``EUROFFSHORE_MAX_BODY_BYTES`` is answered 413
  before it is read — from its Content-Length, or, for a streamed (chunked) body, as soon
  as the bytes received pass the limit;
- ``NulGuardMiddleware``: a NUL character in the query string, a JSON body or a form is
  answered 422 (API) / 400 (pages) naming the field; PostgreSQL refuses NUL in text and
  would answer 500;
- ``ClientAddressMiddleware``: the client's address is the peer's, unless the peer is one
  of ``EUROFFSHORE_TRUSTED_PROXIES``; then the last untrusted hop of X-Forwarded-For.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import IPNetwork, get_settings
from app.i18n import gettext as _

# Paths (prefixes) allowed a larger body than the default, e.g. a future upload route:
# {"/api/v1/uploads": 20 * 1024 * 1024}. None today.
LARGER_BODY_PATHS: dict[str, int] = {}
NUL = "\x00"


def body_limit_for(path: str) -> int:
    for prefix, limit in LARGER_BODY_PATHS.items():
        if path.startswith(prefix):
            return limit
    return get_settings().max_body_bytes


class BodyTooLarge(HTTPException):
    """Raised while reading a body that passes the limit (a 413 wherever it surfaces)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            status_code=413,
            detail=_("The request body is larger than %(kb)s KB.", kb=limit // 1024),
        )


def _error_response(scope: Scope, status: int, code: str, detail: Any) -> Response:
    request = Request(scope)
    if scope["path"].startswith("/api/"):
        return JSONResponse({"error": code, "detail": detail}, status_code=status)
    from app.core.templating import render_error_page

    message = detail if isinstance(detail, str) else "; ".join(d["msg"] for d in detail)
    return render_error_page(request, status, message)


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope["path"])
        length = _content_length(scope)
        if length is not None and length > limit:
            await self._refuse(scope, receive, send, limit)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watch_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watch_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        exc = BodyTooLarge(limit)
        response = _error_response(scope, 413, "payload_too_large", exc.detail)
        # The rest of the body is never read: the connection closes after the answer.
        response.headers["connection"] = "close"
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


# --- NUL characters --------------------------------------------------------------------


def _nul_paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in str(key):
                yield (*path, str(key))
            yield from _nul_paths(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, (*path, index))


def nul_fields(scope: Scope, body: bytes) -> list[list[str | int]]:
    """The locations (as in a 422's ``loc``) of values that contain a NUL character."""
    found: list[list[str | int]] = []
    query = scope.get("query_string", b"").decode("latin-1")
    for key, value in parse_qsl(query, keep_blank_values=True):
        if NUL in key or NUL in value:
            found.append(["query", key.replace(NUL, "")])
    content_type = _header(scope, b"content-type").split(";")[0].strip().lower()
    if body and (content_type == "application/json" or content_type.endswith("+json")):
        try:
            data = json.loads(body)
        except ValueError:
            data = None  # the route answers its own 422 for a malformed body
        found.extend(["body", *p] for p in _nul_paths(data))
    elif body and content_type == "application/x-www-form-urlencoded":
        for key, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
            if NUL in key or NUL in value:
                found.append(["body", key.replace(NUL, "")])
    return found


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


class NulGuardMiddleware:
    """Refuses NUL characters in query strings, JSON bodies and url-encoded forms (multipart
    fields are checked by ``app.core.forms``). Inside ``BodyLimitMiddleware``: the body it
    reads is bounded."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        content_type = _header(scope, b"content-type").lower()
        needs_body = scope["method"] not in ("GET", "HEAD", "OPTIONS") and (
            "json" in content_type or "x-www-form-urlencoded" in content_type
        )
        body = b""
        if needs_body:
            body = await read_body(receive)
            receive = replaying(body, receive)
        elif b"%00" not in scope.get("query_string", b""):
            await self.app(scope, receive, send)
            return
        found = nul_fields(scope, body)
        if not found:
            await self.app(scope, receive, send)
            return
        message = _("NUL characters are not allowed here.")
        detail = [{"loc": loc, "msg": message} for loc in found]
        if scope["path"].startswith("/api/"):
            response = _error_response(scope, 422, "validation_error", detail)
        else:
            names = ", ".join(str(loc[-1]) for loc in found)
            response = _error_response(
                scope,
                400,
                "bad_request",
                _("NUL characters are not allowed (field: %(names)s).", names=names),
            )
        await response(scope, receive, send)


async def read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands ``body`` back once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


# --- client address behind trusted proxies -------------------------------------------------


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: str, proxies: tuple[IPNetwork, ...]) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in network for network in proxies)


def client_address(peer: str | None, forwarded_for: str, proxies: tuple[IPNetwork, ...]) -> str:
    """The client behind ``peer``: X-Forwarded-For read from the right, skipping trusted
    proxies; the first untrusted hop is the client (what a client writes further left is
    its own claim)."""
    if peer is None or not proxies or not _trusted(peer, proxies) or not forwarded_for:
        return peer or ""
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if _ip(hop) is None:
            return peer  # a malformed chain: believe nothing of it
        if not _trusted(hop, proxies):
            return hop
    return hops[0] if hops else peer


class ClientAddressMiddleware:
    """Sets ``scope["client"]`` to the real client (see ``client_address``). The server is
    started without proxy-header handling of its own (``app.cli``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.proxies = get_settings().trusted_proxy_networks()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.proxies and scope.get("client"):
            peer, port = scope["client"]
            forwarded = _header(scope, b"x-forwarded-for")
            real = client_address(peer, forwarded, self.proxies)
            if real != peer:
                scope["client"] = (real, port)
            if _trusted(peer, self.proxies) and _header(scope, b"x-forwarded-proto") == "https":
                scope["scheme"] = "https"
        await self.app(scope, receive, send)
