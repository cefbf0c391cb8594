"""Notifications: what happened for a user, kept in an outbox and sent by e-mail."""
