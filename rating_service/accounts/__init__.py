"""Accounts, roles, password hashing, sessions and API tokens."""
