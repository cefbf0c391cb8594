"""Matchmaking at an event: the participant catalogue with scores, meeting requests,
preferences, mutual interest, and the meetings the agenda builder should place."""
