"""Recommendations: ranked, explained matches between needs and call centres (issue #5)."""
