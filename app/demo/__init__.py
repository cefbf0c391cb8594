"""Deterministic demo data: call centres, European clients with needs, interests, shortlists
and demo accounts (``euroffshore demo``). The same seed gives the same data every run; dates
are relative to the day of loading."""
