"""Teams, users, roles, passwords, sessions and API tokens."""
