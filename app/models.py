"""Every ORM model, imported so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from app.core.db import Base
from app.organisations.models import Organisation

__all__ = ["Base", "Organisation"]
