"""The audit trail: who did what to which record, never the values."""
