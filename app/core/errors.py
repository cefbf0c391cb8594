"""Typed domain errors and the handlers that turn them into JSON (API) or pages (HTML).

API errors have one stable shape: ``{"error": code, "detail": ...}``; validation errors
carry ``detail`` as a list of ``{"loc": [...], "msg": "..."}``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = logging.getLogger(__name__)


class DomainError(Exception):
    """Base of the errors services raise; each maps to one HTTP status."""

    status_code = 400
    code = "bad_request"

    def __init__(self, detail: Any = None) -> None:
        super().__init__(detail)
        self.detail = detail


class BadRequest(DomainError):
    """A request the app cannot read (a malformed form, a NUL character): 400."""


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class PermissionDenied(DomainError):
    status_code = 403
    code = "forbidden"


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"


class FieldError(DomainError):
    """A business-rule violation on named fields: 422 in the API, a form message in HTML."""

    status_code = 422
    code = "validation_error"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__([{"loc": ["body", field], "msg": msg} for field, msg in errors.items()])
        self.errors = errors


# --- OpenAPI models of the error shapes -------------------------------------------------


class ErrorResponse(BaseModel):
    error: str
    detail: Any = None


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str


class ValidationErrorResponse(BaseModel):
    error: str = "validation_error"
    detail: list[ValidationIssue]


API_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Malformed request (e.g. unparsable body)"},
    401: {"model": ErrorResponse, "description": "Not authenticated"},
    403: {"model": ErrorResponse, "description": "Forbidden"},
    404: {"model": ErrorResponse, "description": "Not found"},
    409: {"model": ErrorResponse, "description": "Conflict with existing data"},
    422: {"model": ValidationErrorResponse, "description": "Invalid input, per field"},
    429: {"model": ErrorResponse, "description": "Too many attempts; retry later"},
}

_STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    503: "unavailable",
}


def is_api_request(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path in ("/healthz",)


def _json_error(
    status: int, code: str, detail: Any, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)


def _clean_loc(loc: Sequence[object]) -> list[str | int]:
    return [part if isinstance(part, int) else str(part) for part in loc]


def install_error_handlers(app: FastAPI) -> None:
    # Late import: the HTML renderer needs templating, which needs i18n.
    from app.core.templating import render_error_page

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> Response:
        if is_api_request(request):
            return _json_error(exc.status_code, exc.code, exc.detail)
        return render_error_page(request, exc.status_code, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail: list[dict[str, Any]] = [
            {"loc": _clean_loc(err.get("loc", ())), "msg": str(err.get("msg", ""))}
            for err in exc.errors()
        ]
        if is_api_request(request):
            return _json_error(422, "validation_error", detail)
        return render_error_page(request, 400, "; ".join(d["msg"] for d in detail))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, "error")
        headers = getattr(exc, "headers", None)
        if is_api_request(request):
            return _json_error(exc.status_code, code, exc.detail, headers)
        return render_error_page(request, exc.status_code, None, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("Unhandled error on %s %s", request.method, request.url.path)
        if is_api_request(request):
            return _json_error(500, "internal_error", "An unexpected error occurred.")
        return render_error_page(request, 500, None)
