"""Liveness and readiness: GET /healthz checks the database."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from app.core.db import get_session_factory

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str


@router.get(
    "/healthz",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database cannot be reached"}},
    summary="Service health (checks the database)",
)
def healthz() -> Health | JSONResponse:
    try:
        with get_session_factory()() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database means "not ready"
        log.warning("health check failed: %s", exc)
        return JSONResponse({"status": "unavailable", "database": "error"}, status_code=503)
    return Health(status="ok", database="ok")
