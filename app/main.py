"""The ASGI application: JSON API under /api/v1, HTML pages, static files."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI
from fastapi_offline import FastAPIOffline
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

import app.models  # noqa: F401  (every table known, so foreign keys between packages resolve)
from app import __version__, health, web
from app.accounts import router as accounts_api
from app.accounts import staffing as accounts_staffing
from app.accounts import views as accounts_views
from app.accounts import web as accounts_web
from app.accounts.csrf import CSRFMiddleware
from app.accounts.deps import load_user
from app.accounts.headers import SecurityHeadersMiddleware
from app.agenda import router as agenda_api
from app.agenda import views as agenda_views
from app.core.config import get_settings
from app.core.db import WriteIntentMiddleware
from app.core.errors import install_error_handlers
from app.core.flash import FlashMiddleware
from app.core.limits import BodyLimitMiddleware, ClientAddressMiddleware, NulGuardMiddleware
from app.core.logging import RequestIdMiddleware, configure_logging
from app.core.middleware import LocaleMiddleware
from app.core.templating import STATIC_DIR
from app.dashboard import views as dashboard_views
from app.events import router as events_api
from app.events import views as events_views
from app.matchmaking import router as matchmaking_api
from app.matchmaking import views as matchmaking_views
from app.needs import router as needs_api
from app.needs import views as needs_views
from app.notifications import router as notifications_api
from app.notifications import views as notifications_views
from app.notifications import web as notifications_web
from app.notifications.dispatch import OutboxWorker
from app.organisations import router as organisations_api
from app.organisations import views as organisations_views
from app.providers import router as providers_api
from app.providers import views as providers_views
from app.recommendations import router as recommendations_api
from app.recommendations import views as recommendations_views

API_PREFIX = "/api/v1"


class CachedStaticFiles(StaticFiles):
    """Static files are fingerprinted (?v=hash), so they can be cached for a year."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_cache(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append(
                    (b"cache-control", b"public, max-age=31536000, immutable")
                )
            await send(message)

        await super().__call__(scope, receive, send_with_cache)


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """Run the e-mail outbox in a background thread when an SMTP server is configured
    (unless EUROFFSHORE_OUTBOX_WORKER=false: `euroffshore outbox send --loop` runs it)."""
    settings = get_settings()
    worker = None
    if settings.smtp_url and settings.outbox_worker:
        worker = OutboxWorker(
            interval_s=settings.outbox_interval_s, limit=settings.outbox_batch_size
        )
        worker.start()
    agenda_worker = None
    if settings.agenda_worker:
        # Agenda builds: a huey consumer thread (EUROFFSHORE_AGENDA_WORKER=false when
        # `euroffshore worker` runs them in processes of their own).
        from app.agenda.jobs import AgendaWorker

        agenda_worker = AgendaWorker()
        agenda_worker.start()
    try:
        yield
    finally:
        if worker is not None:
            # The thread may be in the middle of one send: wait for it off the event loop.
            await asyncio.to_thread(worker.stop)
        if agenda_worker is not None:
            await asyncio.to_thread(agenda_worker.stop)


def create_app() -> FastAPI:
    """The application, configured from the environment (``app.core.config``)."""
    settings = get_settings()
    configure_logging(settings.log_level)
    app = FastAPIOffline(
        title="Euroffshore API",
        version=__version__,
        description=(
            "B2B matchmaking between European companies outsourcing customer contact and "
            'offshore call centres. Errors share one shape: `{"error": code, "detail": ...}`.'
        ),
        static_url="/static-docs",
        # Every route knows who is asking (request.state.user; Bearer scheme in OpenAPI).
        dependencies=[Depends(load_user), Depends(notifications_web.provide_unread_count)],
        lifespan=lifespan,
    )
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(organisations_api.router)
    api.include_router(accounts_api.router)
    api.include_router(providers_api.router)
    api.include_router(needs_api.router)
    api.include_router(recommendations_api.router)
    api.include_router(events_api.router)
    api.include_router(notifications_api.router)
    api.include_router(matchmaking_api.router)
    api.include_router(agenda_api.router)
    app.include_router(api)
    app.include_router(health.router)
    app.include_router(web.router)
    app.include_router(organisations_views.router)
    app.include_router(accounts_views.router)
    app.include_router(accounts_staffing.router)
    app.include_router(providers_views.router)
    app.include_router(needs_views.router)
    app.include_router(recommendations_views.router)
    app.include_router(dashboard_views.router)
    app.include_router(events_views.router)
    app.include_router(agenda_views.router)
    app.include_router(notifications_views.router)
    app.include_router(matchmaking_views.router)
    app.mount("/static", CachedStaticFiles(directory=str(STATIC_DIR)), name="static")
    install_error_handlers(app)
    accounts_web.install_handlers(app)
    # Outermost last: the client address is known before anything logs or throttles, the
    # request id exists before anything logs; refusals (body too large, NUL, CSRF) are
    # translated (inside LocaleMiddleware) and carry the security headers; the body limit
    # holds before the NUL guard and the CSRF check read a body.
    app.add_middleware(WriteIntentMiddleware)
    app.add_middleware(FlashMiddleware)
    app.add_middleware(CSRFMiddleware)
    app.add_middleware(NulGuardMiddleware)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(LocaleMiddleware)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(ClientAddressMiddleware)
    return app
