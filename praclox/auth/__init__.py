"""Staff accounts, roles, login, second factor, sessions and passwords."""
