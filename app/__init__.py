"""Euroffshore: B2B matchmaking between European clients and offshore call centres."""

__version__ = "0.1.0"
