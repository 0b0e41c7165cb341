"""Privacy by design: the registry of personal data each domain declares, and the privacy officer's
toolkit built on it (processing register, public statement, data-subject requests, audit trail, key
rotation, time-limited support access)."""
