"""Scheduled jobs: their runs, their lock, and the scheduler's CLI."""
