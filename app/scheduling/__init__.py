"""Agenda optimiser: schedules pre-arranged one-to-one meetings into slots and tables.

Pure package (no web or database import). Public API: `parse_instance`, `solve`,
`InstanceError`, `Result`; the file format is docs/scheduling-format.md, the design
docs/optimiser.md.
"""

from app.scheduling.model import Instance, InstanceError, Result, parse_instance
from app.scheduling.solve import solve

__all__ = ["Instance", "InstanceError", "Result", "parse_instance", "solve"]
