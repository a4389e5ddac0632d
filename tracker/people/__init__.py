"""People: user accounts, teams, passwords and API tokens."""
