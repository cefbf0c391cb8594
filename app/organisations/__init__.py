"""Organisations: the client companies, call centres (providers) and event organisers."""
