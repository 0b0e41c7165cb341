"""Encrypted backups of the database and the documents, and the erasure ledger a restore re-applies."""
