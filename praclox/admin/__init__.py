"""Administration: staff accounts and their roles, and the scheduler's job runs."""
