"""Accounts: users, sessions, personal access tokens, permissions, audit log."""
