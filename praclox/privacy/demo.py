"""Demo data for the privacy officer: a few requests, so the dashboard has deadlines to show."""

from __future__ import annotations

from datetime import timedelta

from praclox.clock import today
from praclox.domain import DemoRun
from praclox.privacy import requests

DEMO_REQUESTS = (
    ("Henk de Vries", "henk.devries@example.nl", "access", 40),
    ("Sanne Bakker", "sanne.bakker@example.nl", "erasure", 26),
    ("Joost Mulder", "+31 6 1234 5678", "rectification", 5),
)


def add_requests(run: DemoRun) -> None:
    """One overdue, one due this week and one fresh request (``praclox demo-data``)."""
    rng = run.rng
    for name, contact, kind, days_ago in DEMO_REQUESTS:
        requests.create_request(requester_name=name, requester_contact=contact, kind=kind,
                                received_on=today() - timedelta(days=days_ago + rng.randint(0, 1)), actor=None)
