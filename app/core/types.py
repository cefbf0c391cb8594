"""Annotated types shared by every router: ids that fit the database's INTEGER columns.

Row ids are INTEGER (4 bytes on PostgreSQL): a larger id in a path, a query or a body is
refused with a 422 naming the field before it reaches the database, where it would fail
as "out of range" (a 500) instead of "not found".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ID = 2_147_483_647

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
