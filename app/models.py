"""Every ORM model, imported so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from app.accounts.models import ApiToken, AuditEvent, LoginFailure, PasswordReset, User
from app.agenda.models import AgendaRun, Meeting, MeetingSeat  # noqa: F401
from app.core.db import Base
from app.events.models import Event  # noqa: F401  (registers every event table)
from app.needs.models import Need  # noqa: F401  (registers every need table)
from app.notifications.models import Notification  # noqa: F401
from app.organisations.models import Organisation
from app.providers.models import ProviderProfile  # noqa: F401  (registers every provider table)
from app.recommendations.models import MatchingVersion, ScoringWeightSet  # noqa: F401

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "LoginFailure",
    "Organisation",
    "PasswordReset",
    "User",
]
